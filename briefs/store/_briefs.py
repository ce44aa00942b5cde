"""Briefs in the store (migration 0002_briefs.sql): saved, loaded, listed for rebuild."""

from __future__ import annotations

from briefs.store._repository import Repository

__all__ = ["BriefRows"]


class BriefRows(Repository):
    """The ``briefs`` table."""
