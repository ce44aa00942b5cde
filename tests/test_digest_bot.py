"""Digests in the bot: commands through the real Application, the PTB Sender and its faults.

Telegram is the recording ``BaseRequest`` (tests/ptb_fakes.py): PTB's real
``Bot``, ``AIORateLimiter`` and error classes run on top of it, so a 429 here
is PTB's real ``RetryAfter`` and a 403 its real ``Forbidden``.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from digest_fakes import Sleeps, ingest, open_library
from ptb_fakes import TOKEN, RecordingRequest, UpdateFactory
from telegram import Update
from telegram.error import TimedOut
from telegram.ext import Application, CallbackContext, ExtBot

from bot._tg_digests import TelegramSender, tick
from bot.cli import main
from bot.commands import digest as digest_cli
from bot.settings import Settings
from bot.telegram_app import build_application
from briefs import digest
from briefs.library import Library
from briefs.render import html_to_text

T0 = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


@dataclass
class ChatRequest(RecordingRequest):
    """The recording request, with failures scripted per chat and group membership."""

    script: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    admins: set[tuple[int, int]] = field(default_factory=set)
    delivered: list[dict[str, Any]] = field(default_factory=list)

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        api = url.rsplit("/", 1)[1]
        params = dict(request_data.parameters) if request_data is not None else {}
        if api == "sendMessage" and self.script.get(int(params["chat_id"])):
            self.fail("sendMessage", **self.script[int(params["chat_id"])].pop(0))
        if api == "getChatMember":
            key = (int(params["chat_id"]), int(params["user_id"]))
            status = "administrator" if key in self.admins else "member"
            member: dict[str, Any] = {"status": status, "user": UpdateFactory.user(key[1])}
            if status == "administrator":
                member.update(can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                              can_delete_messages=True, can_manage_video_chats=True,
                              can_restrict_members=True, can_promote_members=False,
                              can_change_info=True, can_invite_users=True,
                              can_post_stories=False, can_edit_stories=False,
                              can_delete_stories=False)
            return 200, json.dumps({"ok": True, "result": member}).encode()
        code, body = await super().do_request(url, method, request_data, *args, **kwargs)
        if api == "sendMessage" and code == 200:
            self.delivered.append(params)
        return code, body

    def to(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.delivered if int(m["chat_id"]) == chat_id]


@pytest.fixture
async def library(tmp_path: Path) -> AsyncIterator[Library]:
    lib = await open_library(tmp_path / "bot.db")
    yield lib
    await lib.close()


@pytest.fixture
async def app(library: Library) -> AsyncIterator[tuple[Application, ChatRequest]]:  # type: ignore[type-arg]
    request = ChatRequest()
    # A generous flood gate: these tests send a few commands in a row on purpose.
    settings = Settings(telegram_bot_token=TOKEN, timezone="Europe/Berlin", flood_burst=1000)
    application = build_application(settings, library, request=request)
    async with application:
        yield application, request


async def say(application: Application, text: str, *, user_id: int = 42,  # type: ignore[type-arg]
              chat_id: int | None = None) -> None:
    await application.process_update(
        UpdateFactory(application.bot).text(text, user_id=user_id, chat_id=chat_id)
    )


# -- commands ---------------------------------------------------------------------------------


async def test_subscribe_in_a_private_chat_confirms_the_schedule(
    app: Any, library: Library
) -> None:
    application, request = app
    await say(application, "/subscribe 07:30 Asia/Tokyo topics: compute")
    reply = request.texts()[-1]
    assert html_to_text(reply).startswith(
        "You are subscribed to the daily digest.\nEvery day at 07:30 Asia/Tokyo\n"
    )
    assert "Topics: compute" in reply
    sub = await digest.subscription(library, 42)
    assert sub is not None and (str(sub.at), sub.zone, sub.topics) == ("07:30:00", "Asia/Tokyo",
                                                                        ("compute",))
    await say(application, "/subscribe")  # defaults come from settings for a new subscriber only
    assert (await digest.subscription(library, 42)).zone == "Asia/Tokyo"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("7:61", "⚠️ '7:61' is not a time of day: use 24-hour HH:MM, for example 07:30"),
        ("08:00 Mars/Olympus", "⚠️ 'Mars/Olympus' is not an IANA time zone: use a name such as "
         "Europe/Berlin, America/New_York or UTC"),
    ],
)
async def test_subscribe_with_a_bad_time_or_zone_says_what_to_write(
    app: Any, library: Library, args: str, expected: str
) -> None:
    application, request = app
    await say(application, f"/subscribe {args}")
    assert html_to_text(request.texts()[-1]) == expected
    assert await digest.subscription(library, 42) is None


async def test_settings_shows_the_subscription_and_pause_resume_unsubscribe(
    app: Any, library: Library
) -> None:
    application, request = app
    await say(application, "/settings")
    assert "Daily digest" in request.texts()[-1] and "Off. /subscribe" in request.texts()[-1]
    await say(application, "/subscribe 08:00")
    await say(application, "/settings")
    shown = request.texts()[-1]
    assert "Every day at 08:00 Europe/Berlin" in shown and "Next digest: " in shown
    keyboard = request.sent()[-1]["reply_markup"]["inline_keyboard"]
    assert ["Pause", "Unsubscribe"] in [[b["text"] for b in row] for row in keyboard]
    await say(application, "/pause")
    assert html_to_text(request.texts()[-1]).startswith("Paused: no digests until you /resume.")
    await say(application, "/resume")
    assert html_to_text(request.texts()[-1]).startswith(
        "Resumed.\nEvery day at 08:00 Europe/Berlin"
    )
    await say(application, "/unsubscribe")
    assert html_to_text(request.texts()[-1]).startswith("Unsubscribed: no more digests.")
    assert (await digest.subscription(library, 42)).active is False  # type: ignore[union-attr]


async def test_in_a_group_only_its_admins_manage_the_digest(app: Any, library: Library) -> None:
    application, request = app
    group = -100123
    request.admins.add((group, 7))
    await say(application, "/subscribe 09:00", user_id=8, chat_id=group)
    assert html_to_text(request.texts()[-1]).startswith(
        "Only this chat's administrators can change its digest subscription."
    )
    assert await digest.subscription(library, group) is None
    await say(application, "/subscribe 09:00", user_id=7, chat_id=group)
    assert html_to_text(request.texts()[-1]).startswith(
        "This chat is subscribed to the daily digest."
    )
    sub = await digest.subscription(library, group)
    assert sub is not None and sub.chat_type == "group"


async def test_digest_command_sends_whats_new_then_nothing(app: Any, library: Library) -> None:
    application, request = app
    await say(application, "/subscribe")
    await ingest(library, "Compute roadmap")
    await say(application, "/digest")
    [message] = request.to(42)[-1:]
    assert message["text"].startswith("<b>Your briefbot digest</b> · 1 new transcript")
    assert message["reply_markup"]["inline_keyboard"] == [
        [{"text": "1. Compute roadmap", "callback_data": "o:compute-roadmap"}]
    ]
    await say(application, "/digest")
    assert html_to_text(request.texts()[-1]).startswith("Nothing new since your last digest.")


async def test_a_channel_subscribes_with_a_post(app: Any, library: Library) -> None:
    application, request = app
    update = Update.de_json({
        "update_id": 900,
        "channel_post": {
            "message_id": 5, "date": 0, "text": "/subscribe 09:00 topics: solar",
            "chat": {"id": -100777, "type": "channel", "title": "Energy news"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
        },
    }, application.bot)
    await application.process_update(update)
    assert html_to_text(request.texts()[-1]).startswith(
        "This chat is subscribed to the daily digest.\nEvery day at 09:00 Europe/Berlin"
    )
    sub = await digest.subscription(library, -100777)
    assert sub is not None and (sub.chat_type, sub.topics) == ("channel", ("solar",))


# -- the PTB Sender -----------------------------------------------------------------------------


async def subscribers(library: Library, *chats: int) -> None:
    for chat in chats:
        await digest.subscribe(
            library, chat, digest.SubscribeRequest(), now=T0,
            default_time=T0.time(), default_zone=digest.parse_zone("UTC"),
        )


async def test_group_digests_link_to_a_private_chat_with_the_bot(
    app: Any, library: Library
) -> None:
    application, request = app
    await subscribers(library, -100555, 42)
    await ingest(library, "Board meeting")
    sender = TelegramSender(application.bot, application.bot_data["briefbot"].conversation)
    await digest.send_due(library, sender, now=T0 + timedelta(days=1))
    [group] = request.to(-100555)
    assert group["reply_markup"]["inline_keyboard"] == [[{
        "text": "1. Board meeting",
        "url": "https://t.me/briefbot_test_bot?start=brief_board-meeting",
    }]]
    [private] = request.to(42)
    assert private["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "o:board-meeting"
    assert private["parse_mode"] == "HTML"


async def test_telegram_faults_map_to_retries_blocking_and_deferral(
    app: Any, library: Library
) -> None:
    application, request = app
    await subscribers(library, 1, 2, 3, 4, 5)
    await ingest(library, "Quarterly numbers")
    request.script = {
        1: [{"status": 429, "description": "Too Many Requests: retry after 5", "retry_after": 5}],
        2: [{"status": 403, "description": "Forbidden: bot was blocked by the user"}],
        3: [{"exception": TimedOut()}, {"exception": TimedOut()}],
        4: [{"status": 500, "description": "Internal Server Error"}],
        5: [{"status": 502, "description": "Bad Gateway"}] * 4,
    }
    sleeps = Sleeps()
    sender = TelegramSender(application.bot, application.bot_data["briefbot"].conversation)
    report = await digest.send_due(
        library, sender, now=T0 + timedelta(days=1), sleep=sleeps, concurrency=1
    )
    assert (report.delivered, report.blocked, report.deferred) == (3, 1, 1)
    assert sleeps.waits == [5.0, 1.0, 2.0, 1.0, 1.0, 2.0, 4.0]
    assert [len(request.to(c)) for c in (1, 2, 3, 4, 5)] == [1, 0, 1, 1, 0]
    blocked = await digest.subscription(library, 2)
    assert blocked is not None and blocked.active is False
    assert blocked.inactive_reason == "blocked: Forbidden: Forbidden: bot was blocked by the user"
    # Chat 5's digest is kept and goes out once Telegram is back.
    later = await digest.send_due(library, sender, now=T0 + timedelta(days=1, hours=1),
                                  sleep=sleeps)
    assert later.delivered == 1 and len(request.to(5)) == 1
    assert [len(request.to(c)) for c in (1, 2, 3, 4)] == [1, 0, 1, 1]


async def test_the_minute_tick_is_scheduled_and_sends_a_digest_missed_while_down(
    app: Any, library: Library
) -> None:
    application, request = app
    assert "digests" in [job.name for job in application.job_queue.jobs()]
    # Subscribed yesterday; the bot was down at the due time.
    await digest.subscribe(
        library, 77, digest.SubscribeRequest(), now=datetime.now(UTC) - timedelta(days=1),
        default_time=(datetime.now(UTC) - timedelta(hours=1)).time(),
        default_zone=digest.parse_zone("UTC"),
    )
    await ingest(library, "Missed meeting")
    context = CallbackContext(application)
    await tick(context)
    await tick(context)
    assert len(request.to(77)) == 1
    assert "Missed meeting" in request.to(77)[0]["text"]


# -- briefbot digest send-due -----------------------------------------------------------------


def test_cli_send_due_at_the_due_time_sends_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cron.db"

    async def setup() -> None:
        lib = await open_library(db)
        await subscribers(lib, 42)
        await ingest(lib, "Cron meeting")
        await lib.close()

    asyncio.run(setup())
    request = ChatRequest()

    def make_bot(settings: Settings) -> ExtBot:  # type: ignore[type-arg]
        return ExtBot(TOKEN, request=request)

    monkeypatch.setattr(digest_cli, "_make_bot", make_bot)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BRIEFBOT_DB", str(db))
    runner = CliRunner()
    early = runner.invoke(main, ["digest", "send-due", "--at", "2026-11-26T05:59Z"])
    assert (early.exit_code, early.output) == (
        0, "0 digest(s) delivered (0 message(s)), 0 composed, 0 with nothing new\n"
    )
    first = runner.invoke(main, ["digest", "send-due", "--at", "2026-11-26T06:00Z"])
    again = runner.invoke(main, ["digest", "send-due", "--at", "2026-11-26T06:00Z"])
    assert first.output == "1 digest(s) delivered (1 message(s)), 1 composed, 0 with nothing new\n"
    assert again.output == "0 digest(s) delivered (0 message(s)), 0 composed, 0 with nothing new\n"
    assert len(request.to(42)) == 1 and "Cron meeting" in request.to(42)[0]["text"]
    listed = runner.invoke(main, ["digest", "list", "--outbox"])
    assert "delivered scheduled parts 1/1  seq 1-1" in listed.output
    assert listed.output.splitlines()[0].split()[:5] == ["42", "private", "06:00", "UTC", "active"]


def test_cli_send_due_without_a_token_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    result = CliRunner().invoke(main, ["digest", "send-due", "--db", str(tmp_path / "x.db")])
    assert (result.exit_code, result.output) == (
        1, "Error: TELEGRAM_BOT_TOKEN is not set: send-due delivers digests through Telegram\n"
    )


async def test_inbox_and_feed_pollers_run_as_jobs(library: Library, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    settings = Settings(telegram_bot_token=TOKEN, inbox=inbox)
    application = build_application(settings, library, request=ChatRequest())
    assert application.job_queue is not None
    jobs = {str(job.name): job for job in application.job_queue.jobs()}
    assert sorted(jobs) == ["digests", "feeds", "inbox"]
    inbox.mkdir()
    dropped = inbox / "standup.txt"
    dropped.write_text(
        "Standup\n\nAda: The build is green.\n\nBo: Shipping today.\n", encoding="utf-8"
    )
    os.utime(dropped, (0, 0))  # long settled: the poller skips files still being written
    async with application:
        await jobs["inbox"].run(application)
    [info] = await library.list_transcripts()
    assert info.title == "Standup"
