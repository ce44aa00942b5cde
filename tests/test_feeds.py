"""Podcast feeds served from a local HTTP server on 127.0.0.1, started by the tests."""

# The fixture ``site`` comes from feed_site; tests name it as an argument.
# ruff: noqa: F811

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from feed_site import SAMPLES, site  # noqa: F401
from feed_site import Site as _Site
from feed_site import item as _item
from feed_site import rss as _rss
from feed_site import serve_samples as _serve_samples

from briefs._feed_parse import TranscriptLink, parse_feed, pick_transcript
from briefs.errors import FeedError, NotFound
from briefs.feeds import add_feed, list_feeds, poll_feeds, remove_feed
from briefs.library import Library

CLOCK = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
async def lib(tmp_path: Path) -> AsyncIterator[Library]:
    library = await Library.open(tmp_path / "feeds.db")
    yield library
    await library.close()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(2.0)) as c:
        yield c


async def test_poll_ingests_episodes_with_transcripts_once(
    lib: Library, site: _Site, client: httpx.AsyncClient
) -> None:
    _serve_samples(site)
    site.routes["/show.xml"] = (200, "application/rss+xml", _rss("Plant Floor", [
        _item("ep-3", "The bakery", (f"{site.url}/bakery.html", "text/html"),
              date="Wed, 02 Sep 2026 06:00:00 GMT"),
        _item("ep-2", "No transcript yet"),
        _item("ep-1", "Solar results", (f"{site.url}/call.vtt", "text/vtt"),
              (f"{site.url}/call.txt", "text/plain")),
    ]))
    feed = await add_feed(lib, f"{site.url}/show.xml", client=client, clock=lambda: CLOCK)
    assert (feed.title, feed.episodes) == ("Plant Floor", 0)

    [poll] = await poll_feeds(lib, client=client, clock=lambda: CLOCK)
    assert (poll.title, poll.error, poll.ok) == ("Plant Floor", None, True)
    assert [(o.path, o.status) for o in poll.outcomes] == [
        ("Plant Floor: The bakery", "added"), ("Plant Floor: Solar results", "added"),
    ]
    infos = {i.title: i for i in await lib.list_transcripts()}
    assert set(infos) == {"The bakery", "Solar results"}
    assert infos["The bakery"].date == "2026-09-02"
    assert infos["Solar results"].date == "2026-05-07"  # the transcript's own date wins
    assert infos["Solar results"].format == "vtt"  # VTT preferred over plain text
    stored = await lib.get(infos["The bakery"].id)
    assert stored.transcript.metadata["feed"] == "Plant Floor"
    assert stored.transcript.metadata["transcript_url"] == f"{site.url}/bakery.html"

    fetched = [p for p, _ in site.requests]
    assert "/call.txt" not in fetched
    # The second poll sends the ETag, gets 304 and fetches no transcript again.
    [again] = await poll_feeds(lib, client=client, clock=lambda: CLOCK)
    assert again.not_modified and again.outcomes == ()
    assert site.requests[-1] == ("/show.xml", site.requests[-1][1])
    assert site.requests[-1][1].get("If-None-Match") == '"v1"'
    assert [p for p, _ in site.requests].count("/bakery.html") == 1
    [listed] = await list_feeds(lib)
    assert (listed.episodes, listed.last_error, listed.last_polled_at) == (
        2, None, "2026-11-25T08:00:00Z")


async def test_episodes_already_ingested_are_not_fetched_again_without_etag(
    lib: Library, site: _Site, client: httpx.AsyncClient
) -> None:
    _serve_samples(site)
    site.routes["/show.rss"] = (200, "application/rss+xml", _rss("Board", [
        _item("b-1", "Water board", (f"{site.url}/board.json", "application/json")),
    ]))
    await add_feed(lib, f"{site.url}/show.rss", client=client)
    [first] = await poll_feeds(lib, client=client)
    assert [o.status for o in first.outcomes] == ["added"]
    [second] = await poll_feeds(lib, client=client)
    assert second.outcomes == () and not second.not_modified
    assert [p for p, _ in site.requests].count("/board.json") == 1
    assert await lib.count_transcripts() == 1


