"""The TL;DR: a handful of claims that together cover the whole conversation.

Sentences are scored by how much of the conversation's own vocabulary they
carry (content terms weighted by how often the conversation returns to them),
per word, so a long ramble does not win on length alone. Only sentences that
read on their own are eligible: statements, not questions, without an opening
that points back at something unsaid. Answers carry the claims, so in an
interview the host's sentences count for less.

Coverage comes from the segments: bullets are taken round-robin from the
segments (the largest first), each time the best sentence not already said by
another bullet, so a two-hour meeting is not summarised by its first minutes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from briefs._brief_segments import Segment
from briefs._brief_sentences import Candidate, is_self_contained

__all__ = ["MAX_BULLETS", "MIN_BULLETS", "pick_tldr", "term_weights"]

MIN_BULLETS = 5
MAX_BULLETS = 8
WORDS_PER_BULLET = 1500
MIN_WORDS = 7
MAX_WORDS = 45
HOST_WEIGHT = 0.5
LENGTH_EXPONENT = 0.6
REDUNDANCY = 0.5  # a bullet sharing this share of its terms with a chosen one is a repeat


def term_weights(cands: Sequence[Candidate]) -> dict[str, float]:
    """Weight of each content term: log of how often the conversation uses it.

    Terms said once are noise for a summary of the whole; they weigh nothing.
    """
    counts = Counter(s for c in cands for s in set(c.stems))
    return {t: math.log(n) for t, n in counts.items() if n > 1}


def score(c: Candidate, weights: dict[str, float], host: str | None) -> float:
    """How well ``c`` speaks for the conversation; 0 for a sentence a bullet cannot be."""
    if c.question or not (MIN_WORDS <= c.n_words <= MAX_WORDS):
        return 0.0
    if not is_self_contained(c.text):
        return 0.0
    mass = sum(weights.get(t, 0.0) for t in set(c.stems))
    s = mass / (c.n_words**LENGTH_EXPONENT)
    if host is not None and c.speaker == host:
        s *= HOST_WEIGHT
    return s


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def pick_tldr(
    segments: Sequence[Segment],
    cands: Sequence[Candidate],
    host: str | None,
    *,
    words: int | None = None,
) -> list[Candidate]:
    """The TL;DR sentences, in transcript order.

    Without ``words``: between ``MIN_BULLETS`` and ``MAX_BULLETS`` bullets (fewer
    only when the conversation has fewer good sentences). With ``words``: as
    many bullets as fit in that many words (at most ``MAX_BULLETS`` + 4).
    """
    weights = term_weights(cands)
    ranked: list[list[tuple[float, Candidate]]] = []
    for seg in segments:
        scored = [(score(c, weights, host), c) for c in seg.candidates]
        ranked.append(sorted((x for x in scored if x[0] > 0), key=lambda x: (-x[0], x[1].order)))
    # Largest segments first: they hold most of the conversation.
    seg_order = sorted(range(len(segments)), key=lambda i: -len(segments[i].candidates))
    target = MAX_BULLETS if words is None else MAX_BULLETS + 4
    # Longer conversations get more bullets: one per segment or per
    # ``WORDS_PER_BULLET`` words, whichever is more, within 5-8.
    total = sum(c.n_words for c in cands)
    per_length = max(len(segments), round(total / WORDS_PER_BULLET))
    want = max(MIN_BULLETS, min(MAX_BULLETS, per_length)) if words is None else target
    chosen: list[Candidate] = []
    chosen_terms: list[set[str]] = []
    used_words = 0
    cursor = [0] * len(segments)
    progress = True
    while len(chosen) < want and progress:
        progress = False
        for i in seg_order:
            if len(chosen) >= want:
                break
            while cursor[i] < len(ranked[i]):
                _s, c = ranked[i][cursor[i]]
                cursor[i] += 1
                terms = set(c.stems)
                if any(_overlap(terms, t) >= REDUNDANCY for t in chosen_terms):
                    continue
                if c.text.casefold() in {x.text.casefold() for x in chosen}:
                    continue
                if words is not None and used_words + c.n_words > words:
                    continue
                chosen.append(c)
                chosen_terms.append(terms)
                used_words += c.n_words
                progress = True
                break
    return sorted(chosen, key=lambda c: c.order)
