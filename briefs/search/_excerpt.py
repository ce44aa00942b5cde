"""Excerpts: the best-matching sentence window inside a passage.

An excerpt is an exact slice of the stored transcript text (``text[start:end]``),
at most ``MAX_CHARS`` characters, cut at word boundaries, with the matched words
as ``(start, end)`` spans relative to the excerpt. Sentences already shown in
an earlier hit (reached through an overlapping passage) are never shown again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from itertools import pairwise
from typing import NamedTuple

from briefs.passages import split_sentences
from briefs.tokenize import normalize_text, token_spans

__all__ = ["MAX_CHARS", "Excerpt", "find_phrase", "make_excerpt"]

MAX_CHARS = 300


class Excerpt(NamedTuple):
    text: str
    start: int
    """Offset in the transcript text."""
    end: int
    marks: tuple[tuple[int, int], ...]
    sentences: tuple[int, ...]
    """Start offsets (in the transcript) of the sentences it shows."""


def _fold(text: str) -> str:
    return normalize_text(text).casefold()


def find_phrase(text: str, phrase: str) -> list[tuple[int, int]]:
    """Case-insensitive verbatim matches of ``phrase`` in ``text`` (whitespace
    runs, curly quotes and dashes normalised), as spans in ``text``."""
    words = _fold(phrase).split()
    if not words:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    folded = _fold(text)
    if len(folded) != len(text):  # casefold changed lengths (ß -> ss): use lower()
        folded = normalize_text(text).lower()
        pattern = pattern.lower()
    return [(m.start(), m.end()) for m in re.finditer(pattern, folded)]


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


def make_excerpt(
    passage_text: str,
    passage_start: int,
    terms: Sequence[str],
    weight: Callable[[str], float],
    phrases: Collection[str] = (),
    shown: Collection[int] = (),
) -> Excerpt | None:
    """The excerpt of one passage, or None when every matching sentence was shown.

    ``weight(term)`` ranks sentences (the query's idf: rare words count more);
    ``shown`` holds transcript offsets of sentences already in earlier excerpts.
    """
    wanted = set(terms)
    pairs = set(pairwise(terms))
    sentences = [s for s in split_sentences(passage_text, passage_start) if s.start not in shown]
    if not sentences:
        return None
    scored: list[tuple[float, list[tuple[int, int]]]] = []
    for sent in sentences:
        spans = [(sp.start, sp.end, sp.term) for sp in token_spans(sent.text)]
        hits = [(s, e) for s, e, t in spans if t in wanted]
        matched = {t for _, _, t in spans if t in wanted}
        score = sum(weight(t) for t in matched)
        # Query words side by side ("unified AI layer") beat the same words apart.
        seq = [t for t in (sp[2] for sp in spans) if t in wanted]
        score += sum(min(weight(a), weight(b)) for a, b in pairwise(seq)
                     if (a, b) in pairs)
        for phrase in phrases:
            found = find_phrase(sent.text, phrase)
            hits.extend(found)
            score += 10.0 * bool(found)
        scored.append((score, hits))
    best = max(range(len(sentences)), key=lambda i: (scored[i][0], -i))
    if scored[best][0] <= 0:
        return None
    lo = hi = best
    # Grow the window with the better-scoring neighbour while it fits.
    while True:
        options = []
        if lo > 0:
            options.append((scored[lo - 1][0], 0, lo - 1))
        if hi + 1 < len(sentences):
            options.append((scored[hi + 1][0], 1, hi + 1))
        grown = False
        for _, side, i in sorted(options, reverse=True):
            a, b = (i, hi) if side == 0 else (lo, i)
            if sentences[b].end - sentences[a].start <= MAX_CHARS and b - a < 3:
                lo, hi = a, b
                grown = True
                break
        if not grown:
            break
    window = sentences[lo : hi + 1]
    start, end = window[0].start, window[-1].end
    text = passage_text[start - passage_start : end - passage_start]
    marks = [
        (sentences[i].start - start + s, sentences[i].start - start + e)
        for i in range(lo, hi + 1)
        for s, e in scored[i][1]
    ]
    if len(text) > MAX_CHARS:
        text, start, marks = _cut(text, start, marks)
    end = start + len(text)
    return Excerpt(text, start, end, _merge(marks), tuple(s.start for s in window))


def _cut(text: str, start: int, marks: list[tuple[int, int]]) -> tuple[str, int, list]:
    """Cut a long sentence to ``MAX_CHARS`` around its first match, at word boundaries."""
    first = min((s for s, _ in marks), default=0)
    lo = max(0, first - MAX_CHARS // 3)
    if lo > 0:
        space = text.rfind(" ", 0, lo + 1)
        lo = space + 1 if space >= 0 else 0
    hi = min(len(text), lo + MAX_CHARS)
    if hi < len(text):
        space = text.rfind(" ", lo, hi + 1)
        if space > lo:
            hi = space
    piece = text[lo:hi].rstrip()
    kept = [(s - lo, e - lo) for s, e in marks if s >= lo and e <= lo + len(piece)]
    return piece, start + lo, kept
