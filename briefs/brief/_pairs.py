"""A dangling sentence with the sentence before it: a bullet that reads on its own.

"That question now has an answer: text models can go all the way to AGI." is
a claim, but its "That" points back at the speaker's previous sentence, so on
its own it cannot be a bullet. Quoted together with that previous sentence
(same turn, right before it) it can: the quote still starts and ends at real
sentence ends, and the reader gets what "that" refers to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from briefs.brief._sentences import Candidate, clean, is_self_contained, leans_back
from briefs.brief._text import content_stems, words
from briefs.passages import Passage
from briefs.transcript import Transcript

__all__ = ["MAX_PAIR_WORDS", "with_previous"]

MAX_PAIR_WORDS = 45
"""A pair longer than this is too long for a bullet (the longest single sentence allowed)."""


def with_previous(
    transcript: Transcript, passages: Sequence[Passage], cands: Sequence[Candidate]
) -> list[Candidate]:
    """Candidates quoting a dangling sentence together with the one before it."""
    by_turn: dict[int, list[Passage]] = {}
    for p in passages:
        by_turn.setdefault(p.turn_index, []).append(p)
    out: list[Candidate] = []
    for prev, c in pairwise(cands):
        if (
            prev.turn_index != c.turn_index
            or not (prev.whole and c.whole)
            or prev.question
            or c.question
            or prev.n_words + c.n_words > MAX_PAIR_WORDS
            or not c.text
            or not leans_back(c.text)
            or not is_self_contained(prev.text)
        ):
            continue
        home = next(
            (p for p in by_turn.get(c.turn_index, ()) if p.start <= prev.start and c.end <= p.end),
            None,
        )
        if home is None:
            continue
        quote = transcript.text[prev.start : c.end]
        text = clean(quote)
        # The second sentence must read once the first is there: it may lean
        # back, but not trail off.
        if not text or not is_self_contained(text):
            continue
        out.append(
            replace(
                prev,
                quote=quote,
                end=c.end,
                passage_id=home.id,
                text=text,
                stems=content_stems(text),
                n_words=len(words(text)),
            )
        )
    return out