async def test_one_bad_feed_never_stops_the_others(
    lib: Library, site: _Site, client: httpx.AsyncClient
) -> None:
    _serve_samples(site)
    site.routes["/notxml.xml"] = (200, "text/html", b"<html><body>Moved!</body>")
    site.routes["/big.xml"] = (200, "application/rss+xml", _rss("Big", [
        _item(f"g{i}", "x" * 500) for i in range(50)]))
    site.hanging.add("/slow.xml")
    site.routes["/good.xml"] = (200, "application/rss+xml", _rss("Good", [
        _item("g-1", "Call", (f"{site.url}/call.vtt", "text/vtt")),
        _item("g-2", "Missing", (f"{site.url}/gone.srt", "application/x-subrip")),
    ]))
    for path in ["/missing.xml", "/notxml.xml", "/big.xml", "/slow.xml", "/good.xml"]:
        await add_feed(lib, f"{site.url}{path}", client=client, check=False)
    async with httpx.AsyncClient(timeout=httpx.Timeout(0.5)) as quick:
        polls = await poll_feeds(lib, client=quick, max_feed_bytes=20_000)
    errors = {p.url.rsplit("/", 1)[-1]: p.error for p in polls}
    assert errors == {
        "missing.xml": f"{site.url}/missing.xml: the server answered HTTP 404",
        "notxml.xml": f"{site.url}/notxml.xml: not an RSS or Atom feed (it does not parse as XML)",
        "big.xml": f"{site.url}/big.xml: too large (27382 bytes; the limit is 20000)",
        "slow.xml": f"{site.url}/slow.xml: timed out",
        "good.xml": None,
    }
    good = polls[-1]
    assert [(o.path, o.status, o.message) for o in good.outcomes] == [
        ("Good: Call", "added", good.outcomes[0].message),
        ("Good: Missing", "failed", f"{site.url}/gone.srt: the server answered HTTP 404"),
    ]
    feeds = {f.url.rsplit("/", 1)[-1]: f.last_error for f in await list_feeds(lib)}
    assert feeds == errors


async def test_a_failed_episode_is_retried_until_it_works(
    lib: Library, site: _Site, client: httpx.AsyncClient
) -> None:
    site.routes["/s.xml"] = (200, "application/rss+xml", _rss("S", [
        _item("e1", "Late upload", (f"{site.url}/late.vtt", "text/vtt"))]))
    await add_feed(lib, f"{site.url}/s.xml", client=client)
    [first] = await poll_feeds(lib, client=client)
    assert [o.status for o in first.outcomes] == ["failed"]
    site.routes["/late.vtt"] = (200, "text/vtt",
                                (SAMPLES / "2026-05-07-solar-earnings-call.vtt").read_bytes())
    [second] = await poll_feeds(lib, client=client)
    assert [o.status for o in second.outcomes] == ["added"]


async def test_add_feed_refuses_bad_addresses_and_non_feeds(
    lib: Library, site: _Site, client: httpx.AsyncClient
) -> None:
    with pytest.raises(FeedError, match=r"^ftp://x/feed: not a feed address"):
        await add_feed(lib, "ftp://x/feed", client=client)
    site.routes["/page.html"] = (200, "text/html", b"<html><p>hello</p></html>")
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        await add_feed(lib, f"{site.url}/page.html", client=client)
    assert await list_feeds(lib) == []


async def test_adding_twice_keeps_one_feed_and_remove_forgets_it(
    lib: Library, site: _Site, client: httpx.AsyncClient
) -> None:
    site.routes["/a.xml"] = (200, "application/rss+xml", _rss("A", []))
    first = await add_feed(lib, f"{site.url}/a.xml", client=client)
    again = await add_feed(lib, f"{site.url}/a.xml", client=client)
    assert first.id == again.id and len(await list_feeds(lib)) == 1
    assert (await remove_feed(lib, str(first.id))).url == first.url
    assert await list_feeds(lib) == []
    with pytest.raises(NotFound, match="no feed '9'"):
        await remove_feed(lib, "9")


def test_atom_feeds_and_several_transcripts_per_episode() -> None:
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
        b'xmlns:podcast="https://podcastindex.org/namespace/1.0"><title>Atom Show</title>'
        b'<entry><title>One</title><id>urn:1</id><updated>2026-03-01T00:00:00Z</updated>'
        b'<podcast:transcript url="/t/1.html" type="text/html"/>'
        b'<podcast:transcript url="/t/1.srt" type="application/x-subrip"/>'
        b'<podcast:transcript url="/t/1.pdf" type="application/pdf"/></entry></feed>'
    )
    doc = parse_feed(atom, url="https://pod.example/feed.atom")
    [ep] = doc.episodes
    assert (doc.title, ep.guid, ep.title, ep.published) == ("Atom Show", "urn:1", "One",
                                                            "2026-03-01")
    assert [link.url for link in ep.transcripts] == [
        "https://pod.example/t/1.html", "https://pod.example/t/1.srt",
        "https://pod.example/t/1.pdf",
    ]
    best = pick_transcript(ep.transcripts)
    assert best is not None and best.url == "https://pod.example/t/1.srt"


