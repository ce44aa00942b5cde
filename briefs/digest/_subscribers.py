"""Subscribers and the digest outbox in SQLite (migration 0005).

Every write runs inside ``Store.transaction()`` (one writer at a time on the
shared connection, ``BEGIN IMMEDIATE`` across processes). State changes that
must agree — an outbox row delivered and the watermark advanced; a row
composed and the next due time moved — happen in one transaction each.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from briefs.digest._schedule import iso, next_due, parse_iso
from briefs.errors import NotFound
from briefs.store import Store

__all__ = [
    "OUTBOX_SELECT",
    "Button",
    "OutboxRow",
    "Subscriber",
    "get_subscriber",
    "latest_seq",
    "list_outbox",
    "list_subscribers",
    "save_subscriber",
    "set_subscriber_state",
]

OPEN = ("composed", "sent")
OUTBOX_SELECT = (
    "SELECT o.*, m.part AS sending_part, m.doubted AS doubted FROM digest_outbox o"
    " LEFT JOIN digest_sending m ON m.outbox_id = o.id"
)
"""Outbox rows with their "sending part k" mark (migration 0007)."""


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button under a digest message: open transcript ``transcript_id``'s brief.

    The engine knows nothing of Telegram: the Sender turns this into a deep
    link or callback button its front end understands.
    """

    text: str
    transcript_id: str

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "transcript_id": self.transcript_id}


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
class OutboxRow:
    """One digest in the outbox."""

    id: int
    chat_id: int
    kind: str
    parts: tuple[str, ...]
    buttons: tuple[tuple[Button, ...], ...]
    parts_sent: int
    from_seq: int
    to_seq: int
    transcripts: int
    due_at: datetime
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    sending_part: int | None = None
    """The 1-based part marked "sending" and not yet recorded as accepted (0007)."""
    doubted: int = 0
    """Parts found in doubt after a crash and sent again (they may have arrived twice)."""

    @property
    def in_doubt(self) -> bool:
        """Its next part was requested before a crash: the chat may already have it."""
        return self.status in OPEN and self.sending_part == self.parts_sent + 1

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> OutboxRow:
        buttons: list[list[dict[str, Any]]] = json.loads(row["buttons"])
        keys = row.keys()
        return cls(
            id=row["id"],
            chat_id=row["chat_id"],
            kind=row["kind"],
            parts=tuple(json.loads(row["parts"])),
            buttons=tuple(tuple(Button(**b) for b in part) for part in buttons),
            parts_sent=row["parts_sent"],
            from_seq=row["from_seq"],
            to_seq=row["to_seq"],
            transcripts=row["transcripts"],
            due_at=parse_iso(row["due_at"]),
            status=row["status"],
            attempts=row["attempts"],
            last_error=row["last_error"],
            created_at=parse_iso(row["created_at"]),
            sent_at=parse_iso(row["sent_at"]) if row["sent_at"] else None,
            # Only queries joined with digest_sending (OUTBOX_SELECT) carry these.
            sending_part=row["sending_part"] if "sending_part" in keys else None,
            doubted=(row["doubted"] or 0) if "doubted" in keys else 0,
        )


async def latest_seq(store: Store) -> int:
    """The newest ingest sequence number (0 for an empty library)."""
    cur = await store.db.execute("SELECT coalesce(max(seq), 0) FROM transcripts")
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def get_subscriber(store: Store, chat_id: int) -> Subscriber:
    cur = await store.db.execute("SELECT * FROM subscribers WHERE chat_id = ?", (chat_id,))
    row = await cur.fetchone()
    if row is None:
        raise NotFound("this chat has no digest subscription: /subscribe starts one")
    return Subscriber.from_row(row)


async def list_subscribers(
    store: Store, *, only_active: bool = False, unreadable: list[tuple[int, str]] | None = None
) -> list[Subscriber]:
    """Subscribers by chat id; rows that cannot be read go to ``unreadable`` as
    (chat id, reason) instead of failing the whole listing."""
    where = "WHERE active = 1" if only_active else ""
    cur = await store.db.execute(f"SELECT * FROM subscribers {where} ORDER BY chat_id")
    return _readable(Subscriber.from_row, list(await cur.fetchall()), "chat_id", unreadable)


