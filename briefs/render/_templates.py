"""Telegram HTML from jinja2 templates, split under Telegram's length limit.

Every view the chats show is a template in ``briefs/templates``. The
environment autoescapes everything: transcript text routinely holds ``<``,
``&`` and things that look like tags, and none of it may reach Telegram as
markup. Markup comes only from the templates and from :func:`highlight`,
which escapes the excerpt itself before wrapping matched words in ``<b>``.

Telegram's HTML knows four named entities (``&lt; &gt; &amp; &quot;``) and
numeric ones; markupsafe writes quotes as ``&#34;``/``&#39;``, which it reads.

Adding a view (digests, say) is one template plus a call to :func:`render`;
shared pieces — a quote with its attribution, a transcript's header line —
live in ``_macros.j2`` so every view cites quotes the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from briefs.links import Kind, moment_link
from briefs.render._htmlsplit import TELEGRAM_LIMIT, html_to_text, split_message, telegram_length
from briefs.transcript import valid_seconds

__all__ = [
    "TELEGRAM_LIMIT",
    "clock",
    "environment",
    "fraction",
    "highlight",
    "html_to_text",
    "position_label",
    "quote_view",
    "render",
    "section_at",
    "shorten",
    "split_message",
    "telegram_length",
    "verbatim_stretch",
]

_BLANK_RUNS = re.compile(r"\n{3,}")


def clock(seconds: float | None) -> str:
    """``75.4`` -> ``"1:15"``, ``3725`` -> ``"1:02:05"``; empty for ``None``.

    Also empty for a time no reader would store (NaN, infinity, negative, over a
    year): a database written before readers checked times may hold one, and
    one bad value must not break every view that shows it.
    """
    valid = valid_seconds(seconds)
    if valid is None:
        return ""
    total = int(valid)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def section_at(headings: Sequence[tuple[int, str]] | None, start: int | None) -> str:
    """The heading of the section holding offset ``start`` ("" before the first one).

    ``headings`` are ``(offset, heading text)`` pairs of the source's own
    headings, in order.
    """
    if not headings or start is None:
        return ""
    found = ""
    for offset, text in headings:
        if offset > start:
            break
        found = text
    return found


def fraction(start: int | None, length: int | None) -> float | None:
    """How far into the text offset ``start`` is, from 0 to 1 (``--json`` ``position``)."""
    if start is None or not length:
        return None
    return round(min(1.0, max(0.0, start / length)), 4)


def with_positions(data: dict[str, Any], length: int) -> dict[str, Any]:
    """A brief's ``to_dict()`` with ``position`` (0-1) on every item that cites a quote.

    ``brief --json`` and ``export --format json`` give the same, so both call this.
    """
    items = [*data.get("tldr", []), *data.get("risks", []), *data.get("risks_more", [])]
    for tp in data.get("turning_points", []):
        items += [tp, *tp.get("changes", [])]
    items += [i["mitigation"] for i in list(items) if isinstance(i.get("mitigation"), dict)]
    for item in items:
        item["position"] = fraction(item.get("start"), length)
    return data


def position_label(
    start: int | None,
    time: float | None = None,
    length: int | None = None,
    headings: Sequence[tuple[int, str]] | None = None,
) -> str:
    """Where a quote sits, as a person reads it: "at 12:07" when the source has
    times, else how far in, under its section's heading when the source has
    headings ("The new plan, 40% in"). Never an offset."""
    if shown := clock(time):
        return f"at {shown}"
    share = fraction(start, length)
    if share is None:
        return ""
    pct = f"{round(100 * share)}% in"
    section = section_at(headings, start)
    return f"{shorten(section, 40)}, {pct}" if section else pct


def shorten(text: str | None, width: int = 60) -> str:
    """Cut ``text`` to ``width`` characters at a word boundary, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if text[width - 1] != " " and " " in cut[width // 2 :]:  # mid-word: back up
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def highlight(text: str, marks: Iterable[tuple[int, int]] = ()) -> Markup:
    """Escape ``text`` and wrap each ``(start, end)`` span of it in ``<b>``.

    Spans are clamped to the text, sorted and merged, so overlapping or
    out-of-range marks from the search layer can never produce broken markup.
    """
    spans: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in marks):
        if end <= start:
            continue
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(str(escape(text[pos:start])))
        out.append(f"<b>{escape(text[start:end])}</b>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


_FROM_ITEM: Any = object()


def quote_view(
    item: Any,
    *,
    length: int | None = None,
    title: str | None = None,
    excerpt: Markup | str | None = None,
    time: Any = _FROM_ITEM,
    since: float | None = None,
    headings: Sequence[tuple[int, str]] | None = None,
    link: tuple[str, Kind] | None = None,
) -> dict[str, Any]:
    """What the templates need to cite ``item`` (a brief item or a search hit).

    Read by attribute with defaults, so brief items, search hits and digest
    entries all fit, whatever else they carry: ``text`` (the claim),
    ``quote``, ``speaker``, ``headline``, ``start``, ``time``. ``time``
    overrides the quote's time stamp (a turning point's own ``time`` is where
    its segment starts, given as ``since``); ``headings`` (the source's own,
    ``(offset, text)``) name the section of a quote from a source without times. ``link`` is the
    transcript's link (``briefs.links.transcript_link``): a timed quote's time
    label then links to that moment; a search hit brings its own ``link``.

    ``text`` is a paraphrase (the quote cleaned): views never put it in
    quotation marks. Only ``quote`` (verbatim) is shown as a quote.
    """
    start = getattr(item, "start", None)
    quote_time = getattr(item, "time", None) if time is _FROM_ITEM else time
    text = getattr(item, "text", "") or ""
    quote = getattr(item, "quote", "") or ""
    attributed = getattr(item, "attributed", None) or text
    stretch = verbatim_stretch(text, quote) if text else None
    return {
        "text": text,
        # The stretch of the quote the statement says, cut with "…" where the
        # quote goes on: what a bullet shows in quotation marks.
        "stretch": stretch or "",
        # "Brockman: text" for a bullet; "who" is the "Brockman" of it.
        "attributed": attributed,
        "who": attributed[: -len(text)].rstrip(" :") if text and attributed.endswith(text) else "",
        # A brief item's text is its quote cleaned for reading; when cleaning
        # changed nothing, views show the quote alone rather than twice.
        "repeats_quote": stretch is not None,
        "quote": quote,
        "headline": getattr(item, "headline", "") or "",
        "speaker": getattr(item, "speaker", "") or "",
        "where": position_label(start, quote_time, length, headings),
        # Only a shown time links: "40% in" is no moment anyone can jump to.
        "link": (moment_link(link, quote_time) if link else getattr(item, "link", None))
        if clock(quote_time) else None,
        "context": getattr(item, "context", None) or "",
        "context_speaker": getattr(item, "context_speaker", None) or "",
        "since": clock(since),
        "title": title if title is not None else getattr(item, "title", "") or "",
        "excerpt": excerpt if excerpt is not None else getattr(item, "excerpt", "") or "",
        # Turning points list the changes of direction inside them, each cited
        # like a TL;DR bullet, with its own time or place.
        "changes": [
            quote_view(c, length=length, headings=headings, link=link)
            for c in getattr(item, "changes", ()) or ()
        ],
    }


_WORDISH = re.compile(r"\w")
_TAIL = "\"'”’)]»"


def verbatim_stretch(text: str, quote: str) -> str | None:
    """The words of ``quote`` that ``text`` says, verbatim, "…" marking a cut.

    ``None`` unless ``text`` is one unbroken stretch of ``quote`` apart from
    case and punctuation ("We shut down the app." in "Yes, we shut down the
    app."); a cleaned statement that dropped words inside is a paraphrase.
    """
    folded: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(quote):
        for f in ch.casefold() if _WORDISH.match(ch) else " ":
            if f == " " and (not folded or folded[-1] == " "):
                continue
            folded.append(f)
            where.append(i)
    said = "".join(folded)
    want = _folded(text)
    if not want:
        return None
    pos = said.find(want)
    while pos >= 0 and not (
        (pos == 0 or said[pos - 1] == " ")
        and (pos + len(want) == len(said) or said[pos + len(want)] == " ")
    ):
        pos = said.find(want, pos + 1)
    if pos < 0:
        return None
    start, end = where[pos], where[pos + len(want) - 1] + 1
    # Signs that belong to the first or last word stay with it: "$90", "80%", "it's".
    while start > 0 and quote[start - 1] in _SIGNS_BEFORE:
        start -= 1
    while end < len(quote) and not quote[end].isspace() and quote[end] not in _CUTS:
        end += 1
    rest = quote[end:]
    # The sentence's own closing punctuation belongs to the stretch.
    close = len(rest) - len(rest.lstrip(".!?…" + _TAIL))
    if not rest[close:].strip():
        end = len(quote.rstrip())
    head = "…" if quote[:start].strip() else ""
    tail = "…" if quote[end:].strip() else ""
    return f"{head}{quote[start:end]}{tail}"


_SIGNS_BEFORE = "$€£¥#"
# Where a stretch may end inside a run of characters: the punctuation between clauses.
_CUTS = ",;:.!?…—–-\"”’)]»"


def _folded(text: str) -> str:
    # Cleaning drops openers ("And", "So") and fillers: a cleaned statement that
    # is still a stretch of its quote adds nothing beside it.
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _speakers(speakers: Mapping[str, str | None] | Iterable[str] | None, limit: int = 4) -> str:
    names = list(speakers or ())
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" +{len(names) - limit}"
    return ", ".join(names)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The shared template environment (autoescaping, strict about typos)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("briefs.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        clock=clock,
        highlight=highlight,
        shorten=shorten,
        speakers=_speakers,
        thousands=lambda n: f"{int(n):,}",
    )
    env.globals.update(position=position_label)
    return env


def render(template: str, /, **context: Any) -> str:
    """Render ``template`` (a name in ``briefs/templates``, ``.j2`` optional) to HTML.

    Runs of blank lines left by template logic are folded into one paragraph
    break, and the result is stripped: Telegram would trim it anyway, and the
    splitter cuts on those paragraph breaks.
    """
    name = template if template.endswith(".j2") else f"{template}.j2"
    html = environment().get_template(name).render(**context)
    return _BLANK_RUNS.sub("\n\n", html).strip()
