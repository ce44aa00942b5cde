"""Composing a digest: what is new since a watermark, narrowed by topics, as HTML parts.

Per transcript the digest shows its title, date and speakers, three TL;DR
bullets, the top turning point (the first one that is not the greeting
stretch) and the top risk (each with its quote), and a
button that opens the full brief. With topics, only transcripts about one of
them are kept, and each shows the passage that best matches each topic.

A topic matches a transcript when its terms (tokenized and stemmed the way
search does it, so "computing" finds "compute") are among the brief's
keywords or the title, or occur together in at least ``MIN_TOPIC_PASSAGES``
passages: one passing mention does not make a transcript about something.

The HTML is packed per transcript: a transcript's section is never split
across messages unless it alone exceeds Telegram's limit, and each message
carries the buttons of the transcripts it shows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from markupsafe import Markup

from briefs.digest._subscribers import Button
from briefs.errors import BriefbotError
from briefs.links import Kind, moment_link, transcript_link
from briefs.render import (
    TELEGRAM_LIMIT,
    clock,
    highlight,
    position_label,
    quote_view,
    render,
    shorten,
    split_message,
)
from briefs.render import telegram_length as _telegram_length
from briefs.tokenize import token_spans, tokenize

__all__ = [
    "MIN_TOPIC_PASSAGES",
    "ComposeCache",
    "Digest",
    "DigestEntry",
    "DigestLibrary",
    "TopicQuote",
    "compose",
    "pack",
]

log = logging.getLogger(__name__)

MIN_TOPIC_PASSAGES = 2
TLDR_ITEMS = 3
EXCERPT_CHARS = 280
_BUTTON_TITLE = 40


class DigestLibrary(Protocol):
    """What composing needs from ``briefs.library._facade.Library``."""

    async def transcripts_since(self, seq: int) -> list[Any]: ...
    async def brief(self, transcript_id: str) -> Any: ...
    async def get(self, transcript_id: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class TopicQuote:
    """The passage of a transcript that best matches one of the subscriber's topics."""

    topic: str
    speaker: str
    quote: str
    start: int
    time: float | None
    marks: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class DigestEntry:
    """One transcript in a digest."""

    info: Any  # TranscriptInfo
    tldr: tuple[Any, ...]
    turn: Any | None
    risk: Any | None
    quotes: tuple[TopicQuote, ...] = ()
    length: int | None = None
    headings: tuple[tuple[int, str], ...] = ()
    """The source's own section headings, ``(offset, text)``: "The plan, 40% in"."""


