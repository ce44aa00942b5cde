"""The ``briefbot`` command line.

Each command lives in a module of ``bot.commands`` and registers itself on the
``main`` group here; every command has help text and an example, and
``tests/test_cli.py`` checks that the README documents every one of them.

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


def _register() -> None:
    # Imported for their side effect of adding commands to ``main``; kept in
    # one place so the set of commands is easy to see.
    from bot.commands import brief as _brief  # noqa: F401
    from bot.commands import chat as _chat  # noqa: F401
    from bot.commands import digest as _digest  # noqa: F401
    from bot.commands import eval as _eval  # noqa: F401
    from bot.commands import feeds as _feeds  # noqa: F401
    from bot.commands import (
        library,  # noqa: F401
        run,  # noqa: F401
        search,  # noqa: F401
    )


_register()
