"""Digests in the console chat: no schedule there; ``/digest`` shows what is new.

Scheduled digests go out through the Telegram bot (its minute tick, or
``briefbot digest send-due`` from cron) to Telegram chats. The console is
chat 0 on no service at all: a subscription stored for it would fall due to a
chat Telegram does not know, and a bot running over the same database would
try to deliver it and mark it blocked. So the console stores none:
``/subscribe`` and friends say where daily digests come from, and ``/digest``
composes the transcripts added in the last 24 hours on the spot, with the
daily digest's own composer and layout, writing nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from markupsafe import Markup

from bot.core import Button, ChatRef, Conversation, Reply
from bot.digests import COMMANDS
from briefs import digest

__all__ = ["MAX_ENTRIES", "NOT_HERE", "WINDOW", "install"]

WINDOW = timedelta(hours=24)
MAX_ENTRIES = 20
"""Newest transcripts a console /digest shows (a bulk ingest can add hundreds)."""
NOT_HERE = (
    "Daily digests are delivered by the Telegram bot (briefbot run): subscribe in a "
    "Telegram chat with it. Here, /digest shows what was added in the last 24 hours."
)


async def not_here(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    return conv.message(NOT_HERE)


async def digest_now(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    cutoff = conv.now() - WINDOW
    newest = await conv.library.list_transcripts(limit=MAX_ENTRIES + 1)
    recent = [i for i in newest if datetime.fromisoformat(i.ingested_at) >= cutoff]
    if not recent:
        return conv.message(
            "Nothing was added in the last 24 hours.",
            hint="/list shows the latest transcripts.",
        )
    shown = recent[:MAX_ENTRIES]
    # Seq grows with every ingest: everything after the oldest shown one's
    # predecessor is exactly the shown transcripts.
    composed = await digest.compose(
        digest.ComposeCache(conv.library), watermark=min(i.seq for i in shown) - 1
    )
    replies = [
        Reply(html, [[await conv.button(b.text, "o:", b.transcript_id)] for b in buttons])
        for html, buttons in zip(composed.parts, composed.buttons, strict=True)
    ]
    if len(recent) > MAX_ENTRIES:
        replies += conv.message(
            f"These are the {MAX_ENTRIES} newest; more came in the last 24 hours.",
            hint="/list shows them all.",
        )
    return replies


async def settings_section(
    conv: Conversation, chat: ChatRef
) -> tuple[str, list[str | Markup], list[list[Button]]]:
    return "Daily digest", [NOT_HERE], []


def install(conv: Conversation) -> None:
    """The console's digest commands and /settings section on ``conv``."""
    for name in COMMANDS:
        if name != "digest":
            # Kept so a habit from Telegram gets an answer, not "unknown command".
            conv.register(
                name, not_here, description="Daily digests come from the Telegram bot",
                hidden=name != "subscribe",
            )
    conv.register("digest", digest_now, description="What was added in the last 24 hours")
    conv.register_settings(settings_section)
