"""Tokenized passages as term ids: what the search index builds from and the store keeps."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["Encoded"]


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
