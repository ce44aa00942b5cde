"""The Telegram front end: one function builds the python-telegram-bot Application.

Handlers are thin (PTB's timerbot.py / errorhandlerbot.py style): each turns an
update into a call to the conversation core (``bot.core``) or the library and
hands the replies to ``bot._tg_send``. What users read is decided in the core
and the templates, never here, so the console chat shows the same thing.

Order of handling for every update:

1. group -1, ``flood``: per-user token bucket; a flood gets one "slow down"
   notice and is dropped (``ApplicationHandlerStop``) before any search runs;
2. group 0: commands, buttons, inline queries, documents, plain text;
3. ``error``: logs with the traceback, tells the user something went wrong in
   words that leak nothing, and treats 403/429/network errors as the expected
   conditions they are.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeChat,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import _feeds_cmd as feeds_cmd
from bot import _remove_cmd as remove_cmd
from bot._tg_digests import install_telegram, refine_chat
from bot._tg_send import send_replies
from bot.core import ChatRef, Conversation, Reply
from bot.flood import FloodGate, Verdict
from bot.redact import redact_secrets
from bot.settings import Settings
from briefs.library import Library

__all__ = ["SLOW_DOWN", "SOMETHING_WENT_WRONG", "BotState", "build_application"]

log = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side and I could not answer that. "
    "Please try again in a moment."
)
SLOW_DOWN = (
    "You are sending messages faster than I can answer, so I am skipping some. "
    "Try again in a few seconds."
)
NOT_ADMIN_UPLOAD = (
    "Thanks! Only the bot's administrators can add transcripts. "
    "You can search and read the ones already here: try /list."
)
_INLINE_RESULTS = 10
_STATE = "briefbot"


@dataclass
class BotState:
    """What the handlers share, kept in ``application.bot_data``."""

    settings: Settings
    library: Library
    conversation: Conversation
    flood: FloodGate


def build_application(
    settings: Settings,
    library: Library,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    conversation: Conversation | None = None,
    clock: Callable[[], float] = time.monotonic,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> Application:  # type: ignore[type-arg]
    """The whole bot: every handler, the rate limiter, the error handler, start-up hooks.

    ``request``/``get_updates_request`` replace PTB's httpx transport (tests pass a
    recording fake); ``clock`` drives flood control; ``rate_limiter`` defaults to
    ``AIORateLimiter()`` (Telegram's 30 messages/s overall, 20/min per group; a
    429 is raised, so the digest sender decides; chat replies retry, see _tg_send).
    """
    if not settings.telegram_bot_token:
        raise ValueError("build_application needs settings.telegram_bot_token")
    redact_secrets(settings.telegram_bot_token, settings.webhook_secret)
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(rate_limiter if rate_limiter is not None else AIORateLimiter())
        # One user's slow brief must not hold up everybody else's search.
        .concurrent_updates(True)
        .post_init(_post_init)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.build()
    application.bot_data[_STATE] = BotState(
        settings=settings,
        library=library,
        conversation=conversation or Conversation(library, admin_ids=settings.admin_ids),
        flood=FloodGate(settings.flood_rate, settings.flood_burst, clock=clock),
    )

    # Digest commands, the Sender and the minute tick (bot._tg_digests); before
    # command_names so /subscribe and friends get their CommandHandler.
    install_telegram(application, application.bot_data[_STATE])
    conversation = _state(application).conversation
    if "stats" not in conversation.registry:
        conversation.register(
            "stats", _stats, description="Library numbers (admins)", admin_only=True
        )
    if "feed" not in conversation.registry:
        feeds_cmd.install(conversation, allow_private=settings.feed_allow_private)  # /feed: admins
    if "remove" not in conversation.registry:
        remove_cmd.install(conversation)  # /remove for admins

    # New messages only: an edited message would run its search again, and
    # channel posts are for the digest commands (bot._tg_digests).
    new = filters.UpdateType.MESSAGE
    application.add_handler(TypeHandler(Update, flood), group=-1)
    application.add_handler(CommandHandler(list(conversation.registry), command, filters=new))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(InlineQueryHandler(inline))
    application.add_handler(MessageHandler(new & filters.Document.ALL, upload))
    application.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, text))
    # Unknown commands still get an answer (the core says what exists).
    application.add_handler(MessageHandler(new & filters.COMMAND, command))
    application.add_error_handler(error)
    return application


def _state(holder: Application | ContextTypes.DEFAULT_TYPE) -> BotState:  # type: ignore[type-arg]
    return holder.bot_data[_STATE]  # type: ignore[no-any-return]


def _chat(update: Update, state: BotState) -> ChatRef:
    chat, user = update.effective_chat, update.effective_user
    user_id = user.id if user else None
    return ChatRef(
        chat_id=chat.id if chat else (user_id or 0),
        user_id=user_id,
        chat_type=chat.type if chat else "private",
        title=chat.title if chat else None,
        is_admin=user_id is not None and user_id in state.settings.admin_ids,
    )


# -- start-up ---------------------------------------------------------------------------


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    """Register the command menus (setMyCommands) from the core's command list."""
    state = _state(application)
    # "/list@other_bot" in a group is not for us: the core needs our name to tell.
    state.conversation.bot_username = application.bot.username
    menus: list[tuple[list[tuple[str, str]], BotCommandScope | None]] = [
        (state.conversation.commands(admin=False), None)
    ]
    admin_menu = state.conversation.commands(admin=True)
    if admin_menu != menus[0][0]:
        # Admins see their extra commands in their private chat with the bot.
        menus += [
            (admin_menu, BotCommandScopeChat(admin)) for admin in sorted(state.settings.admin_ids)
        ]
    for menu, scope in menus:
        try:
            await application.bot.set_my_commands(
                [BotCommand(name, description) for name, description in menu], scope=scope
            )
        except TelegramError as err:
            # A missing menu is cosmetic (and an admin who never opened the bot
            # has no chat yet): the bot still works, so start anyway.
            log.warning("could not register the command menu (%s): %s", scope, err)


