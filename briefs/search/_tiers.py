"""Exact top-k for queries of frequent terms: impact tiers with safe bounds.

Scoring every posting of two or three frequent terms (100k+ postings each at
1M passages) costs milliseconds of gather/scatter. Instead, each segment keeps,
for every term with many postings, a *tier*: the positions of its
highest-impact postings (high tf, short passage) and, for the rest, the
shortest passage per tf value. The rest's largest weight
``tf * (k1 + 1) / (tf + norm)`` follows from that table under the current
avgdl (the weight only falls as a passage gets longer), so tiers never go
stale: adds and removals change avgdl, not which bound is safe.

A query scores the candidates (tier postings of frequent terms, every posting
of the others) exactly, with the same IEEE operations as the full scorer,
finding their other terms' weights in one pass over those terms' postings.
A passage outside the candidates scores at most ``U``, the sum of
``idf * rest bound`` over the query terms (float rounding is monotone, so the
computed sum bounds the computed score). When the k-th candidate score beats ``U`` strictly, no
outside passage can enter the top-k or tie with it: the answer is exact.

When it does not (typically: the best passages hold every word once, at
tf 1, like the rest), the passages holding every word join the candidates;
a passage still left out lacks some word, so ``U`` drops that word's term.
After that, the rarest bounded word joins whole (MaxScore's essential list)
until the bound holds or every posting is a candidate.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from briefs.search._segments import Segment

__all__ = ["K1", "TIER_MIN", "B", "Tier", "build_tiers", "length_norm", "pruned_top", "weights"]

K1 = 1.5
B = 0.75
TIER_MIN = 4096  # a term's postings in a segment before it gets a tier
TIER_SHARE = 32  # a tier holds 1/32 of the term's postings ...
TIER_DEPTH_MIN = 1024  # ... and at least this many
_SEARCH_RATIO = 16  # look candidates up by binary search in lists 16x longer
_ALL_TERMS_MAX = 8  # intersect the words' postings for queries of up to 8 words
_INT_MAX = np.iinfo(np.int64).max


class Tier(NamedTuple):
    """One term's high-impact postings in one segment, and the rest's bound."""

    pos: np.ndarray  # int32 positions in the term's postings slice, ascending
    rest_tf: np.ndarray  # tf values among the other postings
    rest_len: np.ndarray  # int64, the shortest passage holding the term that often


def length_norm(lengths: np.ndarray, avgdl: float) -> np.ndarray:
    """rank-bm25's ``k1 * (1 - b + b * doc_len / avgdl)``, same operation order."""
    return K1 * (1 - B + B * lengths / avgdl)


