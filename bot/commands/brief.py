"""``briefbot brief`` and ``briefbot rebuild``: read a stored brief, rebuild stale ones."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from bot.commands._common import (
    db_option,
    find_transcript,
    json_text,
    run_async,
    run_with_library,
)
from briefs.brief import (
    SOURCE_SUMMARY_LABEL,
    Brief,
    BriefItem,
    RebuildReport,
    TurningPoint,
)
from briefs.library import Library, TranscriptInfo
from briefs.links import Kind, moment_link, transcript_link
from briefs.render import clock as _clock
from briefs.render import position_label, verbatim_stretch, with_positions
from briefs.transcript import Transcript

__all__ = ["brief", "rebuild"]

_WIDTH = 88


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=_WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        # A link to the moment stays whole, however long or hyphenated.
        break_long_words=False,
        break_on_hyphens=False,
    )


class _Places:
    """Where each quote of one transcript sits, as a person reads it (never an offset)."""

    def __init__(self, transcript: Transcript, link: tuple[str, Kind] | None = None) -> None:
        self.link = link  # a timed quote's time is followed by its moment
        self.length = len(transcript.text)
        self.headings = [(t.start, t.text) for t in transcript.turns if t.kind == "heading"]
        self.times = {t.index: t.time_start for t in transcript.turns}

    def label(self, item: BriefItem | TurningPoint) -> str:
        # A turning point's own time is where its segment starts; its quote
        # was said at its quote_time (older briefs: the time of its turn).
        time = (
            (item.quote_time if item.quote_time is not None
             else self.times.get(item.quote_turn_index))
            if isinstance(item, TurningPoint)
            else item.time
        )
        where = position_label(item.start, time, self.length, self.headings)
        moment = moment_link(self.link, time) if _clock(time) else None
        return f"{where} {moment}" if moment else where

    def said(self, item: BriefItem | TurningPoint, who: str, indent: str, first: str) -> list[str]:
        """The item's words: a stretch of its quote in quotation marks, verbatim,
        or its cleaned statement (a paraphrase, no quotation marks) with the
        verbatim quote on the lines below."""
        where = self.label(item)
        place = f" ({where})" if where else ""
        who = f"{who}: " if who else ""
        stretch = verbatim_stretch(item.text, item.quote) if item.text else None
        if stretch is not None or not item.text:
            return [_wrap(f"{who}“{stretch or item.quote}”{place}", indent, first)]
        return [
            _wrap(f"{who}{item.text}{place}", indent, first),
            _wrap(f"“{item.quote}”", indent + "  "),
        ]


def _who(item: BriefItem) -> str:
    """How a bullet names its speaker ("Brockman"), as the chat does."""
    if item.text and item.attributed.endswith(item.text):
        return item.attributed[: -len(item.text)].rstrip(" :")
    return item.speaker or ""


def _speaker_label(name: str, roles: dict[str, str | None]) -> str:
    role = roles.get(name)
    return f"{name} ({role})" if role else name


def _risk_lines(
    groups: dict[str, list[BriefItem]], info: TranscriptInfo, places: _Places
) -> list[str]:
    """Risk items under their speakers: kind, severity, quote, and what is done about it."""
    out: list[str] = []
    for speaker, items in groups.items():
        out.append(f"  {_speaker_label(speaker, info.speakers)}")
        for item in items:
            grave = f" (severity {item.severity:.2f})" if item.severity is not None else ""
            out += places.said(item, f"{item.kind}{grave}", "      ", "    - ")
            done = item.mitigation
            if done is not None:
                out += places.said(done, f"done: {_who(done)}", "        ", "      ↳ ")
    return out


def render_text(info: TranscriptInfo, brief: Brief, transcript: Transcript) -> str:
    """The brief as plain text, one section after another."""
    places = _Places(transcript, transcript_link(info.metadata))
    out: list[str] = [info.title, f"{info.id} · built by {brief.engine} {brief.engine_version}"]
    out += ["", "TL;DR"]
    for item in brief.tldr:
        out += places.said(item, _who(item), "    ", "  • ")
    out += ["", "Turning points"]
    for n, tp in enumerate(brief.turning_points, 1):
        since = _clock(tp.time)
        out.append(_wrap(f"{tp.headline} (from {since})" if since else tp.headline,
                         "     ", f"  {n}. "))
        out += places.said(tp, tp.speaker or "", "       ", "     ")
        for change in tp.changes:
            out += places.said(change, _who(change), "       ", "     ↳ ")
    out += ["", "Risk views"]
    groups = brief.risks_by_speaker()
    if not groups:
        out.append("  (none)")
    out += _risk_lines(groups, info, places)
    if brief.risks_more:
        out += ["", f"More risks ({len(brief.risks_more)})"]
        out += _risk_lines(brief.risks_by_speaker(more=True), info, places)
    if brief.source_summary:
        out += ["", SOURCE_SUMMARY_LABEL]
        for para in brief.source_summary.split("\n"):
            if para.strip():
                out.append(_wrap(para, "  "))
    out += ["", "Keywords: " + (", ".join(brief.keywords) or "(none)")]
    if brief.notes:
        out += ["", *(f"Note: {note}" for note in brief.notes)]
    return "\n".join(out)


@click.command()
@click.argument("transcript_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the brief as one JSON object.")
@db_option
def brief(transcript_id: str, as_json: bool, db_path: Path | None) -> None:
    """Print a transcript's brief: TL;DR, turning points, risk views, keywords.

    ID is a transcript id (see "briefbot list"), a unique start of one, or words
    of its title. Every item shows its speaker and where it was said (the time,
    else the section and how far in); text in quotation marks is verbatim. With
    --json, prints tldr, turning_points, risks (at most 8, the gravest),
    risks_more (the rest), source_summary, keywords, engine, engine_version and
    notes; each item has text, speaker, passage_id, quote, start/end (character
    offsets of the quote in the stored text) and position (0-1: start / the
    text's length); a risk item adds severity (0-1) and mitigation (the item
    saying what is done, or null).

    \b
    Example:
      briefbot brief before-dawn-at-the-corner-bakery
      briefbot brief bakery --json | jq -r '.tldr[].text'
    """

    async def run(lib: Library) -> tuple[TranscriptInfo, Brief, Transcript]:
        info = await find_transcript(lib, transcript_id)
        return info, await lib.brief(info.id), (await lib.get(info.id)).transcript

    info, result, transcript = run_with_library(db_path, run)
    click.echo(
        json_text(with_positions(result.to_dict(), len(transcript.text)), indent=2)
        if as_json
        else render_text(info, result, transcript)
    )


@click.command()
@click.option("--all", "everything", is_flag=True, help="Rebuild every brief, stale or not.")
@click.option(
    "--no-llm", is_flag=True, help="Extractive briefs only, even with BRIEFBOT_LLM_* set."
)
@db_option
def rebuild(everything: bool, no_llm: bool, db_path: Path | None) -> None:
    """Rebuild the briefs an engine change made stale.

    A brief records the engine and version that built it; this rebuilds every
    brief built by another one (and builds any that is missing). --all
    rebuilds them all. With an LLM configured (BRIEFBOT_LLM_BASE_URL, see
    README "Abstractive TL;DR"), each rebuilt brief gets the model's TL;DR
    again, and a brief without it counts as stale; a brief that has it is
    kept. Each brief is saved as it is done, so an interrupted run loses
    nothing.

    \b
    Example:
      briefbot rebuild
      briefbot rebuild --all --no-llm --db briefbot.db
    """

    async def main() -> RebuildReport:
        # --no-llm skips the LLM settings entirely, so a broken one cannot stop it.
        lib = await (Library.open(db_path, llm=None) if no_llm else Library.open(db_path))
        try:
            return await lib.rebuild_briefs(everything=everything, llm=not no_llm)
        finally:
            await lib.close()

    report = run_async(main)
    with_llm = f", {report.upgraded} with the LLM TL;DR" if report.upgraded else ""
    click.echo(
        f"{report.rebuilt} brief(s) rebuilt{with_llm}, {report.unchanged} already current "
        f"({report.total} transcript(s))"
    )
