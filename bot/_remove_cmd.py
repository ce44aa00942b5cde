"""``/remove <id>`` for the bot's admins: take a transcript out of the library.

The chat's side of ``briefbot remove`` (``Library.remove``): the command names
the transcript and asks with two buttons before anything goes, as the CLI
asks before it removes::

    /remove <id>      "Remove <id> (title, N turns)?"  [Remove it] [Keep it]
    rm:y:<id>         the "Remove it" button (a long id travels as a short key)
    rm:n              the "Keep it" button

Admin-only, both: the core refuses the command to anyone else, and the
button checks for itself, since whoever sees a message can press its buttons.
The id must be exact (like the CLI): a title word could name the wrong one.
"""

from __future__ import annotations

from bot.core import Button, ChatRef, Conversation, Reply
from briefs.errors import NotFound
from briefs.render import shorten

__all__ = ["install", "on_button", "remove"]

_HINT = "/list shows the transcripts with their ids; /remove needs the exact id."


def install(conv: Conversation) -> None:
    conv.register(
        "remove", remove, description="Remove a transcript: /remove <id> (admins)",
        admin_only=True,
    )
    conv.register_callback("rm", on_button)


async def remove(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    wanted = args.strip()
    if not wanted:
        return conv.message("Which transcript? Send /remove followed by its id.", hint=_HINT)
    info = await conv.library.resolve(wanted)
    if info is None or info.id != wanted:
        near = f"Did you mean {info.id}? " if info is not None else ""
        return conv.error(f"No transcript has the id “{shorten(wanted, 60)}”.", hint=near + _HINT)
    buttons = [[await conv.button("Remove it", "rm:y:", info.id), Button("Keep it", "rm:n")]]
    return conv.message(
        f"Remove {info.id} ({shorten(info.title, 80)}, {info.turn_count} turns)?",
        hint="Its brief and quotes go too; this cannot be undone.",
        buttons=buttons,
    )


async def on_button(conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
    if not conv.is_admin(chat):
        return conv.message("Sorry, only the bot's admins can remove transcripts.")
    _, action, ref = [*data.split(":", 2), "", ""][:3]
    if action == "n":
        return conv.message("Kept: nothing was removed.", edit=True)
    transcript_id = await conv.unpack(ref) if action == "y" else None
    if transcript_id is None:
        return conv.message("That button no longer works.", hint=_HINT)
    try:
        removal = await conv.library.remove(transcript_id)
    except NotFound:
        return conv.message(
            f"{transcript_id} is not in the library (any more).", kind="error", edit=True
        )
    conv.forget(removal.id)
    hint = "Search and digests no longer include it."
    if removal.restored is not None:
        conv.forget(removal.restored.id)
        hint = f"{removal.restored.id}, the revision it replaced, is current again. " + hint
    return conv.message(
        f"Removed {removal.id} ({shorten(removal.title, 80)}): {removal.turns} turns, "
        f"{removal.passages} passages.",
        hint=hint,
        edit=True,
    )