def _readable(read: Any, rows: list[sqlite3.Row], key: str,
              unreadable: list[tuple[int, str]] | None) -> list[Any]:
    readable = []
    for row in rows:
        try:
            readable.append(read(row))
        except Exception as err:  # one poisoned row must not hide the others
            if unreadable is None:
                raise
            unreadable.append((row[key], " ".join(f"{type(err).__name__}: {err}".split())[:300]))
    return readable


async def save_subscriber(
    store: Store,
    *,
    chat_id: int,
    chat_type: str,
    at: time,
    zone: ZoneInfo,
    topics: tuple[str, ...],
    now: datetime,
) -> Subscriber:
    """Create or update a subscription; (re)activates it and schedules the next digest.

    A new (or re-activated) subscriber starts at the newest transcript: the
    first digest holds what arrives from now on, not the whole back catalogue.
    An existing active one keeps its place (its watermark), so changing the
    time never skips or repeats a transcript.
    """
    due = iso(next_due(now, at, zone))
    stamp = iso(now)
    async with store.transaction() as db:
        cur = await db.execute("SELECT coalesce(max(seq), 0) FROM transcripts")
        row = await cur.fetchone()
        newest = int(row[0]) if row else 0
        await db.execute(
            "INSERT INTO subscribers (chat_id, chat_type, send_time, tz, topics, active, paused,"
            " watermark, next_due_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET chat_type = excluded.chat_type,"
            " send_time = excluded.send_time, tz = excluded.tz, topics = excluded.topics,"
            " watermark = CASE WHEN active = 1 THEN watermark ELSE excluded.watermark END,"
            " active = 1, paused = 0, inactive_reason = NULL,"
            " next_due_at = excluded.next_due_at, updated_at = excluded.updated_at",
            (
                chat_id, chat_type, f"{at:%H:%M}", zone.key,
                json.dumps(list(topics), ensure_ascii=False), newest, due, stamp, stamp,
            ),
        )
    return await get_subscriber(store, chat_id)


async def set_subscriber_state(
    store: Store,
    chat_id: int,
    *,
    now: datetime,
    active: bool | None = None,
    paused: bool | None = None,
    reason: str | None = None,
) -> Subscriber:
    """Pause, resume or deactivate; resuming schedules the next occurrence after ``now``.

    Raises NotFound when the chat never subscribed.
    """
    current = await get_subscriber(store, chat_id)
    due = current.next_due_at
    if paused is False and current.paused:
        # A digest time that passed while paused is not caught up on resume:
        # the next one goes out at the next scheduled time, with everything since.
        due = next_due(now, current.at, ZoneInfo(current.zone))
    async with store.transaction() as db:
        await db.execute(
            "UPDATE subscribers SET active = coalesce(?, active), paused = coalesce(?, paused),"
            " inactive_reason = CASE WHEN ? = 0 THEN ? ELSE inactive_reason END,"
            " next_due_at = ?, updated_at = ? WHERE chat_id = ?",
            (
                None if active is None else int(active),
                None if paused is None else int(paused),
                1 if active is None else int(active),
                reason,
                iso(due),
                iso(now),
                chat_id,
            ),
        )
    return await get_subscriber(store, chat_id)


async def list_outbox(
    store: Store, *, chat_id: int | None = None, status: str | None = None, limit: int = 50,
    unreadable: list[tuple[int, str]] | None = None,
) -> list[OutboxRow]:
    """Outbox rows, newest first; like :func:`list_subscribers` with ``unreadable`` (row id)."""
    clauses: list[str] = []
    params: list[object] = []
    if chat_id is not None:
        clauses.append("o.chat_id = ?")
        params.append(chat_id)
    if status is not None:
        clauses.append("o.status = ?")
        params.append(status)
    where = " AND ".join(clauses) or "1"
    cur = await store.db.execute(
        f"{OUTBOX_SELECT} WHERE {where} ORDER BY o.id DESC LIMIT ?", (*params, limit)
    )
    return _readable(OutboxRow.from_row, list(await cur.fetchall()), "id", unreadable)
