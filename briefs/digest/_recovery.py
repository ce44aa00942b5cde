"""What keeps one digest's trouble from becoming everyone's (see ``docs/digests.md``).

- **In-flight sizing**: :func:`in_flight` derives how many digests are sent at
  once from the rate limit and the round trip, so a crash repeats as few
  messages as the rate allows.
- **"sending part k" marks** (migration 0007): committed before each request,
  cleared by the commit that records the part as accepted. After a crash a
  marked part is *in doubt*; an unmarked one was never requested.
- **Busy retries**: a progress commit that meets "database is locked" waits and
  tries again instead of aborting the run (an abort would re-send every message
  accepted but not yet recorded).
- **Error boundaries**: a subscriber whose digest cannot be composed gets a
  ``failed`` outbox row with the reason; the others go out.
- **Clock jumps**: a due time more than a day past the next local occurrence
  (a clock that jumped forward and came back) is recomputed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from briefs.digest._schedule import iso, next_due, parse_iso, parse_time
from briefs.store import OutboxRow, Store, StoredSubscriber
from briefs.store import is_busy_error as is_busy  # SQLite's errors are the store's to know

__all__ = [
    "DEFAULT_RTT",
    "TELEGRAM_RATE",
    "clear_mark",
    "in_flight",
    "is_busy",
    "mark_sending",
    "note_in_doubt",
    "record_compose_failure",
    "release_future_holds",
    "repair_clock_jumps",
    "retry_busy",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

TELEGRAM_RATE = 30.0
"""Messages per second Telegram lets one bot send overall (PTB's AIORateLimiter)."""
DEFAULT_RTT = 0.1
"""Round-trip estimate of one Bot API ``sendMessage``, in seconds (Europe to Telegram's DCs)."""
_JUMP = timedelta(days=1)


def in_flight(rate: float = TELEGRAM_RATE, rtt: float = DEFAULT_RTT) -> int:
    """Concurrent sends that sustain ``rate`` messages/s at ``rtt`` seconds a request.

    Little's law: ``rate * rtt`` requests are in the air on average; rounding up
    and one more absorbs a slow response without letting the pace drop. More
    would only widen the crash window (each send in flight is a message a crash
    may repeat), so 30/s at 100 ms gives ceil(3.0) + 1 = 4, not 8.
    """
    return max(1, math.ceil(rate * max(rtt, 0.0)) + 1)


async def retry_busy(
    attempt: Callable[[], Awaitable[T]],
    *,
    sleep: Callable[[float], Awaitable[Any]],
    patience: float,
) -> T:
    """Run ``attempt`` (one whole transaction) again while the database is busy.

    Another writer (an ingest, ``send-due`` beside the bot) may hold the lock
    longer than the busy timeout; giving up here would abort the run and leave
    accepted messages unrecorded, to be sent again. Backs off 50 ms doubling to
    2 s, for ``patience`` seconds in all (half the lease: the row is still ours).
    """
    waited, delay = 0.0, 0.05
    while True:
        try:
            return await attempt()
        except Exception as err:
            if not is_busy(err) or waited >= patience:
                raise
            log.info("database busy (%s): retrying in %.2f s", err, delay)
        await sleep(delay)
        waited += delay
        delay = min(2.0, delay * 2)


async def mark_sending(store: Store, row: OutboxRow, part: int, *, owner: str,
                       now: datetime) -> bool:
    """Commit "sending part ``part``" (1-based) before its request; False if the lease is lost."""
    async with store.transaction():
        return await store.digests.mark_sending(row.id, part, owner=owner, now=now)


async def clear_mark(store: Store, row: OutboxRow) -> None:
    """The chat refused the part outright (403, 429, 400): it is not in doubt."""
    async with store.transaction():
        await store.digests.clear_mark(row.id)


async def note_in_doubt(store: Store, rows: list[OutboxRow]) -> list[OutboxRow]:
    """Of freshly claimed ``rows``, those whose next part is in doubt; counted in ``doubted``.

    Policy (at-least-once): the part is sent again. Telegram has no idempotency
    key, so asking cannot tell whether it arrived; re-sending risks one repeated
    message, skipping risks a lost one. The count stays on the row for
    ``briefbot digest list --outbox``. Runs inside the claim's transaction.
    """
    doubtful = [r for r in rows if r.in_doubt]
    for row in doubtful:
        await store.digests.count_doubted(row.id)
        log.warning("digest %s for chat %s: part %s was in flight at a crash; sending it again",
                    row.id, row.chat_id, row.sending_part)
    return doubtful


async def record_compose_failure(store: Store, raw: StoredSubscriber, err: BaseException, *,
                                 now: datetime) -> bool:
    """A due subscriber whose digest cannot be composed: a ``failed`` row, schedule moved.

    The watermark stays, so tomorrow's digest holds these transcripts too: the
    next due time moves to the next local occurrence (not the next minute, so a
    broken subscriber costs one failed row a day, not one a tick). False when the
    subscriber changed since it was read (another scheduler handled it). Runs
    inside the caller's transaction.
    """
    reason = " ".join(f"cannot compose this digest: {err}".split())[:300]
    try:
        following = next_due(now, parse_time(raw.send_time), ZoneInfo(raw.tz))
    except Exception:  # the stored time or zone itself is what is broken
        following = now + _JUMP
    if not await store.digests.schedule_next(raw.chat_id, following, was=raw.next_due_at,
                                             now=now):
        return False
    watermark = raw.watermark if isinstance(raw.watermark, int) else 0
    await store.digests.insert_failed(raw.chat_id, watermark=watermark,
                                      due_at=raw.next_due_at, reason=reason, now=now)
    log.error("digest for chat %s failed: %s", raw.chat_id, reason)
    return True


async def repair_clock_jumps(store: Store, *, now: datetime) -> int:
    """Recompute due times more than a day beyond the next local occurrence.

    A due time is always computed as the next occurrence after the moment a
    digest was handled, so it is never much more than a day ahead. One further
    out was computed from a clock that had jumped forward (a tick at 2030-01-01)
    and would silence the chat until then; it goes back to ``next_due(now)``.
    Returns how many were repaired. Cheap when nothing jumped: one indexed range.
    """
    fixes: list[tuple[datetime, int, object]] = []
    for raw in await store.digests.due_beyond(now + _JUMP):
        try:
            expected = next_due(now, parse_time(raw.send_time), ZoneInfo(raw.tz))
            stored = parse_iso(raw.next_due_at)
        except Exception:
            continue  # a poisoned row: compose_due's boundary deals with it when due
        if stored > expected + _JUMP:
            fixes.append((expected, raw.chat_id, raw.next_due_at))
    if not fixes:
        return 0
    async with store.transaction():
        for due, chat_id, old in fixes:
            await store.digests.move_due(chat_id, due, was=old)
    log.warning("%d digest due time(s) were beyond the next occurrence (the clock jumped?):"
                " recomputed from %s", len(fixes), iso(now))
    return len(fixes)


async def release_future_holds(store: Store, *, now: datetime, lease: timedelta) -> None:
    """Leases and retry times no run could have set at ``now`` (a clock that came back)."""
    await store.digests.release_holds(leases_after=now + max(lease, _JUMP),
                                      retries_after=now + _JUMP)
