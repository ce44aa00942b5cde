"""Outbox rows (migrations 0005, 0007): one per digest, with its "sending part k" mark.

Each method is one step of a row's life; the digest engine wraps each arrow
of that life in one ``Store.transaction()`` (``docs/digests.md``). Writes that
belong to a lease check its token (``owner``): only the run holding the row
changes it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import asyncpg

from briefs.errors import StoreError
from briefs.store._repository import Repository
from briefs.store._time import iso, parse_iso

__all__ = ["OPEN", "Button", "OutboxRow", "OutboxRows", "StoredOutboxRow", "is_busy_error"]

T = TypeVar("T")

OPEN = ("composed", "sent")
"""Statuses of a row still on its way (at most one per chat: a partial unique index)."""
_SELECT = (
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
        """The button as stored in ``digest_outbox.buttons``."""
        return {"text": self.text, "transcript_id": self.transcript_id}


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
        """Read a ``digest_outbox`` row; raises on a stored value that cannot be read."""
        buttons: list[list[dict[str, Any]]] = json.loads(row["buttons"])
        keys = set(row.keys())  # asyncpg's keys() is an iterator
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
            # Only queries joined with digest_sending (_SELECT) carry these.
            sending_part=row["sending_part"] if "sending_part" in keys else None,
            doubted=(row["doubted"] or 0) if "doubted" in keys else 0,
        )


@dataclass(frozen=True, slots=True)
class StoredOutboxRow:
    """An outbox row as stored, not yet read: ``read()`` raises on a poisoned value."""

    id: int
    chat_id: int
    _row: sqlite3.Row = field(repr=False)

    def read(self) -> OutboxRow:
        """The row as an :class:`OutboxRow`."""
        return OutboxRow.from_row(self._row)


def readable(read: Callable[[Any], T], rows: Sequence[Any], key: str,
             unreadable: list[tuple[int, str]] | None) -> list[T]:
    """``read`` each row; rows that cannot be read go to ``unreadable`` as (key, reason)
    instead of failing the whole listing (None: raise)."""
    result = []
    for row in rows:
        try:
            result.append(read(row))
        except Exception as err:  # one poisoned row must not hide the others
            if unreadable is None:
                raise
            unreadable.append((row[key], " ".join(f"{type(err).__name__}: {err}".split())[:300]))
    return result


_PG_BUSY = (asyncpg.exceptions.LockNotAvailableError, asyncpg.exceptions.DeadlockDetectedError,
            asyncpg.exceptions.SerializationError)


def is_busy_error(err: BaseException) -> bool:
    """SQLite's "database is locked"/"busy" (also when the store wraps it), or
    PostgreSQL's lock timeout, deadlock or serialization failure: try again later."""
    if isinstance(err, _PG_BUSY):
        return True
    if not isinstance(err, sqlite3.OperationalError | StoreError):
        return False
    text = str(err).lower()
    return "locked" in text or "busy" in text


