"""TextTiling over any run of units (sentences here): where the vocabulary changes.

The words just before a gap are compared with the words just after it (up to
``WINDOW_WORDS`` content words on each side, however many units that takes),
and the deepest dips in that similarity, plus the caller's cue bonuses, are
the boundaries. Distances are kept in content words, not units: a run of
"Yeah." sentences or two minutes of logistics holds few content words, so it
can hold at most one boundary, while a 10,000-word monologue is one unit
per sentence and can be cut anywhere.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

__all__ = ["WINDOW_WORDS", "depth_scores", "pick_boundaries"]

WINDOW_WORDS = 120  # content words compared on each side of a gap
SMOOTH = 1  # units averaged on each side, before and after the depths
MIN_GAP = 3  # places (turns) between boundaries, at the least
SPREAD = 3  # boundaries are at least 1/SPREAD of an even segment apart


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(v * large.get(k, 0) for k, v in small.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def _skips(stems: Sequence[Sequence[str]]) -> tuple[list[int], list[int]]:
    """For each unit, the nearest unit with stems at or after it, and at or before it
    (``len(stems)`` and ``-1`` when there is none)."""
    n = len(stems)
    after, before = [n] * (n + 1), [-1] * n
    for i in range(n - 1, -1, -1):
        after[i] = i if stems[i] else after[i + 1]
    last = -1
    for i in range(n):
        if stems[i]:
            last = i
        before[i] = last
    return after[:n], before


def _block(
    stems: Sequence[Sequence[str]], start: int, step: int, skips: tuple[list[int], list[int]]
) -> Counter[str]:
    """Up to ``WINDOW_WORDS`` stems from unit ``start`` walking by ``step``.

    Units without stems add nothing, so the walk jumps over them (``skips``):
    a run of thousands of "Yeah." sentences must not be walked from every gap.
    """
    out: Counter[str] = Counter()
    n = 0
    nearest = skips[0] if step > 0 else skips[1]
    i = nearest[start] if 0 <= start < len(stems) else start
    while 0 <= i < len(stems) and n < WINDOW_WORDS:
        out.update(stems[i])
        n += len(stems[i])
        i += step
        if 0 <= i < len(stems):
            i = nearest[i]
    return out


def _depths(sims: list[float]) -> list[float]:
    """Per gap, how far the similarity climbs back on both sides (TextTiling's depth).

    The climb from a gap stops where the next value drops; where it stops
    depends only on where it is, so each gap's peak is its neighbour's (one
    pass each way) instead of a walk over every plateau.
    """
    m = len(sims)
    left, right = list(sims), list(sims)
    for i in range(1, m):
        if sims[i - 1] >= sims[i]:
            left[i] = left[i - 1]
    for i in range(m - 2, -1, -1):
        if sims[i + 1] >= sims[i]:
            right[i] = right[i + 1]
    return [(left[g] - s) + (right[g] - s) for g, s in enumerate(sims)]


def _smooth(xs: list[float], width: int) -> list[float]:
    out = []
    for i in range(len(xs)):
        lo, hi = max(0, i - width), min(len(xs), i + width + 1)
        out.append(sum(xs[lo:hi]) / (hi - lo))
    return out


def depth_scores(stems: Sequence[Sequence[str]]) -> list[float]:
    """Depth of the similarity dip at every gap: ``out[g - 1]`` is the gap before unit ``g``."""
    n = len(stems)
    if n < 2:
        return []
    skips = _skips(stems)
    sims = [
        _cosine(_block(stems, g - 1, -1, skips), _block(stems, g, 1, skips)) for g in range(1, n)
    ]
    return _smooth(_depths(_smooth(sims, SMOOTH)), SMOOTH)


def pick_boundaries(
    stems: Sequence[Sequence[str]],
    bonus: Sequence[float],
    n_segments: int,
    min_words: float,
    places: Sequence[float] | None = None,
    eligible: Sequence[bool] | None = None,
) -> list[int]:
    """Units where a new segment starts (0 excluded), at most ``n_segments - 1`` of them.

    Only units marked ``eligible`` (all by default) can start a segment.
    Deepest first: a gap scores its depth plus ``bonus[g]`` (the caller's
    cues, for the gap before unit ``g``). Boundaries are kept apart, so one
    topic shift is not drawn twice: by a third of an even segment, measured
    in ``places`` (non-decreasing, one per unit, the unit index by default;
    a caller can count turns and a monologue's sentences alike), and by
    ``min_words`` content words, so a short stretch such as opening
    logistics is never more than one segment.
    """
    n = len(stems)
    if n_segments <= 1 or n < 4:
        return []
    place = list(places) if places is not None else [float(i) for i in range(n)]
    depth = depth_scores(stems)
    at = [0] * (n + 1)  # content words before unit g
    for i, s in enumerate(stems):
        at[i + 1] = at[i] + len(s)
    total, span = at[n], place[-1] - place[0] + 1
    min_gap = max(MIN_GAP, span / (n_segments * SPREAD))
    scores = sorted(
        ((depth[g - 1] + bonus[g], g) for g in range(1, n) if eligible is None or eligible[g]),
        key=lambda x: (-x[0], x[1]),
    )
    chosen: list[int] = []
    for _score, g in scores:
        if place[g] - place[0] < min_gap or place[-1] + 1 - place[g] < min_gap:
            continue
        if at[g] < min_words or total - at[g] < min_words:
            continue
        if all(
            abs(place[g] - place[c]) >= min_gap and abs(at[g] - at[c]) >= min_words for c in chosen
        ):
            chosen.append(g)
            if len(chosen) == n_segments - 1:
                break
    return sorted(chosen)
