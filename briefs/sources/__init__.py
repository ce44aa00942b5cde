"""Where transcripts come from besides the command line: the inbox folder and podcast feeds.

Produces ingested transcripts (through ``briefs.library``) from files dropped in a
watched folder (:func:`poll_inbox`) and from RSS/Atom feeds (:func:`poll_feeds`).

May import: ``briefs.library``, ``briefs.readers``, ``briefs.store``, ``briefs.errors``.
"""

from __future__ import annotations

from briefs.sources._feeds import (
    FETCH_DEADLINE_S,
    MAX_ATTEMPTS,
    MAX_EPISODES_PER_POLL,
    MAX_FEED_BYTES,
    MAX_REDIRECTS,
    TIMEOUT_S,
    Feed,
    FeedPoll,
    add_feed,
    list_feeds,
    poll_feeds,
    remove_feed,
)
from briefs.sources._inbox import (
    DONE_DIR,
    FAILED_DIR,
    SETTLE_SECONDS,
    inbox_candidates,
    poll_inbox,
)

__all__ = [
    "DONE_DIR",
    "FAILED_DIR",
    "FETCH_DEADLINE_S",
    "MAX_ATTEMPTS",
    "MAX_EPISODES_PER_POLL",
    "MAX_FEED_BYTES",
    "MAX_REDIRECTS",
    "SETTLE_SECONDS",
    "TIMEOUT_S",
    "Feed",
    "FeedPoll",
    "add_feed",
    "inbox_candidates",
    "list_feeds",
    "poll_feeds",
    "poll_inbox",
    "remove_feed",
]
