"""Copying a whole library from one store to another (``briefbot db copy``).

Every table, row for row, in an order that keeps foreign keys satisfied, in
one transaction on the target: the copy lands whole or not at all. The target
must be empty (migrated, no transcripts, subscribers or feeds), so nothing it
holds is ever overwritten. On PostgreSQL the sequences are moved past the
copied numbers, so the next ingest's pk and seq follow the copied ones (and
a removed transcript's numbers stay taken).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefs.errors import StoreError
from briefs.store._drivers import DRIVER_ERRORS

if TYPE_CHECKING:
    from briefs.store._sqlite import Store

__all__ = ["TABLES", "copy_library"]

TABLES = (
    "transcripts", "turns", "passages", "briefs", "search_vocab", "search_docs",
    "removed_transcripts", "chats", "callback_keys", "subscribers", "digest_outbox",
    "digest_sending", "feeds", "feed_episodes", "inbox_files",
)
"""Every table but ``schema_migrations`` and ``digest_composing`` (compose claims last
minutes and belong to the source's running senders), parents before children."""
_ORDER = {"transcripts": "pk", "passages": "id", "digest_outbox": "id", "feeds": "id"}
_BATCH = 500
# (sequence, the largest number it has handed out) on PostgreSQL.
_SEQUENCES = (
    ("transcripts_pk_seq", "SELECT max(v) FROM (SELECT max(pk) AS v FROM transcripts"
                           " UNION ALL SELECT max(pk) FROM removed_transcripts) AS m"),
    ("transcripts_ingest_seq", "SELECT max(v) FROM (SELECT max(seq) AS v FROM transcripts"
                               " UNION ALL SELECT max(seq) FROM removed_transcripts) AS m"),
    ("passages_id_seq", "SELECT max(id) FROM passages"),
    ("digest_outbox_id_seq", "SELECT max(id) FROM digest_outbox"),
    ("feeds_id_seq", "SELECT max(id) FROM feeds"),
)


async def _columns(store: Store, table: str) -> list[str]:
    if store.dialect == "postgres":
        cur = await store.db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = ? ORDER BY ordinal_position", (table,))
    else:
        cur = await store.db.execute(f"SELECT name FROM pragma_table_info('{table}')")
    return [str(r[0]) for r in await cur.fetchall()]


async def _is_empty(store: Store) -> bool:
    cur = await store.db.execute(
        "SELECT (SELECT count(*) FROM transcripts) + (SELECT count(*) FROM subscribers)"
        " + (SELECT count(*) FROM feeds) + (SELECT count(*) FROM removed_transcripts)"
    )
    row = await cur.fetchone()
    return row is not None and int(row[0]) == 0


async def copy_library(source: Store, target: Store) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``; returns rows per table.

    Raises StoreError (one line, nothing written) when the target is not empty,
    the two schemas differ, or the target refuses a row.
    """
    if (await source.applied_migrations()) != (await target.applied_migrations()):
        raise StoreError("the two databases are at different migrations: open both"
                         " with this briefbot version first")
    copied: dict[str, int] = {}
    try:
        async with target.transaction():
            await target.lock_writers()
            if not await _is_empty(target):
                raise StoreError("the target database already holds a library:"
                                 " copy only into an empty one")
            for table in TABLES:
                columns = await _columns(source, table)
                if columns != await _columns(target, table):
                    raise StoreError(f"table {table} differs between the two databases")
                names = ", ".join(f'"{c}"' for c in columns)
                insert = (f"INSERT INTO {table} ({names})"
                          f" VALUES ({', '.join('?' * len(columns))})")
                order = _ORDER.get(table, "1")
                cur = await source.db.execute(f"SELECT {names} FROM {table} ORDER BY {order}")
                count = 0
                while batch := [tuple(r) for r in await cur.fetchmany(_BATCH)]:
                    await target.db.executemany(insert, batch)
                    count += len(batch)
                copied[table] = count
            if target.dialect == "postgres":
                for sequence, largest in _SEQUENCES:
                    cur = await target.db.execute(largest)
                    row = await cur.fetchone()
                    top = int(row[0]) if row and row[0] is not None else 0
                    # setval(s, n, false): the next nextval() returns n.
                    await target.db.execute(
                        f"SELECT setval('{sequence}', CAST(? AS BIGINT), false)", (top + 1,))
    except DRIVER_ERRORS as err:
        raise StoreError(f"the copy was refused and nothing was written: {_line(err)}") from None
    return copied


def _line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__
