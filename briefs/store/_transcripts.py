"""Transcripts, their turns and passages in the store (migrations 0001 and 0008).

``store.transcripts`` is the library's side of the schema: look a transcript
up (by content hash, id or source), list what is current, insert one with its
turns and passages (inside ``Store.transaction()``), rebuild it, remove it.
Listings never read the text column.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import replace

from briefs.errors import NotFound, StoreError
from briefs.passages import Passage
from briefs.store._repository import Repository
from briefs.store._transcript_types import (
    Removal,
    StoredRef,
    TranscriptInfo,
    parse_marks,
    parse_metadata,
)
from briefs.transcript import Transcript, Turn

__all__ = [
    "Removal", "StoredRef", "TranscriptInfo", "TranscriptRows", "parse_marks", "parse_metadata",
]

# Every column but the text, which listings never need.
_INFO_COLUMNS = ", ".join(
    f"t.{c}"
    for c in [
        "pk", "id", "seq", "title", "date", "format", "source", "source_key", "revision",
        "supersedes_pk", "current", "content_hash", "speakers", "metadata",
        "source_summary", "warnings", "turn_count", "word_count", "ingested_at",
    ]
)
_INFO_SELECT = (
    f"SELECT {_INFO_COLUMNS}, (SELECT s.id FROM transcripts s WHERE s.pk = t.supersedes_pk)"
    " AS supersedes_id FROM transcripts t"
)


def _info(row: sqlite3.Row) -> TranscriptInfo:
    return TranscriptInfo(
        id=row["id"],
        seq=row["seq"],
        title=row["title"],
        date=row["date"],
        speakers=json.loads(row["speakers"]),
        turn_count=row["turn_count"],
        word_count=row["word_count"],
        format=row["format"],
        source=row["source"],
        ingested_at=row["ingested_at"],
        revision=row["revision"],
        source_summary=row["source_summary"],
        current=bool(row["current"]),
        supersedes=row["supersedes_id"],
        metadata=parse_metadata(row["metadata"]),
    )


class TranscriptRows(Repository):
    """The ``transcripts``, ``turns``, ``passages`` and ``removed_transcripts`` tables."""

    # -- lookups -----------------------------------------------------------------

    async def ref_by_hash(self, content_hash: str) -> StoredRef | None:
        """The transcript stored with this content hash, if any."""
        return await self._ref("content_hash = ?", (content_hash,))

    async def ref_by_id(self, transcript_id: str) -> StoredRef | None:
        """The transcript (any revision) with this exact id, if any."""
        return await self._ref("id = ?", (transcript_id,))

    async def current_for_source(self, source_key: str) -> tuple[StoredRef, int] | None:
        """The current revision stored for this source, with its revision number."""
        cur = await self._db.execute(
            "SELECT pk, id, seq, supersedes_pk, revision FROM transcripts"
            " WHERE source_key = ? AND current = 1 ORDER BY revision DESC LIMIT 1",
            (source_key,),
        )
        row = await cur.fetchone()
        return (StoredRef(row[0], row[1], row[2], row[3]), row[4]) if row else None

    async def first_revision_id(self, source_key: str) -> str | None:
        """The id of this source's first revision, removed or not."""
        cur = await self._db.execute(  # removed revisions too: the root id stays the root
            "SELECT id, revision FROM transcripts WHERE source_key = ? UNION ALL SELECT id,"
            " revision FROM removed_transcripts WHERE source_key = ? ORDER BY revision LIMIT 1",
            (source_key, source_key),
        )
        row = await cur.fetchone()
        return row[0] if row else None

    async def ids_like(self, prefix: str) -> set[str]:
        """Every id equal to ``prefix`` or starting with ``prefix-``."""
        # Removed ids count as taken: an id never names a second transcript.
        cur = await self._db.execute(
            "SELECT id FROM transcripts WHERE id = ? OR substr(id, 1, ?) = ?"
            " UNION SELECT id FROM removed_transcripts WHERE id = ? OR substr(id, 1, ?) = ?",
            (prefix, len(prefix) + 1, prefix + "-") * 2,
        )
        return {row[0] for row in await cur.fetchall()}

    async def _ref(self, where: str, params: Sequence[object]) -> StoredRef | None:
        cur = await self._db.execute(
            f"SELECT pk, id, seq, supersedes_pk FROM transcripts WHERE {where}", params
        )
        row = await cur.fetchone()
        return StoredRef(row[0], row[1], row[2], row[3]) if row else None

    # -- listings ----------------------------------------------------------------

    async def current(
        self, *, after_seq: int | None = None, limit: int = -1, offset: int = 0
    ) -> list[TranscriptInfo]:
        """Current revisions: newest first, or oldest first after ``after_seq``."""
        params: tuple[int, ...] = ()
        if after_seq is None:
            where, order = "current = 1", "seq DESC"
        else:
            where, params, order = "current = 1 AND seq > ?", (after_seq,), "seq ASC"
        cur = await self._db.execute(
            f"{_INFO_SELECT} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            # PostgreSQL refuses a negative LIMIT; SQLite's -1 means "no limit".
            (*params, limit if limit >= 0 else 2**62, offset),
        )
        return [_info(r) for r in await cur.fetchall()]

    async def info(self, *, pk: int | None = None, id: str | None = None) -> TranscriptInfo | None:
        """One transcript (any revision) by pk or by exact id."""
        where, key = ("t.pk = ?", pk) if pk is not None else ("t.id = ?", id)
        cur = await self._db.execute(f"{_INFO_SELECT} WHERE {where}", (key,))
        row = await cur.fetchone()
        return _info(row) if row else None

    async def count_current(self) -> int:
        """How many transcripts are current revisions."""
        cur = await self._db.execute("SELECT count(*) FROM transcripts WHERE current = 1")
        row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def totals(self) -> dict[str, int]:
        """What the library holds: current transcripts, revisions, turns, passages, words."""
        cur = await self._db.execute(
            "SELECT (SELECT count(*) FROM transcripts WHERE current = 1),"
            " (SELECT count(*) FROM transcripts), (SELECT count(*) FROM turns),"
            " (SELECT count(*) FROM passages),"
            " (SELECT coalesce(sum(word_count), 0) FROM transcripts WHERE current = 1)"
        )
        row = await cur.fetchone()
        values = [int(v) for v in row] if row else [0] * 5
        return dict(zip(("transcripts", "revisions", "turns", "passages", "words"), values,
                        strict=True))

    async def insert(
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

        Must run inside ``Store.transaction()``: the next ``seq`` is read and used
        under its write lock, so a rolled-back ingest leaves no gap behind.
        """
        db = self._db
        if self._store.dialect == "postgres":
            # Sequences (postgres/0001_core.sql), drawn under the write lock.
            cur = await db.execute("SELECT nextval('transcripts_pk_seq'),"
                                   " nextval('transcripts_ingest_seq')")
        else:
            # Past removed ones too (0008_removed.sql): a pk or seq is never reused.
            cur = await db.execute(
                "SELECT max((SELECT coalesce(max(pk), 0) FROM transcripts),"
                " (SELECT coalesce(max(pk), 0) FROM removed_transcripts)) + 1,"
                " max((SELECT coalesce(max(seq), 0) FROM transcripts),"
                " (SELECT coalesce(max(seq), 0) FROM removed_transcripts)) + 1"
            )
        row = await cur.fetchone()
        next_pk, seq = (int(row[0]), int(row[1])) if row else (1, 1)
        await db.execute(
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
        pk = next_pk
        if supersedes_pk is not None:
            await db.execute("UPDATE transcripts SET current = 0 WHERE pk = ?", (supersedes_pk,))
        await db.executemany(
            'INSERT INTO turns (transcript_pk, idx, kind, speaker, start, "end",'
            " time_start, time_end, marks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (pk, t.index, t.kind, t.speaker, t.start, t.end, t.time_start, t.time_end,
                 json.dumps(t.marks) if t.marks else None)
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

    async def load(self, pk: int) -> tuple[TranscriptInfo, Transcript, list[Passage]]:
        """Its info, the rebuilt Transcript (offsets intact) and its stored passages."""
        cur = await self._db.execute(
            f"SELECT t.text, {_INFO_COLUMNS}, (SELECT s.id FROM transcripts s"
            " WHERE s.pk = t.supersedes_pk) AS supersedes_id FROM transcripts t WHERE t.pk = ?",
            (pk,),
        )
        row = await cur.fetchone()
        if row is None:
            raise StoreError(f"no transcript row {pk}")
        text: str = row["text"]
        cur = await self._db.execute(
            'SELECT idx, kind, speaker, start, "end", time_start, time_end, marks FROM turns'
            " WHERE transcript_pk = ? ORDER BY idx",
            (pk,),
        )
        turns = tuple(
            Turn(r[0], r[1], r[2], text[r[3] : r[4]], r[3], r[4], r[5], r[6], parse_marks(r[7]))
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
        cur = await self._db.execute(
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
        return _info(row), transcript, passages

    # -- removing (inside a transaction) ------------------------------------------

    async def remove(self, transcript_id: str, *, removed_at: str, now_iso: str) -> Removal:
        """Delete a transcript (its turns, passages, brief and search rows cascade).

        The newer revision, if any, is linked to the one before; a removed current
        revision makes that one current again. Its pk, seq and id are recorded in
        ``removed_transcripts`` so none is ever reused. Composed digests not yet
        sent that cover it are dropped (``now_iso``: the outbox's clock, for
        leases). Raises NotFound.
        """
        db = self._db
        cur = await db.execute(
            "SELECT pk, id, seq, title, source_key, revision, supersedes_pk, current, turn_count,"
            " (SELECT count(*) FROM passages p WHERE p.transcript_pk = t.pk)"
            " FROM transcripts t WHERE id = ?",
            (transcript_id,),
        )
        row = await cur.fetchone()
        if row is None:
            raise NotFound(f"no transcript with id {transcript_id!r}")
        pk, tid, seq, title, source_key, revision, supersedes_pk, current, turns, passages = row
        # The newer revision (if any) now replaces the one before this one.
        await db.execute(
            "UPDATE transcripts SET supersedes_pk = ? WHERE supersedes_pk = ?", (supersedes_pk, pk)
        )
        restored: StoredRef | None = None
        if current and supersedes_pk is not None:
            await db.execute("UPDATE transcripts SET current = 1 WHERE pk = ?", (supersedes_pk,))
            restored = await self._ref("pk = ?", (supersedes_pk,))
        await db.execute(
            "INSERT INTO removed_transcripts (pk, id, seq, title, source_key, revision, removed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (pk, tid, seq, title, source_key, revision, removed_at),
        )
        await db.execute("DELETE FROM transcripts WHERE pk = ?", (pk,))
        recomposed = await self._store.digests.drop_unsent_covering(seq, now_iso)
        return Removal(tid, title, pk, seq, turns, passages, restored, recomposed)
