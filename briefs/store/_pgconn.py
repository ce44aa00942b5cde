"""An asyncpg connection with the face the repositories already speak to.

The repositories hold their SQL once, written so both engines accept it
(``ON CONFLICT`` upserts, ``CASE`` instead of the two-argument ``max``,
``RETURNING`` instead of ``lastrowid``). What still differs is spelled here,
once, instead of in every statement: ``?`` and ``:name`` placeholders become
``$1, $2, ...``, a cursor answers ``fetchone``/``fetchall``/``rowcount`` like
aiosqlite's, and one statement runs at a time on the connection (asyncpg
refuses a second one in flight, aiosqlite queued it on its thread).

:class:`Serialized` is the view the library's repositories use: the first
statement it runs in a transaction takes the store's write lock (a
transaction-scoped advisory lock), so ingests, removals and the search
index's vocabulary are written one transaction at a time across every
process, as SQLite's ``BEGIN IMMEDIATE`` does. The digest and chat tables are
written through the plain connection: row locks, ``SKIP LOCKED`` claims and
the optimistic checks keep them right with any number of senders at once.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import asyncpg

__all__ = ["WRITE_LOCK_KEY", "PgConnection", "PgCursor", "Serialized", "translate"]

WRITE_LOCK_KEY = 0x62726965  # "brie": the advisory lock the library's writers share

_TOKEN = re.compile(
    r"'(?:[^']|'')*'"          # a string literal: left alone
    r'|"[^"]*"'                 # a quoted name
    r"|--[^\n]*"                # a comment
    r"|::"                      # a cast, not a named parameter
    r"|\?"                      # a positional parameter
    r"|:([A-Za-z_][A-Za-z0-9_]*)"  # a named parameter
)
_OWNS_TRANSACTION: ContextVar[bool] = ContextVar("briefbot_owns_transaction", default=False)
# Set by the coroutine inside ``Store.transaction()``: another coroutine's read that
# happens to run on the connection meanwhile must not take the lock for it.
_RETURNS_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES)\b|\bRETURNING\b", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> tuple[str, tuple[str, ...] | int]:
    """``sql`` with ``$n`` placeholders, and the names in order (or how many ``?``)."""
    names: list[str] = []
    count = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal count
        token = m.group(0)
        if token == "?":
            count += 1
            return f"${count}"
        if m.group(1):
            name = m.group(1)
            if name not in names:
                names.append(name)
            return f"${names.index(name) + 1}"
        return token

    out = _TOKEN.sub(swap, sql)
    if names and count:
        raise ValueError("a statement mixes ? and :name parameters")
    return out, tuple(names) if names else count


def _arguments(sql: str, params: Sequence[Any] | Mapping[str, Any]) -> tuple[str, list[Any]]:
    text, shape = translate(sql)
    if isinstance(shape, tuple):
        if not isinstance(params, Mapping):
            raise TypeError("named parameters need a mapping")
        return text, [params[name] for name in shape]
    return text, list(params)


class PgCursor:
    """What a statement returned: its rows (asyncpg records) and how many it changed."""

    def __init__(self, rows: list[asyncpg.Record], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    async def fetchone(self) -> asyncpg.Record | None:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[asyncpg.Record]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchmany(self, size: int) -> list[asyncpg.Record]:
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows


def _status_count(status: str) -> int:
    # "UPDATE 3", "INSERT 0 1", "DELETE 0": the last number is the rows touched.
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


class PgConnection:
    """One asyncpg connection; statements run one at a time, in order."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.raw = conn
        self._statement = asyncio.Lock()
        self.write_locked = False
        """Whether this transaction holds the write lock (see :class:`Serialized`)."""
        self.serialized = Serialized(self)

    @property
    def in_transaction(self) -> bool:
        return self.raw.is_in_transaction()

    async def execute(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> PgCursor:
        text, args = _arguments(sql, params)
        async with self._statement:
            if _RETURNS_ROWS.search(text):
                rows = await self.raw.fetch(text, *args)
                return PgCursor(rows, len(rows))
            status = await self.raw.execute(text, *args)
            return PgCursor([], _status_count(status))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [list(r) for r in rows]
        if not batch:
            return
        text, _ = translate(sql)
        async with self._statement:
            await self.raw.executemany(text, batch)

    async def begin(self) -> object:
        """``BEGIN``; returns the token :meth:`end` takes back."""
        async with self._statement:
            await self.raw.execute("BEGIN")
        self.write_locked = False
        return _OWNS_TRANSACTION.set(True)

    def end(self, token: object) -> None:
        """The calling coroutine's transaction is over."""
        _OWNS_TRANSACTION.reset(token)  # type: ignore[arg-type]

    async def commit(self) -> None:
        async with self._statement:
            await self.raw.execute("COMMIT")
        self.write_locked = False

    async def rollback(self) -> None:
        async with self._statement:
            if self.raw.is_in_transaction():
                await self.raw.execute("ROLLBACK")
        self.write_locked = False

    async def take_write_lock(self) -> None:
        """Hold the store's write lock until this transaction ends (no-op outside one)."""
        if self.write_locked or not self.raw.is_in_transaction():
            return
        if not _OWNS_TRANSACTION.get():
            return  # another coroutine's read: it runs in the open transaction as it is
        async with self._statement:
            await self.raw.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK_KEY)
        self.write_locked = True

    async def close(self) -> None:
        await self.raw.close()


class Serialized:
    """The connection, taking the write lock before its first statement in a transaction."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    async def execute(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
    ) -> PgCursor:
        await self._conn.take_write_lock()
        return await self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.take_write_lock()
        await self._conn.executemany(sql, rows)
