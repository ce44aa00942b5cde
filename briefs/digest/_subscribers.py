"""Subscriptions: create, change, pause and list them; the outbox as listed.

The rows themselves live in the store (``store.digests``, migration 0005).
Every write runs inside ``Store.transaction()`` (one writer at a time on the
shared connection, ``BEGIN IMMEDIATE`` across processes). State changes that
must agree — an outbox row delivered and the watermark advanced; a row
composed and the next due time moved — happen in one transaction each.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from briefs.digest._schedule import next_due
from briefs.errors import NotFound
from briefs.store import OPEN, Button, OutboxRow, Store, Subscriber

__all__ = [
    "OPEN",
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


async def latest_seq(store: Store) -> int:
    """The newest ingest sequence number (0 for an empty library)."""
    return await store.digests.newest_seq()


async def get_subscriber(store: Store, chat_id: int) -> Subscriber:
    """The chat's subscription; raises NotFound when it never subscribed."""
    sub = await store.digests.subscriber(chat_id)
    if sub is None:
        raise NotFound("this chat has no digest subscription: /subscribe starts one")
    return sub


async def list_subscribers(
    store: Store, *, only_active: bool = False, unreadable: list[tuple[int, str]] | None = None
) -> list[Subscriber]:
    """Subscribers by chat id; rows that cannot be read go to ``unreadable`` as
    (chat id, reason) instead of failing the whole listing."""
    return await store.digests.subscribers(only_active=only_active, unreadable=unreadable)


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
    due = next_due(now, at, zone)
    async with store.transaction():
        newest = await store.digests.newest_seq()
        await store.digests.save_subscriber(
            chat_id=chat_id, chat_type=chat_type, at=at, zone=zone.key, topics=topics,
            watermark=newest, next_due_at=due, now=now,
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
    async with store.transaction():
        await store.digests.set_state(
            chat_id, active=active, paused=paused, reason=reason, next_due_at=due, now=now
        )
    return await get_subscriber(store, chat_id)


async def list_outbox(
    store: Store, *, chat_id: int | None = None, status: str | None = None, limit: int = 50,
    unreadable: list[tuple[int, str]] | None = None,
) -> list[OutboxRow]:
    """Outbox rows, newest first; like :func:`list_subscribers` with ``unreadable`` (row id)."""
    return await store.digests.outbox(
        chat_id=chat_id, status=status, limit=limit, unreadable=unreadable
    )
