"""SubRip (.srt) and WebVTT (.vtt) subtitles.

Subtitles cut speech into cues of a few seconds; a turn is a run of cues by one
speaker. The speaker comes from a WebVTT voice tag (``<v Alex>``), a prefix on
the cue (``Alex:``, ``[Alex]``, ``- Alex:``) or the broadcast marker ``>>``
(a new speaker, named or not); a cue with none continues the current speaker.
Cue times are kept: a turn starts at its first cue and ends at its last.

Both formats are read by the one hand-written cue parser below, because real
tools bend the time line (``0.860 --> 7.380``, ``0:0:0.0``, ``100:00:01.000``,
a comma in WebVTT) and the ``srt`` and ``webvtt`` libraries either refuse such
a file or drop its cues without a word. A cue whose times still cannot be read
is skipped and counted in one warning; a file with no readable cue is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from briefs.errors import EmptySource, MalformedSource
from briefs.readers._cue_text import Piece, Rolling, cue_pieces, split_speaker
from briefs.readers._grouping import UNKNOWN_SPEAKER, Cue, build_from_cues
from briefs.readers._lines import parse_date
from briefs.transcript import Transcript, TranscriptBuilder

__all__ = ["read_srt", "read_vtt", "split_speaker"]

# h:m:s, m:s or s, any field unpadded, "." or "," before the fraction. Bounded
# digits: a 400-digit hour is a broken line, not a time to overflow a float with.
_TIME = r"(\d{1,10}(?::\d{1,10}){0,2}(?:[.,]\d{1,9})?)"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s.*)?$")
_NUMBER = re.compile(r"^\s*\d+\s*$")


def _seconds(value: str) -> float | None:
    """``"1:02:03,5"`` -> 3723.5; None when a minute or second field is 60 or more."""
    clock, _, frac = value.replace(",", ".").partition(".")
    total = 0
    for i, field in enumerate(clock.split(":")):
        n = int(field)
        if i and n >= 60:
            return None
        total = total * 60 + n
    return round(total + int(frac) / 10 ** len(frac), 3) if frac else float(total)


def _timing(line: str) -> tuple[float, float] | None:
    """A cue time line's start and end, or None if it cannot be read."""
    m = _TIMING.match(line)
    if not m:
        return None
    start, end = _seconds(m.group(1)), _seconds(m.group(2))
    if start is None or end is None or end < start:
        return None
    return start, end


@dataclass
class _RawCue:
    start: float
    end: float
    lines: list[str]


