"""Digests in the console chat: nothing stored for chat 0, /digest shows the last day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from digest_fakes import FakeSender

from bot import _console_digests
from bot.cli import main
from bot.console import CONSOLE_CHAT
from bot.core import Conversation, Reply
from briefs import digest
from briefs.library import Library
from briefs.render import html_to_text

NOT_HERE = (
    "Daily digests are delivered by the Telegram bot (briefbot run): subscribe in a "
    "Telegram chat with it. Here, /digest shows what was added in the last 24 hours."
)
TALKS = {
    "harbour.txt": (
        "Ann: The harbour bridge opens in May, two months late, because the steel came late.\n\n"
        "Bob: The harbour budget still holds. We saved on the approach roads and the lighting.\n\n"
        "Ann: Then the ferry contract can end in June, once the bridge carries traffic.\n\n"
        "Bob: Agreed. I will tell the ferry company this week and ask for a short extension.\n"
    ),
    "solar.txt": (
        "Cy: Solar output doubled this quarter, thanks to the new panels on the east field.\n\n"
        "Di: The solar farm needs storage now. Half the midday power is sold at a loss.\n\n"
        "Cy: Batteries cost less every year. We could order the first block in spring.\n\n"
        "Di: Then we ask the board for the battery budget at the March meeting.\n"
    ),
}


@pytest.fixture
async def lib(tmp_path: Path) -> AsyncIterator[Library]:
    library = await Library.open(tmp_path / "console.db")
    for name, text in TALKS.items():
        assert (await library.ingest_bytes(name, text.encode())).status == "added"
    yield library
    await library.close()


async def _added_at(lib: Library) -> datetime:
    newest = await lib.list_transcripts(limit=1)
    return datetime.fromisoformat(newest[0].ingested_at)


async def _console(lib: Library, after: timedelta) -> Conversation:
    now = await _added_at(lib) + after
    conv = Conversation(lib, now=lambda: now)
    _console_digests.install(conv)
    return conv


def _text(replies: list[Reply]) -> str:
    return "\n".join(html_to_text(r.html) for r in replies)


async def test_subscribing_in_the_console_stores_nothing_the_bot_would_deliver(
    lib: Library,
) -> None:
    conv = await _console(lib, timedelta(minutes=5))
    for text in ("/subscribe 07:00 Europe/Berlin", "/unsubscribe", "/pause", "/resume"):
        assert _text(await conv.handle(CONSOLE_CHAT, text=text)) == NOT_HERE
    assert await digest.subscription(lib, CONSOLE_CHAT.chat_id) is None
    assert await digest.list_subscribers(lib.store) == []
    # The Telegram bot's minute tick over the same database: nothing due, nothing sent.
    sender = FakeSender()
    report = await digest.send_due(lib, sender, now=conv.now() + timedelta(days=2))
    assert (sender.calls, report.composed, report.blocked) == (0, 0, 0)


async def test_console_digest_shows_the_last_day_and_opens_briefs(lib: Library) -> None:
    conv = await _console(lib, timedelta(hours=23))
    replies = await conv.handle(CONSOLE_CHAT, text="/digest")
    text = _text(replies)
    # The daily digest's layout: oldest first, each with its speakers and a button.
    assert text.startswith("Your briefbot digest · 2 new transcripts\n\n1. Harbour\nAnn, Bob\n")
    assert "\n\n2. Solar\nCy, Di\n" in text
    labels = [[b.label for b in row] for r in replies for row in r.buttons]
    assert labels == [["1. Harbour"], ["2. Solar"]]
    opened = await conv.handle(CONSOLE_CHAT, callback=replies[-1].buttons[-1][0].data)
    assert _text(opened).startswith("Solar\nCy, Di\n\nTL;DR\n1. Cy: ")
    # Nothing is stored: asking again shows the same, and no outbox row exists.
    assert _text(await conv.handle(CONSOLE_CHAT, text="/digest")) == text
    assert await digest.list_outbox(lib.store) == []


async def test_console_digest_after_a_quiet_day_says_so(lib: Library) -> None:
    conv = await _console(lib, timedelta(hours=25))
    assert _text(await conv.handle(CONSOLE_CHAT, text="/digest")) == (
        "Nothing was added in the last 24 hours.\n\n/list shows the latest transcripts."
    )


async def test_console_digest_shows_the_newest_and_says_there_are_more(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_console_digests, "MAX_ENTRIES", 1)
    conv = await _console(lib, timedelta(minutes=5))
    text = _text(await conv.handle(CONSOLE_CHAT, text="/digest"))
    assert text.startswith("Your briefbot digest · 1 new transcript\n\n1. Solar\nCy, Di\n")
    assert "Harbour" not in text
    assert text.endswith(
        "These are the 1 newest; more came in the last 24 hours.\n\n/list shows them all."
    )


async def test_settings_and_help_in_the_console_say_where_digests_come_from(
    lib: Library,
) -> None:
    conv = await _console(lib, timedelta(minutes=5))
    settings = _text(await conv.handle(CONSOLE_CHAT, text="/settings"))
    assert settings.endswith("Daily digest\n" + NOT_HERE)
    shown = _text(await conv.handle(CONSOLE_CHAT, text="/help"))
    assert "/subscribe — Daily digests come from the Telegram bot" in shown
    assert "/digest — What was added in the last 24 hours" in shown
    assert "/pause" not in shown and "/resume" not in shown


def test_briefbot_chat_answers_subscribe_and_digest(tmp_path: Path) -> None:
    db = tmp_path / "chat.db"
    (tmp_path / "harbour.txt").write_text(TALKS["harbour.txt"], encoding="utf-8")
    added = CliRunner().invoke(main, ["ingest", str(tmp_path / "harbour.txt"), "--db", str(db)])
    assert added.exit_code == 0, added.output
    result = CliRunner().invoke(
        main, ["chat", "--db", str(db), "--no-color"], input="/subscribe\n/digest\n"
    )
    assert result.exit_code == 0, result.output
    assert f"\n{NOT_HERE}\n" in result.output
    assert "\nYour briefbot digest · 1 new transcript\n\n1. Harbour\nAnn, Bob\n" in result.output
    assert "\n[1] 1. Harbour\n" in result.output
