"""Composing the digests that are due: step (1) of ``_digest_delivery``'s life of a digest.

Each due subscriber's digest becomes an outbox row (or, with nothing new, just
a moved due time) in the same transaction that moves ``next_due_at``. One error
boundary per subscriber: a digest that cannot be composed is recorded as a
``failed`` row with its reason and the others go out (``_digest_recovery``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from briefs.digest._compose import ComposeCache, Digest, compose
from briefs.digest._outbox import DeliveryReport, insert_row
from briefs.digest._recovery import record_compose_failure, repair_clock_jumps
from briefs.digest._schedule import next_due
from briefs.store import Store, StoredSubscriber, Subscriber

__all__ = ["compose_due"]

log = logging.getLogger(__name__)


async def compose_due(library: Any, *, now: datetime, batch: int = 200) -> DeliveryReport:
    """Write an outbox row for every subscriber due at ``now`` with something new.

    The row and the subscriber's next due time change in one transaction, with
    an optimistic check (the subscriber row is unchanged since it was read), so
    two schedulers running at once compose each digest once. A subscriber whose
    digest cannot be composed gets a ``failed`` row with the reason instead (its
    schedule moves on, its watermark stays), and the others are not held up.
    """
    report = DeliveryReport()
    store = library.store
    await repair_clock_jumps(store, now=now)
    due = await store.digests.due_subscribers(now)
    cache = ComposeCache(library)
    for start in range(0, len(due), batch):
        composed: list[tuple[Subscriber, Digest, datetime]] = []
        failed: list[tuple[StoredSubscriber, Exception]] = []
        for raw in due[start : start + batch]:
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
                if await _record_composed(store, sub, digest, following, now=now):
                    if digest.empty:
                        report.nothing_new += 1
                    else:
                        report.composed += 1
            for raw, problem in failed:
                if await record_compose_failure(store, raw, problem, now=now):
                    report.failed += 1
                    report.errors.append(f"chat {raw.chat_id}: cannot compose: {problem}")
    return report


async def _all_stored(store: Store, digest: Digest) -> bool:
    """False when a transcript in ``digest`` was removed while it was composed."""
    seqs = [e.info.seq for e in digest.entries]
    if not seqs:
        return True
    return await store.digests.stored_seqs(seqs) == len(seqs)


async def _record_composed(
    store: Store, sub: Subscriber, digest: Digest, following: datetime, *, now: datetime
) -> bool:
    if not await _all_stored(store, digest):
        return False  # leave it due: the next run composes it again
    # Topics may filter every new transcript out: the watermark still moves past
    # them (nothing to deliver), so they are not reconsidered every day.
    watermark = digest.to_seq if digest.empty else sub.watermark
    if not await store.digests.schedule_next(
        sub.chat_id, following, was=sub.next_due_at, now=now,
        watermark=watermark, was_watermark=sub.watermark,
    ):
        return False  # changed since it was read: someone else handled it
    if not digest.empty:
        await insert_row(store, sub.chat_id, digest, kind="scheduled", due_at=sub.next_due_at,
                         now=now)
    return True
