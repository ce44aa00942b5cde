"""The ingest step that keeps the search index current (see ``IngestStep``).

``prepare`` tokenizes in the ingest's worker thread; ``stage`` writes the rows in
the ingest transaction; ``committed`` updates the in-memory index after commit.
``unstage`` / ``removed`` do the same for ``Library.remove``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from briefs.passages import Passage
from briefs.search._encode import Encoded, encode_local, renumber
from briefs.search._remove import Restore, apply_removal, stage_removal
from briefs.store import Store, StoredRef
from briefs.tokenize import tokenize
from briefs.transcript import Transcript

if TYPE_CHECKING:
    from briefs.library import Removal
    from briefs.search._quotes import QuoteSearch

__all__ = ["SearchStep"]


class SearchStep:
    """The ingest step that keeps the search index current (see IngestStep)."""

    def __init__(self, search: QuoteSearch) -> None:
        self._search = search
        self._pending: dict[int, tuple[dict[str, int], object]] = {}
        self._restore: Restore | None = None

    def prepare(self, transcript: Transcript, passages: list[Passage]) -> tuple[list[str], Encoded]:
        # In a worker thread: tokenize with this transcript's own term ids;
        # ``stage`` only swaps in the store's ids. Reads no shared state.
        return encode_local([tokenize(p.text) for p in passages])

    async def stage(
        self, store: Store, stored: StoredRef, transcript: Transcript,
        passages: list[Passage], prepared: tuple[list[str], Encoded],
    ) -> None:
        # Only the ingest in flight can commit: older entries were rolled back.
        self._pending.clear()
        index = self._search.index
        terms, local = prepared
        new_ids = await store.index.assign_term_ids(set(terms), index.vocab)
        ids = np.fromiter(
            (index.vocab[t] if t in index.vocab else new_ids[t] for t in terms),
            dtype=np.int64, count=len(terms),
        )
        enc = renumber(local, ids)
        await store.index.write_docs(stored.pk, [p.id for p in passages], enc)
        if stored.supersedes_pk is not None:
            await store.index.delete_docs(stored.supersedes_pk)
        self._pending[stored.pk] = (new_ids, enc)

    def committed(self, stored: StoredRef, transcript: Transcript, passages: list[Passage]) -> None:
        new_ids, enc = self._pending.pop(stored.pk)
        s = self._search
        if stored.supersedes_pk is not None:
            s.index.remove_group(stored.supersedes_pk)
            s.docs.pop(stored.supersedes_pk, None)
            s.indexed.discard(stored.supersedes_pk)
        s.index.add_terms(new_ids)
        s.docs[stored.pk] = s.doc_entry(stored.id, transcript.title, transcript.date,
                                        transcript.metadata)
        s.index.add_encoded(
            [p.id for p in passages], enc,  # type: ignore[arg-type]
            group=stored.pk, tags=[s.speaker_tag(p.speaker) for p in passages],
        )
        s.indexed.add(stored.pk)

    async def unstage(self, store: Store, removal: Removal) -> None:
        """``Library.remove``, in its transaction (see briefs.search._remove)."""
        self._restore = await stage_removal(self._search, store, removal)

    def removed(self, removal: Removal) -> None:
        """After the removal's commit: retire its passages, load a restored revision."""
        restore, self._restore = self._restore, None
        apply_removal(self._search, removal, restore)
