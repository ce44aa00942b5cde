"""The store: one SQLite file, opened through aiosqlite.

The database runs in WAL mode (readers never wait on the ingest writer), with
foreign keys on and a busy timeout so a second process waits instead of
failing. The schema lives in ``briefs/migrations/NNNN_name.sql``; each file is
applied once, in its own transaction, and recorded in ``schema_migrations``.
Migration files hold plain statements, never ``BEGIN``/``COMMIT``.

Writes go through :meth:`Store.transaction`, which serialises writers on the
one shared connection: a statement from another coroutine can never land in
the middle of someone else's ingest transaction. Nothing inside a transaction
may call ``commit()`` itself.

The connection uses ``sqlite3.Row`` rows (index or column-name access).
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from briefs.errors import StoreError
from briefs.passages import Passage
from briefs.store._briefs import BriefRows
from briefs.store._busy import BUSY_TIMEOUT_S, Sleep, begin_immediate
from briefs.store._chats import ChatRows
from briefs.store._connect import connect
from briefs.store._digests import DigestRows
from briefs.store._index import IndexRows
from briefs.store._migrations import (
    MIGRATIONS_DIR,
    Migration,
    apply_migrations,
    discover_migrations,
)
from briefs.store._sources import SourceRows
from briefs.transcript import Transcript, Turn

__all__ = [
    "BUSY_TIMEOUT_S",
    "MIGRATIONS_DIR",
    "Migration",
    "Store",
    "StoredRef",
    "default_db_path",
    "discover_migrations",
    "utc_stamp",
]

# Every column but the text, which listings never need.
_INFO_COLUMNS = ", ".join(
    f"t.{c}"
    for c in [
        "pk",
        "id",
        "seq",
        "title",
        "date",
        "format",
        "source",
        "source_key",
        "revision",
        "supersedes_pk",
        "current",
        "content_hash",
        "speakers",
        "metadata",
        "source_summary",
        "warnings",
        "turn_count",
        "word_count",
        "ingested_at",
    ]
)


def utc_stamp(moment: datetime | None = None) -> str:
    """How the store writes a moment (now if ``None``): UTC to the second,
    ``2026-11-25T08:00:00Z``, the same as the migrations' ``strftime``, so
    stamps compare correctly as text."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_db_path() -> Path:
    """``$BRIEFBOT_DB`` if set, else ``briefbot.db`` in the current directory."""
    env = os.environ.get("BRIEFBOT_DB", "").strip()
    return Path(env) if env else Path.cwd() / "briefbot.db"


@dataclass(frozen=True, slots=True)
class StoredRef:
    """Where a transcript sits in the store."""

    pk: int
    """Integer row id: what other tables reference."""
    id: str
    """The readable slug."""
    seq: int
    """Ingest sequence number, strictly increasing."""
    supersedes_pk: int | None = None
    """The pk of the revision this one replaces, if any."""


