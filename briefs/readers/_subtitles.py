"""SubRip (.srt) and WebVTT (.vtt) subtitles.

Subtitles cut speech into cues of a few seconds; a turn is a run of cues by one
speaker. The speaker comes from a WebVTT voice tag (``<v Alex>``) or a prefix
on the cue (``Alex:``, ``[Alex]``, ``>> Alex:``, ``- Alex:``); a cue with none
continues the current speaker. Cue times are kept: a turn starts at its first
cue and ends at its last.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import srt
import webvtt
from webvtt.errors import MalformedFileError

from briefs.errors import EmptySource, MalformedSource
from briefs.readers._grouping import Cue, build_from_cues
from briefs.readers._lines import looks_like_name, parse_date, parse_timestamp
from briefs.transcript import Transcript, parse_speaker_label

__all__ = ["read_srt", "read_vtt", "split_speaker"]

_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")  # HTML-ish tags and SSA overrides
_PREFIX = re.compile(
    r"^(?:>>\s*|-\s*)?(?:\[(?P<bracket>[^\]]{1,60})\]\s*:?|(?P<colon>[^:\n]{1,60}?)\s*:)\s+(?P<text>\S.*)$",
    re.DOTALL,
)


def split_speaker(text: str) -> tuple[str | None, str]:
    """``"Alex: Hello"`` -> ("Alex", "Hello"); no name-like prefix -> (None, text)."""
    m = _PREFIX.match(text)
    if m:
        label = (m.group("bracket") or m.group("colon") or "").strip()
        name, _ = parse_speaker_label(label)
        if looks_like_name(name):
            return label, m.group("text").strip()
    if text.startswith(">>"):
        text = text[2:].strip()
    return None, text


def _clean(text: str) -> str:
    return _TAG.sub("", text).replace("\n", " ").strip()


class _Rolling:
    """Drops the lines a cue repeats from the cue before it.

    Auto-generated captions (YouTube's among them) "roll": each cue repeats the
    previous cue's last line and adds one, so read naively every line appears
    twice. Only lines of three words or more count as repeats, so a genuine
    "Yes." said twice survives.
    """

    def __init__(self) -> None:
        self.last: list[str] = []
        self.voice: str | None = None

    def new_text(self, raw: str, voice: str | None = None) -> str:
        lines = [c for c in (_clean(line) for line in raw.split("\n")) if c]
        # Another voice repeating the same words is a new thing said, not a roll.
        k = min(len(lines), len(self.last)) if voice == self.voice else 0
        while k and (lines[:k] != self.last[-k:] or len(" ".join(lines[:k]).split()) < 3):
            k -= 1
        self.last, self.voice = lines, voice
        return " ".join(lines[k:])


_SRT_TIME = re.compile(
    r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}(?:\s|$)"
)


def _check_srt_blocks(text: str, source: str) -> None:
    """Every cue block needs its time line: the ``srt`` library would otherwise fold a
    broken cue into the previous cue's text without a word."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if line.strip():
            block.append((number, line))
            continue
        if block:
            heads = block[:2] if block[0][1].strip().isdigit() else block[:1]
            if not any(_SRT_TIME.match(head) for _, head in heads):
                where, what = heads[-1]
                raise MalformedSource(
                    f"{source}: not valid SRT at line {where} (expected a time line like "
                    f"'00:00:01,000 --> 00:00:04,000', found {what.strip()[:60]!r})"
                )
            block = []


def read_srt(text: str, *, source: str) -> Transcript:
    """Read SubRip subtitles; a parse error names the line."""
    _check_srt_blocks(text.lstrip("\ufeff"), source)
    try:
        subs = list(srt.parse(text))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.actual_start) + 1
        snippet = exc.unmatched_content.strip().split("\n", 1)[0][:60]
        raise MalformedSource(
            f"{source}: not valid SRT at line {line} (expected a cue number and a "
            f"'00:00:01,000 --> 00:00:04,000' time line, found {snippet!r})"
        ) from None
    if not subs:
        raise EmptySource(f"{source}: the subtitle file has no cues")
    cues: list[Cue] = []
    rolling = _Rolling()
    for sub in subs:
        start, end = sub.start.total_seconds(), sub.end.total_seconds()
        if sub.proprietary.strip() or end < start:
            raise MalformedSource(
                f"{source}: cue {sub.index} has a malformed time line "
                f"(end {sub.end} before start {sub.start} or trailing text {sub.proprietary!r})"
            )
        speaker, body = split_speaker(rolling.new_text(sub.content))
        cues.append(Cue(speaker, body, start, end))
    return build_from_cues(cues, fmt="srt", source=source)


_VTT_TIMING = re.compile(r"-->")


def _vtt_time_lines(text: str) -> Iterable[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), start=1):
        if _VTT_TIMING.search(line):
            yield number, line


_VTT_CLOCK = r"(?:\d{1,2}:)?\d{2}:\d{2}\.\d{3}"
_VTT_TIME = re.compile(rf"^\s*{_VTT_CLOCK}\s+-->\s+{_VTT_CLOCK}(?:\s|$)")


def read_vtt(text: str, *, source: str) -> Transcript:
    """Read WebVTT subtitles with voice tags or ``Speaker:`` prefixes."""
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise MalformedSource(f"{source}: not valid WebVTT (line 1 must start with 'WEBVTT')")
    # webvtt-py silently skips cues whose time line it cannot read; check them first
    # so a broken line is reported instead of quietly losing speech.
    for number, line in _vtt_time_lines(text):
        if not _VTT_TIME.match(line):
            raise MalformedSource(
                f"{source}: not valid WebVTT at line {number} "
                f"(bad cue time line {line.strip()[:60]!r})"
            )
    try:
        captions = list(webvtt.from_string(text).captions)
    except MalformedFileError as exc:
        raise MalformedSource(f"{source}: not valid WebVTT ({exc})") from None
    if not captions:
        raise EmptySource(f"{source}: the subtitle file has no cues")
    cues: list[Cue] = []
    rolling = _Rolling()
    for cap in captions:
        speaker: str | None = cap.voice.strip() if cap.voice else None
        body = rolling.new_text(cap.text, speaker)
        if speaker is None:
            speaker, body = split_speaker(body)
        cues.append(Cue(speaker, body, parse_timestamp(cap.start), parse_timestamp(cap.end)))
    header = text.lstrip("\ufeff").split("\n", 1)[0][len("WEBVTT"):].strip(" \t-–—:")
    notes = [" ".join(m.group(1).split()) for m in _VTT_NOTE.finditer(text)]
    metadata = {"notes": "\n".join(n for n in notes if n)} if any(notes) else {}
    return build_from_cues(cues, fmt="vtt", source=source, title=header, metadata=metadata,
                           date=parse_date(" ".join([header, *notes])))


# A comment block: "NOTE" then text up to the next blank line.
_VTT_NOTE = re.compile(r"^NOTE(?:[ \t]+|\n)(.*?)(?:\n[ \t]*\n|\Z)", re.MULTILINE | re.DOTALL)
