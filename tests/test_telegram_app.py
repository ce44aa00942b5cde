"""The Telegram app, driven through the real PTB Application over a recording Bot API.

Every test sends the updates Telegram would send (``tests/ptb_fakes.py``) and
asserts on what the user would see: the recorded ``sendMessage`` /
``editMessageText`` texts and their buttons.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from ptb_fakes import TOKEN, RecordingRequest, UpdateFactory
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application

from bot.core import Conversation, Reply
from bot.settings import Settings
from bot.telegram_app import NOT_ADMIN_UPLOAD, SLOW_DOWN, SOMETHING_WENT_WRONG, build_application
from briefs.library import Library
from briefs.render import TELEGRAM_LIMIT, html_to_text, telegram_length

ADMIN = 1
USER = 42

# Original text written for these tests: a talk about compute, and one whose
# speakers type things that look like HTML.
COMPUTE = "\n\n".join(
    [
        "Alex: Welcome back. Today we talk about compute, chips and the money behind them.",
        "Greg: Compute is the bottleneck. We turned down products because we did not have "
        "enough compute to serve them.",
        "Alex: Why shut down the video product? Was it really about compute?",
        "Greg: Yes. Every GPU spent on video was a GPU not spent on reasoning models. "
        "That trade-off decided it.",
        "Alex: What worries you most about the next two years?",
        "Greg: The risk is that demand outruns supply. If the power grid cannot keep up, "
        "we face a real concern about reliability and safety.",
        "Alex: Let us turn to pricing. How do you price access to the models?",
        "Greg: Pricing follows the cost of compute. As chips get cheaper, prices fall, "
        "and more people build on the platform.",
    ]
)
HOSTILE = """\
Eve: My notes say <script>alert(1)</script> & &amp; <b>bold</b> in the budget line.

Mallory: The budget line is fine. We should approve the budget for the new building.

