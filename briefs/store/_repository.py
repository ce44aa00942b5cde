"""The base of the store's repositories: one per table group, all on one connection.

Each repository (``store.briefs``, ``store.index``, ``store.digests``,
``store.sources``, ``store.chats``) holds the SQL of its tables and takes and
returns dataclasses; nothing outside ``briefs.store`` writes SQL. They share
the store's connection, so a write made inside ``Store.transaction()`` through
any of them is part of that one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import aiosqlite

    from briefs.store._sqlite import Store

__all__ = ["Repository"]


class Repository:
    """A group of tables' reads and writes, over the store's one connection."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def _db(self) -> aiosqlite.Connection:
        return self._store.db
