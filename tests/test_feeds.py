"""Podcast feeds served from a local HTTP server on 127.0.0.1, started by the tests."""

# The fixture ``site`` comes from feed_site; tests name it as an argument.
# ruff: noqa: F811

from __future__ import annotations

import json
import shutil
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

from briefs.errors import FeedError, NotFound
from briefs.library import Library
from briefs.sources import add_feed, list_feeds, poll_feeds, remove_feed
from briefs.sources._feed_parse import TranscriptLink, parse_feed, pick_transcript

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
    feed = await add_feed(lib, f"{site.url}/show.xml", client=client, clock=lambda: CLOCK,
                          allow_private=True)
    assert (feed.title, feed.episodes) == ("Plant Floor", 0)

    [poll] = await poll_feeds(lib, client=client, clock=lambda: CLOCK, allow_private=True)
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
    [again] = await poll_feeds(lib, client=client, clock=lambda: CLOCK, allow_private=True)
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
    await add_feed(lib, f"{site.url}/show.rss", client=client, allow_private=True)
    [first] = await poll_feeds(lib, client=client, allow_private=True)
    assert [o.status for o in first.outcomes] == ["added"]
    [second] = await poll_feeds(lib, client=client, allow_private=True)
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
        await add_feed(lib, f"{site.url}{path}", client=client, check=False, allow_private=True)
    async with httpx.AsyncClient(timeout=httpx.Timeout(0.5)) as quick:
        polls = await poll_feeds(lib, client=quick, max_feed_bytes=20_000, allow_private=True)
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
    await add_feed(lib, f"{site.url}/s.xml", client=client, allow_private=True)
    [first] = await poll_feeds(lib, client=client, allow_private=True)
    assert [o.status for o in first.outcomes] == ["failed"]
    site.routes["/late.vtt"] = (200, "text/vtt",
                                (SAMPLES / "2026-05-07-solar-earnings-call.vtt").read_bytes())
    [second] = await poll_feeds(lib, client=client, allow_private=True)
    assert [o.status for o in second.outcomes] == ["added"]


async def test_add_feed_refuses_bad_addresses_and_non_feeds(
    lib: Library, site: _Site, client: httpx.AsyncClient
) -> None:
    with pytest.raises(FeedError, match=r"^ftp://x/feed: not a feed address"):
        await add_feed(lib, "ftp://x/feed", client=client, allow_private=True)
    site.routes["/page.html"] = (200, "text/html", b"<html><p>hello</p></html>")
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        await add_feed(lib, f"{site.url}/page.html", client=client, allow_private=True)
    assert await list_feeds(lib) == []


async def test_adding_twice_keeps_one_feed_and_remove_forgets_it(
    lib: Library, site: _Site, client: httpx.AsyncClient
) -> None:
    site.routes["/a.xml"] = (200, "application/rss+xml", _rss("A", []))
    first = await add_feed(lib, f"{site.url}/a.xml", client=client, allow_private=True)
    again = await add_feed(lib, f"{site.url}/a.xml", client=client, allow_private=True)
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


