"""JSON transcripts: Podcasting 2.0, Whisper-style ASR output, and QMSum meetings.

- Podcasting 2.0 (``podcast:transcript`` type ``application/json``):
  ``{"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}]}``
- Whisper / WhisperX: ``{"text", "segments": [{"start", "end", "text", "speaker"?}]}``
- QMSum: ``{"meeting_transcripts": [{"speaker", "content"}], ...}`` (see ``_qmsum.py``)

Which one is decided by the keys present, never by the file name.

Numbers are bounded: one longer than ``MAX_NUMBER_DIGITS`` characters (a
million-digit integer would stall or break the parser) refuses the file with a
one-line reason, as does nesting deeper than the parser can follow. ``NaN`` and
``Infinity`` (which Python's parser accepts) and ``1e999`` read as non-finite
numbers; as times they are dropped with a warning by ``TranscriptBuilder``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from briefs.errors import EmptySource, MalformedSource
from briefs.readers._grouping import Cue, build_from_cues
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


def _number(value: Any, where: str, source: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MalformedSource(f"{source}: {where} is not a number of seconds")
    try:
        return float(value)
    except ValueError:
        raise MalformedSource(f"{source}: {where} is not a number of seconds ({value!r})") from None


def _segments(data: dict[str, Any], text_key: str, start_key: str, end_key: str,
              source: str) -> list[Cue]:
    cues: list[Cue] = []
    for i, seg in enumerate(data["segments"]):
        if not isinstance(seg, dict):
            raise MalformedSource(f"{source}: segment {i} is not an object")
        body = seg.get(text_key, "")
        if not isinstance(body, str):
            raise MalformedSource(f"{source}: segment {i} '{text_key}' is not text")
        speaker = seg.get("speaker")
        cues.append(
            Cue(
                str(speaker).strip() if speaker not in (None, "") else None,
                body,
                _number(seg.get(start_key), f"segment {i} '{start_key}'", source),
                _number(seg.get(end_key), f"segment {i} '{end_key}'", source),
            )
        )
    return cues


def read_json(text: str, *, source: str, title: str = "") -> Transcript:
    """Read any of the supported JSON transcript shapes."""
    data = parse_json(text, source=source)
    if isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        data = {"segments": data}  # a bare list of segments
    if not isinstance(data, dict):
        raise MalformedSource(
            f"{source}: JSON holds no transcript (expected an object with 'segments' "
            "or 'meeting_transcripts')"
        )
    title = str(data.get("title") or title)
    date = parse_date(str(data.get("date") or data.get("pubDate") or ""))
    if "meeting_transcripts" in data:
        return read_qmsum(data, source=source, title=title)
    segments = data.get("segments")
    if not isinstance(segments, list):
        raise MalformedSource(
            f"{source}: JSON holds no transcript (expected a 'segments' list or "
            "'meeting_transcripts')"
        )
    if not segments:
        raise EmptySource(f"{source}: the transcript has no segments")
    first = next((s for s in segments if isinstance(s, dict)), {})
    if "body" in first:
        cues = _segments(data, "body", "startTime", "endTime", source)
        fmt = "podcasting-json"
    elif "text" in first:
        cues = _segments(data, "text", "start", "end", source)
        fmt = "whisper-json"
    else:
        raise MalformedSource(
            f"{source}: segment 0 has neither 'body' (Podcasting 2.0) nor 'text' (Whisper)"
        )
    metadata = {
        k: str(v) for k, v in data.items() if k in ("version", "language") and v is not None
    }
    return build_from_cues(cues, fmt=fmt, source=source, title=title, metadata=metadata,
                           date=date)
