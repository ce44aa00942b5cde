"""Jump to the moment (briefs/links.py): links built for audio, YouTube and page links."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from briefs.links import moment_link, transcript_link
from briefs.sources._feed_parse import parse_feed


@pytest.mark.parametrize(
    ("metadata", "seconds", "want"),
    [
        # An audio enclosure: a media fragment, replacing one already there.
        ({"audio_url": "https://cdn.example/ep7?id=3", "episode_url": "https://pod.example/7"},
         75.9, "https://cdn.example/ep7?id=3#t=75"),
        ({"url": "https://cdn.example/talk.MP3#t=5"}, 0, "https://cdn.example/talk.MP3#t=0"),
        # YouTube: ?t= on a bare address, &t= after other parameters, an old t replaced.
        ({"url": "https://youtu.be/abc123"}, 62.0, "https://youtu.be/abc123?t=62"),
        ({"url": "https://www.youtube.com/watch?v=abc123&t=10"}, 3725.2,
         "https://www.youtube.com/watch?v=abc123&t=3725"),
        # A page cannot be told where to start: the page itself.
        ({"episode_url": "https://pod.example/episodes/7"}, 12.0,
         "https://pod.example/episodes/7"),
        # One that can jump wins over a page, whatever the key order.
        ({"url": "https://blog.example/post", "episode_url": "https://youtu.be/x"}, 9.0,
         "https://youtu.be/x?t=9"),
    ],
)
def test_moment_links_for_audio_youtube_and_pages(
    metadata: dict[str, str], seconds: float, want: str
) -> None:
    assert moment_link(transcript_link(metadata), seconds) == want


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://x.example/a.mp3", "https://",
                                 "https://x.example/a b.mp3", "", "not a url"])
def test_only_http_links_are_ever_made(bad: str) -> None:
    assert transcript_link({"url": bad}) is None
    assert moment_link(transcript_link({"url": bad}), 5.0) is None


def test_no_link_without_a_time() -> None:
    link = transcript_link({"url": "https://youtu.be/abc"})
    assert [moment_link(link, t) for t in (None, float("nan"), -1.0)] == [None, None, None]
    assert moment_link(None, 5.0) is None


def test_feed_episodes_keep_their_audio_enclosure() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Show</title>'
        b"<item><title>Ep</title><guid>g1</guid><link>https://pod.example/ep</link>"
        b'<enclosure url="/media/ep.mp3" type="audio/mpeg" length="1"/></item>'
        b"<item><title>No audio</title><guid>g2</guid>"
        b'<enclosure url="/art.jpg" type="image/jpeg" length="1"/></item>'
        b"</channel></rss>"
    )
    doc = parse_feed(rss, url="https://pod.example/feed.xml")
    assert [(e.guid, e.audio) for e in doc.episodes] == [
        ("g1", "https://pod.example/media/ep.mp3"), ("g2", "")]


TIMED = """---
title: Harbour radio
source_url: https://www.youtube.com/watch?v=hb42
---

[00:00:05] Mia: The harbour crane finally arrived on Monday.

[00:01:15] Ravi: The crane lifts forty tonnes, twice the old one.
"""


def test_search_hits_link_to_the_moment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    (tmp_path / "harbour.md").write_text(TIMED, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(tmp_path / "harbour.md")]).exit_code == 0
    result = runner.invoke(main, ["search", "crane", "--json"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(x["speaker"], x["time"], x["link"]) for x in lines] == [
        ("Mia", 5.0, "https://www.youtube.com/watch?v=hb42&t=5"),
        ("Ravi", 75.0, "https://www.youtube.com/watch?v=hb42&t=75"),
    ]
    text = runner.invoke(main, ["search", "crane"]).stdout.splitlines()
    assert text[0].startswith("1. Mia — Harbour radio (harbour-radio), at 0:05"
                              " https://www.youtube.com/watch?v=hb42&t=5  [score ")


# -- the views: Telegram HTML, the console, the CLI, digests ------------------------------

AUDIO = """---
title: Harbour podcast
source_url: https://cdn.example/harbour-ep-3.mp3
---

[00:00:05] Mia (Host): The harbour crane finally arrived on Monday.
Is there any risk with such a big crane?

[00:01:15] Ravi (Engineer): The risk is wind.
Above fifty kilometres an hour we must stop the crane, and storms could delay ships for days.

[00:02:10] Mia: When will the night ferry timetable be published?

[00:02:30] Ravi: We publish it in stages, starting with the winter weekends.
"""


@pytest.fixture
async def audio_library(tmp_path: Path):
    from briefs.library import Library

    library = await Library.open(tmp_path / "views.db")
    outcome = await library.ingest_bytes("harbour.md", AUDIO.encode())
    assert outcome.status == "added", outcome
    yield library
    await library.close()


async def test_telegram_views_link_each_timed_quote_to_its_moment(audio_library) -> None:
    from bot.core import ChatRef, Conversation
    from briefs.render import html_to_text

    conv = Conversation(audio_library)
    chat = ChatRef(7, 7)
    (risks,) = await conv.handle(chat, text="/risks harbour-podcast")
    assert ('— <i>Ravi</i> · <a href="https://cdn.example/harbour-ep-3.mp3#t=75">at 1:15</a>'
            in risks.html)
    (found,) = await conv.handle(chat, text="night ferry timetable")
    # The answer, the question one line above it, the time linked to the moment.
    assert html_to_text(found.html).splitlines()[2:5] == [
        "1. Mia asked: When will the night ferry timetable be published?",
        "We publish it in stages, starting with the winter weekends.",
        "— Ravi, Harbour podcast · at 2:30",
    ]
    assert '<a href="https://cdn.example/harbour-ep-3.mp3#t=150">at 2:30</a>' in found.html


async def test_every_timed_quote_of_the_brief_views_links_to_its_moment(audio_library) -> None:
    from bot.core import ChatRef, Conversation

    conv = Conversation(audio_library)
    chat = ChatRef(7, 7)
    (brief,) = await conv.handle(chat, text="/brief harbour-podcast")
    times = re.findall(r"· (?:<a href=\"([^\"]+)\">)?(at \d+:\d\d)", brief.html)
    assert times and all(href.startswith("https://cdn.example/harbour-ep-3.mp3#t=")
                         for href, _ in times), brief.html
    data = [b.data for row in brief.buttons for b in row if b.label.startswith("Top quotes")]
    (quotes,) = await conv.handle(chat, callback=data[0])
    times = re.findall(r"· (?:<a href=\"([^\"]+)\">)?(at \d+:\d\d)", quotes.html)
    assert times and all(href for href, _ in times), quotes.html


def test_console_and_cli_print_the_url_after_the_time(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    (tmp_path / "harbour.md").write_text(AUDIO, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(tmp_path / "harbour.md")]).exit_code == 0
    chat = runner.invoke(main, ["chat"], input="/risks harbour-podcast\n").stdout
    assert "— Ravi · at 1:15 (https://cdn.example/harbour-ep-3.mp3#t=75)" in chat
    brief = runner.invoke(main, ["brief", "harbour-podcast"]).stdout
    assert "1:15 https://cdn.example/harbour-ep-3.mp3#t=75)" in brief


async def test_digests_link_timed_quotes_too(audio_library) -> None:
    from briefs.digest import ComposeCache, compose

    composed = await compose(ComposeCache(audio_library), watermark=0)
    html = "".join(composed.parts)
    assert re.search(r'<a href="https://cdn\.example/harbour-ep-3\.mp3#t=\d+">at \d:\d\d</a>',
                     html), html
