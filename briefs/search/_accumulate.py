"""Query-time scoring steps of the BM25 index (``briefs.search._index``).

The exact path of ``BM25Index``: every posting of a query term adds its
rank-bm25 contribution into a dense per-row accumulator, optionally only the
postings inside some row ranges (a few transcripts: ``group_runs`` records
each group's ranges as passages are added, ``join_ranges`` gives the sorted
ranges ``clip`` reads), and the rows touched are then collected once each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

import numpy as np

from briefs.search._tiers import K1

__all__ = ["add_term", "clip", "distinct_rows", "group_runs", "join_ranges"]


def add_term(
    acc: np.ndarray, norm: np.ndarray, docs: np.ndarray, tfs: np.ndarray, idf: float
) -> None:
    """Add one term's postings ``(docs, tfs)`` into ``acc`` (rows), given the
    rows' length norms and the term's idf."""
    # BM25Okapi.get_scores:
    #   idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)))
    # computed in place, same IEEE operations (so the same bits).
    part = tfs.astype(np.float64)
    den = norm[docs]
    den += part
    part *= K1 + 1
    part /= den
    part *= idf
    acc[docs] += part


def clip(
    docs: np.ndarray, tfs: np.ndarray, within: Sequence[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """The postings whose rows fall in ``within`` (rows ascend in a posting list)."""
    bounds = np.searchsorted(docs, np.asarray(within, dtype=np.int64).ravel())
    if len(bounds) == 2:
        return docs[bounds[0] : bounds[1]], tfs[bounds[0] : bounds[1]]
    first, stop = bounds[0::2], bounds[1::2]
    sizes = stop - first
    # positions first[i] .. stop[i] - 1 of every range, in one array
    skip = np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
    keep = skip + np.arange(int(sizes.sum()), dtype=np.int64)
    return docs[keep], tfs[keep]


def distinct_rows(touched: list[np.ndarray], slot: np.ndarray) -> np.ndarray:
    """Every row of ``touched`` (a row appears at most once per array) once,
    using ``slot`` (one int64 per row) as scratch."""
    cand = touched[0] if len(touched) == 1 else np.concatenate(touched)
    if len(touched) > 1:
        # Keep one occurrence per row without sorting: whichever position
        # the scatter kept for a row is the one that matches itself.
        pos = np.arange(len(cand), dtype=np.int64)
        slot[cand] = pos
        cand = cand[slot[cand] == pos]
    return cand


def group_runs(groups: np.ndarray, row0: int) -> Iterator[tuple[int, int, int]]:
    """``(group, lo, hi)`` for each run of equal groups, rows counted from ``row0``."""
    n = len(groups)
    cuts = [0, *(np.flatnonzero(groups[1:] != groups[:-1]) + 1).tolist(), n]
    for lo, hi in pairwise(cuts):
        yield int(groups[lo]), row0 + lo, row0 + hi


def join_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row ranges sorted, adjacent ones joined (the ``within`` of ``clip``)."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and out[-1][1] == lo:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out
