"""The watched inbox: drop transcript files in a folder and they are ingested.

Each poll ingests every settled file at the top of the folder through the
library (so they are briefed and indexed like any other), then moves it:

- ingested (added, revised, or a duplicate of something stored) -> ``done/``
- failed -> ``failed/``, with ``<name>.error.txt`` beside it saying why.

Files are also recorded in the ``inbox_files`` table by path, size and
modification time, so a file that could not be moved (a read-only share) is
still never ingested twice. Hidden files, editor and download leftovers
(``.part``, ``.tmp``, ``~``) and files modified in the last ``settle_seconds``
(still being copied in) wait for a later poll.

Only regular files inside the inbox are read (``briefs.sources._inbox_files``): a
symbolic link pointing outside it, a FIFO or a device goes to ``failed/`` with
the reason, unread, so dropping ``ln -s ~/.env`` in the inbox publishes nothing.

The bot schedules :func:`poll_inbox`; ``briefbot inbox poll`` runs it once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from briefs.errors import BriefbotError
from briefs.library import IngestOutcome, Library
from briefs.sources._inbox_files import Entry, read_entry, scan
from briefs.store import utc_stamp

__all__ = ["DONE_DIR", "FAILED_DIR", "SETTLE_SECONDS", "inbox_candidates", "poll_inbox"]

log = logging.getLogger(__name__)

DONE_DIR = "done"
FAILED_DIR = "failed"
SETTLE_SECONDS = 5.0
"""A file modified more recently than this may still be being written."""

def inbox_candidates(
    folder: Path, *, now: float | None = None, settle_seconds: float = SETTLE_SECONDS
) -> list[Path]:
    """Entries in ``folder`` (not its subfolders) a poll takes, oldest first.

    Files to ingest, and entries it refuses (a link pointing outside, a FIFO):
    those go to ``failed/`` unread.
    """
    now = time.time() if now is None else now
    return [entry.path for entry in scan(folder, now=now, settle_seconds=settle_seconds)]


def _free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem-2.ext`` ... when taken: never overwrite."""
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while target.exists() or (folder / f"{target.name}.error.txt").exists():
        n += 1
        target = folder / f"{stem}-{n}{suffix}"
    return target


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    target = _free_name(folder, path.name)
    path.replace(target)
    return target


async def _seen(library: Library, key: str) -> bool:
    return await library.store.sources.inbox_seen(key)


async def _record(
    library: Library, key: str, path: Path, outcome: IngestOutcome, moved_to: Path | None,
    when: datetime,
) -> None:
    async with library.store.transaction():
        await library.store.sources.record_inbox_file(
            key, path=str(path), status=outcome.status, transcript_id=outcome.transcript_id,
            message=outcome.message, moved_to=str(moved_to) if moved_to else None,
            processed_at=utc_stamp(when),
        )


async def _ingest(library: Library, entry: Entry) -> IngestOutcome:
    """Ingest one entry (read here, safely) or refuse it; ``FileNotFoundError`` if it went."""
    label = str(entry.path)
    if entry.refusal is not None:
        return IngestOutcome(label, "failed", None, f"{label}: not read: {entry.refusal}")
    try:
        data = await asyncio.to_thread(read_entry, entry)
    except BriefbotError as err:
        return IngestOutcome(label, "failed", None, " ".join(str(err).split()))
    # Revisions follow the real path, as for any file ingested by path.
    return await library.ingest_bytes(label, data, source_key=str(entry.target))


async def poll_inbox(
    library: Library,
    folder: str | Path,
    *,
    settle_seconds: float = SETTLE_SECONDS,
    clock: Callable[[], datetime] | None = None,
) -> list[IngestOutcome]:
    """Ingest the new files in ``folder`` once; one outcome per file handled.

    Creates the folder (and ``done/``, ``failed/``) when missing. Never raises
    for a bad file: its outcome says ``failed`` and why.
    """
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    now = (clock or (lambda: datetime.now(UTC)))()
    outcomes: list[IngestOutcome] = []
    for entry in scan(folder, now=now.timestamp(), settle_seconds=settle_seconds):
        path, key = entry.path, entry.key
        if await _seen(library, key):
            continue
        try:
            outcome = await _ingest(library, entry)
        except FileNotFoundError:
            continue  # vanished between listing and now: someone else took it
        if outcome.status == "failed" and not os.path.lexists(path):
            continue  # another poller (the bot, a cron run) took it meanwhile
        moved: Path | None = None
        try:
            if outcome.status == "failed":
                moved = _move(path, folder / FAILED_DIR)
                moved.with_name(moved.name + ".error.txt").write_text(
                    f"{outcome.message}\n"
                    f"failed at {now.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC; fix the file and "
                    f"drop it in {folder} again.\n",
                    encoding="utf-8",
                )
            else:
                moved = _move(path, folder / DONE_DIR)
        except OSError as err:
            # Remembered in inbox_files all the same, so it is not ingested again.
            log.warning("inbox: could not move %s: %s", path, err)
        await _record(library, key, path, outcome, moved, now)
        outcomes.append(outcome)
    return outcomes
