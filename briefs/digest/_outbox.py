"""Outbox row transitions, one SQLite transaction each (see ``_digest_delivery``).

A row is inserted ``composed``; ``claim`` takes its lease; ``record_progress``
counts accepted parts and, with the last one, marks it ``delivered`` and moves
the subscriber's watermark in the same transaction; ``close_blocked``,
``defer`` and ``reject`` are the three ways a run can end without delivering.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from briefs.digest._compose import Digest
from briefs.digest._recovery import note_in_doubt
from briefs.digest._schedule import iso
from briefs.digest._subscribers import OPEN, OUTBOX_SELECT, OutboxRow
from briefs.errors import DeliveryError

__all__ = [
    "DeliveryReport",
    "RetryPolicy",
    "claim_batch",
    "close_blocked",
    "defer",
    "error_line",
    "insert_row",
    "record_progress",
    "reject",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard one run tries before leaving a digest for a later run."""

    rate_limit_waits: int = 5
    """429s waited out per message in one run."""
    max_wait: float = 60.0
    """A retry_after longer than this defers the row instead of holding a worker."""
    transient_attempts: int = 4
    """Tries per message in one run on network errors, timeouts and 5xx."""
    backoff: float = 1.0
    """First backoff in seconds; doubles each retry."""
    backoff_max: float = 30.0
    lease: timedelta = timedelta(minutes=2)
    defer_max: timedelta = timedelta(hours=1)
    """Longest wait before a deferred row is tried again."""
    reject_limit: int = 5
    """Runs in which the chat rejected a message before the row is marked failed."""
    busy_patience: float = 60.0
    """Seconds a progress commit keeps retrying a busy database (half the lease)."""


