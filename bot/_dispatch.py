"""What the conversation core and its views speak in: replies, buttons, chats, commands.

The views (``bot._builtin``, ``bot._quote_search``, ``bot._top_quotes``, ...) build
these and the core (``bot.core``) routes them; both import this module, never each
other's, so the core can install the views without an import cycle. ``bot.core``
re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from bot._chatstate import MAX_CALLBACK_BYTES, fits

if TYPE_CHECKING:
    from bot.core import Conversation

__all__ = [
    "MAX_CALLBACK_BYTES",
    "Button",
    "CallbackHandler",
    "ChatRef",
    "Command",
    "CommandHandler",
    "Document",
    "InlinePage",
    "InlineResult",
    "Reply",
    "SettingsSection",
    "deep_link_payload",
]


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: ``data`` comes back to :meth:`Conversation.handle` as ``callback``."""

    label: str
    data: str

    def __post_init__(self) -> None:
        # Telegram rejects the whole message when one button's data is over
        # 64 bytes; failing here points at the code that built it.
        if not fits(self.data):
            raise ValueError(
                f"callback data must be 1-{MAX_CALLBACK_BYTES} bytes, got {self.data!r}"
            )


@dataclass(frozen=True, slots=True)
class Document:
    """A file to send with a reply: Telegram sends it (sendDocument, ``html`` as
    its caption), the console chat writes it and prints its path."""

    filename: str
    data: bytes


@dataclass(slots=True)
class Reply:
    """One message to show. ``edit``: replace the message whose button was pressed."""

    html: str
    buttons: list[list[Button]] = field(default_factory=list)
    edit: bool = False
    document: Document | None = None


@dataclass(frozen=True, slots=True)
class ChatRef:
    """Who is talking: the chat (``chat_id``) and, where known, the person in it."""

    chat_id: int
    user_id: int | None = None
    chat_type: str = "private"
    title: str | None = None
    is_admin: bool = False
    """Set by a front end that knows better (the console is run by its operator)."""
    is_chat_admin: bool = False
    """An administrator of this group or channel (set by the front end, which can ask
    Telegram); lets them manage the chat's digest subscription (``bot.digests``)."""


CommandHandler = Callable[["Conversation", ChatRef, str], Awaitable[list[Reply]]]
CallbackHandler = Callable[["Conversation", ChatRef, str], Awaitable[list[Reply]]]
SettingsSection = Callable[
    ["Conversation", ChatRef], Awaitable[tuple[str, list[str | Markup], list[list[Button]]]]
]
"""Returns a title, its lines (plain text, or ``Markup``) and buttons for ``/settings``."""


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    handler: CommandHandler
    description: str
    admin_only: bool = False
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class InlineResult:
    """One quote offered in inline mode (``@bot compute`` in any chat)."""

    id: str
    title: str
    description: str
    html: str


@dataclass(frozen=True, slots=True)
class InlinePage:
    items: list[InlineResult]
    has_more: bool


_DEEP_LINK_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def deep_link_payload(transcript_id: str) -> str | None:
    """``brief_<id>`` for a ``t.me/<bot>?start=`` link, or ``None`` if the id cannot be one.

    Telegram allows 1-64 characters of ``A-Za-z0-9_-`` in a start payload.
    """
    payload = f"brief_{transcript_id}"
    if len(payload) <= 64 and set(payload) <= _DEEP_LINK_OK:
        return payload
    return None
