"""``/feed`` in the chat: admins list, add, remove and poll podcast feeds.

Feeds are served from a local HTTP server on 127.0.0.1 (``feed_site``); the
conversation core is driven like a user would, and the Telegram app through
its recording Bot API (``tg_harness``).
"""

# The fixtures ``site``, ``chat`` and ``library`` come from feed_site and tg_harness.
# ruff: noqa: F811

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from feed_site import Site, item, rss, serve_samples, site  # noqa: F401
from ptb_fakes import RecordingRequest
from tg_harness import ADMIN, USER, Chat, Clock, bot_settings, chat, library  # noqa: F401

from bot import _feeds_cmd
from bot.cli import main
from bot.core import ChatRef, Conversation, Reply
from bot.telegram_app import build_application
from briefs.library import Library
from briefs.render import html_to_text
from briefs.sources import add_feed, list_feeds

CLOCK = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
OPERATOR = ChatRef(chat_id=43, user_id=1)
STRANGER = ChatRef(chat_id=42, user_id=7)
USAGE = "/feed lists the feeds; /feed add URL, /feed remove ID, /feed poll."


@pytest.fixture
async def lib(tmp_path: Path) -> AsyncIterator[Library]:
    library = await Library.open(tmp_path / "feeds-chat.db")
    yield library
    await library.close()


@pytest.fixture
def conv(lib: Library) -> Conversation:
    # The feed site runs on 127.0.0.1: BRIEFBOT_FEED_ALLOW_PRIVATE=1, as on a home network.
    conversation = Conversation(lib, admin_ids=frozenset({1}), now=lambda: CLOCK)
    _feeds_cmd.install(conversation, allow_private=True)
    return conversation


@pytest.fixture
def guarded(lib: Library) -> Conversation:
    """/feed as installed by default: private addresses refused."""
    conversation = Conversation(lib, admin_ids=frozenset({1}), now=lambda: CLOCK)
    _feeds_cmd.install(conversation, allow_private=False)
    return conversation


@pytest.fixture
async def home_chat(library: Library) -> AsyncIterator[Chat]:
    """The Telegram bot with BRIEFBOT_FEED_ALLOW_PRIVATE=1 in its Settings."""
    request, clock = RecordingRequest(), Clock()
    app = build_application(
        bot_settings(feed_allow_private=True), library, request=request,
        get_updates_request=RecordingRequest(), clock=clock,
    )
    async with app:
        request.clear()
        yield Chat(app, request, clock)


async def _say(conv: Conversation, text: str, who: ChatRef = OPERATOR) -> str:
    replies: list[Reply] = await conv.handle(who, text=text)
    return "\n".join(html_to_text(r.html) for r in replies)


def _closed_port() -> int:
    # A port nothing listens on: connecting is refused at once.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_an_admin_adds_lists_polls_and_removes_a_feed(conv: Conversation, site: Site) -> None:
    serve_samples(site)
    url = f"{site.url}/show.xml"
    site.routes["/show.xml"] = (200, "application/rss+xml", rss("Plant Floor", [
        item("ep-2", "The bakery", (f"{site.url}/bakery.html", "text/html")),
        item("ep-1", "Solar results", (f"{site.url}/call.vtt", "text/vtt")),
    ]))  # fmt: skip
    assert await _say(conv, "/feed") == (
        "No feeds yet. Add one: /feed add URL\n\n"
        "An episode comes in when its feed item links a transcript "
        "(Podcasting 2.0 <podcast:transcript>)."
    )
    assert await _say(conv, f"/feed add {url}") == (
        "Added feed 1: Plant Floor.\n\n"
        "Its episodes with transcripts come in at the next poll; /feed poll fetches them now."
    )
    assert await _say(conv, "/feed") == (
        f"Feeds · 1\n\n1. Plant Floor\n{url}\n0 episodes in · not polled yet\n\n{USAGE}"
    )
    assert await _say(conv, "/feed poll") == (
        "Feed poll\n\n"
        "Plant Floor: 2 added\n"
        "• added: The bakery · /brief the-bakery\n"
        "• added: Solar results · /brief solar-results"
    )
    assert await _say(conv, "/feed list") == (
        f"Feeds · 1\n\n1. Plant Floor\n{url}\n2 episodes in · last poll 2026-11-25 08:00 UTC"
        f"\n\n{USAGE}"
    )
    assert await _say(conv, "/feed poll") == "Feed poll\n\nPlant Floor: nothing new"
    assert await _say(conv, f"/feed add {url}") == "Feed 1 is already in the list: Plant Floor."
    assert await _say(conv, f"/feed remove {url}") == (
        "Removed feed 1: Plant Floor.\n\nIts transcripts stay in the library."
    )
    assert await conv.library.count_transcripts() == 2
    assert await _say(conv, "/feed remove 1") == (
        "⚠️ There is no feed “1”.\n\n/feed lists the feeds with their numbers."
    )
    assert await _say(conv, "/feed poll") == "No feeds to poll. Add one: /feed add URL"


