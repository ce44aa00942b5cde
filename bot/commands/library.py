"""``briefbot ingest``, ``list``, ``show`` and ``remove``: put transcripts in, see what is
there, take one out."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from bot.commands._common import (
    db_option,
    find_transcript,
    json_text,
    printable,
    run_with_library,
)
from briefs.errors import NotFound
from briefs.library import (
    IngestOutcome,
    IngestReport,
    Library,
    Removal,
    StoredTranscript,
    TranscriptInfo,
)
from briefs.transcript import Turn, remove_controls, valid_seconds

__all__ = ["ingest", "list_command", "remove", "show"]

PROGRESS_BAR_FROM = 6
"""Files in one run from which a progress bar replaces the per-file lines."""


def _stderr_is_tty() -> bool:
    return sys.stderr.isatty()


class _Progress:
    """Per-file lines, or a progress bar on stderr when there are many files."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.shown: set[int] = set()

    def __call__(self, done: int, total: int, outcome: IngestOutcome) -> None:
        if self.quiet:
            return
        if total >= PROGRESS_BAR_FROM and _stderr_is_tty():
            if self.bar is None:
                self.bar = click.progressbar(length=total, label="Ingesting", file=sys.stderr)
                self.bar.__enter__()
            self.bar.update(1)
            return
        if outcome.status != "failed":  # failures are listed together at the end
            self.shown.add(id(outcome))
            _echo_outcome(outcome)

    def echo_rest(self, report: IngestReport) -> None:
        # Lines no file produced (a name given twice) still get theirs, here.
        for outcome in report.outcomes:
            if outcome.status != "failed" and id(outcome) not in self.shown and not self.quiet:
                _echo_outcome(outcome)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True, help="Print failures only; no progress, no summary.")
@db_option
def ingest(paths: tuple[str, ...], quiet: bool, db_path: Path | None) -> None:
    """Ingest transcript files, folders (recursively) and globs.

    Each file is stored whole or not at all. Identical content is reported as a
    duplicate and skipped; a changed file from the same path becomes a new
    revision. The run ends with "added N, duplicate N, revised N, failed N" and
    each failure with its reason; the exit code is 1 if anything failed.

    \b
    Example:
      briefbot ingest briefs/samples/
      briefbot ingest interview.txt 'talks/**/*.vtt'
    """
    progress = _Progress(quiet)

    async def run(lib: Library) -> IngestReport:
        try:
            return await lib.ingest_paths(paths, progress=progress)
        finally:
            progress.close()

    report = run_with_library(db_path, run)
    if progress.bar is None:
        progress.echo_rest(report)
    for outcome in report.outcomes:
        if outcome.status == "failed":
            click.echo(f"failed: {_with_path(outcome)}", err=True)
    if not quiet:
        click.echo(report.summary())
    if not report.ok:
        click.get_current_context().exit(1)


def _echo_outcome(outcome: IngestOutcome) -> None:
    click.echo(f"{outcome.status:<9} {_with_path(outcome)}")
    for warning in outcome.warnings:
        click.echo(f"          warning: {printable(warning)}")


def _with_path(outcome: IngestOutcome) -> str:
    """``path: message``, the path (and the message) escaped for the terminal."""
    message = outcome.message
    # Reader messages already start with the file they name (a newline in it
    # flattened to a space): do not say it twice.
    for named in (outcome.path, " ".join(outcome.path.split())):
        if named and message.startswith(named + ":"):
            message = message[len(named) + 1 :].lstrip()
            break
    return f"{printable(outcome.path)}: {printable(message)}"


def _info_json(info: TranscriptInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "title": info.title,
        "date": info.date,
        "speakers": info.speakers,
        "turns": info.turn_count,
        "words": info.word_count,
        "seq": info.seq,
        "revision": info.revision,
        "supersedes": info.supersedes,
        "current": info.current,
        "format": info.format,
        "source": info.source,
        "ingested_at": info.ingested_at,
        "source_summary": info.source_summary,
    }


def _speakers(info: TranscriptInfo) -> str:
    return ", ".join(f"{name} ({role})" if role else name for name, role in info.speakers.items())


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array, for scripts.")
@click.option(
    "--limit", type=click.IntRange(min=0), default=20, show_default=True, help="0 lists all."
)
@db_option
def list_command(as_json: bool, limit: int, db_path: Path | None) -> None:
    """List stored transcripts, newest first (current revisions only).

    Columns: id, date, turns, words, speakers, title. With --json, prints a JSON
    array of objects with the fields id, title, date, speakers (name -> role),
    turns, words, seq, revision, supersedes, current, format, source,
    ingested_at and source_summary.

    \b
    Example:
      briefbot list --limit 5
      briefbot list --json | jq -r '.[].id'
    """

    async def run(lib: Library) -> tuple[list[TranscriptInfo], int]:
        return await lib.list_transcripts(limit=limit or -1), await lib.count_transcripts()

    infos, total = run_with_library(db_path, run)
    if as_json:
        click.echo(json_text([_info_json(i) for i in infos], indent=2))
        return
    if not infos:
        click.echo("No transcripts yet. Add some with: briefbot ingest PATH")
        return
    rows = [("ID", "DATE", "TURNS", "WORDS", "SPEAKERS", "TITLE")] + [
        (i.id, i.date or "-", str(i.turn_count), str(i.word_count), _speakers(i), i.title)
        for i in infos
    ]
    widths = [max(len(r[c]) for r in rows) for c in range(4)]
    for r in rows:
        click.echo(
            f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  "
            f"{r[3]:>{widths[3]}}  {_clip(r[4], 40):<40}  {r[5]}".rstrip()
        )
    if total > len(infos):
        click.echo(f"({total - len(infos)} more; use --limit 0 to list all)")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _clock(seconds: float | None) -> str:
    valid = valid_seconds(seconds)  # a bad stored time shows as none, not a traceback
    if valid is None:
        return ""
    s = int(valid)
    return f"[{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}] "


