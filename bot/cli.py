"""The ``briefbot`` command line.

Each command lives in a module of ``bot.commands`` and registers itself on the
``main`` group here; every command has help text and an example, and
``tests/test_cli.py`` checks that the README documents every one of them.
"""

from __future__ import annotations

import click

from briefs import __version__

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