Eve: I am concerned about the risk of overruns on the building budget.
"""
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                 "blockquote", "tg-spoiler", "span"}  # fmt: skip


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Chat:
    """The app under test, its recording Bot API and helpers to talk to it."""

    def __init__(self, app: Application, request: RecordingRequest, clock: Clock) -> None:  # type: ignore[type-arg]
        self.app = app
        self.request = request
        self.clock = clock
        self.updates = UpdateFactory(app.bot)
        self.pressed = 5000  # message_id of the last message whose button was pressed

    async def say(self, text: str, *, user: int = USER) -> list[str]:
        """Send ``text`` as ``user``; the texts of the messages the bot sent back."""
        before = len(self.request.calls)
        await self.app.process_update(self.updates.text(text, user_id=user))
        return [
            str(c.data["text"]) for c in self.request.calls[before:] if c.method == "sendMessage"
        ]

    async def press(self, sent: dict[str, Any], label: str, *, user: int = USER) -> list[Any]:
        """Press the button labelled ``label`` under the recorded message ``sent``."""
        data = button_data(sent, label)
        self.pressed += 1
        message = {
            "message_id": self.pressed,
            "date": 0,
            "chat": {"id": int(sent["chat_id"]), "type": "private"},
            "text": html_to_text(str(sent["text"])),
        }
        before = len(self.request.calls)
        await self.app.process_update(self.updates.callback(data, message=message, user_id=user))
        return self.request.calls[before:]


def button_rows(sent: dict[str, Any]) -> list[list[tuple[str, str]]]:
    markup = sent.get("reply_markup") or {"inline_keyboard": []}
    return [[(b["text"], b["callback_data"]) for b in row] for row in markup["inline_keyboard"]]


def button_data(sent: dict[str, Any], label: str) -> str:
    found = [data for row in button_rows(sent) for text, data in row if text.startswith(label)]
    assert found, f"no button {label!r} in {button_rows(sent)}"
    return found[0]


def assert_telegram_html(text: str) -> None:
    """Only tags Telegram knows, properly nested; no raw ``<``/``&`` from the transcript."""

    class Check(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=False)
            self.stack: list[str] = []

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            assert tag in TELEGRAM_TAGS, f"<{tag}> is not Telegram HTML: {text!r}"
            self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}> in {text!r}"

    check = Check()
    check.feed(text)
    check.close()
    assert check.stack == []
    assert re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);)", text) is None


@pytest.fixture
async def library(tmp_path: Path) -> AsyncIterator[Library]:
    library = await Library.open(tmp_path / "bot.db")
    for name, text in (("compute-talk.txt", COMPUTE), ("budget-meeting.txt", HOSTILE)):
        outcome = await library.ingest_bytes(name, text.encode())
        assert outcome.status == "added", outcome
    yield library
    await library.close()


def _settings(**changes: Any) -> Settings:
    base = {"telegram_bot_token": TOKEN, "admin_ids": frozenset({ADMIN}), "flood_burst": 1000}
    return Settings(**{**base, **changes})


@pytest.fixture
async def chat(library: Library) -> AsyncIterator[Chat]:
    request, clock = RecordingRequest(), Clock()
    app = build_application(
        _settings(), library, request=request, get_updates_request=RecordingRequest(), clock=clock
    )
    async with app:
        request.clear()
        yield Chat(app, request, clock)


# -- commands ------------------------------------------------------------------------------


async def test_start_welcomes_and_offers_the_transcript_list(chat: Chat) -> None:
    (text,) = await chat.say("/start")
    (sent,) = chat.request.sent()
    assert html_to_text(text).startswith("Welcome to briefbot.")
    assert "The library holds 2 transcripts." in html_to_text(text)
    assert "/stats" not in text
    assert sent["parse_mode"] == "HTML"
    assert sent["chat_id"] == USER
    assert button_rows(sent) == [[("Recent transcripts", "l:1")]]


async def test_start_with_a_deep_link_opens_the_brief(chat: Chat) -> None:
    (text,) = await chat.say("/start brief_compute-talk")
    assert "Compute talk" in html_to_text(text)
    assert [label for row in button_rows(chat.request.sent()[0]) for label, _ in row][:2] == [
        "Turning points",
        "Risks",
    ]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/help", "briefbot help"),
        ("/list", "Compute talk"),
        ("/brief compute", "Compute talk"),
        ("/turns compute", "Turning points"),
        ("/risks compute", "Risks"),
        ("/info compute", "Compute talk"),
        ("/quote pricing", "Quotes for “pricing”"),
        ("/settings", "quotes per page"),
    ],
)
async def test_every_command_answers(chat: Chat, command: str, expected: str) -> None:
    texts = await chat.say(command)
    assert len(texts) == 1
    assert expected in html_to_text(texts[0])
    assert "went wrong" not in texts[0]
    assert_telegram_html(texts[0])


async def test_plain_text_is_a_quote_query(chat: Chat) -> None:
    (text,) = await chat.say("power grid")
    shown = html_to_text(text)
    assert shown.startswith("Quotes for “power grid”")
    assert "If the power grid cannot keep up" in shown
    assert "Greg" in shown


async def test_unknown_command_says_so(chat: Chat) -> None:
    (text,) = await chat.say("/frobnicate now")
    assert html_to_text(text).startswith("⚠️ I don't know the command /frobnicate.")


async def test_stats_are_for_admins_only(chat: Chat) -> None:
    (refused,) = await chat.say("/stats", user=USER)
    assert html_to_text(refused) == "Sorry, /stats is only for the bot's admins."
    (shown,) = await chat.say("/stats", user=ADMIN)
    lines = html_to_text(shown).splitlines()
    assert lines[0] == "Library"
    assert "transcripts: 2" in lines


async def test_command_menus_are_registered_at_start_up(chat: Chat) -> None:
    await chat.app.post_init(chat.app)  # type: ignore[misc]
    calls = chat.request.sent("setMyCommands")
    public = [c["command"] for c in calls[0]["commands"]]
    assert "scope" not in calls[0]
    assert public[:3] == ["help", "list", "brief"]
    assert "stats" not in public and "start" not in public
    assert calls[1]["scope"] == {"type": "chat", "chat_id": ADMIN}
    assert [c["command"] for c in calls[1]["commands"]] == [*public, "stats"]
    assert len(calls) == 2


# -- buttons and paging ---------------------------------------------------------------------


async def test_brief_buttons_switch_views_in_place(chat: Chat) -> None:
    await chat.say("/brief compute talk")
    (brief,) = chat.request.sent()
    calls = await chat.press(brief, "Turning points")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    edited = calls[1].data
    lines = html_to_text(edited["text"]).splitlines()
    assert lines[0] == "Compute talk"
    assert "Turning points" in lines and "TL;DR" not in lines
    assert button_rows(edited)[0] == [
        ("« TL;DR", "b:t:compute-talk"),
        ("Risks", "b:r:compute-talk"),
    ]
    calls = await chat.press(edited, "« TL;DR")
    assert "TL;DR" in html_to_text(calls[1].data["text"]).splitlines()


async def test_list_pages_with_older_and_newer_buttons(chat: Chat, library: Library) -> None:
    for n in range(9):
        text = (
            f"Ann: Meeting number {n} talks about item {n} at length.\n\nBob: Agreed on item {n}.\n"
        )
        await library.ingest_bytes(f"meeting-{n}.txt", text.encode())
    await chat.say("/list")
    (first,) = chat.request.sent()
    rows = button_rows(first)
    assert len(rows) == 9  # eight transcripts and the navigation row
    assert rows[-1] == [("Older ›", "l:2")]
    calls = await chat.press(first, "Older ›")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    second = calls[1].data
    assert second["message_id"] == chat.pressed
    assert button_rows(second)[-1] == [("‹ Newer", "l:1")]
    assert len(button_rows(second)) == 1 + 3  # the 3 oldest of 11, then navigation
    # Numbered across pages; opening one sends its brief as a new message.
    calls = await chat.press(second, "9. ")
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert "TL;DR" in html_to_text(calls[1].data["text"]).splitlines()


async def test_quote_results_page_with_more(chat: Chat, library: Library) -> None:
    turns = "\n\n".join(
        f"Speaker{n % 3}: Budget point {n}: the budget needs review." for n in range(14)
    )
    await library.ingest_bytes("budget-review.txt", turns.encode())
    (first,) = await chat.say("/quote budget")
    sent = chat.request.sent()[0]
    assert html_to_text(first).startswith("Quotes for “budget”")
    more = button_data(sent, "More")
    assert more.startswith("s:2:")
    calls = await chat.press(sent, "More")
    # "More" adds a message below (earlier results stay readable), it does not edit.
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    page_two = html_to_text(calls[1].data["text"])
    assert page_two.startswith("Quotes for “budget” · page 2")
    assert "6." in page_two


async def test_stale_button_is_answered_and_explained(chat: Chat) -> None:
    calls = await chat.press(
        {"chat_id": USER, "text": "old", "reply_markup": {"inline_keyboard": [
            [{"text": "Old", "callback_data": "zz:nothing"}]]}},
        "Old",
    )  # fmt: skip
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert html_to_text(calls[1].data["text"]).startswith("That button no longer works.")


# -- inline mode -----------------------------------------------------------------------------


async def test_inline_query_offers_quote_excerpts(chat: Chat) -> None:
    await chat.app.process_update(chat.updates.inline("compute"))
    (answer,) = chat.request.sent("answerInlineQuery")
    results = answer["results"]
    assert results and all(r["type"] == "article" for r in results)
    assert len({r["id"] for r in results}) == len(results)
    first = results[0]
    assert first["title"].startswith(("Greg", "Alex"))
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert "compute" in html_to_text(content["message_text"]).lower()
    assert_telegram_html(content["message_text"])
    assert "next_offset" not in answer  # everything fits on one page


async def test_inline_query_pages_and_ignores_empty_queries(chat: Chat, library: Library) -> None:
    turns = "\n\n".join(f"Speaker{n % 4}: Line {n} about the budget cycle." for n in range(30))
    await library.ingest_bytes("long-budget.txt", turns.encode())
    await chat.app.process_update(chat.updates.inline("budget"))
    await chat.app.process_update(chat.updates.inline("budget", offset="2"))
    await chat.app.process_update(chat.updates.inline("   "))
    first, second, empty = chat.request.sent("answerInlineQuery")
    assert (len(first["results"]), first["next_offset"]) == (10, "2")
    assert second["results"] and second["next_offset"] == "3"
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert empty["results"] == []


# -- HTML and length ------------------------------------------------------------------------


async def test_hostile_transcript_text_is_escaped(chat: Chat) -> None:
    (text,) = await chat.say("/quote notes budget line")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>" not in text and "<b>bold</b>" not in text
    assert "&amp;amp;" in text  # the speaker's literal "&amp;" shows as typed
    assert_telegram_html(text)
    await chat.say("/brief budget meeting")
    (brief,) = chat.request.sent()[-1:]
    for label in ("Top quotes", "Risks"):
        calls = await chat.press(brief, label)
        assert_telegram_html(calls[-1].data["text"])


async def test_a_very_long_brief_is_sent_as_several_messages(library: Library) -> None:
    long_turns = "\n\n".join(
        f"Speaker{n % 5}: Topic {n} is a concern & a risk <{n}> because compute " * 4
        for n in range(120)
    )
    await library.ingest_bytes("marathon.txt", long_turns.encode())
    request = RecordingRequest()
    # A small limit makes an ordinary brief "very long"; the split path is the same.
    conversation = Conversation(library, message_limit=700)
    app = build_application(_settings(), library, request=request, conversation=conversation)
    async with app:
        await app.process_update(UpdateFactory(app.bot).text("/risks marathon"))
    parts = request.sent()
    assert len(parts) > 1
    for part in parts:
        assert telegram_length(part["text"]) <= 700
        assert_telegram_html(part["text"])
    assert [bool(p.get("reply_markup")) for p in parts] == [False] * (len(parts) - 1) + [True]


async def test_replies_over_4096_characters_are_split_by_the_app(chat: Chat) -> None:
    conversation: Conversation = chat.app.bot_data["briefbot"].conversation
    paragraph = "<b>Point</b> " + "x & y " * 60

    async def huge(conv: Conversation, ref: Any, args: str) -> list[Reply]:
        return [Reply("\n\n".join([paragraph] * 40))]  # one reply, ~15 000 characters

    # Registered after the app was built: any /command reaches the core.
    conversation.register("huge", huge, description="test")
    texts = await chat.say("/huge")
    assert len(texts) == 4
    assert all(telegram_length(t) <= TELEGRAM_LIMIT for t in texts)
    assert "".join(html_to_text(t) for t in texts).count("Point") == 40


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
    settings = _settings(flood_burst=5, flood_rate=1.0)
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


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_flood_stays_dropped_when_the_notice_fails(library: Library) -> None:
    request, clock = RecordingRequest(), Clock()
    app = build_application(_settings(flood_burst=1), library, request=request, clock=clock)
    updates = UpdateFactory(app.bot)
    async with app:
        await app.process_update(updates.text("/quote compute", user_id=USER))
        request.fail("sendMessage", status=429, description="Too Many Requests", retry_after=3)
        await app.process_update(updates.text("/quote compute", user_id=USER))
    assert [html_to_text(t)[:10] for t in request.texts()] == ["Quotes for", SLOW_DOWN[:10]]
    assert len(request.sent()) == 2  # the failed notice, and no search for the flood


async def test_inline_queries_have_their_own_allowance(library: Library) -> None:
    request, clock = RecordingRequest(), Clock()
    app = build_application(_settings(flood_burst=2), library, request=request, clock=clock)
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
    app = build_application(_settings(flood_burst=1), library, request=request, clock=clock)
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
async def test_telegram_flood_limit_is_logged_not_retried(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    chat.request.fail("sendMessage", status=429, description="Too Many Requests", retry_after=7)
    with caplog.at_level(logging.WARNING, logger="bot"):
        await chat.say("/help")
    assert [c.method for c in chat.request.calls] == ["sendMessage"]
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
