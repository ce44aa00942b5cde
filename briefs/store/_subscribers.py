"""Subscriber rows (migration 0005): one per chat, with its watermark and next due time.

The methods are single reads or writes; the digest engine decides where a
transaction begins and ends (one per arrow of a digest's life, see
``docs/digests.md``) and calls them inside ``Store.transaction()``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from briefs.store._outbox import OPEN, readable
from briefs.store._repository import Repository
from briefs.store._time import iso, parse_iso

__all__ = ["StoredSubscriber", "Subscriber", "SubscriberRows"]


@dataclass(frozen=True, slots=True)
class Subscriber:
    """One chat's digest subscription, as stored."""

    chat_id: int
    chat_type: str
    at: time
    zone: str
    topics: tuple[str, ...]
    active: bool
    paused: bool
    watermark: int
    next_due_at: datetime
    last_digest_at: datetime | None
    inactive_reason: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def receiving(self) -> bool:
        """Active and not paused: scheduled digests go out."""
        return self.active and not self.paused

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Subscriber:
        """Read a ``subscribers`` row; raises on a stored value that cannot be read."""
        hh, mm = row["send_time"].split(":")
        return cls(
            chat_id=row["chat_id"],
            chat_type=row["chat_type"],
            at=time(int(hh), int(mm)),
            zone=row["tz"],
            topics=tuple(json.loads(row["topics"])),
            active=bool(row["active"]),
            paused=bool(row["paused"]),
            watermark=row["watermark"],
            next_due_at=parse_iso(row["next_due_at"]),
            last_digest_at=parse_iso(row["last_digest_at"]) if row["last_digest_at"] else None,
            inactive_reason=row["inactive_reason"],
            created_at=parse_iso(row["created_at"]),
            updated_at=parse_iso(row["updated_at"]),
        )


@dataclass(frozen=True, slots=True)
class StoredSubscriber:
    """A subscriber row as stored, not yet read.

    The scheduler reads each due row inside its own error boundary (``read()``
    raises on a poisoned value) and, when that fails, still needs the raw
    values to record the failure and move the schedule on.
    """

    chat_id: int
    send_time: Any
    tz: Any
    next_due_at: Any
    """The stored text, exactly: optimistic checks compare against it."""
    watermark: Any
    _row: sqlite3.Row = field(repr=False)

    def read(self) -> Subscriber:
        """The row as a :class:`Subscriber`; raises when a stored value cannot be read."""
        return Subscriber.from_row(self._row)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> StoredSubscriber:
        """Keep a ``subscribers`` row unread."""
        return cls(row["chat_id"], row["send_time"], row["tz"], row["next_due_at"],
                   row["watermark"], row)


