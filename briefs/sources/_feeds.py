"""Podcast feeds: poll RSS/Atom feeds and ingest the episodes' transcripts.

An episode with a Podcasting 2.0 ``<podcast:transcript url=... type=...>`` link
(SRT, VTT, JSON, HTML or plain text) has that transcript fetched and ingested
through the library, titled and dated from the feed. Episodes already ingested
are remembered in ``feed_episodes`` and never fetched again; an episode whose
transcript failed is retried on later polls, up to ``MAX_ATTEMPTS`` times.

Every fetch has a timeout and a size limit, follows at most ``MAX_REDIRECTS``
redirects, and is refused when the feed address, a redirect hop or a transcript
link points at a non-public address (``briefs.sources._fetch_guard``: a feed must not
make briefbot fetch its own network and publish the answer); ``allow_private``
(``BRIEFBOT_FEED_ALLOW_PRIVATE``) admits loopback and private ranges. Each feed
is polled inside its own error boundary: one bad feed (down, slow, not XML, huge) never stops the
others. The bot schedules :func:`poll_feeds`; ``briefbot feed poll`` runs it once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urljoin, urlparse

import httpx

from briefs import readers
from briefs.errors import BriefbotError, FeedError, NotFound
from briefs.library import IngestOutcome, Library
from briefs.sources._feed_parse import Episode, FeedDoc, parse_feed, pick_transcript
from briefs.sources._fetch_guard import MAX_REDIRECTS, Refused, vet
from briefs.store import Feed, utc_stamp

__all__ = [
    "FETCH_DEADLINE_S",
    "MAX_ATTEMPTS",
    "MAX_EPISODES_PER_POLL",
    "MAX_FEED_BYTES",
    "MAX_REDIRECTS",
    "TIMEOUT_S",
    "Feed",
    "FeedPoll",
    "add_feed",
    "list_feeds",
    "poll_feeds",
    "remove_feed",
]

log = logging.getLogger(__name__)

TIMEOUT_S = 20.0
"""Per network step (connect, each read): a silent server is given up quickly."""
FETCH_DEADLINE_S = 60.0
"""Whole download: a server trickling a byte at a time cannot hold a poll forever."""
MAX_FEED_BYTES = 10 * 1024 * 1024
"""Large shows publish feeds of a few MB; ten is generous and still bounded."""
MAX_EPISODES_PER_POLL = 20
"""Newest episodes considered per feed and poll: adding a feed with 500 episodes
ingests its latest 20, not the whole back catalogue (older transcripts can be
dropped in the inbox)."""
MAX_ATTEMPTS = 3
USER_AGENT = "briefbot (podcast transcript reader)"


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """What one poll of one feed did. ``error`` is set when the feed itself failed."""

    url: str
    title: str
    outcomes: tuple[IngestOutcome, ...] = ()
    error: str | None = None
    not_modified: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and all(o.status != "failed" for o in self.outcomes)


def _now(clock: Callable[[], datetime] | None) -> str:
    return utc_stamp(clock() if clock is not None else None)


def _check_url(url: str) -> str:
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise FeedError(f"{url or '(empty)'}: not a feed address (use an http:// or https:// URL)")
    return url


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        # Redirects are followed by _fetch, hop by hop, each hop vetted.
        timeout=httpx.Timeout(TIMEOUT_S), follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )


@dataclass(frozen=True, slots=True)
class _Fetched:
    status: int
    headers: httpx.Headers
    content: bytes


async def _fetch(
    client: httpx.AsyncClient, url: str, *, max_bytes: int, headers: dict[str, str] | None = None,
    allow_private: bool = False,
) -> _Fetched:
    """GET ``url``, streaming, refusing bodies over ``max_bytes``; raise ``FeedError``.

    A 304 comes back as is (the caller asked with If-None-Match); any other
    status outside 2xx is an error. The body is read in chunks so a huge or
    endless response costs at most ``max_bytes`` of memory. Redirects are
    followed here, not by httpx, so that every hop is vetted (and requested
    at its vetted address) before anything is sent to it.
    """
    hop = url
    try:
        async with asyncio.timeout(FETCH_DEADLINE_S):
            for _ in range(MAX_REDIRECTS + 1):
                try:
                    target = await vet(hop, allow_private=allow_private)
                except Refused as err:
                    via = "" if hop == url else f"it redirects to {hop}, and "
                    raise FeedError(f"{url}: refused: {via}{err}") from None
                except OSError:
                    raise FeedError(f"{url}: cannot fetch it (the host of {hop} does not "
                                    "resolve)") from None
                async with client.stream(
                    "GET", target.url, headers={**(headers or {}), **target.headers},
                    extensions=target.extensions, follow_redirects=False,
                ) as resp:
                    if resp.has_redirect_location:
                        hop = urljoin(hop, resp.headers["location"])
                        continue
                    return await _body(url, resp, max_bytes)
            raise FeedError(f"{url}: too many redirects (more than {MAX_REDIRECTS})")
    except (httpx.TimeoutException, TimeoutError):
        raise FeedError(f"{url}: timed out") from None
    except httpx.HTTPError as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise FeedError(f"{url}: cannot fetch it ({reason})") from None


async def _body(url: str, resp: httpx.Response, max_bytes: int) -> _Fetched:
    if resp.status_code == 304:
        return _Fetched(304, resp.headers, b"")
    if resp.status_code >= 300:
        raise FeedError(f"{url}: the server answered HTTP {resp.status_code}")
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FeedError(
            f"{url}: too large ({int(declared)} bytes; the limit is {max_bytes})"
        )
    body = bytearray()
    async for chunk in resp.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise FeedError(f"{url}: too large (over {max_bytes} bytes)")
    return _Fetched(resp.status_code, resp.headers, bytes(body))


async def add_feed(
    library: Library, url: str, *, client: httpx.AsyncClient | None = None, check: bool = True,
    clock: Callable[[], datetime] | None = None, allow_private: bool = False,
) -> Feed:
    """Add a feed (fetched once when ``check``, so a wrong address fails now).

    ``allow_private`` admits loopback and private addresses (see ``_fetch_guard``).
    """
    url = _check_url(url)
    title = ""
    if check:
        own = client is None
        client = client or _client()
        try:
            resp = await _fetch(client, url, max_bytes=MAX_FEED_BYTES, allow_private=allow_private)
            title = parse_feed(resp.content, url=url).title
        finally:
            if own:
                await client.aclose()
    async with library.store.transaction():
        await library.store.sources.add_feed(url, title, _now(clock))
    for feed in await list_feeds(library):
        if feed.url == url:
            return feed
    raise FeedError(f"{url}: could not be saved")  # pragma: no cover - the insert above


async def list_feeds(library: Library) -> list[Feed]:
    """Every feed, in the order added."""
    return await library.store.sources.list_feeds()


async def remove_feed(library: Library, url_or_id: str) -> Feed:
    """Stop polling a feed (by URL or list number); its transcripts stay. Raises NotFound."""
    for feed in await list_feeds(library):
        if url_or_id.strip() in (feed.url, str(feed.id)):
            async with library.store.transaction():
                await library.store.sources.remove_feed(feed.id)
            return feed
    raise NotFound(f"no feed {url_or_id.strip()!r} (see: briefbot feed list)")


async def poll_feeds(
    library: Library,
    *,
    client: httpx.AsyncClient | None = None,
    max_feed_bytes: int = MAX_FEED_BYTES,
    max_transcript_bytes: int = readers.DEFAULT_MAX_BYTES,
    clock: Callable[[], datetime] | None = None,
    allow_private: bool = False,
) -> list[FeedPoll]:
    """Poll every feed once and ingest new transcripts; one ``FeedPoll`` per feed.

    Feed, redirect and transcript addresses that are not public are refused
    (the reason is the feed's error or the episode's outcome) unless
    ``allow_private`` admits loopback and private ones.
    """
    own = client is None
    client = client or _client()
    results: list[FeedPoll] = []
    try:
        for feed in await list_feeds(library):
            try:
                result = await _poll_one(library, client, feed, max_feed_bytes,
                                         max_transcript_bytes, clock, allow_private)
            except Exception as err:  # the boundary: this feed failed, the next one runs
                message = str(err) if isinstance(err, BriefbotError) else (
                    f"{feed.url}: unexpected error ({type(err).__name__}: {err})")
                message = " ".join(message.split())
                log.warning("feed poll failed: %s", message)
                result = FeedPoll(feed.url, feed.title, error=message)
            await _record_poll(library, feed, result, clock)
            results.append(result)
    finally:
        if own:
            await client.aclose()
    return results


async def _poll_one(
    library: Library, client: httpx.AsyncClient, feed: Feed, max_feed_bytes: int,
    max_transcript_bytes: int, clock: Callable[[], datetime] | None, allow_private: bool,
) -> FeedPoll:
    kept = await library.store.sources.validators(feed.id)
    headers = {}
    if kept and kept.etag:
        headers["If-None-Match"] = kept.etag
    if kept and kept.last_modified:
        headers["If-Modified-Since"] = kept.last_modified
    resp = await _fetch(client, feed.url, max_bytes=max_feed_bytes, headers=headers,
                        allow_private=allow_private)
    if resp.status == 304:
        return FeedPoll(feed.url, feed.title, not_modified=True)
    doc = parse_feed(resp.content, url=feed.url)
    outcomes = []
    # Newest first (most feeds already are; some list oldest first), then the cap.
    episodes = doc.episodes
    if all(e.published for e in episodes):
        episodes = sorted(episodes, key=lambda e: e.published or "", reverse=True)
    for episode in episodes[:MAX_EPISODES_PER_POLL]:
        outcome = await _episode(library, client, feed, doc, episode, max_transcript_bytes, clock,
                                 allow_private)
        if outcome is not None:
            outcomes.append(outcome)
    # The validators are kept only when every episode went in: an unchanged feed
    # answers 304 next time, and a failed episode would then never be retried.
    clean = all(o.status != "failed" for o in outcomes)
    async with library.store.transaction():
        await library.store.sources.record_fetch(
            feed.id, etag=resp.headers.get("etag") if clean else None,
            last_modified=resp.headers.get("last-modified") if clean else None, title=doc.title,
        )
    return FeedPoll(feed.url, doc.title or feed.title, tuple(outcomes))


async def _episode(
    library: Library, client: httpx.AsyncClient, feed: Feed, doc: FeedDoc, episode: Episode,
    max_bytes: int, clock: Callable[[], datetime] | None, allow_private: bool,
) -> IngestOutcome | None:
    link = pick_transcript(episode.transcripts)
    if link is None or not episode.guid:
        return None  # no transcript yet: looked at again next poll
    seen = await library.store.sources.seen_episode(feed.id, episode.guid)
    if seen and (seen.status == "ingested" or seen.attempts >= MAX_ATTEMPTS):
        return None
    label = f"{doc.title or feed.url}: {episode.title or episode.guid}"
    try:
        resp = await _fetch(client, link.url, max_bytes=max_bytes, allow_private=allow_private)
        name = f"{episode.title or 'episode'}{link.extension}".replace("/", "-")
        transcript = await asyncio.to_thread(readers.read_bytes, name, resp.content,
                                             max_bytes=max_bytes)
    except BriefbotError as err:
        outcome = IngestOutcome(label, "failed", None, " ".join(str(err).split()))
    else:
        metadata = {**transcript.metadata, "feed": doc.title or feed.url,
                    "feed_url": feed.url, "transcript_url": link.url}
        if episode.link:
            metadata["episode_url"] = episode.link
        if episode.audio:
            metadata["audio_url"] = episode.audio
        transcript = replace(
            transcript, title=episode.title or transcript.title,
            date=transcript.date or episode.published, metadata=metadata, source=link.url,
        )
        outcome = await library.ingest_transcript(transcript, source_key=link.url, label=label)
    async with library.store.transaction():
        await library.store.sources.record_episode(
            feed.id, episode.guid, title=episode.title, transcript_url=link.url,
            status="failed" if outcome.status == "failed" else "ingested",
            transcript_id=outcome.transcript_id, message=outcome.message, seen_at=_now(clock),
        )
    return outcome


async def _record_poll(
    library: Library, feed: Feed, result: FeedPoll, clock: Callable[[], datetime] | None
) -> None:
    now = _now(clock)
    async with library.store.transaction():
        await library.store.sources.record_poll(feed.id, polled_at=now, error=result.error)
