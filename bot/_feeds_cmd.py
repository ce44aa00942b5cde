"""``/feed`` for the bot's admins: the podcast feeds, from the chat.

The chat's side of ``briefbot feed add|list|remove|poll``, over the same engine
calls (``briefs.sources._feeds``)::

    /feed                 the feeds: title, address, episodes, last poll, last error
    /feed add URL         fetch it once (a wrong address fails now), then keep it
    /feed remove ID|URL   stop polling it; its transcripts stay
    /feed poll            poll every feed now: added and failed episodes per feed

Admin-only (the core refuses everyone else with its usual line): a feed makes
the bot fetch addresses from the internet, which is the operator's call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.core import ChatRef, Conversation, Reply
from bot.settings import SettingsError, read_setting
from briefs.errors import FeedError, NotFound
from briefs.render import shorten
from briefs.sources import FeedPoll, add_feed, list_feeds, poll_feeds, remove_feed

__all__ = ["USAGE", "FeedCommands", "install"]

log = logging.getLogger(__name__)

USAGE = "/feed lists the feeds; /feed add URL, /feed remove ID, /feed poll."


def _when(stamp: str | None) -> str:
    """``2026-11-25T08:00:00Z`` -> ``2026-11-25 08:00 UTC`` (how the store keeps it)."""
    if not stamp:
        return ""
    return stamp.replace("T", " ")[:16] + " UTC" if stamp.endswith("Z") else stamp


@dataclass
class FeedCommands:
    """The ``/feed`` handler.

    ``client`` makes the httpx client for one command (tests shorten its
    timeouts); by default ``briefs.sources._feeds`` uses its own (timeouts, redirects,
    User-Agent). ``allow_private`` is ``BRIEFBOT_FEED_ALLOW_PRIVATE``: loopback
    and private addresses may be fetched.
    """

    client: Callable[[], httpx.AsyncClient] | None = None
    allow_private: bool = False
    # One chat-started poll at a time: a second /feed poll would fetch the same
    # episodes again while the first is still ingesting them.
    _polling: asyncio.Lock = field(default_factory=asyncio.Lock)

    def install(self, conv: Conversation) -> None:
        conv.register(
            "feed",
            self.feed,
            description="Podcast feeds: /feed [add URL | remove ID | poll]",
            admin_only=True,
        )

    async def feed(self, conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
        action, _, rest = args.partition(" ")
        action, rest = action.lower(), rest.strip()
        if action in ("", "list"):
            return await self.show(conv)
        if action == "add":
            return await self.add(conv, rest)
        if action in ("remove", "rm", "delete"):
            return await self.remove(conv, rest)
        if action == "poll":
            return await self.poll(conv)
        return conv.error(f"/feed does not know “{shorten(action, 30)}”.", hint=USAGE)

    async def show(self, conv: Conversation) -> list[Reply]:
        feeds = await list_feeds(conv.library)
        if not feeds:
            return conv.message(
                "No feeds yet. Add one: /feed add URL",
                hint="An episode comes in when its feed item links a transcript "
                "(Podcasting 2.0 <podcast:transcript>).",
            )
        items = [
            {"feed": f, "polled": _when(f.last_polled_at), "error": f.last_error or ""}
            for f in feeds
        ]
        return conv.view("feeds", items=items, usage=USAGE)

    async def add(self, conv: Conversation, url: str) -> list[Reply]:
        if not url:
            return conv.message(
                "Which feed? Send /feed add followed by its address, "
                "e.g. /feed add https://example.com/podcast.xml"
            )
        known = {f.url: f for f in await list_feeds(conv.library)}
        client = self.client() if self.client is not None else None
        try:
            feed = await add_feed(conv.library, url, client=client, clock=conv.now,
                                  allow_private=self.allow_private)
        except FeedError as err:
            return conv.error(str(err), hint="Nothing was added. Check the address and try again.")
        finally:
            if client is not None:
                await client.aclose()
        name = feed.title or feed.url
        if feed.url in known:
            return conv.message(f"Feed {feed.id} is already in the list: {name}.")
        return conv.message(
            f"Added feed {feed.id}: {name}.",
            hint="Its episodes with transcripts come in at the next poll; /feed poll fetches "
            "them now.",
        )

    async def remove(self, conv: Conversation, ref: str) -> list[Reply]:
        if not ref:
            return conv.message(
                "Which feed? Send /feed remove followed by its number or address.",
                hint="/feed lists the feeds with their numbers.",
            )
        try:
            feed = await remove_feed(conv.library, ref)
        except NotFound:
            return conv.error(
                f"There is no feed “{shorten(ref, 60)}”.",
                hint="/feed lists the feeds with their numbers.",
            )
        return conv.message(
            f"Removed feed {feed.id}: {feed.title or feed.url}.",
            hint="Its transcripts stay in the library.",
        )

    async def poll(self, conv: Conversation) -> list[Reply]:
        if self._polling.locked():
            return conv.message("A feed poll is already running; its report follows when done.")
        async with self._polling:
            if not await list_feeds(conv.library):
                return conv.message("No feeds to poll. Add one: /feed add URL")
            client = self.client() if self.client is not None else None
            try:
                polls = await poll_feeds(conv.library, client=client, clock=conv.now,
                                         allow_private=self.allow_private)
            finally:
                if client is not None:
                    await client.aclose()
        return conv.view("feed_poll", polls=[_poll_view(p) for p in polls])


def _poll_view(poll: FeedPoll) -> dict[str, Any]:
    prefix = f"{poll.title or poll.url}: "
    outcomes = [
        {
            "status": o.status,
            # Outcomes are labelled "<feed>: <episode>"; the feed is the heading here.
            "episode": o.path[len(prefix) :] if o.path.startswith(prefix) else o.path,
            "message": o.message,
            "transcript_id": o.transcript_id or "",
        }
        for o in poll.outcomes
    ]
    counts = {
        status: sum(o.status == status for o in poll.outcomes)
        for status in ("added", "revised", "duplicate", "failed")
    }
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    return {
        "name": poll.title or poll.url,
        "error": poll.error or "",
        "summary": summary or "nothing new",
        "outcomes": outcomes,
    }


def install(
    conv: Conversation, *, client: Callable[[], httpx.AsyncClient] | None = None,
    allow_private: bool | None = None,
) -> FeedCommands:
    """Register ``/feed`` (admins only) on ``conv``.

    ``allow_private=None`` reads ``BRIEFBOT_FEED_ALLOW_PRIVATE`` (the console
    chat has no Settings of its own); a bad value keeps the safe default.
    """
    if allow_private is None:
        try:
            allow_private = bool(read_setting("feed_allow_private"))
        except SettingsError as err:
            log.warning("%s; private feed addresses stay refused", err)
            allow_private = False
    commands = FeedCommands(client, allow_private)
    commands.install(conv)
    return commands
