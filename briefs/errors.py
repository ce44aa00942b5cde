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
    ├── QueryError                a search query that cannot be run as written
    ├── SubscriptionError         a /subscribe time, zone or topic list that cannot be used
    ├── FeedError                 a podcast feed that cannot be added or fetched
    └── DeliveryError             a digest could not be handed to the chat (raised by a Sender)
        ├── Blocked               final: the user blocked the bot or the chat is gone (403)
        ├── RetryLater            the chat service asked to wait ``retry_after`` seconds (429)
        └── Transient             network error, timeout or server error: retry with backoff

Every message is one line, written for the person who caused it: it names the
thing and says what to do, and never carries a traceback.
"""

from __future__ import annotations

__all__ = [
    "Blocked",
    "BriefbotError",
    "DeliveryError",
    "EmptySource",
    "FeedError",
    "MalformedSource",
    "NotFound",
    "QueryError",
    "ReadError",
    "RetryLater",
    "SourceTooLarge",
    "StoreError",
    "SubscriptionError",
    "Transient",
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


class FeedError(BriefbotError):
    """A podcast feed (or an episode's transcript) that cannot be added or fetched."""


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


class SubscriptionError(BriefbotError):
    """A subscription request that cannot be used; the message says how to fix it."""


class DeliveryError(BriefbotError):
    """A digest message could not be delivered; raised by a ``Sender``."""


class Blocked(DeliveryError):
    """Final: the chat refuses the bot (blocked, kicked, deleted). Never retried."""


class RetryLater(DeliveryError):
    """The chat service is rate limiting: wait ``retry_after`` seconds, then retry."""

    def __init__(self, retry_after: float, message: str = "") -> None:
        self.retry_after = float(retry_after)
        super().__init__(message or f"rate limited: retry in {self.retry_after:g} s")


class Transient(DeliveryError):
    """A network error, timeout or server error: worth retrying with backoff."""
