"""Chat state (migration 0004_chats.sql): callback keys and per-chat settings."""

from __future__ import annotations

from briefs.store._repository import Repository

__all__ = ["ChatRows"]


class ChatRows(Repository):
    """The chat-state tables."""

    serialized = False  # single-row upserts: right with any number of replicas at once

    # -- callback_keys ---------------------------------------------------------------

    async def add_callback_key(self, key: str, value: str, created_at: str) -> None:
        """Store ``key -> value``; a key already stored is kept (keys derive from values)."""
        await self._db.execute(
            "INSERT INTO callback_keys (key, value, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO NOTHING",
            (key, value, created_at),
        )

    async def callback_value(self, key: str) -> str | None:
        """The value stored under ``key``, or ``None`` if there is none."""
        cur = await self._db.execute("SELECT value FROM callback_keys WHERE key = ?", (key,))
        row = await cur.fetchone()
        return None if row is None else str(row[0])

    # -- chats -----------------------------------------------------------------------

    async def results_per_page(self, chat_id: int) -> int | None:
        """The chat's quotes-per-page setting, ``None`` if it has not set one."""
        cur = await self._db.execute(
            "SELECT results_per_page FROM chats WHERE chat_id = ?", (chat_id,)
        )
        row = await cur.fetchone()
        return None if row is None or row[0] is None else int(row[0])

    async def set_results_per_page(
        self, chat_id: int, value: int, *, chat_type: str, title: str | None, stamp: str
    ) -> None:
        """Set the chat's quotes per page, adding its row if needed (a ``None`` title
        keeps the stored one)."""
        await self._db.execute(
            "INSERT INTO chats (chat_id, chat_type, title, results_per_page,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET results_per_page = excluded.results_per_page,"
            " chat_type = excluded.chat_type, title = coalesce(excluded.title, chats.title),"
            " updated_at = excluded.updated_at",
            (chat_id, chat_type, title, value, stamp, stamp),
        )
