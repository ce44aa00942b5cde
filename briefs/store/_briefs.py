"""Briefs in the store (migration 0002_briefs.sql): saved, loaded, listed for rebuild.

The store keeps a brief as the JSON text the brief engine wrote: encoding and
decoding it is ``briefs.brief``'s business (the store may not import it), so
these methods take and return :class:`StoredBrief` records.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefs.store._repository import Repository

__all__ = ["BriefRows", "BriefStamp", "StoredBrief"]


@dataclass(frozen=True, slots=True)
class StoredBrief:
    """One row of ``briefs``: a transcript's brief as JSON, and what built it."""

    transcript_pk: int
    engine: str
    engine_version: str
    built_at: str
    """ISO 8601 UTC (``utc_stamp``)."""
    json: str
    """``briefs.brief.Brief.to_json()``."""


@dataclass(frozen=True, slots=True)
class BriefStamp:
    """A stored transcript and the engine that built its brief (``None``: no brief yet)."""

    transcript_pk: int
    engine: str | None
    engine_version: str | None


class BriefRows(Repository):
    """The ``briefs`` table."""

    async def save(self, brief: StoredBrief) -> None:
        """Write (or replace) the brief of a transcript; the caller owns the transaction."""
        await self._db.execute(
            "INSERT INTO briefs (transcript_pk, engine, engine_version, built_at, json)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (transcript_pk) DO UPDATE SET"
            " engine = excluded.engine, engine_version = excluded.engine_version,"
            " built_at = excluded.built_at, json = excluded.json",
            (brief.transcript_pk, brief.engine, brief.engine_version, brief.built_at, brief.json),
        )

    async def get(self, transcript_pk: int) -> StoredBrief | None:
        """The stored brief of a transcript, or ``None`` if none was built."""
        cur = await self._db.execute(
            "SELECT transcript_pk, engine, engine_version, built_at, json FROM briefs"
            " WHERE transcript_pk = ?",
            (transcript_pk,),
        )
        row = await cur.fetchone()
        if row is None:
            return None
        return StoredBrief(row[0], row[1], row[2], row[3], row[4])

    async def stamps(self) -> list[BriefStamp]:
        """Every stored transcript (revisions too), oldest first, with its brief's engine."""
        cur = await self._db.execute(
            "SELECT t.pk, b.engine, b.engine_version FROM transcripts t"
            " LEFT JOIN briefs b ON b.transcript_pk = t.pk ORDER BY t.seq"
        )
        return [BriefStamp(r[0], r[1], r[2]) for r in await cur.fetchall()]