async def test_bad_or_unreachable_addresses_are_one_line_and_add_nothing(
    conv: Conversation, site: Site
) -> None:
    hint = "\n\nNothing was added. Check the address and try again."
    assert await _say(conv, "/feed add gopher://nope") == (
        "⚠️ gopher://nope: not a feed address (use an http:// or https:// URL)" + hint
    )
    site.routes["/page.html"] = (200, "text/html", b"<html><p>hello</p></html>")
    page = f"{site.url}/page.html"
    assert await _say(conv, f"/feed add {page}") == (
        f"⚠️ {page}: not an RSS or Atom feed (no channel or entries found)" + hint
    )
    assert await _say(conv, f"/feed add {site.url}/gone.xml") == (
        f"⚠️ {site.url}/gone.xml: the server answered HTTP 404" + hint
    )
    down = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    text = await _say(conv, f"/feed add {down}")
    first, rest = text.split("\n", 1)
    assert first.startswith(f"⚠️ {down}: cannot fetch it (") and first.endswith(")")
    assert "\n" + rest == hint
    assert await list_feeds(conv.library) == []


async def test_a_poll_reports_each_feed_and_episode_that_failed(
    conv: Conversation, site: Site
) -> None:
    serve_samples(site)
    site.routes["/good.xml"] = (200, "application/rss+xml", rss("Good", [
        item("g-1", "Call", (f"{site.url}/call.vtt", "text/vtt")),
        item("g-2", "Missing", (f"{site.url}/gone.srt", "application/x-subrip")),
    ]))  # fmt: skip
    site.routes["/broken.xml"] = (200, "application/rss+xml", rss("Broken", []))
    for path in ("/broken.xml", "/good.xml"):
        assert (await _say(conv, f"/feed add {site.url}{path}")).startswith("Added feed ")
    del site.routes["/broken.xml"]  # the feed went away after it was added
    assert await _say(conv, "/feed poll") == (
        "Feed poll\n\n"
        f"Broken: ⚠️ failed: {site.url}/broken.xml: the server answered HTTP 404\n\n"
        "Good: 1 added, 1 failed\n"
        "• added: Call · /brief call\n"
        f"• failed: Missing — {site.url}/gone.srt: the server answered HTTP 404"
    )
    listed = await _say(conv, "/feed")
    assert (
        f"1. Broken\n{site.url}/broken.xml\n0 episodes in · last poll 2026-11-25 08:00 UTC\n"
        f"⚠️ Last poll failed: {site.url}/broken.xml: the server answered HTTP 404\n\n"
        f"2. Good\n{site.url}/good.xml\n1 episode in · last poll 2026-11-25 08:00 UTC\n\n"
    ) in listed


async def test_feed_is_only_for_admins(conv: Conversation, site: Site) -> None:
    site.routes["/a.xml"] = (200, "application/rss+xml", rss("A", []))
    for text in ("/feed", f"/feed add {site.url}/a.xml", "/feed poll", "/feed remove 1"):
        assert await _say(conv, text, STRANGER) == "Sorry, /feed is only for the bot's admins."
    assert await list_feeds(conv.library) == []
    assert site.requests == []  # a refused /feed add fetches nothing
    assert "/feed" not in await _say(conv, "/help", STRANGER)
    assert "/feed — Podcast feeds: /feed [add URL | remove ID | poll]" in await _say(conv, "/help")


async def test_missing_or_unknown_arguments_say_how_to_use_it(conv: Conversation) -> None:
    assert await _say(conv, "/feed add") == (
        "Which feed? Send /feed add followed by its address, "
        "e.g. /feed add https://example.com/podcast.xml"
    )
    assert await _say(conv, "/feed remove") == (
        "Which feed? Send /feed remove followed by its number or address.\n\n"
        "/feed lists the feeds with their numbers."
    )
    assert await _say(conv, "/feed <frobnicate>") == (
        f"⚠️ /feed does not know “<frobnicate>”.\n\n{USAGE}"
    )


