"""The store: the one place that speaks SQL.

Produces and keeps rows as the engine's dataclasses. SQLite through aiosqlite (the
default), or PostgreSQL through asyncpg for a ``postgresql://`` URL (``PostgresStore``,
the same repositories); migrations, one set per dialect, are recorded in
``schema_migrations`` and safe to re-run.

May import: ``briefs.transcript``, ``briefs.passages``, ``briefs.errors``.
"""

from __future__ import annotations

from briefs.store._briefs import BriefRows, BriefStamp, StoredBrief
from briefs.store._chats import ChatRows
from briefs.store._copy import copy_library
from briefs.store._digests import DigestRows
from briefs.store._encoded import Encoded
from briefs.store._index import (
    TOKENIZER_VERSION,
    IndexRows,
    SearchDoc,
    SearchPassage,
    SearchTranscript,
)
from briefs.store._location import DbLocation, is_postgres, parse_db_location, shown
from briefs.store._lookups import LookupRows
from briefs.store._outbox import (
    OPEN,
    Button,
    OutboxRow,
    OutboxRows,
    StoredOutboxRow,
    is_busy_error,
)
from briefs.store._postgres import PostgresStore
from briefs.store._sources import Feed, FeedValidators, SeenEpisode, SourceRows
from briefs.store._sqlite import (
    BUSY_TIMEOUT_S,
    DRIVER_ERRORS,
    MIGRATIONS_DIR,
    Migration,
    Store,
    StoredRef,
    default_db_path,
    discover_migrations,
    utc_stamp,
)
from briefs.store._subscribers import StoredSubscriber, Subscriber, SubscriberRows
from briefs.store._time import iso, parse_iso
from briefs.store._transcripts import Removal, TranscriptInfo, TranscriptRows

__all__ = [
    "BUSY_TIMEOUT_S",
    "DRIVER_ERRORS",
    "MIGRATIONS_DIR",
    "OPEN",
    "TOKENIZER_VERSION",
    "BriefRows",
    "BriefStamp",
    "Button",
    "ChatRows",
    "DbLocation",
    "DigestRows",
    "Encoded",
    "Feed",
    "FeedValidators",
    "IndexRows",
    "LookupRows",
    "Migration",
    "OutboxRow",
    "OutboxRows",
    "PostgresStore",
    "Removal",
    "SearchDoc",
    "SearchPassage",
    "SearchTranscript",
    "SeenEpisode",
    "SourceRows",
    "Store",
    "StoredBrief",
    "StoredOutboxRow",
    "StoredRef",
    "StoredSubscriber",
    "Subscriber",
    "SubscriberRows",
    "TranscriptInfo",
    "TranscriptRows",
    "copy_library",
    "default_db_path",
    "discover_migrations",
    "is_busy_error",
    "is_postgres",
    "iso",
    "parse_db_location",
    "parse_iso",
    "shown",
    "utc_stamp",
]
