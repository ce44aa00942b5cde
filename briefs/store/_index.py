"""The search index's rows (migration 0003_search.sql): terms, postings, removals."""

from __future__ import annotations

from briefs.store._repository import Repository

__all__ = ["IndexRows"]


class IndexRows(Repository):
    """The search index's tables."""