@dataclass
class DeliveryReport:
    """What one run did; ``summary()`` is the operator's one line."""

    composed: int = 0
    nothing_new: int = 0
    delivered: int = 0
    messages: int = 0
    blocked: int = 0
    deferred: int = 0
    failed: int = 0
    cancelled: int = 0
    retries: int = 0
    in_doubt: int = 0
    """Parts found in flight at a crash (marked sending, not recorded) and sent again."""
    errors: list[str] = field(default_factory=list)

    def merge(self, other: DeliveryReport) -> None:
        for name in (
            "composed", "nothing_new", "delivered", "messages", "blocked",
            "deferred", "failed", "cancelled", "retries", "in_doubt",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def summary(self) -> str:
        text = (
            f"{self.delivered} digest(s) delivered ({self.messages} message(s)), "
            f"{self.composed} composed, {self.nothing_new} with nothing new"
        )
        extra = [
            f"{n} {label}"
            for n, label in (
                (self.deferred, "deferred"), (self.blocked, "blocked"),
                (self.failed, "failed"), (self.cancelled, "cancelled"),
                (self.in_doubt, "resent in doubt after a crash"),
            )
            if n
        ]
        return text + (", " + ", ".join(extra) if extra else "")


async def insert_row(
    db: Any, chat_id: int, digest: Digest, *, kind: str, due_at: datetime, now: datetime
) -> int:
    cur = await db.execute(
        "INSERT INTO digest_outbox (chat_id, kind, parts, buttons, from_seq, to_seq,"
        " transcripts, due_at, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'composed', ?)",
        (
            chat_id, kind, json.dumps(list(digest.parts), ensure_ascii=False),
            json.dumps([[b.to_json() for b in part] for part in digest.buttons],
                       ensure_ascii=False),
            digest.from_seq, digest.to_seq, len(digest.entries), iso(due_at), iso(now),
        ),
    )
    return int(cur.lastrowid)


async def claim_batch(
    store: Any, ids: Sequence[int], *, owner: str, now: datetime, policy: RetryPolicy,
    report: DeliveryReport | None = None,
) -> list[OutboxRow]:
    """Lease the rows of ``ids`` nobody holds to ``owner``; returns them as they now stand.

    One transaction for a handful of rows: per-message work is then one commit.
    Re-read under the lease, since another run may have sent parts since they
    were listed. A row that cannot be read back (a poisoned stored value) is
    marked ``failed`` with the reason, so it cannot stop the others.
    """
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    async with store.transaction() as db:
        await db.execute(
            "UPDATE digest_outbox SET lease_until = ?, lease_owner = ?, attempts = attempts + 1"
            f" WHERE id IN ({marks}) AND status IN {OPEN}"
            " AND (lease_until IS NULL OR lease_until <= ?)",
            (iso(now + policy.lease), owner, *ids, iso(now)),
        )
        cur = await db.execute(
            f"{OUTBOX_SELECT} WHERE o.id IN ({marks}) AND o.lease_owner = ?"
            f" AND o.status IN {OPEN} AND o.lease_until > ? ORDER BY o.id",
            (*ids, owner, iso(now)),
        )
        rows: list[OutboxRow] = []
        for raw in await cur.fetchall():
            try:
                rows.append(OutboxRow.from_row(raw))
            except Exception as err:
                reason = f"cannot read the stored digest: {error_line(err)}"
                await db.execute(
                    "UPDATE digest_outbox SET status = 'failed', lease_until = NULL,"
                    " lease_owner = NULL, last_error = ? WHERE id = ?", (reason, raw["id"]),
                )
                log.error("digest %s for chat %s failed: %s", raw["id"], raw["chat_id"], reason)
                if report is not None:
                    report.failed += 1
                    report.errors.append(f"chat {raw['chat_id']}: {reason}")
        doubtful = await note_in_doubt(db, rows)
        if report is not None:
            report.in_doubt += len(doubtful)
        return rows


async def record_progress(
    store: Any, row: OutboxRow, parts_sent: int, *, last: bool, owner: str, now: datetime
) -> bool:
    """Count an accepted part; with the last one, deliver and move the watermark.

    False when the lease was lost to another run meanwhile (nothing is changed).
    The part's "sending" mark is cleared in the same transaction: it is no
    longer in doubt.
    """
    async with store.transaction() as db:
        await db.execute(
            "UPDATE digest_sending SET part = NULL WHERE outbox_id = ? AND part = ?"
            " AND EXISTS (SELECT 1 FROM digest_outbox WHERE id = ? AND lease_owner = ?)",
            (row.id, parts_sent, row.id, owner),
        )
        if not last:
            cur = await db.execute(
                "UPDATE digest_outbox SET parts_sent = ?, status = 'sent'"
                " WHERE id = ? AND lease_owner = ?",
                (parts_sent, row.id, owner),
            )
            return cur.rowcount == 1
        cur = await db.execute(
            "UPDATE digest_outbox SET parts_sent = ?, status = 'delivered', sent_at = ?,"
            " lease_until = NULL, lease_owner = NULL, next_attempt_at = NULL, last_error = NULL"
            " WHERE id = ? AND lease_owner = ?",
            (parts_sent, iso(now), row.id, owner),
        )
        if cur.rowcount != 1:
            return False
        await db.execute(
            "UPDATE subscribers SET watermark = max(watermark, ?), last_digest_at = ?"
            " WHERE chat_id = ?",
            (row.to_seq, iso(now), row.chat_id),
        )
        return True


async def close_blocked(
    store: Any, row: OutboxRow, err: Exception, *, owner: str, now: datetime
) -> None:
    message = error_line(err)
    async with store.transaction() as db:
        await db.execute(
            "UPDATE digest_outbox SET status = 'blocked', last_error = ?, lease_until = NULL,"
            " lease_owner = NULL WHERE id = ? AND lease_owner = ?",
            (message, row.id, owner),
        )
        await db.execute(
            "UPDATE subscribers SET active = 0, inactive_reason = ?, updated_at = ?"
            " WHERE chat_id = ?",
            (f"blocked: {message}", iso(now), row.chat_id),
        )
    log.info("chat %s refuses the bot; its digest subscription is now inactive", row.chat_id)


async def defer(
    store: Any,
    row: OutboxRow,
    err: BaseException,
    *,
    owner: str,
    now: datetime,
    policy: RetryPolicy,
    wait: float | None = None,
) -> None:
    if wait is None:
        # Exponential in the row's attempts: a chat that keeps failing is tried
        # less and less often, but always again (a transient error loses nothing).
        wait = min(policy.defer_max.total_seconds(), 60.0 * 2 ** min(row.attempts, 12))
    async with store.transaction() as db:
        await db.execute(
            "UPDATE digest_outbox SET lease_until = NULL, lease_owner = NULL,"
            " next_attempt_at = ?, last_error = ? WHERE id = ? AND lease_owner = ?",
            (iso(now + timedelta(seconds=wait)), error_line(err), row.id, owner),
        )
    log.warning("digest %s for chat %s deferred %.0f s: %s", row.id, row.chat_id, wait, err)


async def reject(
    store: Any,
    row: OutboxRow,
    err: DeliveryError,
    *,
    owner: str,
    now: datetime,
    policy: RetryPolicy,
    report: DeliveryReport,
) -> None:
    # The chat refuses this message as written (not the bot): retrying the same
    # text will not help forever. The watermark stays, so the transcripts are
    # composed again into the next scheduled digest; nothing is lost.
    if row.attempts >= policy.reject_limit:  # attempts counts this run's claim
        async with store.transaction() as db:
            await db.execute(
                "UPDATE digest_outbox SET status = 'failed', lease_until = NULL,"
                " lease_owner = NULL, last_error = ? WHERE id = ? AND lease_owner = ?",
                (error_line(err), row.id, owner),
            )
        report.failed += 1
        report.errors.append(f"chat {row.chat_id}: {error_line(err)}")
        return
    await defer(store, row, err, owner=owner, now=now, policy=policy)
    report.deferred += 1


def error_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:300]
