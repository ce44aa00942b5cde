"""Readers: any supported transcript file in, one ``Transcript`` out.

::

    read_path(Path("episode.srt"))            # SRT, by extension and content
    read_bytes("episode.txt", data)           # a .txt holding JSON is read as JSON

The format is chosen by the file's extension *and* by sniffing its content, so a
``.txt`` that holds SRT cues or JSON is read as such; an extension no reader
knows (``.pdf``, ``.mp3``) is refused. Every failure is a ``briefs.errors.ReadError``
whose message is one line naming the file.

What readers store is checked, whatever the format: control characters are
removed after decoding (or a file full of them refused as binary; the rule is
in ``_decode``), a time that is not a finite, non-negative number of seconds is
dropped with a warning while its turn is kept (``TranscriptBuilder``), and JSON
numbers and nesting are bounded (``_json``).

Supported: plain text and Markdown interviews, SubRip, WebVTT, Podcasting 2.0
JSON, Whisper JSON, QMSum meeting JSON, other ASR JSON and JSON Lines (read by
the fields their items have, ``_asr``), HTML transcript pages.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from briefs.errors import ReadError, SourceTooLarge, UnsupportedFormat
from briefs.readers._decode import decode
from briefs.readers._html import read_html
from briefs.readers._json import read_json
from briefs.readers._lines import parse_date
from briefs.readers._subtitles import read_srt, read_vtt
from briefs.readers._text import read_text
from briefs.transcript import CONTROLS_WARNING, Transcript, normalize_whitespace, remove_controls

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "detect_format",
    "read_bytes",
    "read_path",
]

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
"""Largest source read (25 MB): a long podcast transcript is ~1 MB; anything far
bigger is a mistake (a video, a dump) and would stall ingest."""

# Extension -> the format it claims. Plain-text kinds are checked for other
# formats by content; the others are read as what they claim.
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".srt": "srt", ".vtt": "vtt", ".webvtt": "vtt", ".json": "json",
    ".jsonl": "json", ".ndjson": "json",  # JSON Lines: _json reads both
    ".html": "html", ".htm": "html", "": "text",
}

# "{" or "[" then a key, an object or a list: "[00:00:01] Alex: hi" is not JSON.
_JSON_START = re.compile(r'\A[{\[]\s*(?:["{\[\]}]|\Z)')
# A cue number, then a time line in any form the SRT reader takes ("0.860 -->", "1:2:3,4 -->").
_SRT_START = re.compile(r"\A\s*\d+\s*\n\s*\d{1,10}(?::\d{1,10}){0,2}(?:[,.]\d{1,9})?\s*-->")
_HTML_START = re.compile(r"\A\s*(?:<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)",
                         re.IGNORECASE)


def detect_format(name: str, text: str) -> str:
    """The reader for ``name`` holding ``text``: text, markdown, srt, vtt, json or html."""
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(sorted(s for s in EXTENSIONS if s))
        raise UnsupportedFormat(
            f"{name}: unsupported file type '{suffix}' (briefbot reads {known})"
        )
    claimed = EXTENSIONS[suffix]
    head = text.lstrip("\ufeff \t\n")[:2000]
    if head.startswith("WEBVTT"):
        return "vtt"
    if claimed == "json" or (claimed in ("text", "markdown") and _JSON_START.match(head)):
        return "json"
    if _SRT_START.match(head):
        return "srt"
    if claimed in ("text", "markdown") and _HTML_START.match(head):
        return "html"
    return claimed


def read_bytes(name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Transcript:
    """Read a transcript held in memory; ``name`` (a file name) gives its type and source."""
    if len(data) > max_bytes:
        raise SourceTooLarge(_too_large(name, len(data), max_bytes))
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:  # refuse before decoding: a .mp3 is not worth sniffing
        detect_format(name, "")
    text, removed = decode(name, data)
    fmt = detect_format(name, text)
    stem_title = _title_from_name(name)
    transcript: Transcript
    if fmt == "srt":
        transcript = read_srt(text, source=name)
    elif fmt == "vtt":
        transcript = read_vtt(text, source=name)
    elif fmt == "json":
        transcript = read_json(text, source=name, title=stem_title)
    elif fmt == "html":
        transcript = read_html(text, source=name)
    else:
        transcript = read_text(text, source=name, fmt=fmt)
    if transcript.title == "Untitled transcript" and stem_title:
        transcript = replace(transcript, title=stem_title)
    if transcript.date is None and (dated := _DATED_NAME.match(Path(name).stem)):
        # "2026-05-07-earnings-call.srt": formats without metadata carry the date here.
        transcript = replace(transcript, date=parse_date(dated.group(0)))
    if removed and CONTROLS_WARNING not in transcript.warnings:
        transcript = replace(transcript, warnings=(*transcript.warnings, CONTROLS_WARNING))
    return transcript


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Transcript:
    """Read a transcript file; the size is checked before the file is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file") from None
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise ReadError(f"{path}: is a folder, not a transcript file")
    if size > max_bytes:
        raise SourceTooLarge(_too_large(str(path), size, max_bytes))
    if path.suffix.lower() not in EXTENSIONS:
        detect_format(str(path), "")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return read_bytes(str(path), data, max_bytes=max_bytes)


def _too_large(name: str, size: int, limit: int) -> str:
    return f"{name}: too large ({_human(size)}; the limit is {_human(limit)})"


def _human(n: int) -> str:
    if n >= 1_048_576:
        return f"{n / 1_048_576:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


_DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}(?=$|[-_ .])")


def _title_from_name(name: str) -> str:
    # A file name can hold anything but "/": no newline or escape code may reach a title.
    stem = normalize_whitespace(remove_controls(Path(name).stem)[0]).replace("\n", " ")
    stem = _DATED_NAME.sub("", stem) or stem
    words = re.sub(r"[-_]+", " ", stem).split()
    return " ".join(words)[:1].upper() + " ".join(words)[1:] if words else ""
