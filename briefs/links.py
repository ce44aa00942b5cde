"""Links to the moment: where a quote can be heard or watched, at its time.

A transcript that came with a link keeps it in its metadata: a feed episode's
audio enclosure (``audio_url``) and page (``episode_url``), a front matter's
``source_url`` (read as ``url``). ``transcript_link`` picks the one that can
jump to a time (an audio or video file, a YouTube video) before a page, and
``moment_link`` builds the address of one moment of it:

- an audio or video file: a media fragment, ``#t=SECONDS`` (players seek there);
- YouTube: the ``t`` query parameter, ``?t=SECONDS`` or ``&t=SECONDS``;
- any other page: the page itself (it cannot be told where to start).

Only ``http`` and ``https`` addresses are ever returned: a link comes from a
file someone uploaded, and ``javascript:`` must never become a link.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "LINK_KEYS", "MEDIA_EXTENSIONS", "Kind", "link_kind", "moment_link", "transcript_link",
]

LINK_KEYS = ("audio_url", "url", "episode_url")
"""Metadata keys that may hold a transcript's link, most useful first."""
MEDIA_EXTENSIONS = (
    ".mp3", ".m4a", ".m4b", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac",
    ".mp4", ".m4v", ".webm", ".mov",
)
_YOUTUBE = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
            "youtu.be", "www.youtube-nocookie.com"}

Kind = Literal["media", "youtube", "page"]


def _safe(url: object) -> str | None:
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(c.isspace() or ord(c) < 32 for c in url):
        return None
    return url


def link_kind(url: str, *, media: bool = False) -> Kind:
    """How ``url`` takes a time: ``media`` (``media``: known to be an audio
    file, as a feed enclosure is), ``youtube`` or ``page``."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() in _YOUTUBE:
        return "youtube"
    if media or parts.path.lower().endswith(MEDIA_EXTENSIONS):
        return "media"
    return "page"


def transcript_link(metadata: Mapping[str, object] | None) -> tuple[str, Kind] | None:
    """The transcript's link and its kind, or None when it came with none.

    One that can jump to a moment (audio, video, YouTube) wins over a page.
    """
    found: list[tuple[str, Kind]] = []
    for key in LINK_KEYS:
        url = _safe((metadata or {}).get(key))
        if url:
            found.append((url, link_kind(url, media=key == "audio_url")))
    return next((f for f in found if f[1] != "page"), found[0] if found else None)


def moment_link(link: tuple[str, Kind] | None, seconds: float | None) -> str | None:
    """The address of the moment ``seconds`` into ``link``; None without a
    link or a usable time."""
    if link is None or seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    url, kind = link
    at = int(seconds)
    parts = urlsplit(url)
    if kind == "media":
        return urlunsplit(parts._replace(fragment=f"t={at}"))
    if kind == "youtube":
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
        query.append(("t", str(at)))
        return urlunsplit(parts._replace(query=urlencode(query)))
    return url
