"""Turning the core's ``Reply`` objects into Bot API calls.

Kept apart from the handlers so the rules live in one place: every message is
Telegram HTML, split under 4096 visible characters on paragraph boundaries
(with tags balanced, by ``briefs.render._templates.split_message``), buttons ride on the
last part, and an "edit" reply replaces the message whose button was pressed
when it fits in one message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from briefs.render import TELEGRAM_LIMIT, split_message, telegram_length

__all__ = ["REPLY_RETRIES", "keyboard", "send_replies", "split_html"]

log = logging.getLogger(__name__)

# A 429 on a reply (say, the parts of a long brief sent fast into one chat) is
# waited out as Telegram asks and retried, up to this many times, by PTB's
# AIORateLimiter; updates are handled concurrently, so nobody else waits.
REPLY_RETRIES = 2
_CAPTION_LIMIT = 1024


def keyboard(buttons: Sequence[Sequence[Any]] | None) -> InlineKeyboardMarkup | None:
    """An inline keyboard from rows of core ``Button(label, data)``; ``None`` when empty."""
    rows = [
        [InlineKeyboardButton(button.label, callback_data=button.data) for button in row]
        for row in buttons or ()
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def split_html(html: str) -> list[str]:
    """``html`` as one or more messages of at most 4096 visible characters."""
    if telegram_length(html) <= TELEGRAM_LIMIT:
        return [html]
    return split_message(html, TELEGRAM_LIMIT)


async def send_replies(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    replies: Sequence[Any],
    *,
    pressed: Message | None = None,
) -> None:
    """Show ``replies`` in ``chat_id``; ``pressed`` is the message whose button was used."""
    for reply in replies:
        markup = keyboard(reply.buttons)
        document = getattr(reply, "document", None)
        if document is not None:
            # A file (an exported brief): sent as a document, the reply as its
            # caption (Telegram allows 1024 characters there).
            await context.bot.send_document(
                chat_id,
                InputFile(document.data, filename=document.filename),
                caption=reply.html if telegram_length(reply.html) <= _CAPTION_LIMIT else None,
                reply_markup=markup,
                rate_limit_args=REPLY_RETRIES,  # type: ignore[arg-type]  # ExtBot[None] typing
            )
            continue
        parts = split_html(reply.html)
        editable = getattr(reply, "edit", False) and pressed is not None and len(parts) == 1
        if editable and await _edit(context, pressed, parts[0], markup):  # type: ignore[arg-type]
            continue
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await context.bot.send_message(
                chat_id,
                part,
                reply_markup=markup if last else None,
                rate_limit_args=REPLY_RETRIES,  # type: ignore[arg-type]  # ExtBot[None] typing
            )


async def _edit(
    context: ContextTypes.DEFAULT_TYPE,
    message: Message,
    html: str,
    markup: InlineKeyboardMarkup | None,
) -> bool:
    """Edit ``message`` in place; ``False`` when it cannot be edited (send anew instead)."""
    try:
        await context.bot.edit_message_text(
            html,
            chat_id=message.chat_id,
            message_id=message.message_id,
            reply_markup=markup,
            rate_limit_args=REPLY_RETRIES,  # type: ignore[arg-type]  # ExtBot[None] typing
        )
    except BadRequest as err:
        text = str(err).lower()
        if "not modified" in text:
            # The same button pressed twice: what the user sees is already right.
            return True
        # Too old, deleted, or not a text message: fall back to a new message.
        log.info("could not edit message %s: %s", message.message_id, err)
        return False
    return True
