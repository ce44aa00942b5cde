"""Plain-text and Markdown interview transcripts.

A transcript copied from a web page has three parts, found in this order:

1. a *preamble* before the first speaker label: title, metadata lines
   (``Video title:``, ``Translation:``, dates), an editor's note or intro
   prose, perhaps the author's own TL;DR;
2. the *dialogue*: speaker labels, their paragraphs, ``Note:`` annotations and
   section headings;
3. trailing web-page junk (share buttons, tickers, disclaimers), dropped.

Front matter is read in ``_front.py``; label shapes are rewritten to one in
``_shapes.py`` (which also undoes markup), recognised line by line in
``_lines.py`` and chosen by recurrence and position in ``_choose.py``; this
module reads the preamble and walks the paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefs.errors import EmptySource
from briefs.readers._choose import CONTINUE, accepted_labels
from briefs.readers._front import split_front_matter
from briefs.readers._grouping import MONOLOGUE_SPEAKER, UNKNOWN_SPEAKER
from briefs.readers._lines import (
    TIME,
    LabelLine,
    is_junk,
    match_heading,
    match_label,
    match_metadata,
    match_note,
    match_summary_start,
    parse_date,
)
from briefs.readers._shapes import clean_line, is_markup, rewrite_shapes
from briefs.readers._wrap import join_wrapped
from briefs.transcript import Transcript, TranscriptBuilder

__all__ = ["read_text"]

_SUMMARY_TITLES = {"tl;dr", "tldr", "summary", "key takeaways", "takeaways", "key points",
                   "highlights"}
_RULE = re.compile(r"^(?:[-*_]\s*){3,}$")
_STAMP = re.compile(rf"^[\[(]?{TIME}[\])]?$")
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»"}
_BULLET = re.compile(r"^(?:[-*•·▪●]|\d{1,2}[.)])\s+")


def _strip_trailing_junk(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and is_junk(lines[end - 1]):
        above = lines[end - 2] if end > 1 else ""
        if above and (label := match_label(above)) is not None and not label.text:
            break  # "Dana  0:07" then "Save.": the last speaker's words, not a button
        end -= 1
    return lines[:end]


def _heading_like(line: str) -> bool:
    """A short line with no closing punctuation: a section heading between turns."""
    words = line.split()
    if not 3 <= len(words) <= 15 or len(line) > 120:
        return False
    core = line.rstrip("\"'”’»)]*")
    return bool(core) and core[-1] not in ".,;:?!…-—" and not line[0].islower()


@dataclass
class _Preamble:
    title: str | None = None
    prose: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    in_summary: bool = False


def _read_preamble(
    b: TranscriptBuilder, lines: list[str], *, monologue: bool = False, title: str | None = None
) -> list[str]:
    """Fill title, metadata, date, summary and notes; return the lines that are not preamble.

    Everything up to the first label is preamble when there is dialogue; for a
    monologue (no labels), the preamble ends at the first paragraph of prose
    that follows the header, and the rest is returned as the speech. ``title``
    is the front matter's: then a ``# Prepared remarks`` heading is a section of
    the page, kept as a heading turn (unless it only repeats the title).
    """
    state = _Preamble(title=title)
    blocks = _blocks(lines)
    for n, block in enumerate(blocks):
        first = block[0]
        heading = match_heading(first)
        summary_rest = match_summary_start(first)
        if summary_rest is not None and not state.summary:
            state.in_summary = True
            if summary_rest:
                state.summary.append(summary_rest)
            _add_summary(state, block[1:])
            continue
        if heading and state.title is None and heading[0] == 1:
            state.title = heading[1]
            block = block[1:]
        elif heading and title is not None and heading[0] == 1 and not state.prose:
            if _unquote(heading[1]).casefold() != title.casefold():
                b.add("heading", heading[1])
            block = block[1:]
            if not block:
                continue
        remaining: list[str] = []
        for line in block:
            meta = match_metadata(line)
            if meta:
                key, value, is_date = meta
                b.metadata[key] = value
                if is_date and b.date is None:
                    b.date = parse_date(value)
                continue
            remaining.append(line)
        if not remaining:
            continue
        note = match_note(remaining[0])
        if note is not None and not remaining[0].casefold().startswith(("editor", "[editor")):
            b.add("note", "\n".join([note, *remaining[1:]]))
            continue
        if state.in_summary:
            if heading or (remaining[0].endswith(":") and len(remaining[0].split()) <= 5):
                state.in_summary = False  # "Conversation summary:" ends the TL;DR
            else:
                _add_summary(state, remaining)
                continue
        if (
            state.title is None
            and not state.prose
            and len(remaining) == 1
            and len(remaining[0].split()) <= 25
            and remaining[0][-1] not in ".,;"
            and not _STAMP.match(remaining[0])  # "0:00" heads a timed export: not a title
        ):
            state.title = remaining[0].lstrip("# ")
            continue
        only = " ".join(remaining)
        if len(only.split()) <= 6 and (found := parse_date(only)):
            b.date = b.date or found
            continue
        if monologue:
            rest = [line for blk in blocks[n:] for line in [*blk, ""]]
            _finish(b, state)
            return rest
        state.prose.append("\n".join(remaining))
    _finish(b, state)
    return []


def _add_summary(state: _Preamble, lines: list[str]) -> None:
    for line in lines:
        item = _BULLET.sub("", line).strip()
        if item:
            state.summary.append(item)


def _finish(b: TranscriptBuilder, state: _Preamble) -> None:
    title = _unquote(state.title or b.metadata.get("title") or b.metadata.get("video_title") or "")
    if title:
        b.title = title
    if state.summary:
        b.source_summary = "\n".join(state.summary)
    if state.prose:
        b.metadata["preamble"] = "\n\n".join(state.prose)


def _unquote(title: str) -> str:
    if len(title) > 1 and _QUOTES.get(title[0]) == title[-1]:
        return title[1:-1].strip()  # '# "Prepared remarks"': the quotes are the page's
    return title


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [blk for blk in blocks if blk]


def _read_dialogue(b: TranscriptBuilder, lines: list[str], labels: dict[int, LabelLine]) -> None:
    speaker: str | None = None  # who is speaking now
    opened = False  # a label was seen and its turn has no text yet
    time: float | None = None
    para: list[str] = []
    para_kind = "speech"
    # A note in the middle of a speaker's turn is placed right after that turn, so
    # the turn stays whole (a question split by a footnote is still one question).
    deferred: list[str] = []
    # An author's summary after the dialogue ("## Key takeaways"): kept apart, like one
    # before it, until the next speaker label.
    summary: list[str] | None = None

    def emit_deferred() -> None:
        for note in deferred:
            b.add("note", note)
        deferred.clear()

    def flush() -> None:
        nonlocal para, opened, para_kind
        text = "\n".join(para)
        para = []
        kind, para_kind = para_kind, "speech"
        if not text:
            return
        if summary is not None and kind == "speech":
            summary.extend(x for x in (_BULLET.sub("", ln).strip() for ln in text.split("\n")) if x)
            return
        in_turn = not opened and b.last_kind == "speech" and b.last_speaker == speaker
        if kind == "note" and in_turn:
            deferred.append(text)
        elif kind == "note" or speaker is None:
            emit_deferred()
            b.add("note", text)
        elif in_turn:
            b.append_to_last(text)
        else:
            emit_deferred()
            b.add("speech", text, speaker, time_start=time)
            opened = False

    for i, line in enumerate(lines):
        if not line:
            flush()
            continue
        label = labels.get(i)
        if label is not None:
            flush()
            _end_summary(b, summary)
            summary = None
            time = label.time
            if label.label != CONTINUE:
                speaker = b.speaker(_speaker_label(label))
                # The same label twice in a row continues the turn (a page break in the source).
                opened = not (b.last_kind == "speech" and b.last_speaker == speaker)
            else:  # a time stamp alone: a new turn, by whoever was speaking
                speaker = speaker or b.speaker(UNKNOWN_SPEAKER)
                opened = True
            if opened:
                emit_deferred()
            if label.text:
                para.append(label.text)
            continue
        heading = match_heading(line)
        note = match_note(line)
        if not para and (
            (heading and match_summary_start(heading[1]) == "")
            or line.rstrip(":").strip("*# ").casefold() in _SUMMARY_TITLES
        ):
            flush()
            emit_deferred()
            _end_summary(b, summary)
            summary = []
            continue
        if heading is not None:
            flush()
            emit_deferred()
            _end_summary(b, summary)
            summary = None
            b.add("heading", heading[1])
            continue
        if note is not None:
            flush()
            para_kind = "note"
            para.append(note)
            continue
        if para or not _is_heading_between_turns(lines, i, labels, opened):
            para.append(line)
            continue
        emit_deferred()
        b.add("heading", line)
    flush()
    emit_deferred()
    _end_summary(b, summary)


def _end_summary(b: TranscriptBuilder, summary: list[str] | None) -> None:
    if summary:
        b.source_summary = "\n".join(filter(None, [b.source_summary, *summary]))


def _is_heading_between_turns(
    lines: list[str], i: int, labels: dict[int, LabelLine], opened: bool
) -> bool:
    """A lone short line, after a finished turn, right before a speaker label."""
    if opened or not _heading_like(lines[i]):
        return False
    if i + 1 < len(lines) and lines[i + 1]:
        return False  # more lines in the same paragraph: prose
    nxt = next((j for j in range(i + 1, len(lines)) if lines[j]), None)
    return nxt is not None and nxt in labels


# Press transcripts print an unnamed reporter's question as "Q": who asked is not
# known, only that a member of the press did. "Reporter" says that in a brief; the
# role keeps the source's own label visible in the speakers list.
_QUESTIONER = "Reporter (Q)"


def _speaker_label(label: LabelLine) -> str:
    return _QUESTIONER if label.label.strip("*_ ") == "Q" else label.label


def read_text(text: str, *, source: str, fmt: str = "text") -> Transcript:
    """Read a plain-text or Markdown transcript (already decoded)."""
    front, text = split_front_matter(text)
    lines = [line.strip() for line in normalize_lines(text)]
    if fmt != "html":  # the HTML reader's parser has already decoded its markup
        # Markdown's own rules decode entities and inline HTML; plain text only when it
        # is escaped markup throughout (else a typed "&amp;" is the speaker's).
        markup = fmt == "markdown" or is_markup(text)
        lines = [clean_line(line, markup=markup).strip() for line in lines]
    # A horizontal rule ("---", "* * *") is layout: a paragraph break, never a title or speech.
    lines = ["" if _RULE.match(line) else line for line in lines]
    # Hard wraps joined before labels are chosen (a turn's wrapped lines would hide the
    # next label's position) and before trailing junk goes (a wrapped disclaimer is one).
    lines = _strip_trailing_junk(join_wrapped(rewrite_shapes(lines)))
    b = TranscriptBuilder(format=fmt, source=source)
    if front is not None:
        b.metadata.update(front.metadata)
        b.date = front.date
        b.warnings.extend(front.warnings)
        for label in front.speakers:  # roles recorded, bare first names resolved to them
            b.speaker(label)
    labels = accepted_labels(lines, named=front.speakers if front else ())
    if labels and all(lab.label == CONTINUE for lab in labels.values()):
        # Time stamps but no names: one speaker's monologue, each stamp a turn.
        labels[min(labels)] = LabelLine(
            MONOLOGUE_SPEAKER, MONOLOGUE_SPEAKER, labels[min(labels)].text,
            labels[min(labels)].time, True,
        )
        b.warnings.append(_MONOLOGUE_WARNING)
    if labels:
        start = min(labels)
        _read_preamble(b, lines[:start], title=front.title if front else None)
        _read_dialogue(b, lines[start:], {i - start: lab for i, lab in labels.items()})
    else:
        rest = _read_preamble(b, lines, monologue=True, title=front.title if front else None)
        b.speaker(MONOLOGUE_SPEAKER)
        _read_dialogue(b, [f"{MONOLOGUE_SPEAKER}:", *rest], {0: _MONOLOGUE_LABEL})
        if b.speech_count:
            b.warnings.append(_MONOLOGUE_WARNING)
    if not b.speech_count:
        raise EmptySource(f"{source}: no dialogue found (no text after the title and metadata)")
    if front is not None and front.title:
        b.title = front.title  # the page's own title wins over a "# Prepared remarks" heading
    return b.build()


_MONOLOGUE_WARNING = (
    "no speaker labels found: read as one speaker's monologue "
    f"(attributed to '{MONOLOGUE_SPEAKER}')"
)
_MONOLOGUE_LABEL = LabelLine(MONOLOGUE_SPEAKER, MONOLOGUE_SPEAKER, "", None, True)


def normalize_lines(text: str) -> list[str]:
    # Zero-width characters and BOMs left inside pasted text break label matching.
    text = text.replace("\ufeff", "").replace("\u200b", "").replace("\u00a0", " ")
    return text.split("\n")
