"""JSON transcripts: Podcasting 2.0, Whisper-style ASR output, and QMSum meetings.

- Podcasting 2.0 (``podcast:transcript`` type ``application/json``):
  ``{"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}]}``
- Whisper / WhisperX: ``{"text", "segments": [{"start", "end", "text", "speaker"?}]}``
- QMSum: ``{"meeting_transcripts": [{"speaker", "content"}], ...}`` (see ``_qmsum.py``)
- Other ASR output (AssemblyAI, Deepgram, AWS, Rev, Google, Azure and the like): the
  list of items under ``utterances``, ``segments``, ``monologues``, ``transcript``,
  ``results`` (nested as the service nests it) or at the top, each item read by the
  fields it has (``_asr.py``); JSON Lines, one item a line (``_jsonl.py``).

Which one is decided by the keys present, never by the file name. Podcasting 2.0
and Whisper times are seconds by their specs; other shapes' whole-number times
may be read as milliseconds (``_asr``).

Numbers are bounded: one longer than ``MAX_NUMBER_DIGITS`` characters (a
million-digit integer would stall or break the parser) refuses the file with a
one-line reason, as does nesting deeper than the parser can follow. ``NaN`` and
``Infinity`` (which Python's parser accepts) and ``1e999`` read as non-finite
numbers; as times they are dropped with a warning by ``TranscriptBuilder``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from briefs.errors import EmptySource, MalformedSource
from briefs.readers._asr import aws_speakers, cues_from_items
from briefs.readers._grouping import build_from_cues
from briefs.readers._jsonl import parse_json_lines
from briefs.readers._lines import parse_date
from briefs.readers._qmsum import read_qmsum
from briefs.transcript import Transcript

__all__ = ["MAX_NUMBER_DIGITS", "parse_json", "read_json"]

MAX_NUMBER_DIGITS = 100
"""Longest JSON number read: a time or count needs a dozen characters, not thousands."""


class _NumberTooLong(Exception):
    def __init__(self, length: int) -> None:
        self.length = length


def _bounded(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def read(literal: str) -> Any:
        if len(literal) > MAX_NUMBER_DIGITS:
            raise _NumberTooLong(len(literal))
        return parse(literal)

    return read


_PARSE_INT = _bounded(int)
_PARSE_FLOAT = _bounded(float)


def parse_json(text: str, *, source: str) -> Any:
    """Parse ``text``; any reason it cannot be read is a one-line ``MalformedSource``."""
    try:
        return json.loads(text, parse_int=_PARSE_INT, parse_float=_PARSE_FLOAT)
    except _NumberTooLong as exc:
        raise MalformedSource(
            f"{source}: holds a JSON number {exc.length:,} characters long "
            f"(at most {MAX_NUMBER_DIGITS} are read)"
        ) from None
    except json.JSONDecodeError as exc:
        raise MalformedSource(
            f"{source}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        ) from None
    except RecursionError:
        raise MalformedSource(f"{source}: JSON nested too deeply to read") from None


_CONTAINERS = ("utterances", "segments", "audio_segments", "monologues", "transcript",
               "results", "recognizedPhrases", "items", "words", "transcripts")
_NESTED = ("results", "channels", "alternatives", "transcription", "response")
_NO_TRANSCRIPT = ("JSON holds no transcript (expected a 'segments' list or "
                  "'meeting_transcripts')")


def _locate(data: Any, depth: int = 0) -> tuple[str, list[Any]] | None:
    """The list of transcript items in ``data`` and the key it sits under."""
    if isinstance(data, list):
        if data and isinstance(data[0], dict) and depth and not _is_item(data[0]):
            return _locate(data[0], depth + 1)  # Deepgram's channels[0].alternatives[0]
        return ("segments", data) if data else None
    if not isinstance(data, dict) or depth > 4:
        return None
    for key in _CONTAINERS:
        value = data.get(key)
        if isinstance(value, list) and any(isinstance(x, dict) for x in value):
            return key, value
    for key in _NESTED + _CONTAINERS:
        value = data.get(key)
        if isinstance(value, dict | list) and (found := _locate(value, depth + 1)):
            return found
    return None


def _is_item(obj: dict[str, Any]) -> bool:
    return any(k in obj for k in ("text", "transcript", "body", "content", "word", "words",
                                  "elements", "value", "speaker"))


def _duration(data: dict[str, Any]) -> float | None:
    for holder in (data, data.get("metadata")):
        if isinstance(holder, dict):
            for key in ("audio_duration", "duration"):
                value = holder.get(key)
                if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                    return float(value)
    return None


def read_json(text: str, *, source: str, title: str = "") -> Transcript:
    """Read any of the supported JSON transcript shapes, or JSON Lines of items."""
    warnings: list[str] = []
    lines = False
    try:
        data = parse_json(text, source=source)
    except MalformedSource as exc:
        if "(Extra data)" not in str(exc):
            raise
        data, lines = parse_json_lines(
            text, source=source, warnings=warnings, parse=parse_json), True
    if isinstance(data, dict) and _locate(data) is None and "meeting_transcripts" not in data \
            and _is_item(data):
        data = [data]  # one item alone (a JSON Lines file of one line)
    if not isinstance(data, dict | list):
        raise MalformedSource(
            f"{source}: JSON holds no transcript (expected an object with 'segments' "
            "or 'meeting_transcripts')"
        )
    meta = data if isinstance(data, dict) else {}
    title = str(meta.get("title") or title)
    date = parse_date(str(meta.get("date") or meta.get("pubDate") or ""))
    if "meeting_transcripts" in meta:
        return read_qmsum(meta, source=source, title=title)
    found = _locate(data)
    if found is None:
        if isinstance(data, list) and not data:
            raise EmptySource(f"{source}: the transcript has no segments")
        if isinstance(meta.get("segments"), list) and not meta["segments"]:
            raise EmptySource(f"{source}: the transcript has no segments")
        raise MalformedSource(f"{source}: {_NO_TRANSCRIPT}")
    key, items = found
    first = next((s for s in items if isinstance(s, dict)), {})
    top = key == "segments" and (isinstance(data, list) or data.get("segments") is items)
    if top and "body" in first:
        fmt = "podcasting-json"  # the spec says seconds: no guessing of units
    elif top and "text" in first and not lines:
        fmt = "whisper-json"
    else:
        fmt = "json-lines" if lines else "asr-json"
    label = "segment" if key == "segments" else "item"
    items = aws_speakers(data, items)
    cues = cues_from_items(items, label=label, source=source, warnings=warnings,
                           duration=_duration(meta), guess_units=fmt not in (
                               "podcasting-json", "whisper-json"), words=key == "words")
    if not any(c.text.strip() for c in cues) and key == "segments" and not (
            "body" in first or "text" in first):
        raise MalformedSource(
            f"{source}: segment 0 has neither 'body' (Podcasting 2.0) nor 'text' (Whisper)"
        )
    if not any(c.text.strip() for c in cues):
        raise EmptySource(f"{source}: holds no spoken text (no item has a 'text', "
                          "'transcript', 'body' or 'content' field)")
    metadata = {
        k: str(v) for k, v in meta.items() if k in ("version", "language") and v is not None
    }
    transcript = build_from_cues(cues, fmt=fmt, source=source, title=title,
                                 metadata=metadata, date=date)
    if warnings:
        transcript = replace(transcript, warnings=(*warnings, *transcript.warnings))
    return transcript
