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
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from briefs.digest._schedule import iso, next_due, parse_iso, parse_time
from briefs.digest._subscribers import OPEN, OutboxRow
from briefs.errors import StoreError

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


def is_busy(err: BaseException) -> bool:
    """SQLite's "database is locked"/"busy" (also when the store wraps it)."""
    if not isinstance(err, sqlite3.OperationalError | StoreError):
        return False
    text = str(err).lower()
    return "locked" in text or "busy" in text


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


async def mark_sending(store: Any, row: OutboxRow, part: int, *, owner: str,
                       now: datetime) -> bool:
    """Commit "sending part ``part``" (1-based) before its request; False if the lease is lost."""
    async with store.transaction() as db:
        cur = await db.execute(
            "INSERT INTO digest_sending (outbox_id, part, marked_at)"
            " SELECT id, ?, ? FROM digest_outbox WHERE id = ? AND lease_owner = ?"
            " ON CONFLICT (outbox_id) DO UPDATE SET part = excluded.part,"
            " marked_at = excluded.marked_at",
            (part, iso(now), row.id, owner),
        )
        return cur.rowcount == 1


async def clear_mark(store: Any, row: OutboxRow) -> None:
    """The chat refused the part outright (403, 429, 400): it is not in doubt."""
    async with store.transaction() as db:
        await db.execute("UPDATE digest_sending SET part = NULL WHERE outbox_id = ?", (row.id,))


async def note_in_doubt(db: Any, rows: list[OutboxRow]) -> list[OutboxRow]:
    """Of freshly claimed ``rows``, those whose next part is in doubt; counted in ``doubted``.

    Policy (at-least-once): the part is sent again. Telegram has no idempotency
    key, so asking cannot tell whether it arrived; re-sending risks one repeated
    message, skipping risks a lost one. The count stays on the row for
    ``briefbot digest list --outbox``.
    """
    doubtful = [r for r in rows if r.in_doubt]
    for row in doubtful:
        await db.execute(
            "UPDATE digest_sending SET doubted = doubted + 1 WHERE outbox_id = ?", (row.id,)
        )
        log.warning("digest %s for chat %s: part %s was in flight at a crash; sending it again",
                    row.id, row.chat_id, row.sending_part)
    return doubtful


async def record_compose_failure(db: Any, raw: Any, err: BaseException, *,
                                 now: datetime) -> bool:
    """A due subscriber whose digest cannot be composed: a ``failed`` row, schedule moved.

    The watermark stays, so tomorrow's digest holds these transcripts too: the
    next due time moves to the next local occurrence (not the next minute, so a
    broken subscriber costs one failed row a day, not one a tick). False when the
    subscriber changed since it was read (another scheduler handled it).
    """
    reason = " ".join(f"cannot compose this digest: {err}".split())[:300]
    try:
        following = next_due(now, parse_time(raw["send_time"]), ZoneInfo(raw["tz"]))
    except Exception:  # the stored time or zone itself is what is broken
        following = now + _JUMP
    cur = await db.execute(
        "UPDATE subscribers SET next_due_at = ?, updated_at = ?"
        " WHERE chat_id = ? AND next_due_at = ? AND active = 1 AND paused = 0",
        (iso(following), iso(now), raw["chat_id"], raw["next_due_at"]),
    )
    if cur.rowcount != 1:
        return False
    watermark = raw["watermark"] if isinstance(raw["watermark"], int) else 0
    await db.execute(
        "INSERT INTO digest_outbox (chat_id, kind, parts, buttons, from_seq, to_seq,"
        " transcripts, due_at, status, last_error, created_at)"
        " VALUES (?, 'scheduled', '[]', '[]', ?, ?, 0, ?, 'failed', ?, ?)",
        (raw["chat_id"], watermark, watermark, str(raw["next_due_at"]), reason, iso(now)),
    )
    log.error("digest for chat %s failed: %s", raw["chat_id"], reason)
    return True


async def repair_clock_jumps(store: Any, *, now: datetime) -> int:
    """Recompute due times more than a day beyond the next local occurrence.

    A due time is always computed as the next occurrence after the moment a
    digest was handled, so it is never much more than a day ahead. One further
    out was computed from a clock that had jumped forward (a tick at 2030-01-01)
    and would silence the chat until then; it goes back to ``next_due(now)``.
    Returns how many were repaired. Cheap when nothing jumped: one indexed range.
    """
    cur = await store.db.execute(
        "SELECT chat_id, send_time, tz, next_due_at FROM subscribers"
        " WHERE active = 1 AND paused = 0 AND next_due_at > ?",
        (iso(now + _JUMP),),
    )
    fixes: list[tuple[str, int, str]] = []
    for raw in await cur.fetchall():
        try:
            expected = next_due(now, parse_time(raw["send_time"]), ZoneInfo(raw["tz"]))
            stored = parse_iso(raw["next_due_at"])
        except Exception:
            continue  # a poisoned row: compose_due's boundary deals with it when due
        if stored > expected + _JUMP:
            fixes.append((iso(expected), raw["chat_id"], raw["next_due_at"]))
    if not fixes:
        return 0
    async with store.transaction() as db:
        for due, chat_id, old in fixes:
            await db.execute(
                "UPDATE subscribers SET next_due_at = ? WHERE chat_id = ? AND next_due_at = ?",
                (due, chat_id, old),
            )
    log.warning("%d digest due time(s) were beyond the next occurrence (the clock jumped?):"
                " recomputed from %s", len(fixes), iso(now))
    return len(fixes)


async def release_future_holds(db: Any, *, now: datetime, lease: timedelta) -> None:
    """Leases and retry times no run could have set at ``now`` (a clock that came back)."""
    await db.execute(
        "UPDATE digest_outbox SET lease_until = NULL, lease_owner = NULL"
        f" WHERE status IN {OPEN} AND lease_until > ?",
        (iso(now + max(lease, _JUMP)),),
    )
    await db.execute(
        "UPDATE digest_outbox SET next_attempt_at = NULL"
        f" WHERE status IN {OPEN} AND next_attempt_at > ?",
        (iso(now + _JUMP),),
    )
