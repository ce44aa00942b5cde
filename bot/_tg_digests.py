"""Digests on Telegram: the PTB Sender, the minute tick, group admins, channel posts.

Scheduling: one repeating JobQueue job, every minute, runs
``briefs.digest.send_due(now=...)``. The schedule itself lives in the
database (``subscribers.next_due_at``, indexed), so there is no per-subscriber
job to re-create at start-up or to keep in step with /subscribe and /pause
(PTB does not persist jobs), the first tick right after start-up sends any
digest missed while the bot was down (once: the next due time moves past
"now"), and the bot runs the very code path of ``briefbot digest send-due``.
The price is up to a minute of lateness and one indexed query per minute.

The inbox and feed pollers (``briefs.sources._inbox.poll_inbox``,
``briefs.sources._feeds.poll_feeds``) are scheduled here too when those modules exist,
so new transcripts arrive by themselves before the digest tick picks them up.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import inspect
import logging
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, ContextTypes, MessageHandler, filters
from telegram.warnings import PTBDeprecationWarning

from bot._builtin import deep_link_payload
from bot._tg_send import send_replies
from bot.core import ChatRef, Conversation
from bot.digests import COMMANDS, DigestCommands
from briefs import digest
from briefs.digest import Blocked, Button, DeliveryError, RetryLater, Transient

__all__ = [
    "TICK_SECONDS",
    "TelegramSender",
    "channel_command",
    "chat_admin",
    "install_telegram",
    "refine_chat",
    "tick",
]

log = logging.getLogger(__name__)

TICK_SECONDS = 60
INBOX_SECONDS = 30
FEEDS_SECONDS = 15 * 60
_GONE = ("chat not found", "bot was kicked", "user is deactivated", "have no rights to send")
_ADMIN = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
_DIGESTS = "briefbot.digests"


class TelegramSender:
    """``briefs.digest.Sender`` over a PTB ``Bot``, translating PTB errors to engine ones.

    Buttons open the transcript's brief: in a private chat as a callback the
    conversation core answers (``o:<id>``, keyed when long); in groups and
    channels as a ``t.me`` deep link into a private chat with the bot, so a
    press does not post a brief into the group.
    """

    def __init__(self, bot: Bot, conversation: Conversation | None = None) -> None:
        self.bot = bot
        self.conversation = conversation

    async def send(self, chat_id: int, html: str, buttons: Sequence[Button]) -> None:
        markup = await self._markup(chat_id, buttons)
        try:
            await self.bot.send_message(
                chat_id, html, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        except Forbidden as err:
            raise Blocked(f"Forbidden: {err.message}") from err
        except RetryAfter as err:
            with warnings.catch_warnings():
                # PTB 22 warns that retry_after will become a timedelta; both are handled.
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                wait = err.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise RetryLater(seconds) from err
        except ChatMigrated as err:
            # A group became a supergroup: the old id is gone for good.
            raise Blocked(f"the group moved to chat {err.new_chat_id}") from err
        except BadRequest as err:
            if any(mark in err.message.lower() for mark in _GONE):
                raise Blocked(err.message) from err
            raise DeliveryError(f"Telegram refused the message: {err.message}") from err
        except TimedOut as err:
            raise Transient(f"timed out: {err.message}") from err
        except NetworkError as err:  # connection errors and 5xx answers
            raise Transient(f"network error: {err.message}") from err
        except TelegramError as err:
            raise DeliveryError(err.message) from err

    async def _markup(self, chat_id: int, buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
        rows: list[list[InlineKeyboardButton]] = []
        username = self.bot.username if self._initialized() else None
        for button in buttons:
            payload = deep_link_payload(button.transcript_id)
            if chat_id < 0 and username and payload:
                # Negative ids are groups and channels (Telegram's convention).
                url = f"https://t.me/{username}?start={payload}"
                rows.append([InlineKeyboardButton(button.text, url=url)])
            elif self.conversation is not None:
                data = await self.conversation.data("o:", button.transcript_id)
                rows.append([InlineKeyboardButton(button.text, callback_data=data)])
        return InlineKeyboardMarkup(rows) if rows else None

    def _initialized(self) -> bool:
        try:
            return bool(self.bot.username)
        except RuntimeError:  # Bot.get_me() not called yet
            return False


async def chat_admin(bot: Bot, update: Update) -> bool:
    """Whether the sender of ``update`` administers its group or channel."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return False
    if chat.type == ChatType.CHANNEL:
        return True  # only a channel's admins can post in it
    if message is not None and message.sender_chat is not None:
        # An anonymous admin posts as the group itself.
        return message.sender_chat.id == chat.id
    user = update.effective_user
    if user is None:
        return False
    try:
        member = await bot.get_chat_member(chat.id, user.id)
    except TelegramError as err:
        log.warning("could not check whether user %s administers chat %s: %s",
                    user.id, chat.id, err)
        return False
    return member.status in _ADMIN


