"""``briefbot export``: a brief as Markdown (notes apps) or JSON, one file or all of them."""

from __future__ import annotations

from pathlib import Path

import click

from bot.commands._common import db_option, find_transcript, printable, run_with_library
from briefs.export import FORMATS, ExportReport, export_all, export_text, gather, write_if_changed
from briefs.library import Library

__all__ = ["export"]


@click.command()
@click.argument("transcript_id", metavar="[ID]", required=False)
@click.option("--all", "everything", is_flag=True,
              help="Export every transcript into the folder -o DIR, one file per id.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="md",
              show_default=True, help="Markdown with YAML front matter, or JSON.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="The file to write (with --all: the folder)  [default: print it]")
@db_option
def export(transcript_id: str | None, everything: bool, fmt: str, output: Path | None,
           db_path: Path | None) -> None:
    """Export a transcript's brief: TL;DR, turning points, risk views, top quotes.

    Markdown opens as it is in Obsidian, Notion or any editor: YAML front
    matter (title, date, speakers, source, tags, briefbot_id), then every item
    with its verbatim quote, speaker and time, the time linked to the moment
    when the transcript came with an audio, YouTube or page link. JSON is what
    "briefbot brief --json" prints, plus the transcript's metadata. ID is an
    id, the start of one or words of a title. --all writes <id>.md (or .json)
    for every transcript into DIR and rewrites only files that changed.

    \b
    Example:
      briefbot export before-dawn-at-the-corner-bakery -o bakery.md
      briefbot export bakery --format json | jq .transcript.title
      briefbot export --all -o ~/notes/briefs
    """
    if everything == bool(transcript_id):
        raise click.UsageError("give a transcript ID, or --all -o DIR (not both)")
    if everything:
        if output is None:
            raise click.UsageError("--all needs the folder to write to: --all -o DIR")
        folder = output

        async def run_all(lib: Library) -> ExportReport:
            return await export_all(lib, folder, fmt)

        report = run_with_library(db_path, run_all)
        for line in report.failed:
            click.echo(f"failed: {printable(line)}", err=True)
        click.echo(f"Exported to {printable(str(folder))}: {report.summary()}.")
        if report.failed:
            raise SystemExit(1)
        return

    async def run_one(lib: Library) -> tuple[str, str]:
        info = await find_transcript(lib, transcript_id or "")
        return info.id, export_text(await gather(lib, info.id), fmt)

    found, text = run_with_library(db_path, run_one)
    if output is None:
        click.echo(text, nl=False)
        return
    target = output / f"{found}{FORMATS[fmt]}" if output.is_dir() else output
    try:
        changed = write_if_changed(target, text)
    except Exception as err:  # one line, never a traceback
        raise click.ClickException(str(err)) from None
    state = "written" if changed else "unchanged"
    click.echo(f"{printable(str(target))} ({state})")
