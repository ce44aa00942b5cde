"""Transcript texts kept in memory for excerpts on PostgreSQL (``IndexRows.passages_text``).

An excerpt is a slice of its transcript's text. SQLite keeps the text inline
and ``substr()`` reads only the row; PostgreSQL keeps long text out of line
(TOAST) and, in a UTF-8 database, reads it from the start up to the slice
for every passage row: a page of excerpts cost 3-6 ms there against 0.2 ms on
SQLite. A transcript's text never changes under its pk (a revision is a new
row), so the texts searches touch are cached, least recently used out first,
within a budget of characters; the passages' own columns are still read on
every search, so a removed transcript shows nothing.
"""

from __future__ import annotations

from collections import OrderedDict

__all__ = ["TextCache"]

DEFAULT_BUDGET = 64_000_000
"""Characters kept (about 64-256 MB): a few thousand meetings' worth."""


class TextCache:
    """pk -> text, least recently used out first past ``budget`` characters."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self._texts: OrderedDict[int, str] = OrderedDict()
        self._size = 0

    def get(self, pk: int) -> str | None:
        text = self._texts.get(pk)
        if text is not None:
            self._texts.move_to_end(pk)
        return text

    def missing(self, pks: set[int]) -> list[int]:
        """The pks of ``pks`` not cached, sorted."""
        return sorted(pk for pk in pks if pk not in self._texts)

    def put(self, pk: int, text: str) -> None:
        if pk in self._texts:
            return
        self._texts[pk] = text
        self._size += len(text)
        while self._size > self.budget and len(self._texts) > 1:
            _, old = self._texts.popitem(last=False)
            self._size -= len(old)