@pytest.mark.parametrize(
    ("url", "type_", "ext"),
    [("http://x/a", "application/json", ".json"), ("http://x/a", "text/vtt", ".vtt"),
     ("http://x/a.srt", "", ".srt"), ("http://x/a", "text/plain; charset=utf-8", ".txt"),
     ("http://x/a.pdf", "application/pdf", None)],
)
def test_transcript_link_extension(url: str, type_: str, ext: str | None) -> None:
    assert TranscriptLink(url, type_).extension == ext


def test_feed_commands_add_list_poll_and_remove(site: _Site, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    _serve_samples(site)
    site.routes["/show.xml"] = (200, "application/rss+xml", _rss("Plant Floor", [
        _item("ep-1", "Solar results", (f"{site.url}/call.vtt", "text/vtt"))]))
    db = ["--db", str(tmp_path / "cli.db")]
    run = CliRunner().invoke
    added = run(main, ["feed", "add", f"{site.url}/show.xml", *db])
    assert (added.exit_code, added.output) == (0, "added feed 1: Plant Floor\n")
    bad = run(main, ["feed", "add", "gopher://nope", *db])
    assert bad.exit_code == 1
    assert bad.output == (
        "Error: gopher://nope: not a feed address (use an http:// or https:// URL)\n")
    polled = run(main, ["feed", "poll", *db])
    assert polled.exit_code == 0
    assert polled.output.startswith("added     Plant Floor: Solar results: added as solar-results")
    listed = run(main, ["feed", "list", "--json", *db])
    [row] = json.loads(listed.output)
    assert (row["title"], row["episodes"], row["last_error"]) == ("Plant Floor", 1, None)
    again = run(main, ["feed", "poll", *db])
    assert (again.exit_code, again.output) == (0, "Plant Floor: nothing new\n")
    removed = run(main, ["feed", "remove", "1", *db])
    assert (removed.exit_code, removed.output) == (0, "removed feed 1: Plant Floor\n")
    assert run(main, ["feed", "list", *db]).output == (
        "No feeds yet. Add one: briefbot feed add URL\n")


async def test_an_episode_that_keeps_failing_is_given_up_after_three_attempts(
    lib: Library, site: _Site, client: httpx.AsyncClient
) -> None:
    site.routes["/s.xml"] = (200, "application/rss+xml", _rss("S", [
        _item("e1", "Broken", (f"{site.url}/broken.srt", "application/x-subrip"))]))
    site.routes["/broken.srt"] = (200, "application/x-subrip", b"this is not SRT\n")
    await add_feed(lib, f"{site.url}/s.xml", client=client)
    statuses = []
    for _ in range(5):
        [poll] = await poll_feeds(lib, client=client)
        statuses.append([o.status for o in poll.outcomes])
    assert statuses == [["failed"], ["failed"], ["failed"], [], []]
    assert [p for p, _ in site.requests].count("/broken.srt") == 3


async def test_a_server_trickling_bytes_cannot_hold_the_poll(
    lib: Library, site: _Site, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefs.feeds

    monkeypatch.setattr(briefs.feeds, "FETCH_DEADLINE_S", 0.3)
    site.trickling.add("/trickle.xml")
    await add_feed(lib, f"{site.url}/trickle.xml", client=client, check=False)
    [poll] = await poll_feeds(lib, client=client)
    assert poll.error == f"{site.url}/trickle.xml: timed out"


async def test_a_long_feed_ingests_only_its_newest_episodes_per_poll(
    lib: Library, site: _Site, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefs.feeds

    monkeypatch.setattr(briefs.feeds, "MAX_EPISODES_PER_POLL", 2)
    for i in range(1, 5):
        site.routes[f"/e{i}.txt"] = (200, "text/plain",
                                     f"Ana:\nEpisode {i} opens.\n\nBo:\nIndeed {i}.\n".encode())
    # Oldest first in the file: the newest must still win.
    site.routes["/long.xml"] = (200, "application/rss+xml", _rss("Long", [
        _item(f"e{i}", f"Episode {i}", (f"{site.url}/e{i}.txt", "text/plain"),
              date=f"Mon, 0{i} Jun 2026 10:00:00 GMT") for i in range(1, 5)]))
    await add_feed(lib, f"{site.url}/long.xml", client=client)
    [first] = await poll_feeds(lib, client=client)
    assert [o.path for o in first.outcomes] == ["Long: Episode 4", "Long: Episode 3"]
