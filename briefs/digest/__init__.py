"""Daily digests: subscriptions, composition and delivery you can trust.

The engine side of digests, with no Telegram in it. Front ends call:

- :func:`subscribe`, :func:`unsubscribe`, :func:`pause`, :func:`resume`,
  :func:`subscription` (``/settings``), :func:`parse_subscribe_args`;
- :func:`send_due` from a scheduler (the bot's minute tick, ``briefbot digest
  send-due`` from cron) with a :class:`Sender` that talks to the chat service;
- :func:`digest_now` for ``/digest``.

State lives in SQLite (migrations ``0005_digests`` and ``0007_digest_sending``):
each subscriber has a watermark (the last ingest sequence number delivered),
and each digest is an outbox row, composed, then sent, then marked delivered
with the watermark advanced in the same transaction. ``docs/digests.md`` explains the guarantees
and the one window where a crash repeats a message.

Time is always passed in (``now``), never read here: tests and the CLI's
``--at`` run the schedule at any moment, and sleeps are injected too.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from briefs.digest._compose import (
    MIN_TOPIC_PASSAGES,
    ComposeCache,
    Digest,
    DigestEntry,
    TopicQuote,
    compose,
)
from briefs.digest._delivery import (
    DeliveryReport,
    RetryPolicy,
    Sender,
    Sleep,
    compose_due,
    deliver_open,
    digest_now,
    send_due,
)
from briefs.digest._schedule import (
    SubscribeRequest,
    next_due,
    parse_iso,
    parse_subscribe_args,
    parse_time,
    parse_topics,
    parse_zone,
)
from briefs.digest._subscribers import (
    Button,
    OutboxRow,
    Subscriber,
    get_subscriber,
    list_outbox,
    list_subscribers,
    save_subscriber,
    set_subscriber_state,
)
from briefs.errors import Blocked, DeliveryError, NotFound, RetryLater, Transient

if TYPE_CHECKING:
    from briefs.library import Library

__all__ = [
    "MIN_TOPIC_PASSAGES",
    "Blocked",
    "Button",
    "ComposeCache",
    "DeliveryError",
    "DeliveryReport",
    "Digest",
    "DigestEntry",
    "OutboxRow",
    "RetryLater",
    "RetryPolicy",
    "Sender",
    "Sleep",
    "SubscribeRequest",
    "Subscriber",
    "TopicQuote",
    "Transient",
    "compose",
    "compose_due",
    "deliver_open",
    "digest_now",
    "list_outbox",
    "list_subscribers",
    "next_due",
    "parse_iso",
    "parse_subscribe_args",
    "parse_time",
    "parse_topics",
    "parse_zone",
    "pause",
    "preview",
    "resume",
    "send_due",
    "subscribe",
    "subscription",
    "unsubscribe",
]


async def subscribe(
    library: Library,
    chat_id: int,
    request: SubscribeRequest,
    *,
    now: datetime,
    default_time: time,
    default_zone: ZoneInfo,
    chat_type: str = "private",
) -> Subscriber:
    """Create or change a subscription; what ``request`` leaves out is kept (or defaulted).

    Re-subscribing changes time, zone or topics without losing the chat's place;
    subscribing again after ``/unsubscribe`` starts fresh from the newest transcript.
    """
    store = library.store
    try:
        current: Subscriber | None = await get_subscriber(store, chat_id)
    except NotFound:
        current = None
    keep = current is not None and current.active
    at = request.at or (current.at if keep and current else default_time)
    zone = request.zone or (ZoneInfo(current.zone) if keep and current else default_zone)
    if request.topics is not None:
        topics = request.topics
    else:
        topics = current.topics if keep and current else ()
    return await save_subscriber(
        store, chat_id=chat_id, chat_type=chat_type, at=at, zone=zone, topics=topics, now=now
    )


async def unsubscribe(library: Library, chat_id: int, *, now: datetime) -> Subscriber:
    """Stop digests for the chat (raises NotFound if it never subscribed)."""
    return await set_subscriber_state(
        library.store, chat_id, now=now, active=False, reason="unsubscribed"
    )


async def pause(library: Library, chat_id: int, *, now: datetime) -> Subscriber:
    """Hold scheduled digests; the chat keeps its place (raises NotFound)."""
    return await set_subscriber_state(library.store, chat_id, now=now, paused=True)


async def resume(library: Library, chat_id: int, *, now: datetime) -> Subscriber:
    """Resume after :func:`pause`: the next digest, at the next scheduled time,
    holds everything since the last one (raises NotFound)."""
    return await set_subscriber_state(library.store, chat_id, now=now, paused=False)


async def subscription(library: Library, chat_id: int) -> Subscriber | None:
    """The chat's subscription, or None."""
    try:
        return await get_subscriber(library.store, chat_id)
    except NotFound:
        return None


async def preview(library: Library, chat_id: int) -> Digest:
    """What the chat's next digest would hold right now (nothing is written)."""
    sub = await get_subscriber(library.store, chat_id)
    return await compose(ComposeCache(library), watermark=sub.watermark, topics=sub.topics)
