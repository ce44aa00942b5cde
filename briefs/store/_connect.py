"""Opening an aiosqlite connection without leaving its worker thread behind.

When the connect itself fails (a new database in a folder that cannot be
written, a name the file system refuses), aiosqlite queues its worker thread's
stop but does not wait for it. The thread then finishes after ``asyncio.run``
has closed the loop and prints two "Event loop is closed" tracebacks under
the command's one-line error. :func:`connect` waits for the thread, while the
loop still runs, before passing the error on.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import aiosqlite

__all__ = ["connect"]


async def connect(path: str | Path, **kwargs: Any) -> aiosqlite.Connection:
    """``await aiosqlite.connect(path, **kwargs)``, cleaned up when it fails."""
    connection = aiosqlite.connect(path, **kwargs)
    try:
        return await connection
    except BaseException:
        thread = getattr(connection, "_thread", None)  # where aiosqlite 0.20+ keeps it
        if isinstance(thread, threading.Thread) and thread.is_alive():
            await asyncio.to_thread(thread.join, 5.0)
        raise
