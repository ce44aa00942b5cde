"""A brief as Markdown a notes app reads as it is (Obsidian, Notion, plain files),
and as JSON.

Markdown: YAML front matter (``title``, ``date``, ``speakers``, ``source``,
``tags``, ``briefbot_id``, written by PyYAML so any value is quoted as YAML
needs), then the TL;DR, turning points, risk views and top quotes. Every item
ends with its quote in a blockquote, verbatim inside curly quotes, and a line
naming the speaker and the time, the time a link to the moment where the
transcript came with a link. Only ``<`` is escaped (``\\<``, which Markdown
shows as ``<``): a transcript's text must never become HTML in someone's notes.

The output depends only on the stored transcript and brief (no export time),
so exporting again gives the same bytes and ``export_all`` can skip the file.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from briefs.brief import SOURCE_SUMMARY_LABEL
from briefs.export._collect import ExportData
from briefs.render import clock, quote_view, with_positions

__all__ = ["export_json", "export_markdown", "front_matter"]


def _tags(data: ExportData) -> list[str]:
    """Front-matter tags of the source, then the brief's keywords, as tag words
    (lowercase, spaces as hyphens: what notes apps accept as one tag)."""
    given = re.split(r"[,;]", data.info.metadata.get("tags", "") or "")
    out: list[str] = []
    for raw in [*given, *data.brief.keywords]:
        tag = re.sub(r"[^\w/-]+", "-", raw.strip().casefold()).strip("-")
        if tag and tag not in out:
            out.append(tag)
    return out


def front_matter(data: ExportData) -> dict[str, Any]:
    info = data.info
    return {
        "title": info.title,
        "date": info.date,
        "speakers": list(info.speakers),
        "source": data.link[0] if data.link else info.source,
        "tags": _tags(data),
        "briefbot_id": info.id,
    }


def _escape(text: str) -> str:
    return text.replace("<", "\\<")


def _url(url: str) -> str:
    # A bare ")" would end the Markdown link early.
    return url.replace("(", "%28").replace(")", "%29")


def _cite(data: ExportData, item: Any, quote: str, indent: str) -> list[str]:
    """The verbatim quote as a blockquote and who said it, when, linked."""
    seconds = data.quote_time(item)
    view = quote_view(item, length=data.length, time=seconds)
    where = view["where"]
    link = data.moment(seconds)
    if where and link:
        where = f"[{where}]({_url(link)})"
    lines = _escape(quote).splitlines() or [""]
    out = [f"{indent}> “{lines[0]}"] + [f"{indent}> {line}" for line in lines[1:]]
    out[-1] += "”"
    who = view["speaker"] or "unknown speaker"
    out.append(f"{indent}> — {_escape(who)}" + (f", {where}" if where else ""))
    return out


def _item(first: str | None, cite: list[str], marker: str) -> list[str]:
    """A list item: its first line, then the quote; the quote opens the item
    when there is nothing to say before it."""
    if first:
        return [f"{marker}{first}", *cite]
    return [marker + cite[0].lstrip(), *cite[1:]]


def _statement(item: Any) -> str | None:
    view = quote_view(item)
    return None if not view["text"] or view["repeats_quote"] else _escape(view["text"])


def export_markdown(data: ExportData) -> str:
    """The whole export as one Markdown document."""
    info, brief = data.info, data.brief
    head = yaml.safe_dump(front_matter(data), sort_keys=False, allow_unicode=True, width=10_000)
    out = ["---", head.rstrip("\n"), "---", "", f"# {_escape(info.title)}", ""]
    out += ["## TL;DR", ""]
    for item in brief.tldr:
        out += [*_item(_statement(item), _cite(data, item, item.quote, "  "), "- "), ""]
    if not brief.tldr:
        out += ["(none)", ""]
    out += ["## Turning points", ""]
    for n, tp in enumerate(brief.turning_points, 1):
        since = clock(tp.time)
        out += [f"### {n}. {_escape(tp.headline)}" + (f" (from {since})" if since else ""), ""]
        if statement := _statement(tp):
            out += [statement, ""]
        out += [*_cite(data, tp, tp.quote, ""), ""]
        for change in tp.changes:
            out.append(f"- Change of direction: {_statement(change) or ''}".rstrip())
            out += [*_cite(data, change, change.quote, "  "), ""]
    if not brief.turning_points:
        out += ["(none)", ""]
    out += ["## Risk views", ""]
    groups = brief.risks_by_speaker()
    for speaker, items in groups.items():
        role = info.speakers.get(speaker)
        out += [f"### {_escape(speaker or 'Unknown speaker')}" + (f" ({role})" if role else ""),
                ""]
        for item in items:
            out.append(f"- **{item.kind}**: {_statement(item) or ''}".rstrip())
            out += [*_cite(data, item, item.quote, "  "), ""]
    if not groups:
        out += ["(none)", ""]
    out += ["## Top quotes", ""]
    for n, hit in enumerate(data.quotes, 1):
        asked = (f"{_escape(hit.context_speaker or 'Someone')} asked:"
                 f" “{_escape(hit.context)}”") if hit.context else None
        marker = f"{n}. "
        out += [*_item(asked, _cite(data, hit, hit.excerpt, " " * len(marker)), marker), ""]
    if not data.quotes:
        out += ["(none)", ""]
    if brief.source_summary:
        out += [f"## {SOURCE_SUMMARY_LABEL}", "", _escape(brief.source_summary), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def export_json(data: ExportData) -> dict[str, Any]:
    """What ``briefbot brief --json`` gives, plus the transcript's metadata."""
    info = data.info
    return {
        **with_positions(data.brief.to_dict(), data.length),
        "transcript": {
            "id": info.id, "title": info.title, "date": info.date,
            "speakers": dict(info.speakers), "source": info.source,
            "link": data.link[0] if data.link else None, "format": info.format,
            "revision": info.revision, "supersedes": info.supersedes,
            "turn_count": info.turn_count, "word_count": info.word_count,
            "ingested_at": info.ingested_at, "metadata": dict(info.metadata),
        },
    }
