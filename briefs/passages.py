"""Passages: the unit that quotes, briefs and search point at.

A passage is a window of whole sentences inside one speech turn. Windows hold
up to ``MAX_WORDS`` words and overlap by one sentence, so a quote that spans a
window edge is still found whole in one of them; the search layer dedupes
sentences reached through two overlapping windows.

Notes and headings never become passages: they are never quoted.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from briefs.transcript import Transcript, Turn

__all__ = ["MAX_WORDS", "Passage", "Sentence", "make_passages", "split_sentences", "time_at"]

MAX_WORDS = 90


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with offsets into the text it was split from."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence-aligned window inside one speech turn.

    ``id`` is the store's id (global, stable); before storing it is ``seq``.
    ``start``/``end`` are offsets in ``Transcript.text``.
    """

    seq: int
    turn_index: int
    speaker: str
    text: str
    start: int
    end: int
    time: float | None = None
    id: int = -1


# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets)
# then whitespace, or at a line break. Common abbreviations and decimals do not
# end sentences: "Mr. Smith", "U.S. policy", "3.5 percent". The CJK enders
# 。！？ end a sentence with or without a space after them (Chinese and
# Japanese put none), after the last of a run ("真的吗？！") and its closing
# quotes or brackets ("「好。」").
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e",
    "inc", "ltd", "co", "corp", "no", "vol", "fig", "approx", "u.s", "u.k", "a.m", "p.m",
}
_CJK_ENDERS = "。！？｡"
_BOUNDARY = re.compile(
    r"(?<=[.!?…。！？｡])[\"'”’)\]]*(?=\s+|$)"
    rf"|(?<=[{_CJK_ENDERS}])(?![{_CJK_ENDERS}])[\"'”’)\]」』）》〉】〕]*"
    r"|\n"
)


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Split ``text`` into sentences; offsets are shifted by ``offset``."""
    sentences: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        chunk = text[start:end]
        if m.group(0) != "\n":
            last_word = chunk.rstrip("\"'”’)]").rstrip(".!?…").rsplit(None, 1)[-1:] or [""]
            if last_word[0].casefold().strip("(") in _ABBREV or (
                len(last_word[0]) == 1 and last_word[0].isalpha() and last_word[0].isupper()
            ):
                continue
        _append(sentences, text, start, end, offset)
        start = end
    _append(sentences, text, start, len(text), offset)
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int, offset: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    out.append(Sentence(stripped, s + offset, s + len(stripped) + offset))


def _windows(turn: Turn) -> list[list[Sentence]]:
    sentences = split_sentences(turn.text, turn.start)
    windows: list[list[Sentence]] = []
    i = 0
    while i < len(sentences):
        window = [sentences[i]]
        words = len(sentences[i].text.split())
        j = i + 1
        while j < len(sentences):
            n = len(sentences[j].text.split())
            if words + n > MAX_WORDS:
                break
            window.append(sentences[j])
            words += n
            j += 1
        windows.append(window)
        if j >= len(sentences):
            break
        # Overlap by one sentence, but always move forward.
        i = max(i + 1, j - 1)
    return windows


def time_at(
    marks: Sequence[tuple[int, float]], offset: int, default: float | None
) -> float | None:
    """When the words at ``offset`` were said: the last timed piece of the turn
    starting at or before it (``Turn.marks``), else ``default`` (the turn's start)."""
    i = bisect_right(marks, offset, key=lambda m: m[0]) if marks else 0
    return marks[i - 1][1] if i else default


def make_passages(transcript: Transcript) -> list[Passage]:
    """Cut every speech turn of ``transcript`` into overlapping sentence windows."""
    passages: list[Passage] = []
    for turn in transcript.turns:
        if turn.kind != "speech" or turn.speaker is None:
            continue
        for window in _windows(turn):
            start, end = window[0].start, window[-1].end
            seq = len(passages)
            passages.append(
                Passage(
                    seq=seq,
                    turn_index=turn.index,
                    speaker=turn.speaker,
                    text=transcript.text[start:end],
                    start=start,
                    end=end,
                    time=time_at(turn.marks, start, turn.time_start),
                    id=seq,
                )
            )
    return passages