def test_feed_commands_add_list_poll_and_remove(
    site: _Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    monkeypatch.setenv("BRIEFBOT_FEED_ALLOW_PRIVATE", "1")  # the site is on 127.0.0.1

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
    await add_feed(lib, f"{site.url}/s.xml", client=client, allow_private=True)
    statuses = []
    for _ in range(5):
        [poll] = await poll_feeds(lib, client=client, allow_private=True)
        statuses.append([o.status for o in poll.outcomes])
    assert statuses == [["failed"], ["failed"], ["failed"], [], []]
    assert [p for p, _ in site.requests].count("/broken.srt") == 3


async def test_a_server_trickling_bytes_cannot_hold_the_poll(
    lib: Library, site: _Site, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefs.sources._feeds

    monkeypatch.setattr(briefs.sources._feeds, "FETCH_DEADLINE_S", 0.3)
    site.trickling.add("/trickle.xml")
    await add_feed(lib, f"{site.url}/trickle.xml", client=client, check=False, allow_private=True)
    [poll] = await poll_feeds(lib, client=client, allow_private=True)
    assert poll.error == f"{site.url}/trickle.xml: timed out"


async def test_a_long_feed_ingests_only_its_newest_episodes_per_poll(
    lib: Library, site: _Site, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefs.sources._feeds

    monkeypatch.setattr(briefs.sources._feeds, "MAX_EPISODES_PER_POLL", 2)
    for i in range(1, 5):
        site.routes[f"/e{i}.txt"] = (200, "text/plain",
                                     f"Ana:\nEpisode {i} opens.\n\nBo:\nIndeed {i}.\n".encode())
    # Oldest first in the file: the newest must still win.
    site.routes["/long.xml"] = (200, "application/rss+xml", _rss("Long", [
        _item(f"e{i}", f"Episode {i}", (f"{site.url}/e{i}.txt", "text/plain"),
              date=f"Mon, 0{i} Jun 2026 10:00:00 GMT") for i in range(1, 5)]))
    await add_feed(lib, f"{site.url}/long.xml", client=client, allow_private=True)
    [first] = await poll_feeds(lib, client=client, allow_private=True)
    assert [o.path for o in first.outcomes] == ["Long: Episode 4", "Long: Episode 3"]


# -- outbound fetch safety (SSRF): what a feed may make briefbot fetch -----------------

LOOPBACK_HINT = "; BRIEFBOT_FEED_ALLOW_PRIVATE=1 allows loopback and private addresses"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("{site}/show.xml", "127.0.0.1 is a loopback address (this machine)" + LOOPBACK_HINT),
        ("http://10.1.2.3/feed.xml", "10.1.2.3 is a private address" + LOOPBACK_HINT),
        ("http://192.168.1.10:8080/feed.xml", "192.168.1.10 is a private address" + LOOPBACK_HINT),
        ("http://169.254.169.254/latest/meta-data/",
         "169.254.169.254 is a link-local address (where cloud metadata lives)"),
        ("http://2130706433/feed.xml",
         "2130706433 resolves to 127.0.0.1, a loopback address (this machine)" + LOOPBACK_HINT),
        ("http://0x7f.1/feed.xml",
         "0x7f.1 resolves to 127.0.0.1, a loopback address (this machine)" + LOOPBACK_HINT),
        ("http://[::ffff:127.0.0.1]/feed.xml", "::ffff:127.0.0.1 resolves to ::ffff:7f00:1, "
         "a loopback address (this machine)" + LOOPBACK_HINT),
        ("http://[::1]/feed.xml", "::1 is a loopback address (this machine)" + LOOPBACK_HINT),
        ("http://0.0.0.0/feed.xml", "0.0.0.0 is an unspecified address (it means this machine)"),
        ("http://224.0.0.1/feed.xml", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/feed.xml", "240.0.0.1 is a reserved address"),
    ],
)
async def test_feeds_on_non_public_addresses_are_refused_and_nothing_is_fetched(
    lib: Library, site: _Site, client: httpx.AsyncClient, url: str, reason: str
) -> None:
    url = url.format(site=site.url)
    site.routes["/show.xml"] = (200, "application/rss+xml", _rss("Local", [
        _item("e1", "Secrets", (f"{site.url}/env.txt", "text/plain"))]))
    with pytest.raises(FeedError) as refused:
        await add_feed(lib, url, client=client)
    assert str(refused.value) == f"{url}: refused: {reason}"
    assert await list_feeds(lib) == []
    # Saved unchecked, the poll refuses it the same way: the feed's error, nothing ingested.
    await add_feed(lib, url, client=client, check=False)
    [poll] = await poll_feeds(lib, client=client)
    assert (poll.error, poll.outcomes) == (f"{url}: refused: {reason}", ())
    assert [f.last_error for f in await list_feeds(lib)] == [f"{url}: refused: {reason}"]
    assert site.requests == []
    assert await lib.count_transcripts() == 0


async def test_a_host_name_is_refused_when_any_of_its_addresses_is_not_public(
    lib: Library, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_dns(monkeypatch, {"pod.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(FeedError) as refused:
        await add_feed(lib, "https://pod.example/feed.xml", client=client)
    assert str(refused.value) == (
        "https://pod.example/feed.xml: refused: pod.example resolves to 10.0.0.7, "
        "a private address" + LOOPBACK_HINT)


async def test_allow_private_admits_the_home_network_but_never_metadata(
    lib: Library, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    pod = _Pod(monkeypatch, {"nas.lan": "192.168.1.5", "meta.example": "169.254.169.254"})
    pod.routes["nas.lan/feed.xml"] = (200, {}, _rss("Home", []))
    feed = await add_feed(lib, "http://nas.lan/feed.xml", client=pod.client, allow_private=True)
    assert feed.title == "Home"
    for url in ("http://169.254.169.254/latest/meta-data/", "http://meta.example/",
                "http://[fe80::1]/", "http://100.100.100.200/"):
        with pytest.raises(FeedError, match=r"refused: .*(link-local|cloud metadata)"):
            await add_feed(lib, url, client=pod.client, allow_private=True)
    assert pod.hosts() == ["nas.lan"]


def _fake_dns(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> None:
    """Stand-in DNS: literal IPs go to the real resolver, names come from ``names``."""
    import ipaddress
    import socket

    import briefs.sources._fetch_guard as guard

    real = guard.resolve

    async def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        if host in names:
            return [ipaddress.ip_address(a) for a in names[host]]
        if any(c.isalpha() for c in host.replace("0x", "")) and ":" not in host:
            raise socket.gaierror(-2, "Name or service not known")
        return await real(host, port)

    monkeypatch.setattr(guard, "resolve", resolve)


class _Pod:
    """Podcast hosts on the internet, behind an httpx MockTransport and a fake DNS.

    ``routes`` maps "host/path" to (status, headers, body); every request is kept,
    with the address it was sent to, so a test sees what briefbot reached.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, dns: dict[str, str]) -> None:
        _fake_dns(monkeypatch, {name: [ip] for name, ip in dns.items()})
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[httpx.Request] = []
        self.client = httpx.AsyncClient(transport=httpx.MockTransport(self._answer))

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        host = request.headers["host"]
        status, headers, body = self.routes.get(f"{host}{request.url.path}", (404, {}, b"no"))
        return httpx.Response(status, headers=headers, content=body)

    def hosts(self) -> list[str]:
        return [r.headers["host"] for r in self.requests]


async def test_requests_go_to_the_vetted_address_with_the_host_name_kept(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pinning: the name is resolved once, by the check; the request is sent to that
    # address, so a DNS answer that changes for the connection (rebinding) is not used.
    pod = _Pod(monkeypatch, {"pod.example": "93.184.216.34"})
    pod.routes["pod.example/feed.xml"] = (200, {}, _rss("Pinned", []))
    await add_feed(lib, "https://pod.example/feed.xml", client=pod.client)
    [sent] = pod.requests
    assert (sent.url.host, sent.url.scheme, sent.headers["host"]) == (
        "93.184.216.34", "https", "pod.example")
    assert sent.extensions["sni_hostname"] == "pod.example"  # TLS checks the name


async def test_redirects_are_followed_hop_by_hop_and_each_hop_is_vetted(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    pod = _Pod(monkeypatch, {"pod.example": "93.184.216.34", "cdn.example": "151.101.1.1",
                             "evil.example": "127.0.0.1", "meta.example": "169.254.169.254"})
    transcript = (SAMPLES / "2026-05-07-solar-earnings-call.vtt").read_bytes()
    pod.routes["pod.example/moved.xml"] = (301, {"location": "/feed.xml"}, b"")
    pod.routes["pod.example/feed.xml"] = (200, {}, _rss("Show", [
        _item("ok", "Moved", ("http://pod.example/t/call.vtt", "text/vtt")),
        _item("loop", "Local", ("http://pod.example/t/local.vtt", "text/vtt")),
        _item("meta", "Meta", ("http://pod.example/t/meta.vtt", "text/vtt")),
        _item("file", "File", ("http://pod.example/t/file.vtt", "text/vtt")),
    ]))
    pod.routes["pod.example/t/call.vtt"] = (302, {"location": "https://cdn.example/c.vtt"}, b"")
    pod.routes["cdn.example/c.vtt"] = (200, {}, transcript)
    pod.routes["pod.example/t/local.vtt"] = (302, {"location": "http://evil.example/env"}, b"")
    pod.routes["pod.example/t/meta.vtt"] = (307, {"location": "http://meta.example/"}, b"")
    pod.routes["pod.example/t/file.vtt"] = (302, {"location": "file:///etc/passwd"}, b"")
    await add_feed(lib, "http://pod.example/moved.xml", client=pod.client, check=False)
    [poll] = await poll_feeds(lib, client=pod.client)
    assert poll.error is None
    assert [(o.path, o.status, o.message) for o in poll.outcomes] == [
        ("Show: Moved", "added", poll.outcomes[0].message),
        ("Show: Local", "failed", "http://pod.example/t/local.vtt: refused: it redirects to "
         "http://evil.example/env, and evil.example resolves to 127.0.0.1, a loopback address "
         "(this machine)" + LOOPBACK_HINT),
        ("Show: Meta", "failed", "http://pod.example/t/meta.vtt: refused: it redirects to "
         "http://meta.example/, and meta.example resolves to 169.254.169.254, a link-local "
         "address (where cloud metadata lives)"),
        ("Show: File", "failed", "http://pod.example/t/file.vtt: refused: it redirects to "
         "file:///etc/passwd, and only http:// and https:// addresses are fetched, not file://"),
    ]
    assert "evil.example" not in pod.hosts() and "meta.example" not in pod.hosts()
    [stored] = await lib.list_transcripts()
    assert stored.title == "Moved"


async def test_transcript_links_are_vetted_like_the_feed(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    pod = _Pod(monkeypatch, {"pod.example": "93.184.216.34", "intranet.example": "10.2.3.4"})
    pod.routes["pod.example/feed.xml"] = (200, {}, _rss("Show", [
        _item("a", "Config dump", ("http://127.0.0.1:8000/config.txt", "text/plain")),
        _item("b", "Intranet", ("http://intranet.example/notes.txt", "text/plain")),
        _item("c", "Local file", ("file:///home/bot/.env", "text/plain")),
        _item("d", "Metadata", ("http://169.254.169.254/latest/user-data.txt", "text/plain")),
    ]))
    await add_feed(lib, "http://pod.example/feed.xml", client=pod.client)
    [poll] = await poll_feeds(lib, client=pod.client)
    assert [(o.path, o.status, o.message) for o in poll.outcomes] == [
        ("Show: Config dump", "failed", "http://127.0.0.1:8000/config.txt: refused: 127.0.0.1 "
         "is a loopback address (this machine)" + LOOPBACK_HINT),
        ("Show: Intranet", "failed", "http://intranet.example/notes.txt: refused: "
         "intranet.example resolves to 10.2.3.4, a private address" + LOOPBACK_HINT),
        ("Show: Local file", "failed", "file:///home/bot/.env: refused: only http:// and "
         "https:// addresses are fetched, not file://"),
        ("Show: Metadata", "failed", "http://169.254.169.254/latest/user-data.txt: refused: "
         "169.254.169.254 is a link-local address (where cloud metadata lives)"),
    ]
    assert pod.hosts() == ["pod.example", "pod.example"]  # the feed, checked and polled
    assert await lib.count_transcripts() == 0
    cur = await lib.store.db.execute("SELECT guid, status FROM feed_episodes ORDER BY guid")
    rows = [tuple(r) for r in await cur.fetchall()]
    assert rows == [("a", "failed"), ("b", "failed"), ("c", "failed"), ("d", "failed")]


async def test_redirect_loops_and_unresolvable_hosts_end_with_a_reason(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    pod = _Pod(monkeypatch, {"pod.example": "93.184.216.34"})
    pod.routes["pod.example/loop.xml"] = (302, {"location": "/loop.xml"}, b"")
    pod.routes["pod.example/gone.xml"] = (302, {"location": "http://nowhere.example/"}, b"")
    with pytest.raises(FeedError) as looped:
        await add_feed(lib, "http://pod.example/loop.xml", client=pod.client)
    assert str(looped.value) == "http://pod.example/loop.xml: too many redirects (more than 5)"
    assert len(pod.requests) == 6  # the first request and five hops, then it stops
    with pytest.raises(FeedError) as unresolved:
        await add_feed(lib, "http://pod.example/gone.xml", client=pod.client)
    assert str(unresolved.value) == ("http://pod.example/gone.xml: cannot fetch it (the host of "
                                     "http://nowhere.example/ does not resolve)")
    assert await list_feeds(lib) == []


@pytest.mark.parametrize(
    ("value", "allowed"), [("1", True), ("yes", True), ("true", True), ("0", False), ("no", False)]
)
def test_the_allow_private_setting(value: str, allowed: bool) -> None:
    from bot.settings import Settings, read_setting

    env = {"BRIEFBOT_FEED_ALLOW_PRIVATE": value}
    assert Settings.from_env(env).feed_allow_private is allowed
    # Read alone (briefbot feed poll), an unrelated bad setting does not stop it.
    assert read_setting("feed_allow_private", {**env, "BRIEFBOT_WEBHOOK_PORT": "x"}) is allowed
    assert read_setting("feed_allow_private", {}) is False


def test_a_bad_allow_private_value_is_one_line(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from bot.cli import main
    from bot.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match=r"^BRIEFBOT_FEED_ALLOW_PRIVATE: 'maybe' is not a "
                       r"yes/no value; use 1 or 0$"):
        Settings.from_env({"BRIEFBOT_FEED_ALLOW_PRIVATE": "maybe"})
    monkeypatch.setenv("BRIEFBOT_FEED_ALLOW_PRIVATE", "maybe")
    result = CliRunner().invoke(main, ["feed", "poll", "--db", str(tmp_path / "x.db")])
    assert (result.exit_code, result.output) == (
        1, "Error: BRIEFBOT_FEED_ALLOW_PRIVATE: 'maybe' is not a yes/no value; use 1 or 0\n")


def test_feed_poll_command_refuses_a_loopback_feed_without_the_setting(
    site: _Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no developer's .env
    monkeypatch.delenv("BRIEFBOT_FEED_ALLOW_PRIVATE", raising=False)
    _serve_samples(site)
    url = f"{site.url}/show.xml"
    site.routes["/show.xml"] = (200, "application/rss+xml", _rss("Plant Floor", [
        _item("ep-1", "Solar results", (f"{site.url}/call.vtt", "text/vtt"))]))
    db = ["--db", str(tmp_path / "cli.db")]
    run = CliRunner().invoke
    added = run(main, ["feed", "add", url, *db])
    assert (added.exit_code, added.output) == (
        1, f"Error: {url}: refused: 127.0.0.1 is a loopback address (this machine)"
        f"{LOOPBACK_HINT}\n")
    assert run(main, ["feed", "add", "--no-check", url, *db]).exit_code == 0
    polled = run(main, ["feed", "poll", *db])
    assert (polled.exit_code, polled.output) == (
        1, f"feed failed: {url}: refused: 127.0.0.1 is a loopback address (this machine)"
        f"{LOOPBACK_HINT}\n")
    assert site.requests == []


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a certificate")
async def test_https_pinned_to_the_vetted_address_still_checks_the_certificate_name(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem"),
         "-subj", "/CN=pod.example", "-addext", "subjectAltName=DNS:pod.example", "-days", "2"],
        check=True, capture_output=True,
    )
    feed = _rss("Over TLS", [])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(feed)))
            self.end_headers()
            self.wfile.write(feed)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    _fake_dns(monkeypatch, {"pod.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
    trust = ssl.create_default_context(cafile=str(tmp_path / "c.pem"))
    try:
        async with httpx.AsyncClient(verify=trust, timeout=httpx.Timeout(5.0)) as tls_client:
            added = await add_feed(lib, f"https://pod.example:{port}/feed.xml",
                                   client=tls_client, allow_private=True)
            assert added.title == "Over TLS"
            # Same address, another name: the certificate does not cover it.
            with pytest.raises(FeedError, match=r"certificate is not valid for 'other.example'"):
                await add_feed(lib, f"https://other.example:{port}/feed.xml",
                               client=tls_client, allow_private=True)
    finally:
        server.shutdown()
        server.server_close()