class OutboxRows(Repository):
    """The ``digest_outbox`` and ``digest_sending`` tables."""

    serialized = False  # leases, SKIP LOCKED claims and owner checks guard each row

    async def outbox(
        self, *, chat_id: int | None = None, status: str | None = None, limit: int = 50,
        unreadable: list[tuple[int, str]] | None = None,
    ) -> list[OutboxRow]:
        """Rows newest first, with their marks; see :func:`readable` for ``unreadable``."""
        clauses: list[str] = []
        params: list[object] = []
        if chat_id is not None:
            clauses.append("o.chat_id = ?")
            params.append(chat_id)
        if status is not None:
            clauses.append("o.status = ?")
            params.append(status)
        where = " AND ".join(clauses) or "1 = 1"
        cur = await self._db.execute(
            f"{_SELECT} WHERE {where} ORDER BY o.id DESC LIMIT ?", (*params, limit)
        )
        return readable(OutboxRow.from_row, list(await cur.fetchall()), "id", unreadable)

    async def has_open_row(self, chat_id: int) -> bool:
        """Whether a digest for the chat is still on its way."""
        cur = await self._db.execute(
            f"SELECT 1 FROM digest_outbox WHERE chat_id = ? AND status IN {OPEN}", (chat_id,)
        )
        return await cur.fetchone() is not None

    async def insert_composed(
        self, chat_id: int, *, kind: str, parts: Sequence[str],
        buttons: Sequence[Sequence[Button]], from_seq: int, to_seq: int, transcripts: int,
        due_at: datetime, now: datetime,
    ) -> int:
        """A new ``composed`` row; returns its id."""
        cur = await self._db.execute(
            "INSERT INTO digest_outbox (chat_id, kind, parts, buttons, from_seq, to_seq,"
            " transcripts, due_at, status, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'composed', ?) RETURNING id",
            (
                chat_id, kind, json.dumps(list(parts), ensure_ascii=False),
                json.dumps([[b.to_json() for b in part] for part in buttons],
                           ensure_ascii=False),
                from_seq, to_seq, transcripts, iso(due_at), iso(now),
            ),
        )
        row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def insert_failed(
        self, chat_id: int, *, watermark: int, due_at: object, reason: str, now: datetime
    ) -> None:
        """A ``failed`` scheduled row for a digest that could not be composed.

        ``due_at`` is the subscriber's stored due time as it was (it may be unreadable).
        """
        await self._db.execute(
            "INSERT INTO digest_outbox (chat_id, kind, parts, buttons, from_seq, to_seq,"
            " transcripts, due_at, status, last_error, created_at)"
            " VALUES (?, 'scheduled', '[]', '[]', ?, ?, 0, ?, 'failed', ?, ?)",
            (chat_id, watermark, watermark, str(due_at), reason, iso(now)),
        )

    async def deliverable(
        self, now: datetime, *, chat_ids: Sequence[int] | None = None,
        include_paused: bool = False,
    ) -> list[int]:
        """Ids of open rows of active chats, neither leased nor deferred past ``now``."""
        where = [
            f"o.status IN {OPEN}",
            "(o.lease_until IS NULL OR o.lease_until <= :now)",
            "(o.next_attempt_at IS NULL OR o.next_attempt_at <= :now)",
            "s.active = 1",
        ]
        if not include_paused:
            # A paused chat's composed digest waits for /resume.
            where.append("(s.paused = 0 OR o.kind = 'manual')")
        params: dict[str, Any] = {"now": iso(now)}
        if chat_ids is not None:
            marks = ", ".join(f":c{i}" for i in range(len(chat_ids)))
            where.append(f"o.chat_id IN ({marks})")
            params.update({f"c{i}": c for i, c in enumerate(chat_ids)})
        cur = await self._db.execute(
            "SELECT o.* FROM digest_outbox o JOIN subscribers s ON s.chat_id = o.chat_id"
            f" WHERE {' AND '.join(where)} ORDER BY o.id",
            params,
        )
        return [int(r["id"]) for r in await cur.fetchall()]

    async def cancel_inactive(self) -> int:
        """Close the open rows of chats that unsubscribed or were blocked; returns how many."""
        cur = await self._db.execute(
            "UPDATE digest_outbox SET status = 'cancelled', lease_until = NULL"
            f" WHERE status IN {OPEN} AND chat_id IN"
            " (SELECT chat_id FROM subscribers WHERE active = 0)"
        )
        return max(cur.rowcount, 0)

    async def release_holds(self, *, leases_after: datetime, retries_after: datetime) -> None:
        """Drop leases and retry times past these moments (no run could have set them)."""
        await self._db.execute(
            "UPDATE digest_outbox SET lease_until = NULL, lease_owner = NULL"
            f" WHERE status IN {OPEN} AND lease_until > ?",
            (iso(leases_after),),
        )
        await self._db.execute(
            "UPDATE digest_outbox SET next_attempt_at = NULL"
            f" WHERE status IN {OPEN} AND next_attempt_at > ?",
            (iso(retries_after),),
        )

    async def lease(
        self, ids: Sequence[int], *, owner: str, until: datetime, now: datetime
    ) -> list[StoredOutboxRow]:
        """Lease the open rows of ``ids`` nobody holds at ``now`` to ``owner``, attempts + 1.

        Returns the rows ``owner`` now holds, re-read (another run may have sent
        parts since they were listed), unread.
        """
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        free = f"id IN ({marks}) AND status IN {OPEN} AND (lease_until IS NULL OR lease_until <= ?)"
        if self._store.dialect == "postgres":
            # Any number of senders claim at once: rows another sender is
            # claiming right now are skipped, not waited for (it gets them).
            free = (f"id IN (SELECT id FROM digest_outbox WHERE {free}"
                    " ORDER BY id FOR UPDATE SKIP LOCKED)")
        await self._db.execute(
            "UPDATE digest_outbox SET lease_until = ?, lease_owner = ?, attempts = attempts + 1"
            f" WHERE {free}",
            (iso(until), owner, *ids, iso(now)),
        )
        cur = await self._db.execute(
            f"{_SELECT} WHERE o.id IN ({marks}) AND o.lease_owner = ?"
            f" AND o.status IN {OPEN} AND o.lease_until > ? ORDER BY o.id",
            (*ids, owner, iso(now)),
        )
        return [StoredOutboxRow(r["id"], r["chat_id"], r) for r in await cur.fetchall()]

    async def fail(self, outbox_id: int, reason: str, *, owner: str | None = None) -> None:
        """Mark the row ``failed`` with the reason and release it (if ``owner`` holds it)."""
        sql = (
            "UPDATE digest_outbox SET status = 'failed', lease_until = NULL,"
            " lease_owner = NULL, last_error = ? WHERE id = ?"
        )
        if owner is None:
            await self._db.execute(sql, (reason, outbox_id))
        else:
            await self._db.execute(sql + " AND lease_owner = ?", (reason, outbox_id, owner))

    async def mark_sending(self, outbox_id: int, part: int, *, owner: str,
                           now: datetime) -> bool:
        """Mark "sending part ``part``" (1-based); False if ``owner`` lost the lease."""
        cur = await self._db.execute(
            "INSERT INTO digest_sending (outbox_id, part, marked_at)"
            " SELECT id, CAST(? AS INTEGER), CAST(? AS TEXT) FROM digest_outbox"
            " WHERE id = ? AND lease_owner = ?"
            " ON CONFLICT (outbox_id) DO UPDATE SET part = excluded.part,"
            " marked_at = excluded.marked_at",
            (part, iso(now), outbox_id, owner),
        )
        return cur.rowcount == 1

    async def clear_mark(self, outbox_id: int) -> None:
        """Clear the row's "sending" mark, whatever part it names."""
        await self._db.execute(
            "UPDATE digest_sending SET part = NULL WHERE outbox_id = ?", (outbox_id,)
        )

    async def clear_recorded_mark(self, outbox_id: int, part: int, *, owner: str) -> None:
        """Clear the mark of ``part`` if ``owner`` still holds the row: it is recorded."""
        await self._db.execute(
            "UPDATE digest_sending SET part = NULL WHERE outbox_id = ? AND part = ?"
            " AND EXISTS (SELECT 1 FROM digest_outbox WHERE id = ? AND lease_owner = ?)",
            (outbox_id, part, outbox_id, owner),
        )

    async def count_doubted(self, outbox_id: int) -> None:
        """One more part of the row found in doubt after a crash (and sent again)."""
        await self._db.execute(
            "UPDATE digest_sending SET doubted = doubted + 1 WHERE outbox_id = ?", (outbox_id,)
        )

    async def record_sent(self, outbox_id: int, parts_sent: int, *, owner: str) -> bool:
        """``parts_sent`` parts accepted, more to go; False if ``owner`` lost the lease."""
        cur = await self._db.execute(
            "UPDATE digest_outbox SET parts_sent = ?, status = 'sent'"
            " WHERE id = ? AND lease_owner = ?",
            (parts_sent, outbox_id, owner),
        )
        return cur.rowcount == 1

    async def record_delivered(self, outbox_id: int, parts_sent: int, *, owner: str,
                               now: datetime) -> bool:
        """The last part accepted: ``delivered`` and released; False if the lease was lost."""
        cur = await self._db.execute(
            "UPDATE digest_outbox SET parts_sent = ?, status = 'delivered', sent_at = ?,"
            " lease_until = NULL, lease_owner = NULL, next_attempt_at = NULL, last_error = NULL"
            " WHERE id = ? AND lease_owner = ?",
            (parts_sent, iso(now), outbox_id, owner),
        )
        return cur.rowcount == 1

    async def close_blocked(self, outbox_id: int, message: str, *, owner: str) -> None:
        """The chat refuses the bot: the row is ``blocked`` and released."""
        await self._db.execute(
            "UPDATE digest_outbox SET status = 'blocked', last_error = ?, lease_until = NULL,"
            " lease_owner = NULL WHERE id = ? AND lease_owner = ?",
            (message, outbox_id, owner),
        )

    async def defer(self, outbox_id: int, *, until: datetime, error: str, owner: str) -> None:
        """Release the row until ``until``, with the error that stopped it."""
        await self._db.execute(
            "UPDATE digest_outbox SET lease_until = NULL, lease_owner = NULL,"
            " next_attempt_at = ?, last_error = ? WHERE id = ? AND lease_owner = ?",
            (iso(until), error, outbox_id, owner),
        )

    async def drop_unsent_covering(self, seq: int, now_iso: str) -> int:
        """Drop composed digests not yet sent that cover ``seq``; make their chats due again.

        For a removed transcript: composition reads ``seq > watermark`` from the
        transcripts table, so the next run composes them without it. A row under a
        live lease may be going out right now: it is left alone rather than risk
        the chat getting the digest twice.
        """
        cur = await self._db.execute(
            "SELECT id, chat_id, kind, due_at FROM digest_outbox WHERE status = 'composed'"
            " AND parts_sent = 0 AND from_seq < ? AND to_seq >= ?"
            " AND (lease_until IS NULL OR lease_until <= ?)",
            (seq, seq, now_iso),
        )
        rows = list(await cur.fetchall())
        for outbox_id, chat_id, kind, due_at in rows:
            await self._db.execute("DELETE FROM digest_outbox WHERE id = ?", (outbox_id,))
            if kind == "scheduled":
                # Composing moved next_due_at to the following day: move it back.
                await self._db.execute(
                    "UPDATE subscribers SET next_due_at = CASE WHEN next_due_at < ?"
                    " THEN next_due_at ELSE ? END WHERE chat_id = ?",
                    (due_at, due_at, chat_id),
                )
        return len(rows)
