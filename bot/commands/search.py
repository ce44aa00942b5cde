"""``briefbot search``, ``reindex`` and ``eval search``: quotes, their index, their quality."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from bot.commands._common import db_option, json_text, run_async, run_with_library
from bot.commands.eval import eval_group
from briefs.library import Library
from briefs.render import clock as _clock
from briefs.render import fraction, position_label
from briefs.search import Hit, SearchPage

__all__ = ["eval_search", "reindex", "search"]


def _marked(hit: Hit) -> str:
    out, pos = [], 0
    for start, end in hit.marks:
        out.append(hit.excerpt[pos:start])
        out.append(click.style(hit.excerpt[start:end], bold=True, underline=True))
        pos = end
    out.append(hit.excerpt[pos:])
    return " ".join("".join(out).split())


_Place = tuple[int, list[tuple[int, str]]]
"""A transcript's text length and its own section headings ``(offset, text)``."""


async def _places(lib: Library, hits: list[Hit]) -> dict[str, _Place]:
    out: dict[str, _Place] = {}
    for hit in hits:
        if hit.transcript_id not in out:
            length = await lib.store.lookups.text_length(hit.transcript_id) or 0
            out[hit.transcript_id] = (length, await lib.store.lookups.headings(hit.transcript_id))
    return out


def _where(hit: Hit, place: _Place) -> str:
    # The time when the source has one (a bad stored one shows as none), else
    # the section and how far in: never an offset.
    when = position_label(hit.start, hit.time, *place)
    if _clock(hit.time) and hit.link:  # the moment in the audio, video or page
        when += f" {hit.link}"
    dated = f", {hit.date}" if hit.date else ""
    return f"{hit.title}{dated} ({hit.transcript_id})" + (f", {when}" if when else "")


def _json_line(hit: Hit, length: int) -> str:
    return json_text(
        {
            "transcript_id": hit.transcript_id, "title": hit.title, "date": hit.date,
            "speaker": hit.speaker, "excerpt": hit.excerpt, "marks": [list(m) for m in hit.marks],
            "score": round(hit.score, 6), "passage_id": hit.passage_id,
            "start": hit.start, "end": hit.end, "time": hit.time,
            "position": fraction(hit.start, length),
            "context": hit.context, "context_speaker": hit.context_speaker, "link": hit.link,
        }
    )


