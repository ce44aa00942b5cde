"""Delivering digests through the outbox: compose, send, mark delivered.

The life of a digest, each arrow one SQLite transaction::

    due subscriber --(1)--> outbox row 'composed', next due time moved
    'composed' --(2)--> claimed (lease + run token, attempts + 1; a few rows at once)
    claimed --send part k--> Telegram accepts --(3)--> parts_sent = k ('sent')
    last part accepted --(4)--> 'delivered' + subscriber watermark := to_seq

(1) makes a due digest durable before anything is sent, so a crash after it
loses nothing: the next run finds the open row and sends it. (4) ties the
watermark to delivery, so a transcript is neither skipped (watermark moved
without delivery) nor repeated (delivered without the watermark moving),
except in the one window no design can close: Telegram accepted a part and
the process died before (3)/(4) committed. Then that one part is sent again
on restart. The window is kept to the time between the HTTP response and the
next SQLite commit (no other awaits in between), and progress is recorded per
part, so a crash repeats at most one message per digest in flight, never a
whole digest. docs/digests.md tells the full story.

A lease (``lease_until``, ``lease_owner``) lets the bot's job and a cron
``send-due`` run side by side: rows are claimed atomically and nobody else
touches them until the lease expires (a crashed claimer's rows come back after
``RetryPolicy.lease``).

The ``Sender`` takes one message per call (the brief sketched a list of parts):
committing after each accepted message is what keeps a crash to one repeated
message per digest.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from briefs.digest._compose import ComposeCache, compose
from briefs.digest._due import compose_due
from briefs.digest._outbox import (
    DeliveryReport,
    RetryPolicy,
    claim_batch,
    close_blocked,
    defer,
    insert_row,
    record_progress,
    reject,
)
from briefs.digest._recovery import (
    DEFAULT_RTT,
    TELEGRAM_RATE,
    clear_mark,
    in_flight,
    mark_sending,
    release_future_holds,
    retry_busy,
)
from briefs.digest._subscribers import Button, OutboxRow, get_subscriber
from briefs.errors import Blocked, DeliveryError, RetryLater, Transient

__all__ = [
    "DeliveryReport",
    "RetryPolicy",
    "Sender",
    "Sleep",
    "compose_due",
    "deliver_open",
    "digest_now",
    "send_due",
]

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[Any]]


class Sender(Protocol):
    """Hands one message to a chat. Raises Blocked, RetryLater or Transient.

    One call per message (not per digest) so that progress is committed after
    each accepted message: a crash repeats at most one of them.
    """

    async def send(self, chat_id: int, html: str, buttons: Sequence[Button]) -> None: ...




async def send_due(
    library: Any,
    sender: Sender,
    *,
    now: datetime,
    sleep: Sleep = asyncio.sleep,
    policy: RetryPolicy | None = None,
    concurrency: int | None = None,
    rtt: float = DEFAULT_RTT,
) -> DeliveryReport:
    """Compose every digest due at ``now`` and deliver every open one; idempotent.

    ``concurrency`` defaults to :func:`in_flight` at Telegram's 30 messages/s and
    a round trip of ``rtt`` seconds.
    """
    report = await compose_due(library, now=now)
    report.merge(
        await deliver_open(
            library, sender, now=now, sleep=sleep, policy=policy, concurrency=concurrency,
            rtt=rtt,
        )
    )
    return report


async def digest_now(
    library: Any,
    sender: Sender,
    chat_id: int,
    *,
    now: datetime,
    sleep: Sleep = asyncio.sleep,
    policy: RetryPolicy | None = None,
) -> DeliveryReport:
    """``/digest``: compose this chat's digest now (off schedule) and deliver it.

    Goes through the same outbox, so it advances the watermark on delivery and
    the next scheduled digest does not repeat it. An open row (a scheduled
    digest still on its way) is delivered instead of composing a second one.
    Raises NotFound when the chat has no subscription.
    """
    report = DeliveryReport()
    store = library.store
    sub = await get_subscriber(store, chat_id)
    digest = await compose(ComposeCache(library), watermark=sub.watermark, topics=sub.topics)
    async with store.transaction():
        if not await store.digests.has_open_row(chat_id):
            if digest.empty:
                if digest.to_seq > sub.watermark:
                    await store.digests.advance_watermark(chat_id, digest.to_seq)
                report.nothing_new += 1
                return report
            await insert_row(store, chat_id, digest, kind="manual", due_at=now, now=now)
            report.composed += 1
    report.merge(
        await deliver_open(
            library, sender, now=now, sleep=sleep, policy=policy, chat_ids=(chat_id,),
            include_paused=True,
        )
    )
    return report


async def deliver_open(
    library: Any,
    sender: Sender,
    *,
    now: datetime,
    sleep: Sleep = asyncio.sleep,
    policy: RetryPolicy | None = None,
    concurrency: int | None = None,
    rtt: float = DEFAULT_RTT,
    chat_ids: Sequence[int] | None = None,
    include_paused: bool = False,
) -> DeliveryReport:
    """Send every open outbox row that is not leased or deferred past ``now``.

    ``concurrency`` digests are sent at once, by default :func:`in_flight`
    (``ceil(30/s * rtt) + 1``): enough to keep Telegram's rate limit busy, and
    no more, since every send in flight is a message a crash may repeat.
    """
    policy = policy or RetryPolicy()
    report = DeliveryReport()
    store = library.store
    if concurrency is None:
        concurrency = in_flight(TELEGRAM_RATE, rtt)
    # Rows of chats that unsubscribed (or were blocked) meanwhile are closed, not sent.
    async with store.transaction():
        await release_future_holds(store, now=now, lease=policy.lease)
        report.cancelled += await store.digests.cancel_inactive()
    pending = await store.digests.deliverable(now, chat_ids=chat_ids,
                                              include_paused=include_paused)
    run = _Run(store, sender, now=now, sleep=sleep, policy=policy, report=report,
               chunk=max(1, concurrency))

    async def worker() -> None:
        # One error boundary per digest: whatever goes wrong with one row (short
        # of the process dying) is recorded on it, and this worker goes on.
        while True:
            try:
                row = await run.next_row(pending)
            except Exception:
                log.exception("claiming digests failed; they stay for the next run")
                return
            if row is None:
                return
            try:
                await run.deliver(row)
            except Exception as err:
                log.exception("delivering digest %s to chat %s failed", row.id, row.chat_id)
                await run.give_up(row, err)

    workers = [
        asyncio.ensure_future(worker()) for _ in range(max(1, min(concurrency, len(pending))))
    ]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        # One worker crashed: stop the others where they are, as a dying process would.
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise
    return report


class _Run:
    """One delivery run: its lease token, its clock, the rows it has claimed."""

    def __init__(
        self,
        store: Any,
        sender: Sender,
        *,
        now: datetime,
        sleep: Sleep,
        policy: RetryPolicy,
        report: DeliveryReport,
        chunk: int,
    ) -> None:
        self.store, self.sender, self.sleep = store, sender, sleep
        self.policy, self.report, self.chunk = policy, report, chunk
        self.owner = uuid.uuid4().hex
        self._start = now
        self._loop_start = asyncio.get_running_loop().time()
        self._claimed: list[OutboxRow] = []
        self._claiming = asyncio.Lock()

    def now(self) -> datetime:
        """``now`` moved on by the loop's clock: a long fan-out stamps leases with the
        time they are taken, not the time the run began."""
        elapsed = asyncio.get_running_loop().time() - self._loop_start
        return self._start + timedelta(seconds=elapsed)

    async def next_row(self, pending: list[int]) -> OutboxRow | None:
        # Rows are leased just in time, a few at once: leases stay fresh in a long
        # run, and the per-message work is a single commit.
        async with self._claiming:
            while not self._claimed and pending:
                batch, pending[:] = pending[: self.chunk], pending[self.chunk :]
                self._claimed = await claim_batch(
                    self.store, batch, owner=self.owner, now=self.now(), policy=self.policy,
                    report=self.report,
                )
            return self._claimed.pop(0) if self._claimed else None

    async def give_up(self, row: OutboxRow, err: Exception) -> None:
        """Defer a row whose delivery broke unexpectedly; never raises (the boundary)."""
        try:
            await defer(self.store, row, err, owner=self.owner, now=self.now(),
                        policy=self.policy)
        except Exception:
            log.exception("could not defer digest %s; its lease will expire", row.id)
        self.report.deferred += 1
        self.report.errors.append(f"chat {row.chat_id}: {type(err).__name__}: {err}")

    async def _commit(self, attempt: Callable[[], Awaitable[bool]]) -> bool:
        return await retry_busy(attempt, sleep=self.sleep, patience=self.policy.busy_patience)

    async def deliver(self, row: OutboxRow) -> None:
        store, policy, report, owner = self.store, self.policy, self.report, self.owner
        for index in range(row.parts_sent, len(row.parts)):
            buttons = row.buttons[index] if index < len(row.buttons) else ()
            # "sending part k", committed before the request: after a crash, a
            # marked part is in doubt and an unmarked one was never requested.
            if not await self._commit(partial(
                    mark_sending, store, row, index + 1, owner=owner, now=self.now())):
                log.warning("lost the lease on digest %s for chat %s", row.id, row.chat_id)
                return
            try:
                await self._send(row.chat_id, row.parts[index], buttons)
            except Blocked as err:
                await clear_mark(store, row)  # refused outright: not in doubt
                await close_blocked(store, row, err, owner=owner, now=self.now())
                report.blocked += 1
                return
            except RetryLater as err:
                await clear_mark(store, row)
                await defer(store, row, err, owner=owner, now=self.now(), policy=policy,
                            wait=err.retry_after)
                report.deferred += 1
                return
            except Transient as err:
                # A timeout may have been delivered: the mark stays, the part is in doubt.
                await defer(store, row, err, owner=owner, now=self.now(), policy=policy)
                report.deferred += 1
                return
            except DeliveryError as err:
                await clear_mark(store, row)
                await reject(store, row, err, owner=owner, now=self.now(), policy=policy,
                             report=report)
                return
            except Exception as err:  # a bug in a Sender must not stop the other digests
                log.exception("sending digest %s to chat %s failed", row.id, row.chat_id)
                await defer(store, row, err, owner=owner, now=self.now(), policy=policy)
                report.deferred += 1
                return
            # Nothing may be awaited between the accepted send above and this commit
            # but the commit itself: this is the window docs/digests.md describes.
            # A busy database is waited out (retry_busy), not allowed to abort the
            # run: an abort would leave every accepted message in flight unrecorded.
            last = index == len(row.parts) - 1
            if not await self._commit(partial(
                    record_progress, store, row, index + 1, last=last, owner=owner,
                    now=self.now())):
                log.warning("lost the lease on digest %s for chat %s", row.id, row.chat_id)
                return
            report.messages += 1
        report.delivered += 1

    async def _send(self, chat_id: int, html: str, buttons: Sequence[Button]) -> None:
        """Send one message, waiting out 429s and backing off on transient errors.

        Re-raises once retries run out, or when waiting longer would hold the
        row past half its lease (the row is then deferred to a later run).
        """
        policy, waited = self.policy, 0.0
        budget = policy.lease.total_seconds() / 2
        limited = transient = 0
        while True:
            try:
                await self.sender.send(chat_id, html, buttons)
                return
            except RetryLater as err:
                limited += 1
                delay = err.retry_after
                if (limited > policy.rate_limit_waits or delay > policy.max_wait
                        or waited + delay > budget):
                    raise
            except Transient:
                transient += 1
                delay = min(policy.backoff_max, policy.backoff * 2 ** (transient - 1))
                if transient >= policy.transient_attempts or waited + delay > budget:
                    raise
            self.report.retries += 1
            await self.sleep(delay)
            waited += delay
