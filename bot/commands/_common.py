"""What every ``briefbot`` command shares: the ``--db`` option and an open Library.

Usage in a command module (``bot.cli`` adds the command to ``main``)::

    @click.command()
    @db_option
    def stats(db_path: Path | None) -> None:
        \"\"\"...\"\"\"
        numbers = run_with_library(db_path, lambda lib: lib.stats())

``run_with_library`` turns every error into a one-line ``Error: ...`` and exit
code 1: no traceback ever reaches the operator. Every ``--json`` output goes
through ``json_text``, so scripts always get strict JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from briefs.errors import BriefbotError
from briefs.library import Library, TranscriptInfo
from briefs.store import DbLocation, parse_db_location
from briefs.transcript import valid_seconds

__all__ = [
    "DatabaseParam",
    "db_option",
    "find_transcript",
    "json_text",
    "one_line_error",
    "printable",
    "run_async",
    "run_with_library",
]

log = logging.getLogger(__name__)
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class DatabaseParam(click.ParamType):
    """``--db``: a SQLite file (a ``Path``) or a ``postgresql://`` URL (kept as text).

    Any other URL is refused in one line (``Error: ...``), never taken as a path.
    """

    name = "FILE|URL"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> DbLocation:
        if isinstance(value, Path):
            return value
        try:
            return parse_db_location(str(value))
        except BriefbotError as err:
            raise click.ClickException(str(err)) from None


def db_option(func: F) -> F:
    """``--db FILE|URL`` (env ``BRIEFBOT_DB``), passed to the command as ``db_path``."""
    return click.option(
        "--db",
        "db_path",
        type=DatabaseParam(),
        envvar="BRIEFBOT_DB",
        show_envvar=True,
        default=None,
        help="SQLite database file, or postgresql://user@host:port/dbname."
        "  [default: briefbot.db in the current folder]",
    )(func)


def one_line_error(err: BaseException) -> str:
    """A one-line message for an error the operator caused or must act on."""
    if isinstance(err, BriefbotError):
        text = str(err)
    else:
        text = f"unexpected error ({type(err).__name__}: {err})"
    return " ".join(text.split()) or type(err).__name__


def run_async(coro_fn: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine function; errors become ``click.ClickException`` (exit code 1)."""

    async def main() -> T:
        return await coro_fn()

    try:
        return asyncio.run(main())
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except KeyboardInterrupt:
        raise click.Abort() from None
    except Exception as err:
        log.debug("command failed", exc_info=True)
        raise click.ClickException(one_line_error(err)) from None


def run_with_library(db_path: DbLocation | None, fn: Callable[[Library], Awaitable[T]]) -> T:
    """Open the library at ``db_path`` (default: ``default_db_path()``), run ``fn``, close it."""

    async def main() -> T:
        lib = await Library.open(db_path)
        try:
            return await fn(lib)
        finally:
            await lib.close()

    return run_async(main)


async def find_transcript(lib: Library, id_or_words: str) -> TranscriptInfo:
    """The transcript an operator named (id, id prefix or title words), or a one-line error."""
    info = await lib.resolve(id_or_words)
    if info is None:
        raise click.ClickException(
            f'no transcript matches {id_or_words!r}; "briefbot list" shows the ids'
        )
    return info


def printable(text: str) -> str:
    """``text`` with newlines, control characters and terminal escape codes shown
    as escapes (``\\n``, ``\\x1b``), the way ``repr`` writes them.

    File names may hold any of them: printed raw, a name could break a line in
    two, fake another line or send commands to the operator's terminal.
    Undecodable bytes (surrogate escapes) are shown as ``\\udcXX`` too.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# Fields that hold seconds from a transcript's start, wherever they nest.
_TIME_KEYS = frozenset({"time", "time_start", "time_end"})


def json_text(value: Any, *, indent: int | None = None) -> str:
    """``value`` as strict JSON (RFC 8259), for every ``--json`` output.

    Python's ``json`` writes ``NaN`` and ``Infinity``, which strict parsers
    (``jq``, browsers, most languages) reject: a non-finite number becomes
    ``null`` instead. A time field (``time``, ``time_start``, ``time_end``)
    that is no usable time (negative, over a year: see ``valid_seconds``) is
    ``null`` too, as the text views show no time for it.
    """
    return json.dumps(_strict(value), ensure_ascii=False, indent=indent, allow_nan=False)


def _strict(value: Any, key: str | None = None) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if key in _TIME_KEYS and value is not None:
        seconds = valid_seconds(value)
        return value if seconds is not None and isinstance(value, int | float) else seconds
    if isinstance(value, Mapping):
        return {k: _strict(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strict(v) for v in value]
    return value