def weights(tfs: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """``tf * (k1 + 1) / (tf + norm)`` per posting: the factor rank-bm25
    multiplies by idf, with its IEEE operations (so ``idf * w`` has its bits)."""
    part = tfs.astype(np.float64)
    den = norms + part
    part *= K1 + 1
    part /= den
    return part


def _depth(n: int) -> int:
    return min(n, max(TIER_DEPTH_MIN, n // TIER_SHARE))


def build_tiers(seg: Segment, lengths: np.ndarray) -> dict[int, Tier]:
    """Tiers for every term with at least ``TIER_MIN`` postings in ``seg``.

    ``lengths`` holds every row's passage length. Which postings count as
    high-impact uses the segment's own average length: a choice, not a bound.
    """
    counts = np.diff(seg.offsets)
    hot = np.flatnonzero(counts >= TIER_MIN)
    if len(hot) == 0:
        return {}
    avg = float(lengths[seg.row_lo : seg.row_hi].mean()) or 1.0
    tiers: dict[int, Tier] = {}
    for tid in hot.tolist():
        lo, hi = int(seg.offsets[tid]), int(seg.offsets[tid + 1])
        n = hi - lo
        tfs = seg.tfs[lo:hi]
        lens = lengths[seg.docs[lo:hi]]
        key = weights(tfs, length_norm(lens, avg))
        depth = _depth(n)
        rest = np.ones(n, dtype=np.bool_)
        rest[np.argpartition(key, n - depth)[n - depth :]] = False
        rtf = tfs[rest].astype(np.int64)
        best = np.full(int(rtf.max()) + 1 if len(rtf) else 0, _INT_MAX, dtype=np.int64)
        np.minimum.at(best, rtf, lens[rest])
        present = np.flatnonzero(best < _INT_MAX)
        tiers[tid] = Tier(np.flatnonzero(~rest).astype(np.int32), present, best[present])
    return tiers


def pruned_top(
    segments: list[Segment], occurrences: list[tuple[int, float]], k: int, *,
    norm: np.ndarray, live: np.ndarray, avgdl: float, mark: np.ndarray, slot: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, scores) holding the exact top-k (score descending; ties at the
    k-th score all included, unsorted). ``occurrences`` are the query's
    (term id, idf) in query order, repeats included, every idf > 0.
    ``mark`` (int8) and ``slot`` (int64) are per-row scratch; ``mark`` is all
    zeros on entry and on return."""
    distinct = list(dict.fromkeys(t for t, _ in occurrences))
    lists: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    rest: dict[int, float] = {}
    size: dict[int, int] = {}
    first: list[np.ndarray] = []
    for tid in distinct:
        bound = 0.0
        found = []
        for seg in segments:
            p = seg.postings(tid)
            if p is None:
                continue
            found.append(p)
            tier = seg.tiers.get(tid) if seg.tiers is not None else None
            if tier is None:
                first.append(p[0])
                continue
            first.append(p[0][tier.pos])
            if len(tier.rest_tf):
                w = weights(tier.rest_tf, length_norm(tier.rest_len, avgdl))
                bound = max(bound, float(w.max()))
        lists[tid], rest[tid] = found, bound
        size[tid] = sum(len(d) for d, _ in found)

    batches: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    took_all = False
    try:
        batch = _claim(first, mark)
        while True:
            batches.append(batch)
            s = _score(batch, occurrences, lists, norm, mark, slot)
            mark[batch] = 2
            keep = live[batch] & (s > 0)
            rows.append(batch[keep])
            scores.append(s[keep])
            # Every passage outside the candidates scores at most `ceiling`.
            ceiling = _ceiling(occurrences, rest, lacks_one=took_all)
            have = np.concatenate(scores)
            if ceiling <= 0.0:
                break
            if len(have) >= k:
                kth = np.partition(have, len(have) - k)[len(have) - k]
                if kth > ceiling:
                    break
            if not took_all and 1 < len(distinct) <= _ALL_TERMS_MAX:
                # Not proven, typically because the best passages hold every
                # word once: score the passages holding every word, then a
                # passage left out lacks at least one word (and its bound).
                took_all = True
                batch = _claim([_holding_all(lists, sorted(distinct, key=size.__getitem__),
                                             mark)], mark)
                continue
            # Still not proven: take the rarest bounded term whole (MaxScore's
            # essential list); passages without it lose its bound.
            tid = min((t for t in distinct if rest[t] > 0), key=size.__getitem__)
            rest[tid] = 0.0
            batch = _claim([d for d, _ in lists[tid]], mark)
    finally:
        for b in batches:
            mark[b] = 0
    cand, have = np.concatenate(rows), np.concatenate(scores)
    if len(have) > k:
        kth = np.partition(have, len(have) - k)[len(have) - k]
        sel = have >= kth
        cand, have = cand[sel], have[sel]
    return cand, have


def _ceiling(occurrences: list[tuple[int, float]], rest: dict[int, float], *,
             lacks_one: bool) -> float:
    """The most a passage outside the candidates can score: the sum of
    ``idf * rest bound`` in the scorer's order (rounding is monotone, so the
    computed sum bounds the computed score); with ``lacks_one``, the largest
    such sum without one of the words."""
    if not lacks_one:
        return _bound_sum(occurrences, rest, None)
    return max(_bound_sum(occurrences, rest, t) for t in dict.fromkeys(t for t, _ in occurrences))


def _bound_sum(occurrences: list[tuple[int, float]], rest: dict[int, float],
               without: int | None) -> float:
    total = 0.0
    for tid, idf in occurrences:
        total += idf * (0.0 if tid == without else rest[tid])
    return total


def _holding_all(
    lists: dict[int, list[tuple[np.ndarray, np.ndarray]]], order: list[int], mark: np.ndarray
) -> np.ndarray:
    """Rows holding every term of ``order`` (rarest first). Bit 4 of ``mark``
    flags the rows so far (its states use 0-2), cleared again after each step."""
    cur = np.concatenate([d for d, _ in lists[order[0]]])
    for tid in order[1:]:
        mark[cur] |= 4
        nxt = [docs[(mark[docs] & 4) != 0] for docs, _ in lists[tid]]
        mark[cur] &= ~np.int8(4)
        cur = np.concatenate(nxt) if nxt else cur[:0]
        if len(cur) == 0:
            break
    return cur


def _claim(parts: list[np.ndarray], mark: np.ndarray) -> np.ndarray:
    """The rows of ``parts`` not yet candidates, each once, marked 1."""
    new = []
    for rows in parts:
        fresh = rows[mark[rows] == 0]
        mark[fresh] = 1
        new.append(fresh)
    return np.concatenate(new) if new else np.zeros(0, dtype=np.int32)


def _score(
    batch: np.ndarray, occurrences: list[tuple[int, float]],
    lists: dict[int, list[tuple[np.ndarray, np.ndarray]]],
    norm: np.ndarray, mark: np.ndarray, slot: np.ndarray,
) -> np.ndarray:
    """Exact scores of the rows marked 1 (``batch``), in batch order."""
    slot[batch] = np.arange(len(batch))
    found: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    for tid, postings in lists.items():
        found[tid] = []
        for docs, tfs in postings:
            if len(batch) * _SEARCH_RATIO < len(docs):
                # Few candidates, a long list: binary search beats a pass.
                pos = np.searchsorted(docs, batch)
                np.minimum(pos, len(docs) - 1, out=pos)
                idx = np.flatnonzero(docs[pos] == batch)
                at = pos[idx]
                found[tid].append((idx, weights(tfs[at], norm[docs[at]])))
                continue
            at = np.flatnonzero(mark[docs] == 1)
            hit = docs[at]
            found[tid].append((slot[hit], weights(tfs[at], norm[hit])))
    out = np.zeros(len(batch), dtype=np.float64)
    for tid, idf in occurrences:
        # The full scorer's acc[docs] += w * idf, in query order: same bits.
        for idx, w in found[tid]:
            out[idx] += w * idf
    return out
