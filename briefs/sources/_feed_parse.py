"""Parsing podcast feeds: RSS or Atom in, episodes with transcript links out.

feedparser reads the feed (any RSS or Atom dialect, broken encodings, dates),
but keeps only the last ``<podcast:transcript>`` of an item, and an episode
often lists several (SRT, VTT, JSON, HTML). So the links are collected with
ElementTree in a second pass and matched to feedparser's entries by position;
when the XML is too broken for ElementTree, feedparser's one link is used.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlparse

import feedparser

from briefs.errors import FeedError

__all__ = ["Episode", "FeedDoc", "TranscriptLink", "parse_feed", "pick_transcript"]


@dataclass(frozen=True, slots=True)
class TranscriptLink:
    url: str
    type: str  # MIME type as the feed gives it ("" when absent)
    language: str = ""

    @property
    def extension(self) -> str | None:
        """The reader extension for this link (``.srt`` ...), or None if unreadable."""
        kind = self.type.split(";")[0].strip().lower()
        if kind in _TYPE_EXTENSIONS:
            return _TYPE_EXTENSIONS[kind]
        suffix = PurePosixPath(urlparse(self.url).path).suffix.lower()
        return suffix if suffix in _URL_EXTENSIONS else None


@dataclass(frozen=True, slots=True)
class Episode:
    guid: str
    title: str
    link: str
    published: str | None  # ISO date
    transcripts: tuple[TranscriptLink, ...] = ()
    audio: str = ""
    """The episode's audio (or video) enclosure, where quotes link to their moment."""


@dataclass(frozen=True, slots=True)
class FeedDoc:
    title: str
    episodes: list[Episode] = field(default_factory=list)


_TYPE_EXTENSIONS = {
    "application/json": ".json",
    "application/x-subrip": ".srt",
    "application/srt": ".srt",
    "text/srt": ".srt",
    "text/x-subrip": ".srt",
    "text/vtt": ".vtt",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
}
_URL_EXTENSIONS = {".json", ".srt", ".vtt", ".html", ".htm", ".txt", ".md"}
# Timed formats with speakers first: they make the best transcripts.
_PREFERENCE = [".json", ".vtt", ".srt", ".html", ".htm", ".md", ".txt"]


def pick_transcript(links: tuple[TranscriptLink, ...], language: str = "") -> TranscriptLink | None:
    """The most useful readable transcript of an episode (timed formats first)."""
    readable = [link for link in links if link.extension]
    if language:
        # Prefer the feed's language when the episode offers several.
        same = [link for link in readable if link.language.lower().startswith(language[:2])]
        readable = same or readable
    if not readable:
        return None
    return min(readable, key=lambda link: _PREFERENCE.index(link.extension or ".txt"))


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_podcast_transcript(el: ET.Element) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.endswith("}transcript") and "podcast" in tag.lower()


def _links_by_item(data: bytes, base: str) -> list[tuple[TranscriptLink, ...]] | None:
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    items = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
    out = []
    for item in items:
        links = []
        for el in item.iter():
            if _is_podcast_transcript(el) and el.get("url"):
                links.append(TranscriptLink(urljoin(base, el.get("url", "").strip()),
                                            el.get("type", ""), el.get("language", "")))
        out.append(tuple(links))
    return out


def _iso(struct: Any) -> str | None:
    if not struct:
        return None
    try:
        return time.strftime("%Y-%m-%d", struct)
    except (TypeError, ValueError):
        return None


def parse_feed(data: bytes, *, url: str) -> FeedDoc:
    """Parse RSS/Atom bytes; raise ``FeedError`` if it is not a feed at all."""
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries and not parsed.feed.get("title"):
        raise FeedError(f"{url}: not an RSS or Atom feed (it does not parse as XML)")
    if not parsed.version and not parsed.entries:
        raise FeedError(f"{url}: not an RSS or Atom feed (no channel or entries found)")
    by_item = _links_by_item(data, url)
    if by_item is not None and len(by_item) != len(parsed.entries):
        by_item = None  # cannot match them up safely: fall back to feedparser's link
    episodes = []
    for i, entry in enumerate(parsed.entries):
        if by_item is not None:
            links = by_item[i]
        else:
            one = entry.get("podcast_transcript") or {}
            links = (TranscriptLink(urljoin(url, one["url"]), one.get("type", ""),
                                    one.get("language", "")),) if one.get("url") else ()
        guid = entry.get("id") or entry.get("link") or (links[0].url if links else "")
        episodes.append(
            Episode(
                guid=str(guid),
                title=" ".join(str(entry.get("title", "")).split()),
                link=str(entry.get("link", "")),
                published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                transcripts=links,
                audio=_enclosure(entry, url),
            )
        )
    title = " ".join(str(parsed.feed.get("title", "")).split())
    return FeedDoc(title=title, episodes=episodes)


def _enclosure(entry: dict, base: str) -> str:
    """The first audio or video enclosure's address ("" when none)."""
    for enc in entry.get("enclosures") or ():
        kind = str(enc.get("type", "")).lower()
        href = str(enc.get("href", "") or enc.get("url", "")).strip()
        if href and kind.startswith(("audio/", "video/")):
            return urljoin(base, href)
    return ""
