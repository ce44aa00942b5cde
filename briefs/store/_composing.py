"""Compose claims (migration 0010): a sender takes due subscribers before composing them.

Without a claim every sender composed every due digest and all but one threw
theirs away at the optimistic check (``schedule_next``). A claim is a short
lease in ``digest_composing``: taken in one small transaction, honoured by the
other senders until ``claimed_until``, released when the run has recorded what
it composed. The optimistic check stays: a claim only saves work, the check
keeps one outbox row per due time even if a claim lapses mid-compose.
"""

from __future__ import annotations

from datetime import datetime

from briefs.store._outbox import OPEN
from briefs.store._repository import Repository
from briefs.store._subscribers import StoredSubscriber
from briefs.store._time import iso

__all__ = ["ComposeClaims"]


class ComposeClaims(Repository):
    """The ``digest_composing`` table."""

    serialized = False  # the upsert's condition guards each claim

    async def claim_due(
        self, now: datetime, *, owner: str, until: datetime, stale_after: datetime, limit: int
    ) -> list[StoredSubscriber]:
        """Claim up to ``limit`` subscribers due at ``now`` for ``owner`` until ``until``.

        Skips subscribers with an open outbox row and those another run holds
        (a claim ending after ``now`` and not after ``stale_after``: one stamped
        further ahead is from a clock that jumped and came back, and is free).
        Returns the claimed subscribers in due order, unread.
        """
        due = (
            "SELECT s.chat_id, s.next_due_at FROM subscribers s"
            " WHERE s.active = 1 AND s.paused = 0 AND s.next_due_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM digest_outbox o WHERE o.chat_id = s.chat_id"
            f" AND o.status IN {OPEN})"
            " AND NOT EXISTS (SELECT 1 FROM digest_composing c WHERE c.chat_id = s.chat_id"
            " AND c.claimed_until > ? AND c.claimed_until <= ?)"
            " ORDER BY s.next_due_at, s.chat_id LIMIT ?"
        )
        if self._store.dialect == "postgres":
            # Any number of senders claim at once: subscribers another sender
            # is claiming right now are skipped, not waited for.
            due += " FOR UPDATE OF s SKIP LOCKED"
        # The upsert's WHERE is the guard: a claim committed by another run
        # since this statement's snapshot is seen here and not overwritten.
        cur = await self._db.execute(
            f"WITH due AS ({due})"
            " INSERT INTO digest_composing (chat_id, owner, claimed_until)"
            " SELECT chat_id, ?, ? FROM due WHERE true"
            " ON CONFLICT (chat_id) DO UPDATE SET owner = excluded.owner,"
            " claimed_until = excluded.claimed_until"
            " WHERE digest_composing.claimed_until <= ? OR digest_composing.claimed_until > ?"
            " RETURNING chat_id",
            (iso(now), iso(now), iso(stale_after), limit, owner, iso(until),
             iso(now), iso(stale_after)),
        )
        ids = [int(row[0]) for row in await cur.fetchall()]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        cur = await self._db.execute(
            f"SELECT * FROM subscribers WHERE chat_id IN ({marks})"
            " ORDER BY next_due_at, chat_id",
            ids,
        )
        return [StoredSubscriber.from_row(row) for row in await cur.fetchall()]

    async def release_claims(self, owner: str) -> None:
        """Drop every claim ``owner`` holds (its run recorded what it composed)."""
        await self._db.execute("DELETE FROM digest_composing WHERE owner = ?", (owner,))
