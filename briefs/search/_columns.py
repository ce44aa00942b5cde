"""Growable numpy columns: the index's per-passage and per-term arrays."""

from __future__ import annotations

import numpy as np

__all__ = ["Column"]


class Column:
    """A growable numpy column (amortised O(1) appends)."""

    __slots__ = ("data", "size")

    def __init__(self, dtype: type) -> None:
        self.data: np.ndarray = np.zeros(1024, dtype=dtype)
        self.size = 0

    def reserve(self, n: int) -> None:
        if n > len(self.data):
            new = np.empty(max(n, 2 * len(self.data)), dtype=self.data.dtype)
            # Writing every element maps the pages now, not on a query's
            # first touch of the accumulator (page faults cost milliseconds).
            new[: len(self.data)] = self.data
            new[len(self.data) :] = 0
            self.data = new

    def extend(self, values: np.ndarray) -> None:
        self.reserve(self.size + len(values))
        self.data[self.size : self.size + len(values)] = values
        self.size += len(values)

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.size]