# -- handlers ---------------------------------------------------------------------------


async def flood(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop a flooding user's update before any handler runs (one notice per stretch)."""
    user = update.effective_user
    if user is None:
        return
    # Inline queries arrive as the user types ("@bot c", "@bot co", ...): they get a
    # bucket of their own so typing never costs the user their chat messages.
    key = ("inline", user.id) if update.inline_query is not None else user.id
    verdict = _state(context).flood.check(key)
    if verdict is Verdict.SERVE:
        return
    log.info("flood control: %s update from user %s", verdict.value, user.id)
    try:
        if update.callback_query is not None:
            # Always answer a button press, or the user's client spins for a while.
            notice = SLOW_DOWN if verdict is Verdict.NOTIFY else None
            await update.callback_query.answer(notice)
        elif verdict is Verdict.NOTIFY and update.effective_chat is not None and update.message:
            await context.bot.send_message(update.effective_chat.id, SLOW_DOWN)
    except TelegramError as err:
        # Whatever happened to the notice, the update stays dropped: an error
        # here must not let PTB carry on to the handlers.
        log.info("could not tell user %s to slow down: %s", user.id, err)
    raise ApplicationHandlerStop


async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a /command through the conversation core."""
    await _converse(update, context, update.effective_message.text or "")  # type: ignore[union-attr]


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer plain text: a quote query, through the conversation core."""
    message = update.effective_message
    assert message is not None
    words = message.text or ""
    if message.chat.type != ChatType.PRIVATE:
        # In a group, only text addressed to the bot is a query: "@bot words", or
        # a reply to one of its messages (all a bot in privacy mode receives).
        mention = re.compile(rf"@{re.escape(context.bot.username)}\b", re.IGNORECASE)
        replied = message.reply_to_message
        author = replied.from_user if replied is not None else None
        if mention.search(words):
            words = mention.sub(" ", words)
        elif author is None or author.id != context.bot.id:
            return
    await _converse(update, context, " ".join(words.split()))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a button press: the core's callback, edited in place when it says so."""
    query = update.callback_query
    assert query is not None
    state = _state(context)
    chat = await refine_chat(update, context.bot, _chat(update, state), "", query.data)
    replies = await state.conversation.handle(chat, callback=query.data or "")
    await query.answer()
    # An old message Telegram no longer lets us see (InaccessibleMessage) is never edited.
    pressed = query.message if isinstance(query.message, Message) else None
    chat_id = update.effective_chat.id if update.effective_chat else query.from_user.id
    await send_replies(context, chat_id, replies, pressed=pressed)


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer quote excerpts for ``@bot <topic>`` typed in any chat."""
    query = update.inline_query
    assert query is not None
    words = query.query.strip()
    if not words:
        await query.answer([], cache_time=5, is_personal=False)
        return
    offset = query.offset  # ASCII only: "²".isdigit() is True, int("²") raises
    page = int(offset) if offset.isascii() and offset.isdigit() else 1
    results = await _state(context).conversation.inline(words, page=page, size=_INLINE_RESULTS)
    articles = [
        InlineQueryResultArticle(
            id=result.id,
            title=result.title,
            description=result.description,
            input_message_content=InputTextMessageContent(result.html, parse_mode=ParseMode.HTML),
        )
        for result in results.items
    ]
    await query.answer(
        articles, cache_time=60, next_offset=str(page + 1) if results.has_more else None
    )


async def upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ingest a transcript file an admin sent as a document; refuse anyone else politely."""
    message = update.effective_message
    assert message is not None and message.document is not None
    state = _state(context)
    chat_id = message.chat_id
    if not _chat(update, state).is_admin:
        # In a group, files people share with each other are not for the bot.
        if message.chat.type == ChatType.PRIVATE:
            await context.bot.send_message(chat_id, html.escape(NOT_ADMIN_UPLOAD))
        return
    document = message.document
    name = document.file_name or "upload.txt"
    limit = state.settings.max_upload_bytes
    if document.file_size is not None and document.file_size > limit:
        await context.bot.send_message(chat_id, _too_large(name, document.file_size, limit))
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    if len(data) > limit:
        await context.bot.send_message(chat_id, _too_large(name, len(data), limit))
        return
    # Revisions follow the source key: the same file name sent again in this
    # chat is a new revision of it; another chat's file of that name is not.
    outcome = await state.library.ingest_bytes(name, data, source_key=f"tg:{chat_id}/{name}")
    await context.bot.send_message(chat_id, _ingest_reply(outcome))


async def error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with its traceback and tell the user, without internals."""
    err = context.error
    if isinstance(err, Forbidden):
        # The user blocked the bot (or left the group): final, nobody to tell.
        log.info("not allowed to message this chat any more: %s", err)
        return
    if isinstance(err, RetryAfter):
        # Telegram asks us to pause; replying now would only be refused again.
        log.warning("Telegram refused a call: %s", err)
        return
    # BadRequest subclasses NetworkError in PTB, but it is our bug, not the network's.
    if isinstance(err, NetworkError) and not isinstance(err, BadRequest):
        log.warning("network error talking to Telegram: %s", err, exc_info=err)
    else:
        log.error("error while handling an update", exc_info=err)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            if update.callback_query is not None:
                await update.callback_query.answer()
            await context.bot.send_message(
                update.effective_chat.id, html.escape(SOMETHING_WENT_WRONG)
            )
        except TelegramError as again:
            log.warning("could not tell the user about the error: %s", again)


# -- helpers ----------------------------------------------------------------------------


async def _converse(update: Update, context: ContextTypes.DEFAULT_TYPE, words: str) -> None:
    state = _state(context)
    chat = await refine_chat(update, context.bot, _chat(update, state), words)
    replies = await state.conversation.handle(chat, text=words)
    chat_id = update.effective_chat.id  # type: ignore[union-attr]
    await send_replies(context, chat_id, replies)


async def _stats(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    """/stats for admins (the core checks ``admin_only`` before calling this)."""
    numbers = await conv.library.stats()
    lines = ["<b>Library</b>"] + [
        f"{html.escape(name.replace('_', ' '))}: {value:,}" for name, value in numbers.items()
    ]
    return conv.reply("\n".join(lines))


def _too_large(name: str, size: int, limit: int) -> str:
    return html.escape(
        f"{name} is {size:,} bytes, over the upload limit of {limit:,} bytes; "
        "split it, or add it on the server with `briefbot ingest`."
    )


def _ingest_reply(outcome: Any) -> str:
    message = html.escape(outcome.message)
    if outcome.status == "failed":
        return f"Could not add {html.escape(outcome.path)}: {message}"
    lines = [message]
    lines += [f"• {html.escape(w)}" for w in outcome.warnings]
    if outcome.transcript_id:
        lines.append(f"Read it with /brief {html.escape(outcome.transcript_id)}")
    return "\n".join(lines)
