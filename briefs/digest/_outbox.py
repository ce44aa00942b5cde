"""Outbox row transitions, one SQLite transaction each (see ``_digest_delivery``).

A row is inserted ``composed``; ``claim`` takes its lease; ``record_progress``
counts accepted parts and, with the last one, marks it ``delivered`` and moves
the subscriber's watermark in the same transaction; ``close_blocked``,
``defer`` and ``reject`` are the three ways a run can end without delivering.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from briefs.digest._compose import Digest
from briefs.digest._recovery import note_in_doubt
from briefs.errors import DeliveryError
from briefs.store import OutboxRow, Store

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
    superseded: int = 0
    """Digests composed here but recorded by another sender first (a lapsed claim)."""
    errors: list[str] = field(default_factory=list)

    def merge(self, other: DeliveryReport) -> None:
        for name in (
            "composed", "nothing_new", "delivered", "messages", "blocked",
            "deferred", "failed", "cancelled", "retries", "in_doubt", "superseded",
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
                (self.superseded, "composed in vain (another sender recorded them first)"),
            )
            if n
        ]
        return text + (", " + ", ".join(extra) if extra else "")


async def insert_row(
    store: Store, chat_id: int, digest: Digest, *, kind: str, due_at: datetime, now: datetime
) -> int:
    """A ``composed`` outbox row for ``digest`` (inside the caller's transaction)."""
    return await store.digests.insert_composed(
        chat_id, kind=kind, parts=digest.parts, buttons=digest.buttons,
        from_seq=digest.from_seq, to_seq=digest.to_seq, transcripts=len(digest.entries),
        due_at=due_at, now=now,
    )


async def claim_batch(
    store: Store, ids: Sequence[int], *, owner: str, now: datetime, policy: RetryPolicy,
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
    async with store.transaction():
        leased = await store.digests.lease(ids, owner=owner, until=now + policy.lease, now=now)
        rows: list[OutboxRow] = []
        for raw in leased:
            try:
                rows.append(raw.read())
            except Exception as err:
                reason = f"cannot read the stored digest: {error_line(err)}"
                await store.digests.fail(raw.id, reason)
                log.error("digest %s for chat %s failed: %s", raw.id, raw.chat_id, reason)
                if report is not None:
                    report.failed += 1
                    report.errors.append(f"chat {raw.chat_id}: {reason}")
        doubtful = await note_in_doubt(store, rows)
        if report is not None:
            report.in_doubt += len(doubtful)
        return rows


async def record_progress(
    store: Store, row: OutboxRow, parts_sent: int, *, last: bool, owner: str, now: datetime
) -> bool:
    """Count an accepted part; with the last one, deliver and move the watermark.

    False when the lease was lost to another run meanwhile (nothing is changed).
    The part's "sending" mark is cleared in the same transaction: it is no
    longer in doubt.
    """
    async with store.transaction():
        await store.digests.clear_recorded_mark(row.id, parts_sent, owner=owner)
        if not last:
            return await store.digests.record_sent(row.id, parts_sent, owner=owner)
        if not await store.digests.record_delivered(row.id, parts_sent, owner=owner, now=now):
            return False
        await store.digests.advance_watermark(row.chat_id, row.to_seq, delivered_at=now)
        return True


async def close_blocked(
    store: Store, row: OutboxRow, err: Exception, *, owner: str, now: datetime
) -> None:
    """The chat refuses the bot: the row is ``blocked`` and the subscriber inactive."""
    message = error_line(err)
    async with store.transaction():
        await store.digests.close_blocked(row.id, message, owner=owner)
        await store.digests.deactivate(row.chat_id, reason=f"blocked: {message}", now=now)
    log.info("chat %s refuses the bot; its digest subscription is now inactive", row.chat_id)


async def defer(
    store: Store,
    row: OutboxRow,
    err: BaseException,
    *,
    owner: str,
    now: datetime,
    policy: RetryPolicy,
    wait: float | None = None,
) -> None:
    """Release the row for a later run, ``wait`` seconds (or a backoff) from ``now``."""
    if wait is None:
        # Exponential in the row's attempts: a chat that keeps failing is tried
        # less and less often, but always again (a transient error loses nothing).
        wait = min(policy.defer_max.total_seconds(), 60.0 * 2 ** min(row.attempts, 12))
    async with store.transaction():
        await store.digests.defer(
            row.id, until=now + timedelta(seconds=wait), error=error_line(err), owner=owner
        )
    log.warning("digest %s for chat %s deferred %.0f s: %s", row.id, row.chat_id, wait, err)


async def reject(
    store: Store,
    row: OutboxRow,
    err: DeliveryError,
    *,
    owner: str,
    now: datetime,
    policy: RetryPolicy,
    report: DeliveryReport,
) -> None:
    """The chat rejected a message: defer the row, or fail it after ``reject_limit`` runs."""
    # The chat refuses this message as written (not the bot): retrying the same
    # text will not help forever. The watermark stays, so the transcripts are
    # composed again into the next scheduled digest; nothing is lost.
    if row.attempts >= policy.reject_limit:  # attempts counts this run's claim
        async with store.transaction():
            await store.digests.fail(row.id, error_line(err), owner=owner)
        report.failed += 1
        report.errors.append(f"chat {row.chat_id}: {error_line(err)}")
        return
    await defer(store, row, err, owner=owner, now=now, policy=policy)
    report.deferred += 1


def error_line(err: BaseException) -> str:
    """The error as one line of at most 300 characters, for ``last_error``."""
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:300]
