"""The ``briefbot`` command line.

Each command lives in a module of ``bot.commands``, which never imports this
one; ``main`` here adds them all (``--help`` lists them by name). Every command
has help text and an example, and ``tests/test_cli.py`` checks that the README
documents every one of them.

Every command runs inside :class:`_Group`'s boundary: the secrets of the
environment (or ``.env``) are redacted from its logging, its output and its
error line, and an error no command caught still becomes one line.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import click

from bot.commands._common import one_line_error
from bot.commands.brief import brief, rebuild
from bot.commands.chat import chat
from bot.commands.db import db
from bot.commands.digest import digest
from bot.commands.eval import eval_group
from bot.commands.export import export
from bot.commands.feeds import feed, inbox
from bot.commands.library import ingest, list_command, remove, show
from bot.commands.run import run
from bot.commands.search import reindex, search
from bot.redact import redact, redact_secrets, redacted_output, secrets_from_env
from bot.settings import read_environ
from briefs import __version__

__all__ = ["main"]

log = logging.getLogger(__name__)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            environ = read_environ()
        except (OSError, ValueError):
            # An unreadable .env: the commands that need settings report it.
            environ = dict(os.environ)
        # Structural rather than per command: a command added later, or an
        # error message nobody thought could hold the token, is covered too.
        redact_secrets(*secrets_from_env(environ))
        try:
            with redacted_output():
                return super().invoke(ctx)
        except click.ClickException as err:
            # click prints it after this returns, outside redacted_output.
            err.message = redact(err.message)  # type: ignore[misc]  # Final only in stubs
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:
            log.debug("command failed", exc_info=True)
            raise click.ClickException(redact(one_line_error(err))) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefbot")
def main() -> None:
    """briefbot: turn long transcripts into briefs, quotes and daily digests.

    \b
    Example:
      briefbot ingest briefs/samples/ && briefbot list
    """


# In the order the modules used to register themselves (--help sorts by name).
main.add_command(brief)
main.add_command(rebuild)
main.add_command(chat)
main.add_command(db)
main.add_command(digest)
main.add_command(eval_group)
main.add_command(export)
main.add_command(feed)
main.add_command(inbox)
main.add_command(ingest)
main.add_command(list_command)
main.add_command(show)
main.add_command(remove)
main.add_command(run)
main.add_command(search)
main.add_command(reindex)
