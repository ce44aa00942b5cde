"""Tokenized passages as term ids: the form the index builds from and the store keeps."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import chain

import numpy as np

from briefs.store import Encoded  # kept by the store; re-exported here

__all__ = ["Encoded", "encode_docs", "encode_local", "renumber"]


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


def encode_local(docs: Sequence[Sequence[str]]) -> tuple[list[str], Encoded]:
    """Encode with ids of this batch alone (0, 1, ... in first-seen order) and
    return the terms by id: the tokenizing half, done before the store's ids
    are known (off the event loop, outside the write transaction)."""
    vocab: dict[str, int] = {}
    enc = encode_docs(docs, lambda t: vocab.setdefault(t, len(vocab)))
    return list(vocab), enc


def renumber(enc: Encoded, ids: np.ndarray) -> Encoded:
    """``enc`` with local term id ``i`` replaced by ``ids[i]`` and each passage's
    pairs sorted by the new id: exactly what ``encode_docs`` gives with those
    ids, at the cost of one numpy sort."""
    if len(enc.term_ids) == 0:
        return enc
    tids = np.asarray(ids, dtype=np.int64)[enc.term_ids]
    rows = np.repeat(np.arange(len(enc.counts), dtype=np.int64), enc.counts)
    order = np.lexsort((tids, rows))
    return Encoded(enc.counts, tids[order].astype(np.int32), enc.tfs[order])
