"""Removing a transcript (``Library.remove``), in one transaction.

What goes: the transcript row and, through ``ON DELETE CASCADE``, its turns,
passages, brief and search rows. Around it:

- Revisions. Removing the current revision makes the one it superseded
  current again: the library is as if the removed revision had never been
  ingested (listings, search and ``resolve`` find the older one). Removing an
  older revision links the next one to the revision before it.
- Digests. Composition reads ``seq > watermark`` from the transcripts table,
  so a removed transcript is simply not in any digest composed later. A
  digest composed but not yet sent that covers it is dropped and its
  subscriber made due again: the next run composes it without the
  transcript. Digests already sent (or being sent) stay as they are.
- ``removed_transcripts`` keeps its pk, seq and id, so none is reused
  (see 0008_removed.sql).
- Feed episodes and inbox files keep their record (``transcript_id`` stays,
  as history): a removed episode or file is not fetched or ingested again
  by itself; ``briefbot ingest`` of the file adds it again under a new id.

After the commit, every ingest step with a ``removed`` method updates its
in-memory state (the search index drops the passages, and loads the revision
made current again); ``unstage`` writes its rows inside the transaction.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from briefs.store import Removal, Store, iso, utc_stamp

__all__ = ["Removal", "remove_transcript"]

log = logging.getLogger(__name__)


async def remove_transcript(
    library: Any, transcript_id: str, *, now: datetime
) -> Removal:
    """Remove ``transcript_id`` (an exact id, any revision); raises NotFound."""
    store: Store = library.store
    wanted = transcript_id.strip()
    async with store.transaction():
        # Looked up under the write lock: another writer may have just removed it.
        removal = await store.transcripts.remove(
            wanted, removed_at=utc_stamp(now), now_iso=iso(now)
        )
        for step in library.steps:
            unstage = getattr(step, "unstage", None)
            if unstage is not None:
                await unstage(store, removal)
    problems: list[str] = []
    for step in library.steps:
        removed = getattr(step, "removed", None)
        if removed is None:
            continue
        try:
            removed(removal)
        except Exception as err:  # committed: report, never undo
            log.warning("%s.removed failed for %s: %s", type(step).__name__, removal.id, err)
            problems.append(f"{type(step).__name__} not updated: {err}")
    return replace(removal, warnings=tuple(problems)) if problems else removal
