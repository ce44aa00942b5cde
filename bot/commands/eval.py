"""``briefbot eval``: measure quality against reference data, with baselines in the same run."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.commands._common import json_text
from briefs.errors import BriefbotError

__all__ = ["eval_briefs", "eval_group"]


@click.group(name="eval")
def eval_group() -> None:
    """Measure briefbot's quality against reference data.

    \b
    Example:
      briefbot eval briefs --limit 5
    """


@eval_group.command(name="briefs")
@click.argument(
    "folder", required=False, type=click.Path(file_okay=False, path_type=Path), default=None
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Only the first N meetings of the folder (sorted by name).",
)
@click.option(
    "--interview/--no-interview",
    default=True,
    show_default=True,
    help="Also score the interview in ../shared against its own TL;DR and headings.",
)
def eval_briefs(folder: Path | None, as_json: bool, limit: int | None, interview: bool) -> None:
    """Score TL;DRs and turning points on QMSum meetings, beside baselines.

    FOLDER holds QMSum meeting JSON files (default: ../shared/eval/qmsum/val).
    The TL;DR is scored with ROUGE-1/2/L at 110 words against each meeting's
    general summary, beside sumy LexRank and Luhn on the same sentences; the
    turning points' segment starts with boundary F1 (within 3 turns), Pk and
    WindowDiff against the topic boundaries, beside "no boundaries" and
    "uniform segments given the true count".

    \b
    Example:
      briefbot eval briefs ../shared/eval/qmsum/train --limit 20
    """
    try:
        from briefs.eval import evaluate, format_table
    except ImportError as err:  # rouge-score / sumy are the eval extra
        raise click.ClickException(
            f"eval needs the eval extra ({err.name} is missing): pip install 'briefbot[eval]'"
        ) from None

    def progress(name: str) -> None:
        if sys.stderr.isatty() and not as_json:
            click.echo(f"\r  scored {name}   ", nl=False, err=True)

    try:
        result = evaluate(folder, limit=limit, interview=interview, progress=progress)
    except BriefbotError as err:
        raise click.ClickException(str(err)) from None
    except ImportError as err:
        raise click.ClickException(
            f"eval needs the eval extra ({err.name} is missing): pip install 'briefbot[eval]'"
        ) from None
    if sys.stderr.isatty() and not as_json:
        click.echo("\r" + " " * 40 + "\r", nl=False, err=True)
    click.echo(json_text(result.to_dict(), indent=2) if as_json else format_table(result),
               nl=as_json)
