"""Feeds and the inbox's records (migration 0006_feeds.sql)."""

from __future__ import annotations

from briefs.store._repository import Repository

__all__ = ["SourceRows"]


class SourceRows(Repository):
    """The feed and inbox tables."""