@dataclass(frozen=True, slots=True)
class Digest:
    """A composed digest, ready for the outbox."""

    entries: tuple[DigestEntry, ...]
    from_seq: int
    to_seq: int
    """The newest seq considered (also when topics filtered it out)."""
    parts: tuple[str, ...]
    buttons: tuple[tuple[Button, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.entries


@dataclass
class ComposeCache:
    """Per-run memo: thousands of subscribers share the same few new transcripts."""

    library: DigestLibrary
    _since: dict[int, list[Any]] = field(default_factory=dict)
    _briefs: dict[str, Any] = field(default_factory=dict)
    _stored: dict[str, Any] = field(default_factory=dict)
    _matches: dict[tuple[str, str], TopicQuote | bool] = field(default_factory=dict)
    _sections: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    async def since(self, watermark: int) -> list[Any]:
        # One query for the lowest watermark seen serves every higher one.
        for low, infos in self._since.items():
            if low <= watermark:
                return [i for i in infos if i.seq > watermark]
        infos = await self.library.transcripts_since(watermark)
        self._since[watermark] = infos
        return infos

    async def brief(self, transcript_id: str) -> Any | None:
        if transcript_id not in self._briefs:
            try:
                self._briefs[transcript_id] = await self.library.brief(transcript_id)
            except BriefbotError as err:
                # A transcript without a brief still belongs in the digest.
                log.warning("no brief for %s in the digest: %s", transcript_id, err)
                self._briefs[transcript_id] = None
        return self._briefs[transcript_id]

    async def stored(self, transcript_id: str) -> Any:
        if transcript_id not in self._stored:
            self._stored[transcript_id] = await self.library.get(transcript_id)
        return self._stored[transcript_id]

    async def topic_match(self, info: Any, topic: str) -> TopicQuote | bool:
        """False, True (matched by keywords/title, no passage), or the best passage."""
        key = (info.id, topic.casefold())
        if key not in self._matches:
            self._matches[key] = await self._topic_match(info, topic)
        return self._matches[key]

    async def _topic_match(self, info: Any, topic: str) -> TopicQuote | bool:
        terms = set(tokenize(topic))
        if not terms:
            return False
        brief = await self.brief(info.id)
        labels = [info.title, *(getattr(brief, "keywords", None) or ())]
        named = terms <= {t for label in labels for t in tokenize(str(label))}
        stored = await self.stored(info.id)
        best: tuple[int, int, Any, list[tuple[int, int]]] | None = None
        hits = 0
        for passage in stored.passages:
            spans = [s for s in token_spans(passage.text) if s.term in terms]
            if {s.term for s in spans} != terms:
                continue
            hits += 1
            score = (len(spans), -passage.start)
            if best is None or score > best[:2]:
                best = (*score, passage, [(s.start, s.end) for s in spans])
        if best is None or (hits < MIN_TOPIC_PASSAGES and not named):
            return named
        passage = best[2]
        return TopicQuote(
            topic=topic,
            speaker=passage.speaker,
            quote=passage.text,
            start=passage.start,
            time=passage.time,
            marks=tuple(best[3]),
        )


def _first(items: Sequence[Any] | None) -> Any | None:
    return items[0] if items else None


def _top_turn(points: Sequence[Any] | None) -> Any | None:
    """The first turning point that is a topic of the conversation.

    The brief engine labels a leading stretch of greetings ``introduction``
    (it stays first in the brief, where it marks the start); "hello, welcome"
    is no turning point to lead a digest with, unless it is the only one.
    """
    if not points:
        return None
    return next((p for p in points if getattr(p, "kind", "segment") != "introduction"), points[0])


async def compose(
    cache: ComposeCache, *, watermark: int, topics: Sequence[str] = ()
) -> Digest:
    """The digest of everything after ``watermark`` (current revisions), maybe narrowed.

    ``to_seq`` is the newest transcript *considered*, so a subscriber whose
    topics filter everything out still moves past it; an empty digest is
    never sent.
    """
    infos = await cache.since(watermark)
    entries: list[DigestEntry] = []
    for info in infos:
        quotes: list[TopicQuote] = []
        if topics:
            matched = False
            for topic in topics:
                found = await cache.topic_match(info, topic)
                if found:
                    matched = True
                if isinstance(found, TopicQuote):
                    quotes.append(found)
            if not matched:
                continue
        brief = await cache.brief(info.id)
        # The text length turns a quote's offset into "40% in" for sources without
        # times, and the headings name its section.
        transcript = (await cache.stored(info.id)).transcript
        length = len(transcript.text)
        heads = tuple((t.start, t.text) for t in transcript.turns if t.kind == "heading")
        entries.append(
            DigestEntry(
                info=info,
                tldr=tuple((getattr(brief, "tldr", None) or ())[:TLDR_ITEMS]),
                turn=_top_turn(getattr(brief, "turning_points", None)),
                risk=_first(getattr(brief, "risks", None)),
                quotes=tuple(quotes),
                length=length,
                headings=heads,
            )
        )
    to_seq = max((i.seq for i in infos), default=watermark)
    parts, buttons = pack(cache, entries, topics=tuple(topics)) if entries else ((), ())
    return Digest(tuple(entries), watermark, to_seq, parts, buttons)


def _section(entry: DigestEntry, number: int) -> str:
    info = entry.info
    link = transcript_link(getattr(info, "metadata", None))  # timed quotes link to the moment
    return render(
        "digest_entry",
        number=number,
        info=info,
        revised=getattr(info, "revision", 1) > 1,
        tldr=entry.tldr,
        turn=_view(entry, entry.turn, link),
        risk=_view(entry, entry.risk, link),
        quotes=[
            {
                "topic": q.topic,
                "excerpt": _excerpt(q),
                "speaker": q.speaker,
                "where": position_label(q.start, q.time, entry.length, entry.headings),
                "link": moment_link(link, q.time) if link and clock(q.time) else None,
            }
            for q in entry.quotes
        ],
    )


def _view(
    entry: DigestEntry, item: Any | None, link: tuple[str, Kind] | None
) -> dict[str, Any] | None:
    if item is None:
        return None
    return quote_view(item, length=entry.length, headings=entry.headings, link=link)


def _excerpt(quote: TopicQuote, width: int = EXCERPT_CHARS) -> Markup:
    """The passage around its first matched word, at most ``width`` characters, marked."""
    text = quote.quote
    if len(text) <= width:
        return highlight(text, quote.marks)
    first = quote.marks[0][0] if quote.marks else 0
    start = max(0, min(first - width // 3, len(text) - width))
    if start:
        # Start on a word boundary so the excerpt does not open mid-word.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text) and " " in text[end - width // 4 : end]:
        end = text.rfind(" ", 0, end)
    marks = [(s - start, e - start) for s, e in quote.marks if s >= start and e <= end]
    body = highlight(text[start:end], marks)
    return Markup("{}{}{}").format(
        "…" if start else "", body, "…" if end < len(text) else ""
    )


def pack(
    cache: ComposeCache | None, entries: Sequence[DigestEntry], *, topics: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], tuple[tuple[Button, ...], ...]]:
    """Lay entries out as messages under Telegram's limit, with each one's buttons."""
    header = render("digest_header", count=len(entries), topics=topics)
    parts: list[str] = []
    buttons: list[list[Button]] = []
    current = header
    current_buttons: list[Button] = []
    for number, entry in enumerate(entries, 1):
        key = (f"{entry.info.id}#{number}", topics)
        section = cache._sections.get(key) if cache is not None else None
        if section is None:
            section = _section(entry, number)
            if cache is not None:
                cache._sections[key] = section
        button = Button(f"{number}. {shorten(entry.info.title, _BUTTON_TITLE)}", entry.info.id)
        candidate = f"{current}\n\n{section}" if current else section
        if _telegram_length(candidate) <= TELEGRAM_LIMIT:
            current, current_buttons = candidate, [*current_buttons, button]
            continue
        if current:
            parts.append(current)
            buttons.append(current_buttons)
        pieces = split_message(section, TELEGRAM_LIMIT)
        # A section too long for one message: its button goes under its last piece.
        for piece in pieces[:-1]:
            parts.append(piece)
            buttons.append([])
        current, current_buttons = pieces[-1], [button]
    if current:
        parts.append(current)
        buttons.append(current_buttons)
    return tuple(parts), tuple(tuple(b) for b in buttons)
