"""Turning points: each segment's headline and pivotal quote, and marked changes.

A segment's headline comes from ``_headlines``. Its pivotal quote is the
sentence that carries most of the words that set the segment apart from the
rest of the conversation.

A *change* is a moment where a speaker says that something changed: "from 20%
to 80%", "for the first time", "we shut down", "a pivot", "no longer". Those
are found by pattern, not guessed, and listed under the segment they fall in.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from briefs.brief._headlines import headline
from briefs.brief._segments import Segment
from briefs.brief._sentences import CHANGE, Candidate
from briefs.brief._tldr import score as bullet_score

__all__ = ["CHANGE", "changes", "headline", "pivotal", "segment_weights"]

MAX_CHANGES = 8


def segment_weights(segments: Sequence[Segment]) -> list[dict[str, float]]:
    """Per segment, each term's tf-idf against the other segments."""
    tfs = [Counter(s for c in seg.candidates for s in c.stems) for seg in segments]
    df: Counter[str] = Counter()
    for tf in tfs:
        df.update(tf.keys())
    n = len(segments)
    return [
        {t: (1 + math.log(k)) * math.log(1 + n / df[t]) for t, k in tf.items() if k > 1 or n == 1}
        for tf in tfs
    ]


def pivotal(seg: Segment, weights: dict[str, float], host: str | None) -> Candidate | None:
    """The sentence that carries most of what sets this segment apart.

    Scored like a TL;DR bullet (readable, self-contained statements only) but
    with the segment's own distinctive terms; a segment with no such sentence
    falls back to its longest statement.
    """
    best: tuple[float, int] | None = None
    chosen: Candidate | None = None
    for c in seg.candidates:
        key = (bullet_score(c, weights, host), -c.order)
        if key[0] > 0 and (best is None or key > best):
            best, chosen = key, c
    if chosen is None and seg.candidates:
        chosen = max(seg.candidates, key=lambda c: (not c.question, c.n_words <= 45, c.n_words))
    return chosen


def changes(cands: Sequence[Candidate]) -> list[Candidate]:
    """Sentences where a speaker marks a change, strongest first, then in order."""
    found: list[tuple[int, Candidate]] = []
    seen: set[str] = set()
    for c in cands:
        if c.question or c.n_words < 6:
            continue
        hits = CHANGE.findall(c.quote)
        if not hits or c.text.casefold() in seen:
            continue
        seen.add(c.text.casefold())
        # Numbers ("from 20% to 80%") and explicit phrases beat a bare "used to".
        strength = len(hits) + sum(2 for h in hits if any(ch.isdigit() for ch in h))
        strength -= sum(1 for h in hits if h.lower() in {"used to", "anymore", "any more"})
        found.append((strength, c))
    found.sort(key=lambda x: (-x[0], x[1].order))
    return sorted((c for _s, c in found[:MAX_CHANGES]), key=lambda c: c.order)
