"""Tokenized passages as term ids: the form the index builds from and the store keeps."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import chain
from typing import NamedTuple

import numpy as np

__all__ = ["Encoded", "encode_docs"]


class Encoded(NamedTuple):
    """Passages as term ids: per passage ``counts[i]`` (term id, tf) pairs in
    ``term_ids``/``tfs``, in passage order. What the store persists."""

    counts: np.ndarray  # int32, distinct terms per passage
    term_ids: np.ndarray  # int32
    tfs: np.ndarray  # uint16 or uint32

    @property
    def lengths(self) -> np.ndarray:
        """Passage lengths in terms (BM25's document length)."""
        rows = np.repeat(np.arange(len(self.counts)), self.counts)
        out = np.bincount(rows, weights=self.tfs, minlength=len(self.counts))
        return out.astype(np.int64)


def encode_docs(
    docs: Sequence[Sequence[str]], lookup: Mapping[str, int] | Callable[[str], int]
) -> Encoded:
    """Encode tokenized passages; ``lookup`` maps a term to its id (a mapping,
    or a function that may assign new ids). Pairs are sorted by term id
    within a passage. Counting happens in numpy: one dict lookup per token is
    the only Python-level work."""
    n = len(docs)
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=n)
    total = int(lengths.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int32)
        return Encoded(np.zeros(n, dtype=np.int32), empty, np.zeros(0, dtype=np.uint16))
    getter = lookup.__getitem__ if isinstance(lookup, Mapping) else lookup
    tids = np.fromiter(map(getter, chain.from_iterable(docs)), dtype=np.int64, count=total)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    width = int(tids.max()) + 1
    # One sort of (row, term) keys yields every pair's tf, in passage then term order.
    pairs, tfs = np.unique(rows * width + tids, return_counts=True)
    counts = np.bincount(pairs // width, minlength=n).astype(np.int32)
    dtype = np.uint16 if tfs.max() < 2**16 else np.uint32
    return Encoded(counts, (pairs % width).astype(np.int32), tfs.astype(dtype))
