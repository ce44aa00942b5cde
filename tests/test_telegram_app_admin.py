"""The Telegram app's guards: admin uploads and refusals, flood control, and errors.

Driven through the real PTB Application over a recording Bot API
(``tg_harness``); Telegram's errors (403, 429, network) are PTB's real exceptions.
"""

# The fixtures ``chat`` and ``library`` come from tg_harness; tests name them as arguments.
# ruff: noqa: F811

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from ptb_fakes import TOKEN, RecordingRequest, UpdateFactory
from telegram.error import NetworkError, TimedOut
from telegram.ext import _aioratelimiter
from tg_harness import (  # noqa: F401
    ADMIN,
    USER,
    Chat,
    Clock,
    assert_telegram_html,
    bot_settings,
    chat,
    library,
)

from bot.telegram_app import NOT_ADMIN_UPLOAD, SLOW_DOWN, SOMETHING_WENT_WRONG, build_application
from briefs.library import Library
from briefs.render import html_to_text

# -- uploads --------------------------------------------------------------------------------


async def test_admin_upload_adds_the_transcript(chat: Chat) -> None:
    data = "Ann: We agreed to ship the harbour bridge in May.\n\nBob: The harbour budget holds.\n"
    chat.request.files["doc1"] = data.encode()
    await chat.app.process_update(
        chat.updates.document("harbour.txt", "doc1", size=len(data), user_id=ADMIN)
    )
    assert [c.method for c in chat.request.calls] == ["getFile", "download", "sendMessage"]
    added, read = html_to_text(chat.request.texts()[0]).splitlines()
    assert re.fullmatch(r"added as harbour \(2 turns, \d+ words\)", added)
    assert read == "Read it with /brief harbour"
    (found,) = await chat.say("harbour bridge")
    assert "We agreed to ship the harbour bridge in May." in html_to_text(found)


async def test_sending_a_file_again_makes_a_revision(chat: Chat) -> None:
    first = b"Ann: The harbour bridge opens in May.\n\nBob: The budget holds.\n"
    second = b"Ann: The harbour bridge opens in June.\n\nBob: The budget holds.\n"
    chat.request.files |= {"v1": first, "v2": second}
    for file_id, data in (("v1", first), ("v2", second)):
        update = chat.updates.document("harbour.txt", file_id, size=len(data), user_id=ADMIN)
        await chat.app.process_update(update)
    replies = [html_to_text(t).splitlines() for t in chat.request.texts()]
    assert replies == [
        ["added as harbour (2 turns, 9 words)", "Read it with /brief harbour"],
        [
            "revision 2 of harbour, stored as harbour-r2 (2 turns, 9 words)",
            "Read it with /brief harbour-r2",
        ],
    ]


async def test_upload_errors_match_the_command_line(chat: Chat, tmp_path: Path) -> None:
    chat.request.files["bin"] = b"\x00\x01binary\xff" * 10
    await chat.app.process_update(chat.updates.document("notes.bin", "bin", size=90, user_id=ADMIN))
    other = await Library.open(tmp_path / "other.db")
    expected = await other.ingest_bytes("notes.bin", b"\x00\x01binary\xff" * 10)
    await other.close()
    assert expected.status == "failed"
    assert chat.request.texts() == [f"Could not add notes.bin: {html.escape(expected.message)}"]


async def test_upload_over_the_size_limit_is_refused_before_download(chat: Chat) -> None:
    limit = chat.app.bot_data["briefbot"].settings.max_upload_bytes
    await chat.app.process_update(
        chat.updates.document("huge.txt", "big", size=limit + 1, user_id=ADMIN)
    )
    assert [c.method for c in chat.request.calls] == ["sendMessage"]
    assert chat.request.texts()[0].startswith(
        f"huge.txt is {limit + 1:,} bytes, over the upload limit"
    )


async def test_a_hostile_file_name_is_escaped_once(chat: Chat) -> None:
    await chat.app.process_update(
        chat.updates.document("<b>a&b</b>.txt", "big", size=10**9, user_id=ADMIN)
    )
    (text,) = chat.request.texts()
    assert text.startswith("&lt;b&gt;a&amp;b&lt;/b&gt;.txt is 1,000,000,000 bytes")
    assert_telegram_html(text)


async def test_files_shared_in_a_group_by_others_are_ignored(chat: Chat) -> None:
    update = chat.updates.document("x.txt", "doc1", size=18, user_id=USER, chat_id=-1001)
    await chat.app.process_update(update)
    assert chat.request.calls == []


async def test_upload_from_a_non_admin_is_refused_politely(chat: Chat) -> None:
    chat.request.files["doc1"] = b"Ann: hello there.\n"
    await chat.app.process_update(chat.updates.document("x.txt", "doc1", size=18, user_id=USER))
    assert [c.method for c in chat.request.calls] == ["sendMessage"]
    assert chat.request.texts() == [html.escape(NOT_ADMIN_UPLOAD)]


# -- flood control -------------------------------------------------------------------------


