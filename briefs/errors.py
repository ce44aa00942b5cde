"""Every exception the engine raises on purpose, in one place.

Hierarchy::

    BriefbotError                 base: a message fit to show an operator or user
    ├── ReadError                 a source could not be turned into a Transcript
    │   ├── UnsupportedFormat     no reader claims the file (binary, unknown type)
    │   ├── EmptySource           the file holds no text / no turns
    │   ├── SourceTooLarge        over the configured size limit
    │   └── MalformedSource       SRT / VTT / JSON that does not parse
    ├── StoreError                the database refused or is unusable
    │   └── NotFound              no transcript (or brief, subscriber) by that id
    └── QueryError                a search query that cannot be run as written

Every message is one line, written for the person who caused it: it names the
thing and says what to do, and never carries a traceback.
"""

from __future__ import annotations

__all__ = [
    "BriefbotError",
    "EmptySource",
    "MalformedSource",
    "NotFound",
    "QueryError",
    "ReadError",
    "SourceTooLarge",
    "StoreError",
    "UnsupportedFormat",
]


class BriefbotError(Exception):
    """Base class: ``str(err)`` is a one-line message meant for people."""


class ReadError(BriefbotError):
    """A source could not be read into a Transcript."""


class UnsupportedFormat(ReadError):
    """No reader understands this source."""


class EmptySource(ReadError):
    """The source is empty or holds nothing that reads as a transcript."""


class SourceTooLarge(ReadError):
    """The source is bigger than the configured limit."""


class MalformedSource(ReadError):
    """The source claims a format (SRT, VTT, JSON) but does not parse as it."""


class StoreError(BriefbotError):
    """The store could not complete an operation."""


class NotFound(StoreError):
    """Nothing is stored under that id."""


class QueryError(BriefbotError):
    """A query that cannot be run; the message says how to fix it."""
