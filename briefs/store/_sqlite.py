"""The store: one SQLite file, opened through aiosqlite.

The database runs in WAL mode (readers never wait on the ingest writer), with
foreign keys on and a busy timeout so a second process waits instead of
failing. The schema lives in ``briefs/store/migrations/NNNN_name.sql``; each file is
applied once, in its own transaction, and recorded in ``schema_migrations``.
Migration files hold plain statements, never ``BEGIN``/``COMMIT``.

Writes go through :meth:`Store.transaction`, which serialises writers on the
one shared connection: a statement from another coroutine can never land in
the middle of someone else's ingest transaction. Nothing inside a transaction
may call ``commit()`` itself.

The connection uses ``sqlite3.Row`` rows (index or column-name access).

:meth:`Store.open` given a ``postgresql://`` URL opens the PostgreSQL engine
instead (``_postgres.PostgresStore``: the same repositories and methods).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import aiosqlite

from briefs.errors import StoreError
from briefs.store._briefs import BriefRows
from briefs.store._busy import BUSY_TIMEOUT_S, Sleep, begin_immediate
from briefs.store._chats import ChatRows
from briefs.store._connect import connect
from briefs.store._digests import DigestRows
from briefs.store._drivers import DRIVER_ERRORS
from briefs.store._index import IndexRows
from briefs.store._location import DbLocation, is_postgres, parse_db_location
from briefs.store._lookups import LookupRows
from briefs.store._migrations import (
    MIGRATIONS_DIR,
    Migration,
    apply_migrations,
    discover_migrations,
)
from briefs.store._sources import SourceRows
from briefs.store._transcripts import StoredRef, TranscriptRows

__all__ = [
    "BUSY_TIMEOUT_S",
    "DRIVER_ERRORS",
    "MIGRATIONS_DIR",
    "Migration",
    "Store",
    "StoredRef",
    "default_db_path",
    "discover_migrations",
    "utc_stamp",
]



def utc_stamp(moment: datetime | None = None) -> str:
    """How the store writes a moment (now if ``None``): UTC to the second,
    ``2026-11-25T08:00:00Z``, the same as the migrations' ``strftime``, so
    stamps compare correctly as text."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_db_path() -> DbLocation:
    """``$BRIEFBOT_DB`` if set (a file path or a ``postgresql://`` URL), else
    ``briefbot.db`` in the current directory. Raises StoreError for another URL."""
    env = os.environ.get("BRIEFBOT_DB", "").strip()
    return parse_db_location(env) if env else Path.cwd() / "briefbot.db"


class Store:
    """An open database: the aiosqlite connection plus the schema's row helpers."""

    dialect: ClassVar[str] = "sqlite"
    """Which engine: ``sqlite`` or ``postgres`` (the few statements that differ ask)."""
    migrations_dir: ClassVar[Path] = MIGRATIONS_DIR
    url_opener: ClassVar[Callable[..., Awaitable[Store]] | None] = None
    """Opens a ``postgresql://`` URL: ``_postgres`` sets it when imported (the
    package imports it), so this module needs no import of the other engine."""

    def __init__(
        self, db: aiosqlite.Connection, path: Path, *, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.db = db
        self.path = path
        self._lock = asyncio.Lock()
        self._sleep = sleep  # paces the busy retries (tests pass one that never waits)
        # One repository per table group, all on this connection (see _repository).
        self.transcripts = TranscriptRows(self)
        self.briefs = BriefRows(self)
        self.index = IndexRows(self)
        self.digests = DigestRows(self)
        self.sources = SourceRows(self)
        self.chats = ChatRows(self)
        self.lookups = LookupRows(self)

    @classmethod
    async def open(
        cls, path: str | Path, *, migrations_dir: Path | None = None,
        busy_timeout: float = BUSY_TIMEOUT_S, sleep: Sleep = asyncio.sleep,
    ) -> Store:
        """Open (creating it and its folder if needed) and migrate the database.

        ``path``: a SQLite file, or a ``postgresql://`` URL (the PostgreSQL
        engine); another URL raises StoreError. ``busy_timeout``: seconds a
        writer waits for another connection's write lock.
        """
        location = parse_db_location(path)
        if is_postgres(location):
            if Store.url_opener is None:
                raise StoreError("the PostgreSQL engine is not loaded (import briefs.store)")
            return await Store.url_opener(
                str(location), migrations_dir=migrations_dir, busy_timeout=busy_timeout
            )
        path = Path(location)
        if str(path) != ":memory:":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"cannot create the folder for {path}: {err.strerror}") from None
        db: aiosqlite.Connection | None = None
        try:
            # isolation_level=None: transactions are ours (BEGIN IMMEDIATE ... COMMIT).
            db = await connect(path, timeout=busy_timeout, isolation_level=None)
            db.row_factory = sqlite3.Row
            await db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA foreign_keys = ON")
            # WAL makes NORMAL durable against application crashes, and much faster.
            await db.execute("PRAGMA synchronous = NORMAL")
            store = cls(db, path, sleep=sleep)
            await store.migrate(migrations_dir)
            return store
        except sqlite3.Error as err:
            if db is not None:
                await db.close()
            raise StoreError(f"cannot open the database {path}: {err}") from None
        except BaseException:
            if db is not None:
                await db.close()
            raise

    async def close(self) -> None:
        await self.db.close()

    def connection(self, *, serialized: bool) -> Any:
        """The connection a repository runs its statements on (see ``_repository``).

        One SQLite transaction already excludes every other writer, so both kinds
        of repository share the connection as it is.
        """
        return self.db

    async def lock_writers(self) -> None:
        """Inside a transaction: exclude every other writer until it ends (SQLite's
        ``BEGIN IMMEDIATE`` already did)."""

    # -- transactions and migrations ------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Store]:
        """One write transaction: committed on success, rolled back on any exception.

        Yields the store itself: every repository's writes inside the block are
        part of this one transaction (they share the connection).
        """
        async with self._lock:
            await begin_immediate(self.db, self._sleep)
            try:
                yield self
            except BaseException:
                await self._rollback()
                raise
            try:
                await self.db.execute("COMMIT")
            except BaseException:
                await self._rollback()
                raise

    async def _rollback(self) -> None:
        if self.db.in_transaction:
            await self.db.execute("ROLLBACK")

    async def migrate(self, directory: Path | None = None) -> list[int]:
        """Apply the migrations not yet recorded (this engine's own by default);
        return the versions applied now."""
        return await apply_migrations(self, directory or self.migrations_dir)

    async def applied_migrations(self) -> list[tuple[int, str]]:
        cur = await self.db.execute("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(row[0], row[1]) for row in await cur.fetchall()]