async def test_telegram_admins_manage_feeds_others_are_refused(
    home_chat: Chat, site: Site
) -> None:
    chat = home_chat
    site.routes["/show.xml"] = (200, "application/rss+xml", rss("Plant &lt;Floor&gt; &amp; co", []))
    (refused,) = await chat.say("/feed", user=USER)
    assert html_to_text(refused) == "Sorry, /feed is only for the bot's admins."
    (added,) = await chat.say(f"/feed add {site.url}/show.xml", user=ADMIN)
    assert added.startswith("Added feed 1: Plant &lt;Floor&gt; &amp; co.")
    (listed,) = await chat.say("/feed", user=ADMIN)
    assert html_to_text(listed).startswith("Feeds · 1\n\n1. Plant <Floor> & co\n")
    assert f"<code>{site.url}/show.xml</code>" in listed


def test_the_console_chat_has_feed(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["chat", "--db", str(tmp_path / "c.db"), "--no-color"], input="/feed\n"
    )
    assert result.exit_code == 0, result.output
    assert "\nNo feeds yet. Add one: /feed add URL\n" in result.output


REFUSED_LOOPBACK = (
    "refused: 127.0.0.1 is a loopback address (this machine); "
    "BRIEFBOT_FEED_ALLOW_PRIVATE=1 allows loopback and private addresses"
)


async def test_a_loopback_feed_is_refused_by_default_and_nothing_is_fetched(
    guarded: Conversation, site: Site
) -> None:
    site.routes["/show.xml"] = (200, "application/rss+xml", rss("Local", []))
    url = f"{site.url}/show.xml"
    assert await _say(guarded, f"/feed add {url}") == (
        f"⚠️ {url}: {REFUSED_LOOPBACK}\n\nNothing was added. Check the address and try again."
    )
    assert await list_feeds(guarded.library) == []
    for meta in ("http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/"):
        text = await _say(guarded, f"/feed add {meta}")
        assert text.startswith(f"⚠️ {meta}: refused: ") and "a link-local address" in text
    # A feed saved without a check (briefbot feed add --no-check) is refused at the poll.
    await add_feed(guarded.library, url, check=False)
    assert await _say(guarded, "/feed poll") == (
        f"Feed poll\n\n{url}: ⚠️ failed: {url}: {REFUSED_LOOPBACK}"
    )
    assert site.requests == []
    assert await guarded.library.count_transcripts() == 0


async def test_the_telegram_bot_refuses_loopback_feeds_without_the_setting(
    chat: Chat, site: Site
) -> None:
    site.routes["/show.xml"] = (200, "application/rss+xml", rss("Local", []))
    (refused,) = await chat.say(f"/feed add {site.url}/show.xml", user=ADMIN)
    assert html_to_text(refused).startswith(f"⚠️ {site.url}/show.xml: {REFUSED_LOOPBACK}\n")
    assert site.requests == []


@pytest.mark.parametrize(("setting", "allowed"), [(None, False), ("0", False), ("1", True)])
def test_the_console_chat_reads_the_allow_private_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str | None, allowed: bool
) -> None:
    monkeypatch.chdir(tmp_path)  # no developer's .env
    if setting is None:
        monkeypatch.delenv("BRIEFBOT_FEED_ALLOW_PRIVATE", raising=False)
    else:
        monkeypatch.setenv("BRIEFBOT_FEED_ALLOW_PRIVATE", setting)
    down = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    result = CliRunner().invoke(
        main, ["chat", "--db", str(tmp_path / "c.db"), "--no-color"], input=f"/feed add {down}\n"
    )
    assert result.exit_code == 0, result.output
    # Allowed, the fetch is tried (and the closed port refuses it); refused, it is not.
    assert (f"{down}: cannot fetch it (" in result.output) is allowed
    assert (f"{down}: {REFUSED_LOOPBACK}" in result.output) is not allowed


@pytest.mark.parametrize("allowed", [False, True])
async def test_the_scheduled_feed_poll_follows_the_setting(
    lib: Library, site: Site, allowed: bool
) -> None:
    serve_samples(site)
    url = f"{site.url}/show.xml"
    site.routes["/show.xml"] = (200, "application/rss+xml", rss("Plant Floor", [
        item("ep-1", "Solar results", (f"{site.url}/call.vtt", "text/vtt"))]))
    await add_feed(lib, url, check=False)
    app = build_application(bot_settings(feed_allow_private=allowed), lib,
                            request=RecordingRequest(), get_updates_request=RecordingRequest())
    assert app.job_queue is not None
    [job] = [j for j in app.job_queue.jobs() if j.name == "feeds"]
    async with app:
        await job.run(app)
    [feed] = await list_feeds(lib)
    if allowed:
        assert (feed.last_error, feed.episodes) == (None, 1)
        assert [i.title for i in await lib.list_transcripts()] == ["Solar results"]
    else:
        assert feed.last_error == f"{url}: {REFUSED_LOOPBACK}"
        assert site.requests == [] and await lib.count_transcripts() == 0
