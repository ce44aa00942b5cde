"""A harness for the Telegram app's tests: a library, the app over a recording Bot API.

``chat`` is the real PTB Application from ``build_application`` with the
recording ``BaseRequest`` of ``ptb_fakes``; tests send the updates Telegram
would send and assert on what the user would see. Test modules import the
fixtures they use from here.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from ptb_fakes import TOKEN, RecordingRequest, UpdateFactory
from telegram.ext import Application

from bot.settings import Settings
from bot.telegram_app import build_application
from briefs.library import Library
from briefs.render import html_to_text

__all__ = [
    "ADMIN",
    "USER",
    "Chat",
    "Clock",
    "assert_telegram_html",
    "bot_settings",
    "button_data",
    "button_rows",
    "chat",
    "library",
]

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


def bot_settings(**changes: Any) -> Settings:
    base = {"telegram_bot_token": TOKEN, "admin_ids": frozenset({ADMIN}), "flood_burst": 1000}
    return Settings(**{**base, **changes})


@pytest.fixture
async def chat(library: Library) -> AsyncIterator[Chat]:
    request, clock = RecordingRequest(), Clock()
    app = build_application(
        bot_settings(),
        library,
        request=request,
        get_updates_request=RecordingRequest(),
        clock=clock,
    )
    async with app:
        request.clear()
        yield Chat(app, request, clock)
