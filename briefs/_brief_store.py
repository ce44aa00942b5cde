"""Briefs in the store: built at ingest (``BriefStep``), loaded, and rebuilt.

A brief is stored whole, as JSON, in ``briefs`` (migration ``0002``), beside
the engine and version that built it: serving a brief is one row read, and
``rebuild_briefs`` can find the briefs an engine change made stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from briefs.brief import ENGINE, ENGINE_VERSION, Brief, build_brief
from briefs.passages import Passage
from briefs.store import Store, StoredRef, utc_stamp
from briefs.transcript import Transcript

__all__ = ["BriefStep", "RebuildReport", "load_brief", "rebuild_briefs", "save_brief"]

Clock = Callable[[], datetime]


def _now(clock: Clock | None) -> str:
    return utc_stamp(clock() if clock is not None else None)


async def save_brief(
    db: aiosqlite.Connection, transcript_pk: int, brief: Brief, *, built_at: str
) -> None:
    """Write (or replace) the brief of a transcript; the caller owns the transaction."""
    await db.execute(
        "INSERT OR REPLACE INTO briefs (transcript_pk, engine, engine_version, built_at, json)"
        " VALUES (?, ?, ?, ?, ?)",
        (transcript_pk, brief.engine, brief.engine_version, built_at, brief.to_json()),
    )


async def load_brief(db: aiosqlite.Connection, transcript_pk: int) -> Brief | None:
    """The stored brief of a transcript, or ``None`` if none was built."""
    cur = await db.execute("SELECT json FROM briefs WHERE transcript_pk = ?", (transcript_pk,))
    row = await cur.fetchone()
    return Brief.from_json(row[0]) if row is not None else None


class BriefStep:
    """The ingest step that builds and stores a transcript's brief.

    The brief is written inside the ingest transaction, so a transcript is
    never stored without one; there is no in-memory state to update after.
    """

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock

    async def stage(
        self,
        db: aiosqlite.Connection,
        stored: StoredRef,
        transcript: Transcript,
        passages: list[Passage],
    ) -> None:
        brief = build_brief(transcript, passages)
        await save_brief(db, stored.pk, brief, built_at=_now(self._clock))

    def committed(self, stored: StoredRef, transcript: Transcript, passages: list[Passage]) -> None:
        return None


@dataclass(frozen=True, slots=True)
class RebuildReport:
    rebuilt: int
    unchanged: int
    total: int


async def rebuild_briefs(
    store: Store, *, everything: bool = False, clock: Clock | None = None
) -> RebuildReport:
    """Rebuild every brief built by another engine or version (all with ``everything``).

    Transcripts with no brief at all (stored before briefs existed) count as stale.
    Each brief is written in its own transaction, so an interrupted rebuild
    keeps what it finished and the next run picks up the rest.
    """
    cur = await store.db.execute(
        "SELECT t.pk, b.engine, b.engine_version FROM transcripts t"
        " LEFT JOIN briefs b ON b.transcript_pk = t.pk ORDER BY t.seq"
    )
    rows = list(await cur.fetchall())
    stale = [r[0] for r in rows if everything or r[1] != ENGINE or r[2] != ENGINE_VERSION]
    for pk in stale:
        _row, transcript, passages = await store.load(pk)
        brief = build_brief(transcript, passages)
        async with store.transaction() as db:
            await save_brief(db, pk, brief, built_at=_now(clock))
    return RebuildReport(rebuilt=len(stale), unchanged=len(rows) - len(stale), total=len(rows))
