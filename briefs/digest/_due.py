"""Composing the digests that are due: step (1) of ``_digest_delivery``'s life of a digest.

Due subscribers are claimed a batch at a time before composing, so N senders
compose each digest once. Each due subscriber's digest becomes an outbox row
(or, with nothing new, just a moved due time) in the same transaction that
moves ``next_due_at``. One error boundary per subscriber: a digest that cannot
be composed is recorded as a ``failed`` row with its reason and the others go
out (``_digest_recovery``).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from briefs.digest._compose import ComposeCache, Digest, compose
from briefs.digest._outbox import DeliveryReport, insert_row
from briefs.digest._recovery import record_compose_failure, repair_clock_jumps
from briefs.digest._schedule import next_due
from briefs.store import Store, StoredSubscriber, Subscriber

__all__ = ["compose_due"]

log = logging.getLogger(__name__)

CLAIM = timedelta(minutes=2)
"""How long a claim on a due subscriber holds: far beyond composing one batch."""


async def compose_due(
    library: Any, *, now: datetime, batch: int = 200, claim: timedelta = CLAIM
) -> DeliveryReport:
    """Write an outbox row for every subscriber due at ``now`` with something new.

    Due subscribers are claimed a batch at a time (``store.digests.claim_due``:
    ``SKIP LOCKED`` on PostgreSQL, SQLite's one writer otherwise) before they
    are composed, so any number of senders split the work and each digest is
    composed once. The row and the subscriber's next due time change in one
    transaction, with an optimistic check (the subscriber row is unchanged since
    it was read) as the last guard: a digest whose claim lapsed mid-compose is
    recorded once, the late copy counted in ``superseded``. A subscriber whose
    digest cannot be composed gets a ``failed`` row with the reason instead (its
    schedule moves on, its watermark stays), and the others are not held up.
    """
    report = DeliveryReport()
    store = library.store
    await repair_clock_jumps(store, now=now)
    cache = ComposeCache(library)
    owner = secrets.token_hex(8)
    try:
        while True:
            async with store.transaction():
                # A claim stamped more than a day ahead is from a clock that
                # jumped and came back: free, like a lease in deliver_open.
                due = await store.digests.claim_due(
                    now, owner=owner, until=now + claim, stale_after=now + timedelta(days=1),
                    limit=batch,
                )
            if not due:
                return report
            await _compose_batch(store, cache, due, report, now=now)
    finally:
        try:
            async with store.transaction():
                await store.digests.release_claims(owner)
        except Exception:  # the claims lapse on their own; the report still stands
            log.exception("could not release the compose claims; they lapse in %s", claim)


async def _compose_batch(
    store: Store, cache: ComposeCache, due: list[StoredSubscriber], report: DeliveryReport,
    *, now: datetime,
) -> None:
    composed: list[tuple[Subscriber, Digest, datetime]] = []
    failed: list[tuple[StoredSubscriber, Exception]] = []
    for raw in due:
        # One error boundary per subscriber: a poisoned stored value or a bug
        # in composing one digest must not stop everyone else's.
        try:
            sub = raw.read()
            digest = await compose(cache, watermark=sub.watermark, topics=sub.topics)
            composed.append((sub, digest, next_due(now, sub.at, ZoneInfo(sub.zone))))
        except Exception as err:
            log.exception("composing the digest for chat %s failed", raw.chat_id)
            failed.append((raw, err))
    async with store.transaction():
        for sub, digest, following in composed:
            outcome = await _record_composed(store, sub, digest, following, now=now)
            if outcome == "superseded":
                report.superseded += 1
            elif outcome == "recorded":
                if digest.empty:
                    report.nothing_new += 1
                else:
                    report.composed += 1
        for raw, problem in failed:
            if await record_compose_failure(store, raw, problem, now=now):
                report.failed += 1
                report.errors.append(f"chat {raw.chat_id}: cannot compose: {problem}")


async def _all_stored(store: Store, digest: Digest) -> bool:
    """False when a transcript in ``digest`` was removed while it was composed."""
    seqs = [e.info.seq for e in digest.entries]
    if not seqs:
        return True
    return await store.digests.stored_seqs(seqs) == len(seqs)


async def _record_composed(
    store: Store, sub: Subscriber, digest: Digest, following: datetime, *, now: datetime
) -> str:
    """"recorded", "removed" (a transcript went meanwhile) or "superseded"."""
    if not await _all_stored(store, digest):
        return "removed"  # leave it due: the next run composes it again
    # Topics may filter every new transcript out: the watermark still moves past
    # them (nothing to deliver), so they are not reconsidered every day.
    watermark = digest.to_seq if digest.empty else sub.watermark
    if not await store.digests.schedule_next(
        sub.chat_id, following, was=sub.next_due_at, now=now,
        watermark=watermark, was_watermark=sub.watermark,
    ):
        return "superseded"  # changed since it was read: someone else handled it
    if not digest.empty:
        await insert_row(store, sub.chat_id, digest, kind="scheduled", due_at=sub.next_due_at,
                         now=now)
    return "recorded"
