"""An in-memory BM25Okapi index over passages, exact to rank-bm25 and fast at 1M.

Scores are rank-bm25's ``BM25Okapi.get_scores`` (k1=1.5, b=0.75, epsilon=0.25),
computed only for passages that hold a query term: a term absent from a
passage adds exactly 0.0 there, so skipping it changes no bit of any score.

Layout (numpy, no Python object per passage or per posting):

- a vocabulary ``term -> id`` and ``df[id]``, the number of live passages
  holding the term;
- per passage ("row", in insertion order): passage id, length in terms, group
  (the transcript), tag (the speaker), live flag and the length norm
  ``k1 * (1 - b + b * len / avgdl)``;
- postings in *segments*: CSR arrays ``offsets[term]`` into ``docs`` (int32
  rows) and ``tfs``. Adding a transcript appends a small segment and merges
  tail segments of similar size (an LSM-style ladder, so a query visits a
  handful of segments and an add never rewrites the whole index). Removing a
  transcript only clears its live flags and decrements ``df``; merges drop the
  dead postings later.

idf, its floor and avgdl are corpus-wide: they are recomputed from ``df`` and
the length sum after every add or removal, never from the postings.

``top_k`` of queries with many postings goes through impact tiers
(``briefs.search._tiers``): candidates scored exactly, the rest ruled out by a safe
bound, so queries of frequent words need not touch every posting.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import NamedTuple

import numpy as np

from briefs.search._accumulate import add_term, clip, distinct_rows, group_runs, join_ranges
from briefs.search._columns import Column as _Column
from briefs.search._encode import Encoded, encode_docs
from briefs.search._segments import Segment, build_segment, merge_segments
from briefs.search._tiers import K1, B, build_tiers, length_norm, pruned_top

__all__ = ["EPSILON", "K1", "B", "BM25Index", "Encoded", "Match", "encode_docs"]

EPSILON = 0.25  # K1 = 1.5 and B = 0.75 live with the weight formula (briefs.search._tiers)
_MERGE_RATIO = 4  # merge the last two segments while the older is <= 4x the newer
_DENSE_MAX = 20_000  # query postings up to which scoring them all beats pruning


class Match(NamedTuple):
    """One scored passage."""

    passage_id: int
    score: float


class BM25Index:
    """BM25Okapi over passages with incremental add and removal by group."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self._next_id = 0
        self._df = _Column(np.int64)
        self._pid = _Column(np.int64)
        self._len = _Column(np.int64)
        self._group = _Column(np.int64)
        self._tag = _Column(np.int32)
        self._live = _Column(np.bool_)
        self._norm = _Column(np.float64)
        self._acc = _Column(np.float64)  # score accumulator, all zeros between queries
        self._slot = _Column(np.int64)  # scratch for de-duplicating candidates
        self._mark = _Column(np.int8)  # scratch for pruned top-k, all zeros between queries
        self._segments: list[Segment] = []
        self._spans: dict[int, list[tuple[int, int]]] = {}  # group -> its row ranges
        self.n_live = 0
        self._total_len = 0
        self.avgdl = 0.0
        self.average_idf = 0.0

    # -- vocabulary ---------------------------------------------------------
    def term_id(self, term: str) -> int:
        """The id of ``term``, assigning the next id to a new term."""
        tid = self.vocab.get(term)
        if tid is None:
            tid = self.vocab[term] = self._next_id
            self._next_id += 1
        return tid

    def add_terms(self, terms: dict[str, int]) -> None:
        """Register terms under ids chosen elsewhere (the store's vocabulary)."""
        for term, tid in terms.items():
            have = self.vocab.setdefault(term, tid)
            if have != tid:
                raise ValueError(f"term {term!r} already has id {have}, not {tid}")
            self._next_id = max(self._next_id, tid + 1)

    # -- building -----------------------------------------------------------
    def add(
        self, passage_ids: Sequence[int], docs: Sequence[Sequence[str]], *,
        group: int = 0, tags: Sequence[int] | None = None,
    ) -> None:
        """Add tokenized passages (one group: a transcript)."""
        for term in dict.fromkeys(chain.from_iterable(docs)):  # first-seen order
            if term not in self.vocab:
                self.term_id(term)
        self.add_encoded(passage_ids, encode_docs(docs, self.vocab), group=group, tags=tags)

    def add_encoded(
        self, passage_ids: Sequence[int] | np.ndarray, enc: Encoded, *,
        group: int | np.ndarray = 0, tags: Sequence[int] | np.ndarray | None = None,
    ) -> None:
        """Add passages already encoded with this index's term ids.

        ``group`` is one id for all of them or one per passage (bulk loads).
        """
        n = len(enc.counts)
        if len(passage_ids) != n:
            raise ValueError("one passage id per encoded passage")
        if n == 0:
            return
        row0 = self._pid.size
        lengths = enc.lengths
        self._pid.extend(np.asarray(passage_ids, dtype=np.int64))
        self._len.extend(lengths)
        groups = np.broadcast_to(np.asarray(group, dtype=np.int64), (n,))
        self._group.extend(groups)
        for g, lo, hi in group_runs(groups, row0):
            self._spans.setdefault(g, []).append((lo, hi))
        self._tag.extend(np.zeros(n, np.int32) if tags is None else np.asarray(tags, np.int32))
        self._live.extend(np.ones(n, dtype=np.bool_))
        for col in (self._norm, self._acc, self._slot, self._mark):
            col.reserve(row0 + n)
            col.size = row0 + n
        rows = np.repeat(np.arange(row0, row0 + n, dtype=np.int32), enc.counts)
        seg = build_segment(enc.term_ids, rows, enc.tfs, row0, row0 + n)
        need = max(self._df.size, self._next_id, seg.vocab_size)
        self._df.reserve(need)
        self._df.size = need
        self._df.data[: seg.vocab_size] += seg.doc_freqs()
        self._segments.append(seg)
        self.n_live += n
        self._total_len += int(lengths.sum())
        self._merge_tail()
        self._refresh()

    def remove_group(self, group: int) -> int:
        """Retire every live passage of ``group``; returns how many."""
        rows = np.flatnonzero((self._group.view == group) & self._live.view)
        if len(rows) == 0:
            return 0
        dead = np.zeros(self._pid.size, dtype=np.bool_)
        dead[rows] = True
        lo, hi = int(rows[0]), int(rows[-1]) + 1
        for seg in self._segments:
            if seg.row_hi > lo and seg.row_lo < hi:
                hits = seg.term_counts_where(dead)
                self._df.data[: len(hits)] -= hits
        self._live.data[rows] = False
        self.n_live -= len(rows)
        self._total_len -= int(self._len.data[rows].sum())
        self._refresh()
        return len(rows)

    def _merge_tail(self) -> None:
        segs = self._segments
        while len(segs) >= 2 and segs[-2].nnz <= _MERGE_RATIO * max(segs[-1].nnz, 1):
            b = segs.pop()
            a = segs.pop()
            segs.append(merge_segments([a, b], self._live.view))

    def compact(self) -> None:
        """Merge every segment into one, dropping dead postings, and build its
        impact tiers (after a bulk load)."""
        if len(self._segments) > 1:
            self._segments = [merge_segments(self._segments, self._live.view)]
        for seg in self._segments:  # tiers now, not on the first query
            if seg.tiers is None:
                seg.tiers = build_tiers(seg, self._len.data)

    def _refresh(self) -> None:
        """Recompute the corpus-wide statistics (rank-bm25's ``_initialize``/``_calc_idf``)."""
        n = self.n_live
        self.avgdl = self._total_len / n if n else 0.0
        if self.avgdl > 0:
            # rank-bm25 get_scores: k1 * (1 - b + b * doc_len / avgdl), same
            # operation order so the scores match bit for bit.
            self._norm.view[:] = length_norm(self._len.view, self.avgdl)
        df = self._df.view
        present = df[df > 0].astype(np.float64)
        if len(present):
            # BM25Okapi._calc_idf: idf = log(N - df + 0.5) - log(df + 0.5),
            # averaged over every term of the corpus (before the floor).
            self.average_idf = float(np.mean(np.log(n - present + 0.5) - np.log(present + 0.5)))
        else:
            self.average_idf = 0.0

    # -- querying -----------------------------------------------------------
    def idf(self, term: str) -> float:
        """rank-bm25's idf of ``term``: 0 when unknown, floored at
        ``epsilon * average_idf`` when the raw idf is negative."""
        tid = self.vocab.get(term)
        if tid is None or tid >= self._df.size:
            return 0.0
        df = int(self._df.data[tid])
        if df == 0:
            return 0.0
        n = self.n_live
        idf = math.log(n - df + 0.5) - math.log(df + 0.5)
        return EPSILON * self.average_idf if idf < 0 else idf

    def doc_freq(self, term: str) -> int:
        """How many live passages hold ``term`` (0 when unknown)."""
        tid = self.vocab.get(term)
        return int(self._df.data[tid]) if tid is not None and tid < self._df.size else 0

    def _postings(self, tid: int) -> list[tuple[np.ndarray, np.ndarray]]:
        return [p for seg in self._segments if (p := seg.postings(tid)) is not None]

    def scores(self, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(passage ids, scores) of every live passage holding a query term.

        Terms are summed in query order, repeats included, exactly as
        ``get_scores`` does.
        """
        rows, scores = self._score_rows(terms)
        return self._pid.data[rows], scores

    def _accumulate(
        self, terms: Sequence[str], within: Sequence[tuple[int, int]] | None = None
    ) -> list[np.ndarray]:
        """Add every query term's contribution into the accumulator; returns
        the row arrays touched (the caller must zero them again). With
        ``within`` (sorted, disjoint row ranges) only postings in them count."""
        acc, norm = self._acc.data, self._norm.data
        touched: list[np.ndarray] = []
        for term in terms:
            tid = self.vocab.get(term)
            if tid is None:
                continue
            idf = self.idf(term)
            for docs, tfs in self._postings(tid):
                if within is not None:
                    docs, tfs = clip(docs, tfs, within)
                add_term(acc, norm, docs, tfs, idf)  # rank-bm25's bits exactly
                touched.append(docs)
        return touched

    def _score_rows(
        self, terms: Sequence[str], within: Sequence[tuple[int, int]] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        touched = self._accumulate(terms, within)
        if not touched:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        acc = self._acc.data
        cand = distinct_rows(touched, self._slot.data)
        scores = acc[cand]
        acc[cand] = 0.0
        live = self._live.data[cand]
        return cand[live].astype(np.int64), scores[live]

    def top_k(
        self, terms: Sequence[str], k: int, *,
        where: Callable[[np.ndarray], np.ndarray] | None = None,
        groups: Iterable[int] | None = None,
    ) -> list[Match]:
        """The ``k`` best passages with a positive score: score descending,
        then passage id ascending. ``where(rows)`` may veto candidates;
        ``groups`` limits them to those groups (see ``ranked``)."""
        if where is not None or groups is not None or k <= 0:
            return self.ranked(terms, k, where=where, groups=groups)[0]
        pruned = self._pruned(terms, k)
        if pruned is not None:
            rows, scores = pruned
            pids = self._pid.data[rows]
            order = np.lexsort((pids, -scores))[:k]
            return [Match(int(pids[i]), float(scores[i])) for i in order]
        # Fast path: select among candidates with repeats (a row appears at
        # most once per touched array), de-duplicating only the few survivors.
        touched = self._accumulate(terms)
        if not touched:
            return []
        acc = self._acc.data
        cand = touched[0] if len(touched) == 1 else np.concatenate(touched)
        scores = acc[cand]
        acc[cand] = 0.0
        room = k * len(touched)
        if len(scores) > room:
            # Everything at or above the room-th largest value: it holds at
            # least k distinct rows, so every possible top-k row and its ties.
            cut = np.partition(scores, len(scores) - room)[len(scores) - room]
            sel = scores >= cut
            cand, scores = cand[sel], scores[sel]
        rows, first = np.unique(cand, return_index=True)
        scores = scores[first]
        if not self._live.data[rows].all():  # a retired passage: take the full path
            return self.ranked(terms, k)[0]
        # With tiny corpora rank-bm25's idf floor can be negative: a match
        # scoring <= 0 would rank below passages that do not match at all.
        positive = scores > 0
        rows, scores = rows[positive], scores[positive]
        pids = self._pid.data[rows]
        order = np.lexsort((pids, -scores))[:k]
        return [Match(int(pids[i]), float(scores[i])) for i in order]

    def _pruned(self, terms: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Rows holding the top-k, through impact tiers (briefs.search._tiers); None
        when scoring every posting is as cheap (or idf is not positive)."""
        occurrences: list[tuple[int, float]] = []
        total = 0
        for term in terms:
            tid = self.vocab.get(term)
            if tid is None:
                continue
            idf = self.idf(term)
            if idf == 0.0:  # retired everywhere (or idf exactly 0): adds 0.0 to any score
                continue
            if idf < 0:  # a tiny corpus's negative floor: the bounds need idf > 0
                return None
            occurrences.append((tid, idf))
            total += int(self._df.data[tid]) if tid < self._df.size else 0
        if total <= _DENSE_MAX:
            return None
        for seg in self._segments:
            if seg.tiers is None:
                seg.tiers = build_tiers(seg, self._len.data)
        return pruned_top(
            self._segments, occurrences, k,
            norm=self._norm.data, live=self._live.data, avgdl=self.avgdl,
            mark=self._mark.data, slot=self._slot.data,
        )

    def ranked(
        self, terms: Sequence[str], k: int, *,
        where: Callable[[np.ndarray], np.ndarray] | None = None,
        groups: Iterable[int] | None = None,
    ) -> tuple[list[Match], int]:
        """``top_k`` plus how many passages matched in all (after ``where``).

        ``groups`` limits scoring to those groups' passages (a few transcripts:
        only their slice of each posting list is read); scores are unchanged.
        """
        rows, scores = self._score_rows(terms, None if groups is None else self.spans(groups))
        # With tiny corpora rank-bm25's idf floor can be negative: a match
        # scoring <= 0 would rank below passages that do not match at all.
        keep = scores > 0
        if where is not None and len(rows):
            keep &= where(rows)
        rows, scores = rows[keep], scores[keep]
        total = len(rows)
        if k <= 0 or total == 0:
            return [], total
        if total > k:
            kth = np.partition(scores, total - k)[total - k]
            sel = scores >= kth
            rows, scores = rows[sel], scores[sel]
        pids = self._pid.data[rows]
        order = np.lexsort((pids, -scores))[:k]
        return [Match(int(pids[i]), float(scores[i])) for i in order], total

    def rows_with(self, terms: Iterable[str]) -> np.ndarray:
        """Sorted live rows holding any of ``terms``."""
        parts = [
            docs
            for term in set(terms)
            if (tid := self.vocab.get(term)) is not None
            for docs, _ in self._postings(tid)
        ]
        if not parts:
            return np.zeros(0, dtype=np.int64)
        rows = np.unique(np.concatenate(parts)).astype(np.int64)
        return rows[self._live.data[rows]]

    # -- row attributes for filters ----------------------------------------
    def spans(self, groups: Iterable[int]) -> list[tuple[int, int]]:
        """The row ranges of ``groups``, sorted, adjacent ones joined."""
        return join_ranges(r for g in set(groups) for r in self._spans.get(g, ()))

    def groups(self, rows: np.ndarray) -> np.ndarray:
        return self._group.data[rows]

    def tags(self, rows: np.ndarray) -> np.ndarray:
        return self._tag.data[rows]

    def passage_ids(self, rows: np.ndarray) -> np.ndarray:
        return self._pid.data[rows]

    def __len__(self) -> int:
        return self.n_live

    @property
    def segment_count(self) -> int:
        return len(self._segments)

    def nbytes(self) -> int:
        """Bytes held by the numpy arrays (postings and per-passage columns)."""
        cols = (self._df, self._pid, self._len, self._group, self._tag, self._live,
                self._norm, self._acc, self._slot, self._mark)
        return sum(c.data.nbytes for c in cols) + sum(s.nbytes for s in self._segments)
