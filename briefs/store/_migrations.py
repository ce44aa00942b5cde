"""Finding and splitting migration files (``briefs/store/migrations/NNNN_name.sql``).

``apply_migrations`` is the runner behind ``Store.migrate``: each file in its own
write transaction, recorded in ``schema_migrations``, skipped when already there.
PostgreSQL has its own files of the same versions and names in
``migrations/postgres/`` (its types differ: BIGINT, BYTEA, sequences), recorded
in the same table the same way.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefs.errors import StoreError
from briefs.store._drivers import DRIVER_ERRORS

if TYPE_CHECKING:
    from briefs.store._sqlite import Store

__all__ = [
    "MIGRATIONS_DIR", "POSTGRES_MIGRATIONS_DIR", "Migration", "apply_migrations",
    "discover_migrations",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
POSTGRES_MIGRATIONS_DIR = MIGRATIONS_DIR / "postgres"
_MIGRATION_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path

    def statements(self) -> list[str]:
        return _split_statements(self.path.read_text(encoding="utf-8"))


def discover_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The ``NNNN_name.sql`` files of ``directory``, in version order."""
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise StoreError(f"migration file {path.name} is not named NNNN_name.sql")
        version = int(m.group("version"))
        if version in found:
            # Two engineers picked the same number: refuse rather than guess an order.
            raise StoreError(
                f"two migrations share version {version}: {found[version].path.name}, {path.name}"
            )
        found[version] = Migration(version, m.group("name"), path)
    return [found[v] for v in sorted(found)]


def _split_statements(sql: str) -> list[str]:
    # executescript() would COMMIT our transaction first, so statements are run
    # one by one; complete_statement() knows about strings and CREATE TRIGGER ... END.
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if _strip_comments(buffer):
                statements.append(buffer.strip())
            buffer = ""
    if _strip_comments(buffer):
        statements.append(buffer.strip())
    return statements


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines()).strip(" \n;")


async def apply_migrations(store: Store, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply the migrations in ``directory`` not yet recorded; return the versions applied now."""
    migrations = discover_migrations(directory)
    async with store.transaction():
        await store.lock_writers()  # two processes starting at once create it once
        await store.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    applied: list[int] = []
    for migration in migrations:
        async with store.transaction():
            await store.lock_writers()
            db = store.db
            # Checked inside the write lock: another process may have just applied it.
            cur = await db.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            )
            if await cur.fetchone():
                continue
            try:
                for statement in migration.statements():
                    await db.execute(statement)
            except DRIVER_ERRORS as err:
                raise StoreError(
                    f"migration {migration.path.name} failed and was rolled back: {err}"
                ) from None
            await db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at)"
                " VALUES (?, ?, ?)",
                (migration.version, migration.name,
                 datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
            )
            applied.append(migration.version)
    return applied
