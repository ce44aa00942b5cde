"""``briefbot db copy``: move a library from one database to another (SQLite to PostgreSQL)."""

from __future__ import annotations

import click

from bot.commands._common import DatabaseParam, run_async
from briefs.store import DbLocation, Store, copy_library, shown

__all__ = ["db"]


@click.group()
def db() -> None:
    """The library's database: copy it to another one (SQLite to PostgreSQL).

    \b
    Example:
      briefbot db copy --from briefbot.db --to postgresql://briefbot@db:5432/briefbot
    """


@db.command("copy")
@click.option("--from", "source", type=DatabaseParam(), required=True,
              help="The library to copy: a SQLite file or a postgresql:// URL.")
@click.option("--to", "target", type=DatabaseParam(), required=True,
              help="An empty database to copy it into (created and migrated if needed).")
def copy(source: DbLocation, target: DbLocation) -> None:
    """Copy every transcript, brief, index row, subscriber, digest and feed into an
    empty database, in one transaction: it lands whole or not at all.

    The source is only read. Stop the bot (and cron jobs) first, so nothing is
    written to the source meanwhile; then point BRIEFBOT_DB at the target.

    \b
    Example:
      briefbot db copy --from briefbot.db --to postgresql://briefbot@db:5432/briefbot
    """
    if str(source) == str(target):
        raise click.ClickException("--from and --to name the same database")
    if not isinstance(source, str) and not source.is_file():
        raise click.ClickException(f"no database file at {source}")

    async def run() -> dict[str, int]:
        src = await Store.open(source)
        try:
            dst = await Store.open(target)
            try:
                return await copy_library(src, dst)
            finally:
                await dst.close()
        finally:
            await src.close()

    copied = run_async(run)
    counts = ", ".join(f"{copied[t]} {label}" for t, label in (
        ("transcripts", "transcript revision(s)"), ("subscribers", "subscriber(s)"),
        ("digest_outbox", "digest(s)"), ("feeds", "feed(s)"),
    ))
    total = sum(copied.values())
    click.echo(f"Copied {total} rows to {shown(target)}: {counts}.")
