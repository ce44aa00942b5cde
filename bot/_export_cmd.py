"""``/export <id>`` and the brief's "Export" button: the brief as a Markdown file.

The chat's side of ``briefbot export`` (``briefs.export``): the same Markdown,
sent as a document named ``<id>.md`` (Telegram: sendDocument, with a short
caption; the console chat writes the file and prints its path)::

    /export <id or title words>   without words: the brief opened last
    x:<id>                        the brief's "Export" button (a long id as a short key)
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from bot._dispatch import ChatRef, Document, Reply
from briefs.export import export_markdown, gather
from briefs.render import shorten

if TYPE_CHECKING:
    from bot.core import Conversation

__all__ = ["EXPORT_PREFIX", "export", "install", "on_button"]

EXPORT_PREFIX = "x"
_HINT = "/list shows the transcripts with their ids."


def install(conv: Conversation) -> None:
    conv.register("export", export,
                  description="A brief as a Markdown file for your notes: /export <id>")
    conv.register_callback(EXPORT_PREFIX, on_button)


async def export(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    wanted = args.strip() or conv.current.get(chat.chat_id)
    if not wanted:
        return conv.message(
            "Which transcript? Send /export followed by its id or a few words of its title.",
            hint=_HINT,
        )
    found = await conv.library.resolve(wanted)
    if found is None:
        return conv.error(f"No transcript matches “{shorten(wanted, 60)}”.", hint=_HINT)
    return await document(conv, chat, found.id)


async def on_button(conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
    transcript_id = await conv.unpack(data.partition(":")[2])
    if transcript_id is None:
        return conv.message("That button has expired.", hint=_HINT)
    return await document(conv, chat, transcript_id)


async def document(conv: Conversation, chat: ChatRef, transcript_id: str) -> list[Reply]:
    """The Markdown export of ``transcript_id`` as one reply carrying the file."""
    exported = await gather(conv.library, transcript_id)  # NotFound: the core says so
    conv.current[chat.chat_id] = transcript_id
    caption = (f"<b>{escape(shorten(exported.info.title, 200))}</b>\n"
               "The brief as Markdown, with every quote, speaker and time.")
    return [Reply(caption, document=Document(f"{transcript_id}.md",
                                             export_markdown(exported).encode("utf-8")))]