class _QueryCommand(click.Command):
    """A command whose free words may start with "-": ``-sora`` excludes a word.

    click would read ``-sora`` as the short options -s -o -r -a and fail, so
    every argument that is not one of the command's own options (``--top 3``,
    ``-k3``, ``--page=2``, ``--json``, ``-h``) goes to QUERY, in order.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in [*param.opts, *param.secondary_opts]:
                    takes_value[name] = not param.is_flag and not param.count
        options: list[str] = []
        words: list[str] = []
        rest = iter(args)
        for arg in rest:
            if arg == "--":
                words.extend(rest)
                break
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            if name in takes_value:
                options.append(arg)
                if takes_value[name] and "=" not in arg:
                    value = next(rest, None)
                    if value is None:  # "--top" last: click says it needs a value
                        return super().parse_args(ctx, options)
                    options.append(value)
            elif takes_value.get(arg[:2]) and arg[2:].isdigit():
                options.append(arg)  # -k3
            else:
                words.append(arg)
        return super().parse_args(ctx, [*options, "--", *words])


@click.command(cls=_QueryCommand)
@click.argument("query", nargs=-1, required=True)
@click.option("-k", "--top", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Quotes per page.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True,
              help="Which page of results.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per quote (JSON lines).")
@db_option
def search(query: tuple[str, ...], top: int, page: int, as_json: bool, db_path: Path | None
           ) -> None:
    """Find the best quotes for QUERY across the library, ranked by BM25.

    QUERY takes words, "quoted phrases" (verbatim), -word (exclude) and the
    filters speaker:NAME, in:TRANSCRIPT_ID, after:YYYY-MM-DD, before:YYYY-MM-DD.
    Quote phrases for the shell: '"super app"'. Each quote says where it was
    said: the time, else the section and how far in. --json lines also carry
    start/end (offsets in the stored text) and position (0-1).

    \b
    Example:
      briefbot search tariff speaker:bell --top 3
      briefbot search '"lead service"' -partial --json
    """
    text = " ".join(query)

    async def run(lib: Library) -> tuple[SearchPage, dict[str, _Place]]:
        found = await lib.search(text, page=page, page_size=top)
        return found, await _places(lib, list(found.hits))

    result, places = run_with_library(db_path, run)
    if as_json:
        for hit in result.hits:
            click.echo(_json_line(hit, places[hit.transcript_id][0]))
        if result.note:
            click.echo(result.note, err=True)
        return
    if result.note:
        click.echo(result.note)
    first = (result.page - 1) * top
    for n, hit in enumerate(result.hits, first + 1):
        click.echo(
            f"{n}. {hit.speaker} — {_where(hit, places[hit.transcript_id])}"
            f"  [score {hit.score:.2f}]"
        )
        if hit.context:
            click.echo(f"   {hit.context_speaker or 'Someone'} asked: {hit.context}")
        click.echo(f"   {_marked(hit)}")
    if result.has_more:
        click.echo(
            f"More: --page {result.page + 1}  (about {result.total_estimate} passages match)"
        )


@click.command()
@db_option
def reindex(db_path: Path | None) -> None:
    """Rebuild the quote-search index from the stored transcripts.

    Start-up loads the index without re-tokenizing; run this after changing
    the tokenizer or if search results look stale.

    \b
    Example:
      briefbot reindex --db briefbot.db
    """

    async def run(lib: Library) -> tuple[int, float]:
        started = time.perf_counter()
        count = await lib.search_engine.reindex()
        return count, time.perf_counter() - started

    count, seconds = run_with_library(db_path, run)
    click.echo(f"Reindexed {count} passages in {seconds:.1f} s.")


@eval_group.command(name="search")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N meetings of the folder (sorted by name).")
@click.option("--queries", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Judged query set over the interview  [default: eval/interview_queries.json]")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def eval_search(folder: Path | None, limit: int | None, queries: Path | None, as_json: bool
                ) -> None:
    """Score quote search on QMSum queries beside a plain rank-bm25 baseline.

    FOLDER holds QMSum meeting JSON files (default: ../shared/eval/qmsum/val).
    Reports Hit@5, P@5 and MRR for briefbot's search and for rank-bm25 over
    raw turns, then Success@3 on the judged interview queries when
    ../shared/corpus is present.

    \b
    Example:
      briefbot eval search ../shared/eval/qmsum/train --limit 20
    """
    import briefs.eval as ev

    folder = folder or ev.DEFAULT_QMSUM
    queries = queries or ev.JUDGED_QUERIES

    def progress(name: str) -> None:
        if sys.stderr.isatty() and not as_json:
            click.echo(f"\r  searched {name}   ", nl=False, err=True)

    async def run() -> tuple[ev.QmsumResult | None, ev.JudgedResult | None]:
        if not folder.is_dir():
            raise click.ClickException(f"no QMSum folder at {folder}")
        qmsum = await ev.evaluate_search_qmsum(folder, limit=limit, progress=progress)
        judged = None
        if ev.INTERVIEW.exists() and queries.exists():
            judged = await ev.evaluate_judged(queries, ev.INTERVIEW)
        return qmsum, judged

    qmsum, judged = run_async(run)
    if sys.stderr.isatty() and not as_json:
        click.echo("\r" + " " * 40 + "\r", nl=False, err=True)
    click.echo(json_text(ev.report_data(qmsum, judged)) if as_json
               else ev.format_report(qmsum, judged))