async def test_a_flooding_user_is_slowed_down_and_others_are_not(library: Library) -> None:
    request, clock = RecordingRequest(), Clock()
    settings = bot_settings(flood_burst=5, flood_rate=1.0)
    app = build_application(settings, library, request=request, clock=clock)
    updates = UpdateFactory(app.bot)
    async with app:
        for n in range(50):
            clock.now = n / 50  # fifty messages within one second
            await app.process_update(updates.text("/quote compute", user_id=USER))
        await app.process_update(updates.text("/quote compute", user_id=99))
        clock.now = 10.0
        await app.process_update(updates.text("/quote pricing", user_id=USER))
    to_flooder = [s["text"] for s in request.sent() if s["chat_id"] == USER]
    searches = [t for t in to_flooder if t.startswith("<b>Quotes for")]
    assert len(searches) == 5 + 1  # the burst, then one more once the bucket refilled
    assert to_flooder.count(SLOW_DOWN) == 1
    assert to_flooder[5] == SLOW_DOWN
    assert [html_to_text(s["text"])[:10] for s in request.sent() if s["chat_id"] == 99] == [
        "Quotes for"
    ]


async def test_a_flood_stays_dropped_when_the_notice_fails(library: Library) -> None:
    request, clock = RecordingRequest(), Clock()
    app = build_application(bot_settings(flood_burst=1), library, request=request, clock=clock)
    updates = UpdateFactory(app.bot)
    async with app:
        await app.process_update(updates.text("/quote compute", user_id=USER))
        request.fail("sendMessage", exception=NetworkError("connection reset"))
        await app.process_update(updates.text("/quote compute", user_id=USER))
    assert [html_to_text(t)[:10] for t in request.texts()] == ["Quotes for", SLOW_DOWN[:10]]
    assert len(request.sent()) == 2  # the failed notice, and no search for the flood


async def test_inline_queries_have_their_own_allowance(library: Library) -> None:
    request, clock = RecordingRequest(), Clock()
    app = build_application(bot_settings(flood_burst=2), library, request=request, clock=clock)
    updates = UpdateFactory(app.bot)
    async with app:
        for typed in ("co", "com", "compute", "compute chips"):
            await app.process_update(updates.inline(typed, user_id=USER))
        await app.process_update(updates.text("/quote compute", user_id=USER))
    assert len(request.sent("answerInlineQuery")) == 2  # the rest of the typing is dropped
    (reply,) = request.texts()
    assert html_to_text(reply).startswith("Quotes for “compute”")


async def test_flooded_button_presses_are_still_answered(library: Library) -> None:
    request, clock = RecordingRequest(), Clock()
    app = build_application(bot_settings(flood_burst=1), library, request=request, clock=clock)
    updates = UpdateFactory(app.bot)
    async with app:
        for _ in range(3):
            await app.process_update(updates.callback("l:1", user_id=USER))
    answers = request.sent("answerCallbackQuery")
    assert [a.get("text") for a in answers] == [None, SLOW_DOWN, None]
    assert len(request.sent("editMessageText")) == 1


# -- errors ---------------------------------------------------------------------------------


async def test_blocked_by_the_user_is_logged_not_retried(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    chat.request.fail(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    with caplog.at_level(logging.INFO, logger="bot"):
        await chat.say("/help")
    assert [c.method for c in chat.request.calls] == ["sendMessage"]  # no apology attempt
    assert "bot was blocked by the user" in caplog.text


# PTB warns about RetryAfter.retry_after's future type inside its own constructor.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_telegram_flood_limit_is_waited_out_then_retried(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:  # record the wait instead of sleeping
        waits.append(seconds)

    monkeypatch.setattr(_aioratelimiter, "asyncio", SimpleNamespace(sleep=sleep))
    chat.request.fail("sendMessage", status=429, description="Too Many Requests", retry_after=7)
    texts = await chat.say("/help")
    assert [c.method for c in chat.request.calls] == ["sendMessage", "sendMessage"]
    assert texts[0] == texts[1] and "briefbot help" in html_to_text(texts[1])
    assert waits == [pytest.approx(7.1)]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_flood_limit_that_persists_is_logged_and_dropped(
    chat: Chat, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def sleep(seconds: float) -> None:
        pass

    monkeypatch.setattr(_aioratelimiter, "asyncio", SimpleNamespace(sleep=sleep))
    chat.request.fail(
        "sendMessage", status=429, description="Too Many Requests", retry_after=7, times=3
    )
    with caplog.at_level(logging.WARNING, logger="bot"):
        await chat.say("/help")
    # Three tries, then no apology: it would only be refused again.
    assert [c.method for c in chat.request.calls] == ["sendMessage"] * 3
    assert "Retry in 7 seconds" in caplog.text


@pytest.mark.parametrize("failure", [NetworkError("connection reset"), TimedOut()])
async def test_network_errors_get_an_apology(
    chat: Chat, caplog: pytest.LogCaptureFixture, failure: Exception
) -> None:
    chat.request.fail("sendMessage", exception=failure)
    with caplog.at_level(logging.WARNING, logger="bot"):
        texts = await chat.say("/help")
    assert texts[1:] == [html.escape(SOMETHING_WENT_WRONG)]
    assert "network error" in caplog.text
    assert TOKEN not in caplog.text


async def test_unexpected_errors_are_logged_with_traceback_and_not_leaked(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    chat.request.fail("getFile", status=400, description="Bad Request: secret internal detail")
    chat.request.files["doc1"] = b"Ann: hi.\n"
    with caplog.at_level(logging.ERROR, logger="bot"):
        await chat.app.process_update(chat.updates.document("a.txt", "doc1", size=9, user_id=ADMIN))
    assert chat.request.texts() == [html.escape(SOMETHING_WENT_WRONG)]
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None
    assert "Secret internal detail" in caplog.text  # the operator sees it, the user does not