async def refine_chat(
    update: Update, bot: Bot, chat: ChatRef, words: str, callback: str | None = None
) -> ChatRef:
    """``chat`` with its type, title and, for digest commands and buttons in a group
    or channel, whether the sender administers it (one getChatMember call, only then)."""
    effective = update.effective_chat
    if effective is None:
        return chat
    fields: dict[str, Any] = {"chat_type": effective.type, "title": effective.title}
    head = words.split(maxsplit=1)[0] if words.strip() else ""
    name = head[1:].partition("@")[0].lower() if head.startswith("/") else ""
    asks = name in COMMANDS or (callback or "").startswith("dg:")
    if effective.type != ChatType.PRIVATE and asks:
        fields["is_chat_admin"] = await chat_admin(bot, update)
    return ChatRef(chat_id=chat.chat_id, user_id=chat.user_id, is_admin=chat.is_admin, **fields)


async def channel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A digest command posted in a channel (PTB's CommandHandler skips channel posts)."""
    post = update.channel_post
    if post is None or not post.text:
        return
    state = context.bot_data["briefbot"]
    chat = ChatRef(
        chat_id=post.chat_id, chat_type=ChatType.CHANNEL, title=post.chat.title,
        is_chat_admin=True,
    )
    replies = await state.conversation.handle(chat, text=post.text)
    await send_replies(context, post.chat_id, replies)


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The minute job: send every digest due now (and any left from before a restart)."""
    commands: DigestCommands = context.bot_data[_DIGESTS]
    lock: asyncio.Lock = context.bot_data[_DIGESTS + ".lock"]
    if lock.locked():
        return  # the previous tick is still sending (a big fan-out, or 429s)
    async with lock:
        library = context.bot_data["briefbot"].library
        assert commands.sender is not None
        report = await digest.send_due(library, commands.sender, now=datetime.now(UTC),
                                       rtt=commands.rtt)
    if report.composed or report.delivered or report.deferred or report.blocked:
        log.info("digests: %s", report.summary())
    for line in report.errors:  # a failed digest: the others went out, this one needs a look
        log.warning("digest failed: %s", line)


def _poller(module: str, name: str) -> Any | None:
    try:
        found = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(found, name, None)


async def _poll(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    assert job is not None
    data: tuple[Any, tuple[Any, ...]] = job.data  # type: ignore[assignment]
    func, args = data
    library = context.bot_data["briefbot"].library
    try:
        result = func(library, *args)
        if inspect.isawaitable(result):
            await result
    except Exception:
        log.exception("%s failed; trying again at the next run", job.name)


def install_telegram(application: Application, state: Any) -> DigestCommands:  # type: ignore[type-arg]
    """Digest commands with the PTB Sender on ``state.conversation``, plus the jobs."""
    settings = state.settings
    sender = TelegramSender(application.bot, state.conversation)
    commands = DigestCommands(
        default_time=settings.digest_time, default_zone=settings.timezone, sender=sender,
        rtt=getattr(settings, "digest_rtt", 0.1),
    )
    commands.install(state.conversation)
    application.bot_data[_DIGESTS] = commands
    names = "|".join((*COMMANDS, "settings"))
    application.add_handler(
        MessageHandler(
            filters.UpdateType.CHANNEL_POST & filters.Regex(rf"^/({names})(@\w+)?(\s|$)"),
            channel_command,
        )
    )
    application.bot_data[_DIGESTS + ".lock"] = asyncio.Lock()
    jobs = application.job_queue
    if jobs is None:
        log.warning("no JobQueue (install python-telegram-bot[job-queue]): digests will not "
                    "go out by themselves; run `briefbot digest send-due` from cron")
        return commands
    # first=1: right after start-up, which is when a digest missed while the bot
    # was down goes out.
    jobs.run_repeating(tick, interval=TICK_SECONDS, first=1, name="digests")
    inbox = _poller("briefs.sources._inbox", "poll_inbox")
    if inbox is not None and getattr(settings, "inbox", None) is not None:
        jobs.run_repeating(_poll, interval=INBOX_SECONDS, first=0, name="inbox",
                           data=(inbox, (settings.inbox,)))
    feeds = _poller("briefs.sources._feeds", "poll_feeds")
    if feeds is not None:
        # The operator's choice on private feed addresses (bot.settings) reaches the engine here.
        feeds = functools.partial(
            feeds, allow_private=bool(getattr(settings, "feed_allow_private", False)))
        jobs.run_repeating(_poll, interval=FEEDS_SECONDS, first=5, name="feeds", data=(feeds, ()))
    return commands
