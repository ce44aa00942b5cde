"""Finding and splitting migration files (``briefs/migrations/NNNN_name.sql``).

The runner itself is ``Store.migrate``; this module only knows the files.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from briefs.errors import StoreError

__all__ = ["MIGRATIONS_DIR", "Migration", "discover_migrations"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
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
