"""Feeds and the inbox's records (migration 0006_feeds.sql).

``store.sources`` keeps the podcast feeds polled, the episodes already handled
(``feed_episodes``) and the inbox files already handled (``inbox_files``), so
nothing is ingested twice. Writers run inside the caller's
``Store.transaction()``; nothing here begins or commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefs.store._repository import Repository

__all__ = ["Feed", "FeedValidators", "SeenEpisode", "SourceRows"]


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed in the list, as ``briefbot feed list`` and ``/feeds`` show it."""

    id: int
    url: str
    title: str
    added_at: str
    last_polled_at: str | None
    last_error: str | None
    episodes: int  # episodes ingested from it so far


@dataclass(frozen=True, slots=True)
class FeedValidators:
    """The last good poll's HTTP validators, for a conditional GET (304: nothing new)."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class SeenEpisode:
    """An episode whose transcript was fetched before: how it went, and how often."""

    status: Literal["ingested", "failed"]
    attempts: int


class SourceRows(Repository):
    """The feed and inbox tables: ``feeds``, ``feed_episodes`` and ``inbox_files``."""

    async def add_feed(self, url: str, title: str, added_at: str) -> None:
        """Add a feed, or give a listed one its (non-empty) new title."""
        await self._db.execute(
            "INSERT INTO feeds (url, title, added_at) VALUES (?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET title = CASE WHEN excluded.title != ''"
            " THEN excluded.title ELSE feeds.title END",
            (url, title, added_at),
        )

    async def list_feeds(self) -> list[Feed]:
        """Every feed, in the order added, with its count of ingested episodes."""
        cur = await self._db.execute(
            "SELECT f.id, f.url, f.title, f.added_at, f.last_polled_at, f.last_error,"
            " (SELECT count(*) FROM feed_episodes e"
            " WHERE e.feed_id = f.id AND e.status = 'ingested')"
            " FROM feeds f ORDER BY f.id"
        )
        return [Feed(*row) for row in await cur.fetchall()]

    async def remove_feed(self, feed_id: int) -> None:
        """Forget a feed and its episodes (the transcripts ingested from it stay)."""
        await self._db.execute("DELETE FROM feed_episodes WHERE feed_id = ?", (feed_id,))
        await self._db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    async def validators(self, feed_id: int) -> FeedValidators | None:
        """The feed's kept ETag and Last-Modified; None when the feed is gone."""
        cur = await self._db.execute(
            "SELECT etag, last_modified FROM feeds WHERE id = ?", (feed_id,))
        row = await cur.fetchone()
        return FeedValidators(row[0], row[1]) if row else None

    async def record_fetch(
        self, feed_id: int, *, etag: str | None, last_modified: str | None, title: str
    ) -> None:
        """Keep a fetched feed's validators, and its title unless the feed sent none."""
        await self._db.execute(
            "UPDATE feeds SET etag = ?, last_modified = ?, title = CASE WHEN ? != '' THEN ?"
            " ELSE title END WHERE id = ?",
            (etag, last_modified, title, title, feed_id),
        )

    async def record_poll(self, feed_id: int, *, polled_at: str, error: str | None) -> None:
        """Note a poll of the feed: when, and its error (None: it went well)."""
        await self._db.execute(
            "UPDATE feeds SET last_polled_at = ?, last_error = ?,"
            " last_ok_at = CASE WHEN CAST(? AS TEXT) IS NULL THEN ? ELSE last_ok_at END"
            " WHERE id = ?",
            (polled_at, error, error, polled_at, feed_id),
        )

    async def seen_episode(self, feed_id: int, guid: str) -> SeenEpisode | None:
        """How the episode's earlier fetches went; None if it was never fetched."""
        cur = await self._db.execute(
            "SELECT status, attempts FROM feed_episodes WHERE feed_id = ? AND guid = ?",
            (feed_id, guid),
        )
        row = await cur.fetchone()
        return SeenEpisode(row[0], row[1]) if row else None

    async def record_episode(
        self, feed_id: int, guid: str, *, title: str, transcript_url: str,
        status: Literal["ingested", "failed"], transcript_id: str | None, message: str,
        seen_at: str,
    ) -> None:
        """Record a fetch of the episode's transcript, counting the attempts."""
        await self._db.execute(
            "INSERT INTO feed_episodes (feed_id, guid, title, transcript_url, status,"
            " transcript_id, message, attempts, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)"
            " ON CONFLICT (feed_id, guid) DO UPDATE SET status = excluded.status,"
            " transcript_id = excluded.transcript_id, message = excluded.message,"
            " transcript_url = excluded.transcript_url, attempts = feed_episodes.attempts + 1,"
            " seen_at = excluded.seen_at",
            (feed_id, guid, title, transcript_url, status, transcript_id, message, seen_at),
        )

    async def inbox_seen(self, key: str) -> bool:
        """Whether the inbox file with this key (path, size, mtime) was handled."""
        cur = await self._db.execute("SELECT 1 FROM inbox_files WHERE key = ?", (key,))
        return await cur.fetchone() is not None

    async def record_inbox_file(
        self, key: str, *, path: str, status: str, transcript_id: str | None, message: str,
        moved_to: str | None, processed_at: str,
    ) -> None:
        """Remember a handled inbox file (replacing an earlier record of the same key)."""
        await self._db.execute(
            "INSERT INTO inbox_files"
            " (key, path, status, transcript_id, message, moved_to, processed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
            " path = excluded.path, status = excluded.status,"
            " transcript_id = excluded.transcript_id, message = excluded.message,"
            " moved_to = excluded.moved_to, processed_at = excluded.processed_at",
            (key, path, status, transcript_id, message, moved_to, processed_at),
        )