class Store:
    """An open database: the aiosqlite connection plus the schema's row helpers."""

    def __init__(
        self, db: aiosqlite.Connection, path: Path, *, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.db = db
        self.path = path
        self._lock = asyncio.Lock()
        self._sleep = sleep  # paces the busy retries (tests pass one that never waits)
        # One repository per table group, all on this connection (see _repository).
        self.briefs = BriefRows(self)
        self.index = IndexRows(self)
        self.digests = DigestRows(self)
        self.sources = SourceRows(self)
        self.chats = ChatRows(self)

    @classmethod
    async def open(
        cls, path: str | Path, *, migrations_dir: Path | None = None,
        busy_timeout: float = BUSY_TIMEOUT_S, sleep: Sleep = asyncio.sleep,
    ) -> Store:
        """Open (creating it and its folder if needed) and migrate the database.

        ``busy_timeout``: seconds SQLite waits for another connection's write lock.
        """
        path = Path(path)
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
            await store.migrate(migrations_dir or MIGRATIONS_DIR)
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

    # -- transactions and migrations ------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: committed on success, rolled back on any exception."""
        async with self._lock:
            await begin_immediate(self.db, self._sleep)
            try:
                yield self.db
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

    async def migrate(self, directory: Path = MIGRATIONS_DIR) -> list[int]:
        """Apply the migrations not yet recorded; return the versions applied now."""
        return await apply_migrations(self, directory)

    async def applied_migrations(self) -> list[tuple[int, str]]:
        cur = await self.db.execute("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(row[0], row[1]) for row in await cur.fetchall()]

    # -- lookups -----------------------------------------------------------------

    async def ref_by_hash(self, content_hash: str) -> StoredRef | None:
        return await self._ref("content_hash = ?", (content_hash,))

    async def ref_by_id(self, transcript_id: str) -> StoredRef | None:
        return await self._ref("id = ?", (transcript_id,))

    async def current_for_source(self, source_key: str) -> tuple[StoredRef, int] | None:
        """The current revision stored for this source, with its revision number."""
        cur = await self.db.execute(
            "SELECT pk, id, seq, supersedes_pk, revision FROM transcripts"
            " WHERE source_key = ? AND current = 1 ORDER BY revision DESC LIMIT 1",
            (source_key,),
        )
        row = await cur.fetchone()
        return (StoredRef(row[0], row[1], row[2], row[3]), row[4]) if row else None

    async def first_revision_id(self, source_key: str) -> str | None:
        cur = await self.db.execute(  # removed revisions too: the root id stays the root
            "SELECT id, revision FROM transcripts WHERE source_key = ? UNION ALL SELECT id,"
            " revision FROM removed_transcripts WHERE source_key = ? ORDER BY revision LIMIT 1",
            (source_key, source_key),
        )
        row = await cur.fetchone()
        return row[0] if row else None

    async def ids_like(self, prefix: str) -> set[str]:
        """Every id equal to ``prefix`` or starting with ``prefix-``."""
        # Removed ids count as taken: an id never names a second transcript.
        cur = await self.db.execute(
            "SELECT id FROM transcripts WHERE id = ? OR substr(id, 1, ?) = ?"
            " UNION SELECT id FROM removed_transcripts WHERE id = ? OR substr(id, 1, ?) = ?",
            (prefix, len(prefix) + 1, prefix + "-") * 2,
        )
        return {row[0] for row in await cur.fetchall()}

    async def _ref(self, where: str, params: Sequence[object]) -> StoredRef | None:
        cur = await self.db.execute(
            f"SELECT pk, id, seq, supersedes_pk FROM transcripts WHERE {where}", params
        )
        row = await cur.fetchone()
        return StoredRef(row[0], row[1], row[2], row[3]) if row else None

    async def rows(
        self,
        where: str = "1",
        params: Sequence[object] = (),
        *,
        order: str = "seq DESC",
        limit: int = -1,
        offset: int = 0,
    ) -> list[sqlite3.Row]:
        """Transcript rows without their text (``where``/``order`` are trusted SQL)."""
        cur = await self.db.execute(
            f"SELECT {_INFO_COLUMNS}, (SELECT s.id FROM transcripts s"
            " WHERE s.pk = t.supersedes_pk)"
            " AS supersedes_id FROM transcripts t"
            f" WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return list(await cur.fetchall())

    async def count(self, table: str, where: str = "1") -> int:
        cur = await self.db.execute(f"SELECT count(*) FROM {table} WHERE {where}")
        row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def totals(self) -> dict[str, int]:
        """What the library holds: current transcripts, revisions, turns, passages, words."""
        cur = await self.db.execute(
            "SELECT count(*), coalesce(sum(word_count), 0) FROM transcripts WHERE current = 1"
        )
        row = await cur.fetchone()
        transcripts, words = (int(row[0]), int(row[1])) if row else (0, 0)
        return {
            "transcripts": transcripts,
            "revisions": await self.count("transcripts"),
            "turns": await self.count("turns"),
            "passages": await self.count("passages"),
            "words": words,
        }

    # -- writes (inside a transaction) ------------------------------------------

    async def insert_transcript(
        self,
        transcript: Transcript,
        passages: Sequence[Passage],
        *,
        transcript_id: str,
        source_key: str,
        content_hash: str,
        ingested_at: str,
        revision: int = 1,
        supersedes_pk: int | None = None,
    ) -> tuple[StoredRef, list[Passage]]:
        """Insert a transcript with its turns and passages; returns passages with ids.

        Must run inside :meth:`transaction`: the next ``seq`` is read and used
        under its write lock, so a rolled-back ingest leaves no gap behind.
        """
        db = self.db
        # Past removed ones too (0008_removed.sql): a pk or seq is never reused.
        cur = await db.execute(
            "SELECT max((SELECT coalesce(max(pk), 0) FROM transcripts),"
            " (SELECT coalesce(max(pk), 0) FROM removed_transcripts)) + 1,"
            " max((SELECT coalesce(max(seq), 0) FROM transcripts),"
            " (SELECT coalesce(max(seq), 0) FROM removed_transcripts)) + 1"
        )
        row = await cur.fetchone()
        next_pk, seq = (int(row[0]), int(row[1])) if row else (1, 1)
        cur = await db.execute(
            "INSERT INTO transcripts (pk, id, seq, title, date, format, source, source_key,"
            " revision, supersedes_pk, current, content_hash, text, speakers, metadata,"
            " source_summary, warnings, turn_count, word_count, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                next_pk,
                transcript_id,
                seq,
                transcript.title,
                transcript.date,
                transcript.format,
                transcript.source,
                source_key,
                revision,
                supersedes_pk,
                content_hash,
                transcript.text,
                json.dumps(transcript.speakers, ensure_ascii=False),
                json.dumps(transcript.metadata, ensure_ascii=False),
                transcript.source_summary,
                json.dumps(list(transcript.warnings), ensure_ascii=False),
                len(transcript.turns),
                transcript.word_count,
                ingested_at,
            ),
        )
        pk = cur.lastrowid
        assert pk is not None
        if supersedes_pk is not None:
            await db.execute("UPDATE transcripts SET current = 0 WHERE pk = ?", (supersedes_pk,))
        await db.executemany(
            'INSERT INTO turns (transcript_pk, idx, kind, speaker, start, "end",'
            " time_start, time_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (pk, t.index, t.kind, t.speaker, t.start, t.end, t.time_start, t.time_end)
                for t in transcript.turns
            ],
        )
        await db.executemany(
            'INSERT INTO passages (transcript_pk, seq, turn_index, speaker, start, "end", time)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(pk, p.seq, p.turn_index, p.speaker, p.start, p.end, p.time) for p in passages],
        )
        cur = await db.execute(
            "SELECT seq, id FROM passages WHERE transcript_pk = ? ORDER BY seq", (pk,)
        )
        ids = {row[0]: row[1] for row in await cur.fetchall()}
        stored = [replace(p, id=ids[p.seq]) for p in passages]
        return StoredRef(pk, transcript_id, seq, supersedes_pk), stored

    # -- rebuilding --------------------------------------------------------------

    async def load(self, pk: int) -> tuple[sqlite3.Row, Transcript, list[Passage]]:
        """The row, the rebuilt Transcript (offsets intact) and its stored passages."""
        cur = await self.db.execute("SELECT * FROM transcripts WHERE pk = ?", (pk,))
        row = await cur.fetchone()
        if row is None:
            raise StoreError(f"no transcript row {pk}")
        text: str = row["text"]
        cur = await self.db.execute(
            'SELECT idx, kind, speaker, start, "end", time_start, time_end FROM turns'
            " WHERE transcript_pk = ? ORDER BY idx",
            (pk,),
        )
        turns = tuple(
            Turn(r[0], r[1], r[2], text[r[3] : r[4]], r[3], r[4], r[5], r[6])
            for r in await cur.fetchall()
        )
        transcript = Transcript(
            title=row["title"],
            text=text,
            turns=turns,
            speakers=json.loads(row["speakers"]),
            metadata=json.loads(row["metadata"]),
            date=row["date"],
            source_summary=row["source_summary"],
            format=row["format"],
            source=row["source"],
            warnings=tuple(json.loads(row["warnings"])),
        )
        cur = await self.db.execute(
            'SELECT id, seq, turn_index, speaker, start, "end", time FROM passages'
            " WHERE transcript_pk = ? ORDER BY seq",
            (pk,),
        )
        passages = [
            Passage(
                seq=r[1],
                turn_index=r[2],
                speaker=r[3],
                text=text[r[4] : r[5]],
                start=r[4],
                end=r[5],
                time=r[6],
                id=r[0],
            )
            for r in await cur.fetchall()
        ]
        return row, transcript, passages
