"""``briefbot eval``: measure quality against reference data, with baselines in the same run."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.commands._common import json_text
from briefs.errors import BriefbotError

__all__ = ["eval_briefs", "eval_group", "eval_risks"]


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


@eval_group.command(name="risks")
@click.option(
    "--judged",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Judged risk sentences  [default: eval/risks.json]",
)
@click.option(
    "--qmsum",
    "qmsum",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="QMSum meetings to brief for view sizes  [default: ../shared/eval/qmsum/val]",
)
@click.option("--no-qmsum", is_flag=True, help="Only the judged sentences.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def eval_risks(judged: Path | None, qmsum: Path | None, no_qmsum: bool, as_json: bool) -> None:
    """Score risk detection on judged sentences beside the keyword detector.

    Each judged sentence (eval/risks.json) is labelled a risk or not; reports
    precision, recall and F1 of briefbot's risk reader and of the keyword
    detector briefs used before, on the tune part, the blind heldout2 part and both.
    Third-party sentences live in ../shared and are skipped (and counted)
    without it. Then briefs every QMSum meeting: the share of briefs with a
    risk view (and the keyword detector's share) and how many items a view shows.

    \b
    Example:
      briefbot eval risks --no-qmsum
    """
    import briefs.eval as ev

    def progress(name: str) -> None:
        if sys.stderr.isatty() and not as_json:
            click.echo(f"\r  briefed {name}   ", nl=False, err=True)

    folder = None if no_qmsum else (qmsum or ev.DEFAULT_QMSUM)
    if qmsum is not None and not qmsum.is_dir():
        raise click.ClickException(f"no QMSum folder at {qmsum}")
    try:
        result = ev.evaluate_risks(judged or ev.JUDGED_RISKS, qmsum=folder, progress=progress)
    except BriefbotError as err:
        raise click.ClickException(str(err)) from None
    if sys.stderr.isatty() and not as_json:
        click.echo("\r" + " " * 40 + "\r", nl=False, err=True)
    click.echo(json_text(ev.risk_report(result), indent=2) if as_json else ev.format_risks(result))
