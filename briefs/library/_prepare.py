"""The CPU half of an ingest, built before the write transaction opens.

``Library.ingest_transcript`` runs :func:`prepare` in a worker thread: cutting
passages, hashing the text and every step's ``prepare`` (the brief, the
search tokens) take seconds on a large upload, and neither the event loop
nor SQLite's write lock may wait for them. The transaction then only writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefs.library._types import IngestStep
from briefs.passages import Passage, make_passages
from briefs.transcript import Transcript

__all__ = ["Prepared", "content_hash", "prepare"]


def content_hash(transcript: Transcript) -> str:
    """A transcript's identity: the SHA-256 of its canonical text."""
    return hashlib.sha256(transcript.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Prepared:
    passages: list[Passage]
    """Not stored yet: each one's ``id`` is its ``seq``."""
    work: tuple[Any, ...]
    """Per step, in order, what its ``stage`` writes."""


def prepare(transcript: Transcript, steps: Sequence[IngestStep]) -> Prepared:
    """Passages and every step's prepared rows; pure CPU work, no store access."""
    passages = make_passages(transcript)
    return Prepared(passages, tuple(step.prepare(transcript, passages) for step in steps))
