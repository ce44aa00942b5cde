"""``briefbot feed add|list|remove|poll`` and ``briefbot inbox poll``: transcripts that arrive
by themselves.

The running bot polls the inbox folder and the feeds on a schedule; these
commands do one poll now (for cron, or to check a new feed by hand).
"""

from __future__ import annotations

from pathlib import Path

import click

from bot.commands._common import db_option, json_text, printable, run_with_library
from bot.settings import SettingsError, read_setting
from briefs.library import IngestOutcome, Library
from briefs.sources import (
    DONE_DIR,
    FAILED_DIR,
    Feed,
    FeedPoll,
    add_feed,
    list_feeds,
    poll_feeds,
    poll_inbox,
    remove_feed,
)

__all__ = ["feed", "inbox"]


def _allow_private() -> bool:
    """``BRIEFBOT_FEED_ALLOW_PRIVATE``, read alone (a bad value is a one-line error)."""
    try:
        return bool(read_setting("feed_allow_private"))
    except SettingsError as err:
        raise click.ClickException(str(err)) from None


def _outcome_line(outcome: IngestOutcome) -> str:
    # Inbox file names may hold newlines or terminal escape codes: shown escaped.
    return f"{outcome.status:<9} {printable(outcome.path)}: {printable(outcome.message)}"


@click.group()
def feed() -> None:
    """Podcast feeds whose episode transcripts are ingested automatically.

    An episode counts when its feed item carries a Podcasting 2.0
    <podcast:transcript url=... type=...> link (SRT, VTT, JSON, HTML or text).

    \b
    Example:
      briefbot feed add https://example.com/podcast.xml
      briefbot feed poll
    """


@feed.command("add")
@click.argument("url")
@click.option("--no-check", is_flag=True, help="Save it without fetching it first.")
@db_option
def feed_add(url: str, no_check: bool, db_path: Path | None) -> None:
    """Add a podcast feed (RSS or Atom) to poll.

    The feed is fetched once to check that it is one; adding the same URL
    twice keeps one entry. An address that is not public (this machine, the
    local network) is refused unless BRIEFBOT_FEED_ALLOW_PRIVATE=1.

    \b
    Example:
      briefbot feed add https://example.com/podcast.xml
    """
    allow = _allow_private()
    added: Feed = run_with_library(
        db_path, lambda lib: add_feed(lib, url, check=not no_check, allow_private=allow))
    click.echo(f"added feed {added.id}: {added.title or added.url}")


@feed.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array, for scripts.")
@db_option
def feed_list(as_json: bool, db_path: Path | None) -> None:
    """List the feeds, with their last poll and how many episodes came in.

    \b
    Example:
      briefbot feed list
      briefbot feed list --json | jq -r '.[].url'
    """
    feeds: list[Feed] = run_with_library(db_path, list_feeds)
    if as_json:
        click.echo(json_text([
            {"id": f.id, "url": f.url, "title": f.title, "added_at": f.added_at,
             "last_polled_at": f.last_polled_at, "last_error": f.last_error,
             "episodes": f.episodes}
            for f in feeds
        ], indent=2))
        return
    if not feeds:
        click.echo("No feeds yet. Add one: briefbot feed add URL")
        return
    for f in feeds:
        state = f"error: {f.last_error}" if f.last_error else (
            f"polled {f.last_polled_at}" if f.last_polled_at else "not polled yet")
        click.echo(f"{f.id:>3}  {f.title or '(untitled)'}  <{f.url}>  "
                   f"{f.episodes} episodes, {state}")


@feed.command("remove")
@click.argument("feed_ref", metavar="ID_OR_URL")
@db_option
def feed_remove(feed_ref: str, db_path: Path | None) -> None:
    """Stop polling a feed (its transcripts stay in the library).

    \b
    Example:
      briefbot feed remove 2
    """
    removed: Feed = run_with_library(db_path, lambda lib: remove_feed(lib, feed_ref))
    click.echo(f"removed feed {removed.id}: {removed.title or removed.url}")


@feed.command("poll")
@db_option
def feed_poll(db_path: Path | None) -> None:
    """Poll every feed once and ingest new episode transcripts.

    Episodes already ingested are never fetched again. Exits with code 1 if a
    feed or an episode failed; the others are polled all the same. Feed,
    redirect and transcript addresses that are not public are refused (the
    reason is printed) unless BRIEFBOT_FEED_ALLOW_PRIVATE=1.

    \b
    Example:
      briefbot feed poll
    """
    allow = _allow_private()
    polls: list[FeedPoll] = run_with_library(
        db_path, lambda lib: poll_feeds(lib, allow_private=allow))
    if not polls:
        click.echo("No feeds to poll. Add one: briefbot feed add URL")
        return
    for poll in polls:
        name = poll.title or poll.url
        if poll.error:
            click.echo(f"feed failed: {poll.error}", err=True)
        elif poll.not_modified or not poll.outcomes:
            click.echo(f"{name}: nothing new")
        for outcome in poll.outcomes:
            click.echo(_outcome_line(outcome), err=outcome.status == "failed")
    if not all(p.ok for p in polls):
        click.get_current_context().exit(1)


@click.group()
def inbox() -> None:
    """The watched inbox folder: files dropped there are ingested.

    \b
    Example:
      briefbot inbox poll ~/transcripts/inbox
    """


@inbox.command("poll")
@click.argument(
    "folder", required=False, envvar="BRIEFBOT_INBOX",
    type=click.Path(file_okay=False, path_type=Path),
)
@db_option
def inbox_poll(folder: Path | None, db_path: Path | None) -> None:
    """Ingest the new files in FOLDER once (default: $BRIEFBOT_INBOX).

    Ingested files move to FOLDER/done/; a file that fails moves to
    FOLDER/failed/ with <name>.error.txt beside it saying why. A file is never
    ingested twice. Exits with code 1 if a file failed.

    \b
    Example:
      briefbot inbox poll ~/transcripts/inbox
      BRIEFBOT_INBOX=~/inbox briefbot inbox poll
    """
    if folder is None:
        raise click.UsageError("no inbox folder: pass FOLDER or set BRIEFBOT_INBOX")

    async def run(lib: Library) -> list[IngestOutcome]:
        return await poll_inbox(lib, folder)

    outcomes = run_with_library(db_path, run)
    if not outcomes:
        click.echo(f"{folder}: nothing new")
    for outcome in outcomes:
        where = FAILED_DIR if outcome.status == "failed" else DONE_DIR
        click.echo(f"{_outcome_line(outcome)} (moved to {where}/)",
                   err=outcome.status == "failed")
    if any(o.status == "failed" for o in outcomes):
        click.get_current_context().exit(1)
