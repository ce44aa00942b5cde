"""``briefbot chat``: the console chat over the conversation core."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import click

from bot.commands._common import db_option, run_with_library
from briefs.library import Library

__all__ = ["chat"]


@click.command()
@db_option
@click.option(
    "--color/--no-color",
    default=None,
    help="Bold and italics as terminal colours.  [default: when output is a terminal]",
)
def chat(db_path: Path | None, color: bool | None, db: Path | None = None) -> None:
    """Chat with briefbot in the terminal: the same commands as in Telegram.

    Buttons are shown as numbered choices: type the number to press one.
    /quit or Ctrl-D leaves.

    \b
    Example:
      briefbot chat --db briefbot.db
    """
    # ``briefbot run`` falls back to this command and passes the file as ``db``.
    db_path = db_path if db_path is not None else db
    stdin = sys.stdin
    if isinstance(stdin, io.TextIOWrapper):
        # A byte that is not UTF-8 (a line pasted from a Latin-1 terminal) used to
        # raise UnicodeDecodeError and end the session; replaced, the line is handled.
        stdin.reconfigure(errors="replace")
    interactive = stdin.isatty()
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ

    async def session(library: Library) -> None:
        from bot.console import Console
        from bot.core import Conversation

        def write(text: str) -> None:
            # color=True: click would otherwise strip the codes --color asked for.
            click.echo(text, color=color)

        conversation = Conversation(library)
        _install_digests(conversation)
        from bot import _feeds_cmd

        _feeds_cmd.install(conversation)  # the console's operator is an admin: /feed
        from bot import _remove_cmd

        _remove_cmd.install(conversation)  # ... and /remove
        console = Console(conversation, write, color=bool(color))
        if not interactive:
            await console.run(stdin.readline)
            return
        with contextlib.suppress(ImportError):  # line editing and history, where available
            import readline  # noqa: F401

        def read() -> str:
            try:
                return input("› ") + "\n"
            except EOFError:
                click.echo()
                return ""

        await console.run(read)

    run_with_library(db_path, session)


def _install_digests(conversation: object) -> None:
    # Scheduled digests go out through the Telegram bot; the console stores no
    # subscription (chat 0 is no Telegram chat) and its /digest shows what is
    # new on the spot (bot._console_digests).
    from bot import _console_digests

    _console_digests.install(conversation)  # type: ignore[arg-type]
