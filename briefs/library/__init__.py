"""The library: the one façade every front end calls (CLI, chats, digests).

Produces ingested transcripts (one transaction each, with every ingest step) and
answers what the library holds.

May import: ``briefs.readers``, ``briefs.transcript``, ``briefs.passages``,
``briefs.brief``, ``briefs.search``, ``briefs.store``, ``briefs.errors``.
"""

from __future__ import annotations

from briefs.library._facade import (
    IngestOutcome,
    IngestReport,
    IngestStatus,
    IngestStep,
    Library,
    ProgressFn,
    Removal,
    StoredTranscript,
    TranscriptInfo,
    expand_paths,
    slugify,
)

__all__ = [
    "IngestOutcome",
    "IngestReport",
    "IngestStatus",
    "IngestStep",
    "Library",
    "ProgressFn",
    "Removal",
    "StoredTranscript",
    "TranscriptInfo",
    "expand_paths",
    "slugify",
]