class SubscriberRows(Repository):
    """The ``subscribers`` table, and the ingest sequence numbers digests are cut by."""

    serialized = False  # optimistic checks (next_due_at, watermark) guard each row

    async def newest_seq(self) -> int:
        """The newest ingest sequence number (0 for an empty library)."""
        cur = await self._db.execute("SELECT coalesce(max(seq), 0) FROM transcripts")
        row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def stored_seqs(self, seqs: Sequence[int]) -> int:
        """How many of ``seqs`` are still stored (a removal may race a digest)."""
        if not seqs:
            return 0
        marks = ", ".join("?" * len(seqs))
        cur = await self._db.execute(
            f"SELECT count(*) FROM transcripts WHERE seq IN ({marks})", list(seqs)
        )
        row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def subscriber(self, chat_id: int) -> Subscriber | None:
        """The chat's subscription, or None."""
        cur = await self._db.execute("SELECT * FROM subscribers WHERE chat_id = ?", (chat_id,))
        row = await cur.fetchone()
        return Subscriber.from_row(row) if row is not None else None

    async def subscribers(
        self, *, only_active: bool = False, unreadable: list[tuple[int, str]] | None = None
    ) -> list[Subscriber]:
        """Subscribers by chat id; see :func:`readable` for ``unreadable``."""
        where = "WHERE active = 1" if only_active else ""
        cur = await self._db.execute(f"SELECT * FROM subscribers {where} ORDER BY chat_id")
        return readable(Subscriber.from_row, list(await cur.fetchall()), "chat_id", unreadable)

    async def save_subscriber(
        self, *, chat_id: int, chat_type: str, at: time, zone: str, topics: Sequence[str],
        watermark: int, next_due_at: datetime, now: datetime,
    ) -> None:
        """Insert or update a subscription, (re)activated.

        ``watermark`` applies to a new or re-activated row; an active one keeps its own.
        """
        stamp = iso(now)
        await self._db.execute(
            "INSERT INTO subscribers (chat_id, chat_type, send_time, tz, topics, active, paused,"
            " watermark, next_due_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET chat_type = excluded.chat_type,"
            " send_time = excluded.send_time, tz = excluded.tz, topics = excluded.topics,"
            " watermark = CASE WHEN subscribers.active = 1 THEN subscribers.watermark"
            " ELSE excluded.watermark END,"
            " active = 1, paused = 0, inactive_reason = NULL,"
            " next_due_at = excluded.next_due_at, updated_at = excluded.updated_at",
            (
                chat_id, chat_type, f"{at:%H:%M}", zone,
                json.dumps(list(topics), ensure_ascii=False), watermark, iso(next_due_at),
                stamp, stamp,
            ),
        )

    async def set_state(
        self, chat_id: int, *, active: bool | None, paused: bool | None, reason: str | None,
        next_due_at: datetime, now: datetime,
    ) -> None:
        """Change ``active``/``paused`` (None keeps them); ``reason`` is kept on deactivation."""
        await self._db.execute(
            "UPDATE subscribers SET active = coalesce(?, active), paused = coalesce(?, paused),"
            " inactive_reason = CASE WHEN ? = 0 THEN ? ELSE inactive_reason END,"
            " next_due_at = ?, updated_at = ? WHERE chat_id = ?",
            (
                None if active is None else int(active),
                None if paused is None else int(paused),
                1 if active is None else int(active),
                reason,
                iso(next_due_at),
                iso(now),
                chat_id,
            ),
        )

    async def deactivate(self, chat_id: int, *, reason: str, now: datetime) -> None:
        """The chat refuses the bot: no more digests, with the reason."""
        await self._db.execute(
            "UPDATE subscribers SET active = 0, inactive_reason = ?, updated_at = ?"
            " WHERE chat_id = ?",
            (reason, iso(now), chat_id),
        )

    async def due_subscribers(self, now: datetime) -> list[StoredSubscriber]:
        """Receiving subscribers due at ``now`` with no open outbox row, unread."""
        cur = await self._db.execute(
            "SELECT * FROM subscribers s WHERE active = 1 AND paused = 0 AND next_due_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM digest_outbox o WHERE o.chat_id = s.chat_id"
            f" AND o.status IN {OPEN}) ORDER BY next_due_at, chat_id",
            (iso(now),),
        )
        return [StoredSubscriber.from_row(row) for row in await cur.fetchall()]

    async def due_beyond(self, moment: datetime) -> list[StoredSubscriber]:
        """Receiving subscribers whose next due time is after ``moment`` (one indexed range)."""
        cur = await self._db.execute(
            "SELECT * FROM subscribers WHERE active = 1 AND paused = 0 AND next_due_at > ?",
            (iso(moment),),
        )
        return [StoredSubscriber.from_row(row) for row in await cur.fetchall()]

    async def move_due(self, chat_id: int, due: datetime, *, was: Any) -> bool:
        """Set the next due time if it is still ``was`` (see :func:`_as_stored`)."""
        cur = await self._db.execute(
            "UPDATE subscribers SET next_due_at = ? WHERE chat_id = ? AND next_due_at = ?",
            (iso(due), chat_id, _as_stored(was)),
        )
        return cur.rowcount == 1

    async def schedule_next(
        self, chat_id: int, due: datetime, *, was: Any, now: datetime,
        watermark: int | None = None, was_watermark: int | None = None,
    ) -> bool:
        """Move a receiving subscriber's due time on (and its watermark, if given).

        Optimistic: False, changing nothing, when the row is no longer due at
        ``was`` (see :func:`_as_stored`), has another watermark than ``was_watermark``,
        or stopped receiving: someone else handled it meanwhile.
        """
        if watermark is None or was_watermark is None:
            cur = await self._db.execute(
                "UPDATE subscribers SET next_due_at = ?, updated_at = ?"
                " WHERE chat_id = ? AND next_due_at = ? AND active = 1 AND paused = 0",
                (iso(due), iso(now), chat_id, _as_stored(was)),
            )
        else:
            cur = await self._db.execute(
                "UPDATE subscribers SET next_due_at = ?, watermark = ?, updated_at = ?"
                " WHERE chat_id = ? AND next_due_at = ? AND watermark = ? AND active = 1"
                " AND paused = 0",
                (iso(due), watermark, iso(now), chat_id, _as_stored(was), was_watermark),
            )
        return cur.rowcount == 1

    async def advance_watermark(
        self, chat_id: int, to_seq: int, *, delivered_at: datetime | None = None
    ) -> None:
        """Move the watermark up to ``to_seq`` (never down); with a delivery, stamp it."""
        if delivered_at is None:
            await self._db.execute(
                "UPDATE subscribers SET watermark = CASE WHEN watermark > ? THEN watermark"
                " ELSE ? END WHERE chat_id = ?",
                (to_seq, to_seq, chat_id),
            )
            return
        await self._db.execute(
            "UPDATE subscribers SET watermark = CASE WHEN watermark > ? THEN watermark"
            " ELSE ? END, last_digest_at = ? WHERE chat_id = ?",
            (to_seq, to_seq, iso(delivered_at), chat_id),
        )


def _as_stored(was: Any) -> Any:
    """A moment as the store writes it; anything else is a stored value read back
    as it was (a row that could not be read is compared with what it holds)."""
    return iso(was) if isinstance(was, datetime) else was
