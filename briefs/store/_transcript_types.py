"""What ``store.transcripts`` returns: a transcript's reference, its metadata, a removal.

Plain values, and the readers of the JSON columns that hold them, so other
repositories (the search index) read the same columns the same way.
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass, field

__all__ = ["Removal", "StoredRef", "TranscriptInfo", "parse_marks", "parse_metadata"]


@dataclass(frozen=True, slots=True)
class StoredRef:
    """How the store names a stored transcript."""

    pk: int
    """The row's integer key."""
    id: str
    """The readable slug."""
    seq: int
    """Ingest sequence number, strictly increasing."""
    supersedes_pk: int | None = None
    """The pk of the revision this one replaces, if any."""


@dataclass(frozen=True)
class TranscriptInfo:
    """A stored transcript without its text: what listings show."""

    id: str
    seq: int
    title: str
    date: str | None
    speakers: dict[str, str | None]
    turn_count: int
    word_count: int
    format: str
    source: str
    ingested_at: str
    revision: int
    source_summary: str | None
    current: bool = True
    """False once a newer revision of the same source supersedes it."""
    supersedes: str | None = None
    """The id of the revision this one replaces."""
    metadata: dict[str, str] = field(default_factory=dict)
    """Reader and source extras (front matter, feed links; see ``briefs.links``)."""


@dataclass(frozen=True, slots=True)
class Removal:
    """What ``Library.remove`` took out (turns and passages went with it), and what
    changed because of it."""

    id: str
    title: str
    pk: int
    seq: int
    turns: int
    passages: int
    restored: StoredRef | None = None
    """The older revision that is current again (it was superseded by this one)."""
    digests_recomposed: int = 0
    """Composed, unsent digests that covered it: dropped, their chats due again."""
    warnings: tuple[str, ...] = ()
    """Ingest steps that could not update themselves after the commit."""


def parse_metadata(stored: object) -> dict[str, str]:
    # Written by insert() as a JSON object; anything else reads as none.
    with suppress(ValueError):
        value = json.loads(stored) if isinstance(stored, str) else None
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
    return {}


def parse_marks(stored: object) -> tuple[tuple[int, float], ...]:
    # Written by insert() as JSON [[offset, seconds], ...]; anything else (an old
    # or hand-edited row) reads as no marks: passages then show the turn's time.
    if not isinstance(stored, str) or not stored:
        return ()
    try:
        return tuple((int(at), float(s)) for at, s in json.loads(stored))
    except (ValueError, TypeError):
        return ()
