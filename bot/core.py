"""The conversation core: what briefbot says, whichever chat it says it in.

Both front ends — the Telegram app and the console chat — hand every message
or button press to :meth:`Conversation.handle` and show the :class:`Reply`
list it returns. Nothing here knows about python-telegram-bot: a reply is
Telegram HTML (already split under the length limit) and rows of
:class:`Button` whose callback data the core itself will read back.

Commands, button prefixes and ``/settings`` sections live in registries, so a
later area plugs in without touching this module::

    conv.register("subscribe", handler, description="Daily digest at a time you pick")
    conv.register("stats", handler, description="Library numbers", admin_only=True)
    conv.register_callback("d", digest_buttons)       # callback data "d:..."
    conv.register_settings(digest_section)            # lines on /settings

A handler is ``async (conv, chat, args) -> list[Reply]``; a callback handler
gets the whole callback data instead of ``args``. Handlers raise
:class:`~briefs.errors.BriefbotError` for anything the user should read; the
core turns it into a message, and anything else into an apology plus a log
line with the traceback (never shown to the user).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot import _builtin
from bot._chatstate import ChatState

# The types live in bot._dispatch so that the views need not import this
# module back; they stay importable from here (__all__).
from bot._dispatch import (
    MAX_CALLBACK_BYTES,
    Button,
    CallbackHandler,
    ChatRef,
    Command,
    CommandHandler,
    Document,
    InlinePage,
    InlineResult,
    Reply,
    SettingsSection,
    deep_link_payload,
)
from bot._quote_search import inline_page
from briefs.errors import BriefbotError, NotFound
from briefs.render import TELEGRAM_LIMIT, render, split_message
from briefs.transcript import valid_seconds

if TYPE_CHECKING:
    from briefs.library import Library, TranscriptInfo

__all__ = [
    "MAX_CALLBACK_BYTES",
    "Button",
    "CallbackHandler",
    "ChatRef",
    "Command",
    "CommandHandler",
    "Conversation",
    "Document",
    "InlinePage",
    "InlineResult",
    "Reply",
    "SettingsSection",
    "deep_link_payload",
]

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Conversation:
    """The chat logic over one :class:`~briefs.library._facade.Library`."""

    def __init__(
        self,
        library: Library,
        *,
        admin_ids: frozenset[int] | Sequence[int] = frozenset(),
        results_per_page: int = 5,
        list_page_size: int = 8,
        message_limit: int = TELEGRAM_LIMIT,
        bot_username: str | None = None,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.library = library
        self.admin_ids = frozenset(admin_ids)
        self.results_per_page = results_per_page
        self.list_page_size = list_page_size
        self.message_limit = message_limit
        self.bot_username = bot_username
        self.now = now
        self.state = ChatState(library.store, now=now)
        self.registry: dict[str, Command] = {}
        self.callbacks: dict[str, CallbackHandler] = {}
        self.settings_sections: list[SettingsSection] = []
        # The transcript each chat looked at last, so "/risks" alone means "of that one".
        self.current: dict[int, str] = {}
        # Transcript id -> (info, text length): ids never change content (a new
        # revision gets a new id, a removed id is never reused); see forget().
        self._meta: dict[str, tuple[TranscriptInfo, int]] = {}
        self._times: dict[str, dict[int, float]] = {}
        self._headings: dict[str, list[tuple[int, str]]] = {}
        _builtin.install(self)  # the built-in commands register themselves

    # -- registries ----------------------------------------------------------------

    def register(
        self,
        name: str,
        handler: CommandHandler,
        *,
        description: str,
        admin_only: bool = False,
        hidden: bool = False,
    ) -> None:
        """Add (or replace) the command ``/name``."""
        name = name.lstrip("/").lower()
        if not name.replace("_", "").isalnum() or len(name) > 32:
            raise ValueError(f"not a Telegram command name: {name!r}")
        self.registry[name] = Command(name, handler, description, admin_only, hidden)

    def register_callback(self, prefix: str, handler: CallbackHandler) -> None:
        """Route callback data ``"<prefix>:..."`` to ``handler``."""
        if ":" in prefix or not prefix:
            raise ValueError(f"bad callback prefix {prefix!r}")
        self.callbacks[prefix] = handler

    def register_settings(self, section: SettingsSection) -> None:
        """Add a section to ``/settings``, shown after the existing ones."""
        self.settings_sections.append(section)

    def commands(self, *, admin: bool = False) -> list[tuple[str, str]]:
        """``(name, description)`` for setMyCommands and /help, in registration order.

        ``admin=True`` adds the admin-only commands (for an admin's menu).
        """
        return [
            (c.name, c.description)
            for c in self.registry.values()
            if not c.hidden and (admin or not c.admin_only)
        ]

    def is_admin(self, chat: ChatRef) -> bool:
        return chat.is_admin or (chat.user_id is not None and chat.user_id in self.admin_ids)

    # -- the entry point -------------------------------------------------------------

    async def handle(
        self, chat: ChatRef, *, text: str | None = None, callback: str | None = None
    ) -> list[Reply]:
        """Answer a message (``text``) or a button press (``callback``)."""
        try:
            if callback is not None:
                return await self._callback(chat, callback)
            # Control characters (NUL and friends) are never meant, and Telegram
            # refuses messages that echo them back.
            text = _CONTROL.sub("", text or "").strip()
            if not text:
                return []
            if text.startswith("/"):
                return await self._command(chat, text)
            return await self.registry["quote"].handler(self, chat, text)
        except BriefbotError as err:
            return self.error(str(err))
        except Exception:
            log.exception("the conversation core failed on chat %s", chat.chat_id)
            return self.error(
                "Something went wrong on my side. Please try again in a moment.",
                hint="If it keeps happening, tell the bot's admin.",
            )

    async def _command(self, chat: ChatRef, text: str) -> list[Reply]:
        head, *rest = text.split(maxsplit=1)
        args = rest[0] if rest else ""
        name, _, addressee = head[1:].partition("@")
        if addressee and self.bot_username and addressee.lower() != self.bot_username.lower():
            return []  # "/list@other_bot" in a group is not for us
        command = self.registry.get(name.lower())
        if command is None:
            return self.error(
                f"I don't know the command /{name}.",
                hint="Send /help for the list, or just type words to find quotes.",
            )
        if command.admin_only and not self.is_admin(chat):
            return self.message(f"Sorry, /{command.name} is only for the bot's admins.")
        return await command.handler(self, chat, args.strip())

    async def _callback(self, chat: ChatRef, data: str) -> list[Reply]:
        handler = self.callbacks.get(data.split(":", 1)[0])
        if handler is None:
            return self.message("That button no longer works.", hint="Send /help to start over.")
        return await handler(self, chat, data)

    # -- helpers for handlers ----------------------------------------------------------

    def reply(
        self, html: str, buttons: list[list[Button]] | None = None, *, edit: bool = False
    ) -> list[Reply]:
        """``html`` as one or more replies under the limit, buttons on the last.

        With ``edit``, the first part replaces the message whose button was
        pressed and the rest follow as new messages.
        """
        parts = split_message(html, self.message_limit)
        replies = [Reply(part) for part in parts] or [Reply(html)]
        replies[0].edit = edit
        replies[-1].buttons = list(buttons or [])
        return replies

    def view(
        self,
        template: str,
        buttons: list[list[Button]] | None = None,
        *,
        edit: bool = False,
        **context: Any,
    ) -> list[Reply]:
        """Render ``template`` with ``context`` and :meth:`reply` it."""
        return self.reply(render(template, **context), buttons, edit=edit)

    def message(
        self,
        text: str,
        *,
        hint: str = "",
        buttons: list[list[Button]] | None = None,
        kind: str = "note",
        edit: bool = False,
    ) -> list[Reply]:
        """A note: one line of plain text (escaped), with an optional hint."""
        return self.view("message", buttons, edit=edit, kind=kind, text=text, hint=hint)

    def error(self, text: str, *, hint: str = "") -> list[Reply]:
        return self.message(text, hint=hint, kind="error")

    async def data(self, prefix: str, value: str) -> str:
        """Callback data ``prefix + value``, keyed when it would pass 64 bytes."""
        return await self.state.pack(prefix, value)

    async def button(self, label: str, prefix: str, value: str) -> Button:
        return Button(label, await self.data(prefix, value))

    async def pager(
        self, code: str, page: int, pages: int, value: str, more: str = "More ›"
    ) -> list[Button]:
        """``‹ Back`` / ``more`` for page ``page`` of ``pages``, as ``code:<page>:<value>``."""
        nav = []
        if page > 1:
            nav.append(await self.button("‹ Back", f"{code}:{page - 1}:", value))
        if page < pages:
            nav.append(await self.button(more, f"{code}:{page + 1}:", value))
        return nav

    async def unpack(self, ref: str) -> str | None:
        return await self.state.unpack(ref)

    # -- library lookups shared by handlers ------------------------------------------------

    async def transcript(self, transcript_id: str) -> tuple[TranscriptInfo, int]:
        """A transcript's info and the length of its text (for "40% in"); cached."""
        if transcript_id not in self._meta:
            info = await self.library.resolve(transcript_id)  # an exact id is one row read
            if info is None or info.id != transcript_id:
                raise NotFound(f"no transcript with id {transcript_id!r}")
            # Only the length is needed: loading the text (Library.get) would
            # rebuild the whole transcript for one number.
            length = await self.library.store.lookups.text_length(transcript_id)
            if len(self._meta) >= 4096:
                self._meta.pop(next(iter(self._meta)))
            self._meta[transcript_id] = (info, length or 0)
        return self._meta[transcript_id]

    def forget(self, transcript_id: str) -> None:
        """Drop what this conversation holds about a removed (or restored) transcript."""
        self._meta.pop(transcript_id, None)
        self._times.pop(transcript_id, None)
        self._headings.pop(transcript_id, None)
        for chat_id in [c for c, t in self.current.items() if t == transcript_id]:
            del self.current[chat_id]

    async def turn_times(self, transcript_id: str) -> dict[int, float]:
        """Turn index -> start time in seconds, for sources that have times; cached."""
        if transcript_id not in self._times:
            rows = await self.library.store.lookups.turn_start_times(transcript_id)
            if len(self._times) >= 1024:
                self._times.pop(next(iter(self._times)))
            # A bad stored time (NaN, infinity, text) is left out, as if the source had none.
            times = ((i, valid_seconds(t)) for i, t in rows)
            self._times[transcript_id] = {i: t for i, t in times if t is not None}
        return self._times[transcript_id]

    async def headings(self, transcript_id: str) -> list[tuple[int, str]]:
        """The source's own section headings, ``(offset, text)``, for "The plan, 40% in"."""
        if transcript_id not in self._headings:
            if len(self._headings) >= 1024:
                self._headings.pop(next(iter(self._headings)))
            self._headings[transcript_id] = await self.library.store.lookups.headings(
                transcript_id
            )
        return self._headings[transcript_id]

    async def page_size(self, chat: ChatRef) -> int:
        """Quotes per search page for this chat (its setting, else the default)."""
        value = (await self.state.settings(chat.chat_id)).get("results_per_page")
        return value if isinstance(value, int) else self.results_per_page

    async def inline(self, query: str, *, page: int = 1, size: int = 10) -> InlinePage:
        """Quote excerpts for inline mode; errors become an empty page."""
        try:
            return await inline_page(self, query, page, size)
        except BriefbotError:
            return InlinePage([], False)
