"""Waiting for another connection's write lock instead of failing.

The CLI and the bot are separate processes on one SQLite file, so a writer can
find the write lock taken. Every connection gets a busy timeout (SQLite
itself waits that long), and ``BEGIN IMMEDIATE`` is tried a few more times
when SQLite still answers "database is locked".
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable

import aiosqlite

__all__ = ["BUSY_RETRIES", "BUSY_TIMEOUT_S", "Sleep", "begin_immediate", "is_busy"]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another process's write lock before giving up.

Sized for the longest write, with room: an ingest's transaction only writes
rows built beforehand (about a second for a 16 MB upload), a digest run
commits per message, a migration is a few statements."""
BUSY_RETRIES = 3
"""Further tries of ``BEGIN IMMEDIATE`` after a "database is locked" answer."""
RETRY_PAUSE_S = 0.5
"""The pause before the first retry; doubled before each next one."""

Sleep = Callable[[float], Awaitable[object]]


def is_busy(err: sqlite3.OperationalError) -> bool:
    """True for SQLite's "database is locked" / "database is busy"."""
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(err) or "busy" in str(err)


async def begin_immediate(db: aiosqlite.Connection, sleep: Sleep = asyncio.sleep) -> None:
    """``BEGIN IMMEDIATE``, retried ``BUSY_RETRIES`` times while the database is busy.

    Each try already waited the connection's busy timeout inside SQLite; the
    retries cover a writer that held the lock longer than that. Any other
    error, or the last busy answer, is raised as it came.
    """
    for attempt in range(BUSY_RETRIES + 1):
        try:
            await db.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as err:
            if attempt == BUSY_RETRIES or not is_busy(err):
                raise
            log.info("database busy (%s): retry %d of %d", err, attempt + 1, BUSY_RETRIES)
        await sleep(RETRY_PAUSE_S * 2**attempt)
