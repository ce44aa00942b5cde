"""Chat state (migration 0004_chats.sql): callback keys and per-chat settings."""

from __future__ import annotations

from briefs.store._repository import Repository

__all__ = ["ChatRows"]


class ChatRows(Repository):
    """The chat-state tables."""
