"""Postings segments of the BM25 index: immutable CSR arrays, term-major.

A segment covers a contiguous range of rows (passages in insertion order).
For term id ``t``, its postings are ``docs[offsets[t]:offsets[t + 1]]`` (rows,
ascending) with term frequencies ``tfs`` alongside. Terms with ids at or past
``vocab_size`` (added after the segment was built) have no postings in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from briefs.search._tiers import Tier

__all__ = ["Segment", "build_segment", "merge_segments"]


class Segment:
    __slots__ = ("docs", "offsets", "row_hi", "row_lo", "tfs", "tiers")

    def __init__(
        self, offsets: np.ndarray, docs: np.ndarray, tfs: np.ndarray, row_lo: int, row_hi: int
    ) -> None:
        self.offsets = offsets
        self.docs = docs
        self.tfs = tfs
        self.row_lo = row_lo
        self.row_hi = row_hi
        # Impact tiers of its frequent terms (briefs.search._tiers), built on first
        # need: a segment merged away before any query never pays for them.
        self.tiers: dict[int, Tier] | None = None

    @property
    def vocab_size(self) -> int:
        return len(self.offsets) - 1

    @property
    def nnz(self) -> int:
        return len(self.docs)

    @property
    def nbytes(self) -> int:
        tiers = sum(sum(a.nbytes for a in t) for t in (self.tiers or {}).values())
        return self.offsets.nbytes + self.docs.nbytes + self.tfs.nbytes + tiers

    def postings(self, tid: int) -> tuple[np.ndarray, np.ndarray] | None:
        if tid >= len(self.offsets) - 1:
            return None
        lo, hi = self.offsets[tid], self.offsets[tid + 1]
        if lo == hi:
            return None
        return self.docs[lo:hi], self.tfs[lo:hi]

    def doc_freqs(self) -> np.ndarray:
        """Passages per term in this segment (each (term, row) pair is unique)."""
        return np.diff(self.offsets)

    def term_counts_where(self, rows_mask: np.ndarray) -> np.ndarray:
        """Per term id, how many of its postings fall on rows where ``rows_mask``."""
        hit = np.flatnonzero(rows_mask[self.docs])
        terms = np.searchsorted(self.offsets, hit, side="right") - 1
        return np.bincount(terms, minlength=self.vocab_size)

    def term_per_posting(self) -> np.ndarray:
        return np.repeat(np.arange(self.vocab_size, dtype=np.int32), np.diff(self.offsets))


def _csr(terms: np.ndarray, rows: np.ndarray, tfs: np.ndarray, lo: int, hi: int) -> Segment:
    # Input is row-ordered; a stable sort by term keeps rows ascending per term.
    order = np.argsort(terms, kind="stable")
    vocab = int(terms.max()) + 1 if len(terms) else 0
    offsets = np.zeros(vocab + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms, minlength=vocab), out=offsets[1:])
    return Segment(offsets, rows[order].astype(np.int32), tfs[order], lo, hi)


def build_segment(
    term_ids: np.ndarray, rows: np.ndarray, tfs: np.ndarray, row_lo: int, row_hi: int
) -> Segment:
    """A segment from (term id, row, tf) triples in row order, unique per (row, term)."""
    return _csr(term_ids, rows, tfs, row_lo, row_hi)


def merge_segments(segments: list[Segment], live: np.ndarray) -> Segment:
    """One segment holding the live postings of ``segments`` (in row order).

    Segments cover ascending, disjoint row ranges and list rows ascending per
    term, so a term's merged postings are its postings in each segment, one
    segment after the other: each posting's new position is known up front
    and a linear scatter replaces sorting 70M postings.
    """
    vocab = max(seg.vocab_size for seg in segments)
    parts = []
    total = np.zeros(vocab, dtype=np.int64)
    for seg in segments:
        keep = live[seg.docs]
        counts = np.diff(seg.offsets)
        docs, tfs = seg.docs, seg.tfs
        if not keep.all():
            kept = np.zeros(len(keep) + 1, dtype=np.int64)
            np.cumsum(keep, out=kept[1:])
            counts = kept[seg.offsets[1:]] - kept[seg.offsets[:-1]]
            docs, tfs = docs[keep], tfs[keep]
        total[: len(counts)] += counts
        parts.append((docs, tfs, counts))
    offsets = np.zeros(vocab + 1, dtype=np.int64)
    np.cumsum(total, out=offsets[1:])
    out_docs = np.empty(int(offsets[-1]), dtype=np.int32)
    out_tfs = np.empty(int(offsets[-1]), dtype=np.result_type(*(s.tfs for s in segments)))
    start = offsets[:-1].copy()  # where each term's next postings go
    for docs, tfs, counts in parts:
        local = np.zeros(len(counts), dtype=np.int64)
        np.cumsum(counts[:-1], out=local[1:])
        pos = np.repeat(start[: len(counts)] - local, counts)
        pos += np.arange(len(docs), dtype=np.int64)
        out_docs[pos] = docs
        out_tfs[pos] = tfs
        start[: len(counts)] += counts
    return Segment(offsets, out_docs, out_tfs, segments[0].row_lo, segments[-1].row_hi)
