"""Scores for the brief evaluation: ROUGE for summaries, boundary metrics for segments.

A segmentation of ``n`` units (speech turns) is given as the set of unit
indexes where a new segment *starts*, excluding 0: ``{3, 7}`` over 10 turns
means segments ``0-2``, ``3-6`` and ``7-9``. Gold and predicted boundaries are
both written that way, so every metric here compares like with like.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "TOLERANCE",
    "BoundaryScore",
    "RougeScore",
    "boundary_f1",
    "clip_boundaries",
    "default_k",
    "pk",
    "rouge",
    "scale_tolerance",
    "score_boundaries",
    "truncate_words",
    "uniform_boundaries",
    "window_diff",
]

TOLERANCE = 3
"""A predicted boundary counts when it lies within this many turns of a gold one."""


@dataclass(frozen=True, slots=True)
class RougeScore:
    """ROUGE F-measures (``rouge-score``, Porter stemming)."""

    r1: float
    r2: float
    rl: float


@dataclass(frozen=True, slots=True)
class BoundaryScore:
    """How one predicted segmentation agrees with the gold one."""

    f1: float
    precision: float
    recall: float
    pk: float
    window_diff: float
    scale_f1: float
    """Boundary F1 within half the mean gold segment length (:func:`scale_tolerance`):
    the strict 3-turn window says little about meetings of 1,000 turns."""
    predicted: float
    """Boundaries drawn (a mean per document in aggregates)."""
    gold: float


def clip_boundaries(boundaries: Iterable[int], n: int) -> list[int]:
    """Sorted, distinct boundaries strictly inside ``1..n-1`` (others mean nothing)."""
    return sorted({b for b in boundaries if 0 < b < n})


def uniform_boundaries(n: int, segments: int) -> list[int]:
    """``segments`` segments of (near) equal length over ``n`` units.

    The "uniform" baseline: it is told the true number of segments, which our
    segmenter must choose for itself.
    """
    if n <= 0 or segments <= 1:
        return []
    segments = min(segments, n)
    return clip_boundaries((round(n * i / segments) for i in range(1, segments)), n)


def boundary_f1(
    predicted: Iterable[int], gold: Iterable[int], *, tolerance: int = TOLERANCE
) -> tuple[float, float, float]:
    """Precision, recall and F1 of boundaries, one-to-one within ``tolerance`` units.

    Each gold boundary can be matched once. Matching left to right, each
    prediction taking the earliest unmatched gold boundary in reach, gives a
    maximum matching for intervals on a line, so the score never depends on
    the order ties are broken in. Both empty is a perfect score: nothing to
    find, nothing drawn.
    """
    pred = sorted(set(predicted))
    ref = sorted(set(gold))
    if not pred and not ref:
        return 1.0, 1.0, 1.0
    used = [False] * len(ref)
    matched = 0
    for p in pred:
        for j, g in enumerate(ref):
            if not used[j] and abs(g - p) <= tolerance:
                used[j] = True
                matched += 1
                break
    precision = matched / len(pred) if pred else 0.0
    recall = matched / len(ref) if ref else 0.0
    f1 = 2 * precision * recall / (precision + recall) if matched else 0.0
    return precision, recall, f1


def _marks(boundaries: Iterable[int], n: int) -> list[int]:
    marks = [0] * n
    for b in clip_boundaries(boundaries, n):
        marks[b] = 1
    return marks


def default_k(gold: Sequence[int], n: int) -> int:
    """Half the mean gold segment length (Beeferman et al.), at least 1."""
    segments = len(clip_boundaries(gold, n)) + 1
    return max(1, round(n / (2 * segments)))


def scale_tolerance(gold: Sequence[int], n: int) -> int:
    """The scale-relative matching window: half the mean gold segment length.

    It is the ``k`` of Pk, so a hit means "in the right half of the segment";
    a boundary placed by arithmetic (uniform) still scores well only where
    the gold segments are of equal length.
    """
    return default_k(gold, n)


def pk(predicted: Iterable[int], gold: Iterable[int], n: int, k: int | None = None) -> float:
    """Pk: how often a window of ``k`` units is judged differently (0 is perfect).

    For each window position, both segmentations say whether the window holds
    a boundary; Pk is the share of positions where they disagree. It matches
    ``nltk.metrics.segmentation.pk`` over the same boundary marks.
    """
    return _window_disagreement(predicted, gold, n, k, lambda r, h: (r > 0) != (h > 0))


def window_diff(
    predicted: Iterable[int], gold: Iterable[int], n: int, k: int | None = None
) -> float:
    """WindowDiff: share of windows whose boundary *counts* differ (0 is perfect)."""
    return _window_disagreement(predicted, gold, n, k, lambda r, h: r != h)


def _window_disagreement(
    predicted: Iterable[int],
    gold: Iterable[int],
    n: int,
    k: int | None,
    differ: Callable[[int, int], bool],
) -> float:
    """Share of the ``n - k + 1`` windows where ``differ(gold count, predicted count)``.

    Pk and WindowDiff slide the same window and differ only in what counts as
    a disagreement (any boundary vs. the number of boundaries).
    """
    gold = list(gold)
    k = default_k(gold, n) if k is None else k
    ref, hyp = _marks(gold, n), _marks(predicted, n)
    windows = n - k + 1
    if windows <= 0:
        return 0.0
    errors = sum(differ(sum(ref[i : i + k]), sum(hyp[i : i + k])) for i in range(windows))
    return errors / windows


def score_boundaries(
    predicted: Iterable[int], gold: Iterable[int], n: int, *, tolerance: int = TOLERANCE
) -> BoundaryScore:
    """All boundary metrics for one document of ``n`` units."""
    pred = clip_boundaries(predicted, n)
    ref = clip_boundaries(gold, n)
    precision, recall, f1 = boundary_f1(pred, ref, tolerance=tolerance)
    return BoundaryScore(
        f1=f1,
        precision=precision,
        recall=recall,
        pk=pk(pred, ref, n),
        window_diff=window_diff(pred, ref, n),
        scale_f1=boundary_f1(pred, ref, tolerance=scale_tolerance(ref, n))[2],
        predicted=len(pred),
        gold=len(ref),
    )


_WORD = re.compile(r"\S+")


def truncate_words(text: str, budget: int) -> str:
    """The first ``budget`` whitespace-separated words of ``text``."""
    return " ".join(_WORD.findall(text)[:budget])


@lru_cache(maxsize=1)
def _scorer() -> Any:
    # Imported lazily: rouge-score is an eval extra, not a runtime dependency.
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def rouge(candidate: str, reference: str) -> RougeScore:
    """ROUGE-1/2/L F-measures of ``candidate`` against ``reference``."""
    scores = _scorer().score(reference, candidate)
    return RougeScore(
        r1=scores["rouge1"].fmeasure, r2=scores["rouge2"].fmeasure, rl=scores["rougeL"].fmeasure
    )