def _turn_json(turn: Turn) -> dict[str, Any]:
    fields = asdict(turn)
    fields["marks"] = [{"start": at, "time": seconds} for at, seconds in turn.marks]
    return fields


def _turn_text(turn: Turn) -> str:
    body = turn.text.replace("\n", "\n    ")
    if turn.kind == "heading":
        return f"## {body}"
    if turn.kind == "note":
        return f"[note] {body}"
    return f"{_clock(turn.time_start)}{turn.speaker}: {body}"


@click.command()
@click.argument("transcript_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object, for scripts.")
@db_option
def show(transcript_id: str, as_json: bool, db_path: Path | None) -> None:
    """Show a transcript: its metadata, then every turn in order.

    ID is a transcript id (see "briefbot list"), a unique start of one, or words
    of its title. Notes are marked [note] and headings "##"; neither is ever
    quoted. With --json, prints the fields of "list --json" plus metadata,
    warnings and turns (index, kind, speaker, text, start, end, time_start,
    time_end, and marks: where each timed cue of the turn starts, as
    {"start": offset, "time": seconds}).

    \b
    Example:
      briefbot show before-dawn-at-the-corner-bakery
      briefbot show bakery --json | jq '.turns | length'
    """

    async def run(lib: Library) -> StoredTranscript:
        try:
            return await lib.get(transcript_id)
        except NotFound:
            info = await find_transcript(lib, transcript_id)
            return await lib.get(info.id)

    stored = run_with_library(db_path, run)
    info, t = stored.info, stored.transcript
    if as_json:
        data = _info_json(info) | {
            "metadata": t.metadata,
            "warnings": list(t.warnings),
            "turns": [_turn_json(turn) for turn in t.turns],
        }
        click.echo(json_text(data, indent=2))
        return
    click.echo(_one_line(info.title))
    lines = [
        ("id", info.id),
        ("revision", _revision(info)),
        ("date", info.date or "unknown"),
        ("speakers", _speakers(info)),
        ("size", f"{info.turn_count} turns, {info.word_count} words"),
        ("source", f"{printable(info.source)} ({info.format})"),
        ("ingested", info.ingested_at),
        *((key, _clip(" ".join(value.split()), 160)) for key, value in t.metadata.items()),
        *(("warning", w) for w in t.warnings),
    ]
    for key, value in lines:
        if value:
            click.echo(f"  {key}: {value}")
    if info.source_summary:
        click.echo("\nThe source's own summary:\n  " + info.source_summary.replace("\n", "\n  "))
    click.echo("")
    click.echo("\n\n".join(_turn_text(turn) for turn in t.turns))


def _one_line(text: str) -> str:
    # Stored before readers removed controls, or a file's path: no escape code
    # may reach the terminal and no newline may fake another line.
    return remove_controls(" ".join(text.splitlines()))[0]


def _revision(info: TranscriptInfo) -> str:
    if info.revision == 1 and info.current:
        return ""
    text = f"{info.revision}" + (f", replaces {info.supersedes}" if info.supersedes else "")
    return text if info.current else text + "; superseded by a newer revision"


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # closed
        return False


@click.command()
@click.argument("transcript_id", metavar="ID")
@click.option(
    "-y", "--yes", is_flag=True, help="Remove without asking (needed without a terminal)."
)
@db_option
def remove(transcript_id: str, yes: bool, db_path: Path | None) -> None:
    """Remove a transcript: its turns, passages, brief and search entries.

    ID is the exact id (see "briefbot list"); any revision can be removed.
    Removing the current revision makes the one it replaced current again.
    Digests already sent are unaffected; later ones do not include it. The
    command asks first; pass --yes in scripts (without a terminal it refuses
    to guess). Exit code 1 if nothing was removed.

    \b
    Example:
      briefbot remove budget-review
      briefbot remove budget-review-r2 --yes
    """

    async def run(lib: Library) -> Removal | None:
        try:
            stored = await lib.get(transcript_id)
        except NotFound:
            near = await lib.resolve(transcript_id)
            hint = f'; did you mean {near.id}?' if near else '; "briefbot list" shows the ids'
            raise click.ClickException(
                f"no transcript with id {transcript_id.strip()!r}{hint}"  # repr escapes
            ) from None
        info = stored.info
        if not yes:
            if not _stdin_is_tty():
                raise click.ClickException(
                    f"not removing {info.id} without confirmation: pass --yes to remove it"
                )
            question = (
                f"Remove {info.id} ({printable(info.title)}; {info.turn_count} turns) "
                "with its brief and search entries?"
            )
            if not click.confirm(question, default=False, err=True):
                return None
        return await lib.remove(info.id)

    removal = run_with_library(db_path, run)
    if removal is None:
        click.echo("Nothing removed.", err=True)
        click.get_current_context().exit(1)
        return
    click.echo(
        f"removed {removal.id}: {printable(removal.title)} "
        f"({removal.turns} turns, {removal.passages} passages)"
    )
    if removal.restored is not None:
        click.echo(f"  {removal.restored.id} (the revision it replaced) is current again")
    if removal.digests_recomposed:
        click.echo(f"  {removal.digests_recomposed} pending digest(s) will be composed without it")
    for warning in removal.warnings:
        click.echo(f"  warning: {printable(warning)}", err=True)