@dataclass
class _Parsed:
    cues: list[_RawCue]
    time_lines: int = 0  # lines holding "-->", read or not
    skipped: int = 0
    first_bad: tuple[int, str] | None = None  # line number and text of the first skipped cue

    def skip(self, number: int, line: str) -> None:
        self.skipped += 1
        self.first_bad = self.first_bad or (number, line.strip()[:60])


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Blank-line separated blocks of (line number, line)."""
    blocks: list[list[tuple[int, str]]] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            blocks.append(block)
            block = []
    return blocks


def _cue_starts(block: list[tuple[int, str]]) -> list[int]:
    """Indexes of the time lines that open cues in ``block``.

    A cue's time line is its first line, or its second after an identifier (an
    SRT number). Further down, a line opens a new cue only if it reads as a time
    line: some tools leave out the blank line between cues, and cue text may
    hold an arrow of its own.
    """
    starts: list[int] = []
    for i, (_, line) in enumerate(block):
        if "-->" not in line:
            continue
        if i == 0 or (i == 1 and not starts) or _timing(line) is not None:
            starts.append(i)
    return starts


def _parse(blocks: list[list[tuple[int, str]]]) -> _Parsed:
    parsed = _Parsed([])
    for block in blocks:
        starts = _cue_starts(block)
        parsed.time_lines += sum(1 for _, line in block if "-->" in line)
        # An SRT number just above a later time line belongs to that cue.
        begins = [s - 1 if s > 1 and _NUMBER.match(block[s - 1][1]) else s for s in starts]
        # Lines above the first time line that are not its identifier: text
        # with no time of its own.
        lead = block if not starts else block[: begins[0]] if starts[0] >= 2 else []
        if lead:
            if _NUMBER.match(lead[0][1]):
                if len(lead) > 1:  # "2" then text: a cue whose time line is missing
                    parsed.skip(*lead[1])
            elif parsed.cues:  # a blank line inside the previous cue's text
                parsed.cues[-1].lines.extend(line for _, line in lead)
            else:
                parsed.skip(*lead[0])
        for k, s in enumerate(starts):
            stop = begins[k + 1] if k + 1 < len(starts) else len(block)
            number, line = block[s]
            times = _timing(line)
            if times is None:
                parsed.skip(number, line)
                continue
            parsed.cues.append(_RawCue(*times, [text for _, text in block[s + 1 : stop]]))
    return parsed


def _cues_or_refuse(parsed: _Parsed, kind: str, source: str) -> None:
    """Refuse a file none of whose cues can be read, in one line."""
    if parsed.cues:
        return
    if parsed.first_bad is not None and parsed.time_lines:
        where, what = parsed.first_bad
        raise MalformedSource(
            f"{source}: not valid {kind}: no cue has times that can be read (line {where}: "
            f"{what!r}; expected start --> end, like '00:00:01,000 --> 00:00:04,000')"
        )
    if kind == "SRT" and parsed.first_bad is not None:
        where, what = parsed.first_bad
        raise MalformedSource(
            f"{source}: not valid SRT at line {where} (expected a time line like "
            f"'00:00:01,000 --> 00:00:04,000', found {what!r})"
        )
    raise EmptySource(f"{source}: the subtitle file has no cues")


def _skipped_warning(parsed: _Parsed) -> list[str]:
    if not parsed.skipped or parsed.first_bad is None:
        return []
    n, (where, what) = parsed.skipped, parsed.first_bad
    return [f"skipped {n} cue{'s' if n != 1 else ''} whose times could not be read "
            f"(the first at line {where}: {what!r})"]


def _timed_pieces(cues: list[_RawCue]) -> list[tuple[Piece, float, float]]:
    rolling = Rolling()
    return [(piece, cue.start, cue.end)
            for cue in cues for piece in cue_pieces("\n".join(cue.lines), rolling)]


def _build(
    cues: list[_RawCue], warnings: list[str], *, fmt: str, source: str, title: str = "",
    metadata: dict[str, str] | None = None, date: str | None = None,
) -> Transcript:
    pieces = _timed_pieces(cues)
    if not any(p.opens_turn for p, _, _ in pieces):
        t = build_from_cues([Cue(p.speaker, p.text, s, e) for p, s, e in pieces], fmt=fmt,
                            source=source, title=title, metadata=metadata, date=date)
        return replace(t, warnings=(*t.warnings, *warnings)) if warnings else t
    return _build_turns(pieces, warnings, fmt=fmt, source=source, title=title,
                        metadata=metadata or {}, date=date)


def _build_turns(
    pieces: list[tuple[Piece, float, float]], warnings: list[str], *, fmt: str, source: str,
    title: str, metadata: dict[str, str], date: str | None,
) -> Transcript:
    """Turns from pieces where ``>>`` or a dialogue dash marks changes of speaker.

    ``build_from_cues`` joins consecutive cues by one speaker, so two unnamed
    speakers in a row would merge into one turn; here a ``>>`` always opens a
    turn. An unnamed speaker is ``Unknown``, as elsewhere: each such turn was said
    by someone the captions do not name, not necessarily the same person.
    """
    b = TranscriptBuilder(format=fmt, source=source, title=title, date=date)
    b.metadata.update(metadata)
    run: list[tuple[Piece, float, float]] = []
    run_speaker: str | None = None
    unnamed = dashed = 0
    opening = False  # a ">>" seen whose words come in a later cue

    def flush() -> None:
        if run and run_speaker:
            b.add_timed("speech", [(p.text, start) for p, start, _ in run], run_speaker,
                        time_end=run[-1][2])
        run.clear()

    for piece, start, end in pieces:
        opening = opening or piece.opens_turn
        if not piece.text:
            continue
        if piece.speaker:
            speaker = b.speaker(piece.speaker)
        elif opening or run_speaker is None:
            speaker = b.speaker(UNKNOWN_SPEAKER)
            if opening and piece.dash:
                dashed += 1
            else:
                unnamed += opening
        else:
            speaker = run_speaker
        if speaker != run_speaker or (opening and not piece.speaker):
            flush()
            run_speaker = speaker
        opening = False
        run.append((piece, start, end))
    flush()
    if not b.speech_count:
        raise EmptySource(f"{source}: holds no spoken text")
    if unnamed:
        b.warnings.append(
            f"{unnamed} change{'s' if unnamed != 1 else ''} of speaker marked '>>' "
            f"name{'' if unnamed != 1 else 's'} no one: attributed to '{UNKNOWN_SPEAKER}'"
        )
    if dashed:
        b.warnings.append(
            f"{dashed} line{'s' if dashed != 1 else ''} of dash dialogue ('- ...') "
            f"name{'' if dashed != 1 else 's'} no one: attributed to '{UNKNOWN_SPEAKER}'"
        )
    b.warnings.extend(warnings)
    return b.build()


def _normalise(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_srt(text: str, *, source: str) -> Transcript:
    """Read SubRip subtitles; cues whose times cannot be read are skipped and counted."""
    parsed = _parse(_blocks(_normalise(text)))
    _cues_or_refuse(parsed, "SRT", source)
    return _build(parsed.cues, _skipped_warning(parsed), fmt="srt", source=source)


# Blocks that hold no cue: comments, style sheets, region definitions.
_VTT_NON_CUE = re.compile(r"^(?:NOTE|STYLE|REGION)(?:\s|$)")
# A comment block: "NOTE" then text up to the next blank line.
_VTT_NOTE = re.compile(r"^NOTE(?:[ \t]+|\n)(.*?)(?:\n[ \t]*\n|\Z)", re.MULTILINE | re.DOTALL)


def read_vtt(text: str, *, source: str) -> Transcript:
    """Read WebVTT subtitles with voice tags, ``Speaker:`` prefixes or ``>>``."""
    text = _normalise(text)
    if not text.startswith("WEBVTT"):
        raise MalformedSource(f"{source}: not valid WebVTT (line 1 must start with 'WEBVTT')")
    blocks = _blocks(text)
    # The header block ("WEBVTT", "Kind: captions" ...) holds no cue, unless a tool
    # wrote the first cue right under it.
    head = blocks.pop(0)
    arrow = next((i for i, (_, line) in enumerate(head) if "-->" in line), None)
    if arrow is not None:
        blocks.insert(0, head[arrow:])
    parsed = _parse([b for b in blocks if not _VTT_NON_CUE.match(b[0][1])])
    _cues_or_refuse(parsed, "WebVTT", source)
    header = text.split("\n", 1)[0][len("WEBVTT"):].strip(" \t-–—:")
    notes = [" ".join(m.group(1).split()) for m in _VTT_NOTE.finditer(text)]
    metadata = {"notes": "\n".join(n for n in notes if n)} if any(notes) else {}
    return _build(parsed.cues, _skipped_warning(parsed), fmt="vtt", source=source,
                  title=header, metadata=metadata,
                  date=parse_date(" ".join([header, *notes])))
