"""The base of the store's repositories: one per table group, all on one connection.

Each repository (``store.briefs``, ``store.index``, ``store.digests``,
``store.sources``, ``store.chats``) holds the SQL of its tables and takes and
returns dataclasses; nothing outside ``briefs.store`` writes SQL. They share
the store's connection, so a write made inside ``Store.transaction()`` through
any of them is part of that one transaction.

On PostgreSQL a repository is ``serialized`` (the default) when its writes
need every other writer excluded, as SQLite always does: its first statement
in a transaction takes the store's write lock. The digest and chat tables set
it False: their writes are guarded row by row (leases, ``SKIP LOCKED``,
optimistic checks), so any number of senders run at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import aiosqlite

    from briefs.store._sqlite import Store

__all__ = ["Repository"]


class Repository:
    """A group of tables' reads and writes, over the store's one connection."""

    serialized: ClassVar[bool] = True

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def _db(self) -> aiosqlite.Connection:
        # Typed as aiosqlite's: PostgreSQL's adapter (_pgconn) answers the same calls.
        db: aiosqlite.Connection = self._store.connection(serialized=self.serialized)
        return db
