"""The store on PostgreSQL, through asyncpg: the same repositories, another engine.

``Store.open("postgresql://user@host:port/db")`` lands here. Everything above
the store is unchanged: the repositories run their statements on a
:class:`~briefs.store._pgconn.PgConnection`, which answers like aiosqlite's
connection, and the schema comes from ``migrations/postgres/`` (the same
versions and names as SQLite's files, recorded the same way).

Transactions: ``Store.transaction()`` is ``BEGIN`` ... ``COMMIT`` (READ
COMMITTED), serialised within the process like SQLite's. Across processes,
the library's writers (ingest, removal, the search index, feeds) take one
transaction-scoped advisory lock before their first statement, so there is
one of them at a time, as with SQLite; the ingest sequence number is drawn
under that lock, so numbers are unique and commit in increasing order (a
digest watermark or a replica following ingests never skips one). Digest and
chat writes take no such lock: they are row-guarded (see ``_repository``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar, cast

import asyncpg

from briefs.errors import StoreError
from briefs.store._busy import BUSY_TIMEOUT_S
from briefs.store._location import shown
from briefs.store._migrations import POSTGRES_MIGRATIONS_DIR
from briefs.store._pgconn import PgConnection
from briefs.store._sqlite import Store

__all__ = ["PostgresStore"]

CONNECT_TIMEOUT_S = 10.0


class PostgresStore(Store):
    """An open PostgreSQL database: one asyncpg connection plus the repositories."""

    dialect: ClassVar[str] = "postgres"
    migrations_dir: ClassVar[Path] = POSTGRES_MIGRATIONS_DIR

    def __init__(self, conn: PgConnection, url: str) -> None:
        super().__init__(cast(Any, conn), Path("."))
        self.url = url
        self.pg = conn

    @property
    def location(self) -> str:
        """The URL without its password."""
        return shown(self.url)

    @classmethod
    async def open_url(
        cls, url: str, *, migrations_dir: Path | None = None,
        busy_timeout: float = BUSY_TIMEOUT_S,
    ) -> PostgresStore:
        """Connect to ``url`` and migrate; every failure is one line naming the URL
        (without its password)."""
        try:
            raw = await asyncpg.connect(
                url, timeout=CONNECT_TIMEOUT_S,
                # A writer waits this long for another's lock, then fails in one
                # line, as SQLite's busy timeout does.
                server_settings={"lock_timeout": f"{int(busy_timeout * 1000)}ms",
                                 "application_name": "briefbot"},
            )
        except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError,
                ValueError) as err:
            raise StoreError(f"cannot open the database {shown(url)}: {_line(err)}") from None
        store = cls(PgConnection(raw), url)
        try:
            await store.migrate(migrations_dir)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as err:
            await store.close()
            raise StoreError(f"cannot open the database {shown(url)}: {_line(err)}") from None
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        await self.pg.close()

    def connection(self, *, serialized: bool) -> Any:
        return self.pg.serialized if serialized else self.pg

    async def lock_writers(self) -> None:
        await self.pg.take_write_lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Store]:
        """One transaction: committed on success, rolled back on any exception."""
        async with self._lock:
            token = await self.pg.begin()
            try:
                try:
                    yield self
                except BaseException:
                    await self.pg.rollback()
                    raise
                try:
                    await self.pg.commit()
                except BaseException:
                    await self.pg.rollback()
                    raise
            finally:
                self.pg.end(token)


Store.url_opener = PostgresStore.open_url


def _line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text or type(err).__name__
