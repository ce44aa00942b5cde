"""The Telegram app's conversation: commands, buttons and paging, inline mode, HTML.

Driven through the real PTB Application over a recording Bot API
(``tg_harness``); every assertion is on what the user would see.
"""

# The fixtures ``chat`` and ``library`` come from tg_harness; tests name them as arguments.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest
from ptb_fakes import BOT_USER, RecordingRequest, UpdateFactory
from tg_harness import (  # noqa: F401
    ADMIN,
    USER,
    Chat,
    assert_telegram_html,
    bot_settings,
    button_data,
    button_rows,
    chat,
    library,
)

from bot.core import Conversation, Reply
from bot.telegram_app import build_application
from briefs.library import Library
from briefs.render import TELEGRAM_LIMIT, html_to_text, telegram_length

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
    assert [c["command"] for c in calls[1]["commands"]] == [*public, "stats", "feed", "remove"]
    assert len(calls) == 2


async def test_edited_messages_are_not_answered_again(chat: Chat) -> None:
    await chat.app.process_update(chat.updates.text("/quote compute", edited=True))
    await chat.app.process_update(chat.updates.text("compute", edited=True))
    assert chat.request.calls == []


async def test_in_groups_only_text_addressed_to_the_bot_is_a_query(chat: Chat) -> None:
    group = -1001
    bot_message = {
        "message_id": 77,
        "date": 0,
        "chat": {"id": group, "type": "group", "title": "Team"},
        "from": BOT_USER,
        "text": "Quotes for “compute”",
    }
    updates = [
        chat.updates.text("compute chips", chat_id=group),  # people talking to each other
        chat.updates.text(f"@{BOT_USER['username']} power grid", chat_id=group),
        chat.updates.text("pricing", chat_id=group, reply_to=bot_message),
    ]
    for update in updates:
        await chat.app.process_update(update)
    shown = [html_to_text(t).splitlines()[0] for t in chat.request.texts()]
    assert shown == ["Quotes for “power grid”", "Quotes for “pricing”"]
    assert {s["chat_id"] for s in chat.request.sent()} == {group}


async def test_commands_for_another_bot_are_ignored(chat: Chat) -> None:
    await chat.app.post_init(chat.app)  # type: ignore[misc]  # learns the bot's username
    chat.request.clear()
    assert await chat.say("/list@some_other_bot") == []
    (listing,) = await chat.say(f"/list@{BOT_USER['username']}")
    assert html_to_text(listing).startswith("Transcripts")


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


async def test_a_message_that_cannot_be_edited_is_answered_anew(chat: Chat) -> None:
    await chat.say("/brief compute talk")
    (brief,) = chat.request.sent()
    chat.request.fail("editMessageText", description="Bad Request: message can't be edited")
    calls = await chat.press(brief, "Risks")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert "Risks" in html_to_text(calls[2].data["text"]).splitlines()


async def test_pressing_the_same_button_twice_sends_nothing_new(chat: Chat) -> None:
    await chat.say("/brief compute talk")
    (brief,) = chat.request.sent()
    await chat.press(brief, "Risks")
    # A double tap: Telegram refuses to "edit" the message into what it already is.
    chat.request.fail(
        "editMessageText",
        description="Bad Request: message is not modified: specified new message content "
        "and reply markup are exactly the same",
    )
    calls = await chat.press(brief, "Risks")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]


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
    app = build_application(bot_settings(), library, request=request, conversation=conversation)
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


async def test_an_inline_offset_of_unicode_digits_is_page_one(chat: Chat) -> None:
    # "²".isdigit() is True but int("²") raises: the query got no answer at all.
    await chat.app.process_update(chat.updates.inline("compute", offset="²"))
    await chat.app.process_update(chat.updates.inline("compute"))
    odd, plain = chat.request.sent("answerInlineQuery")
    assert odd["results"] and odd["results"] == plain["results"]
