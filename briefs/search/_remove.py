"""The search index's side of ``Library.remove`` (see ``briefs.library._remove``).

Inside the transaction the removed transcript's ``search_docs`` row goes by
cascade; when an older revision becomes current again, its passages are
tokenized and written here (a superseded revision has no index rows). After
the commit the in-memory index retires the removed passages and adds the
restored ones. ``BM25Index.remove_group`` keeps rank-bm25's statistics over
the live passages only (N, avgdl, df, and the average idf over terms still
present), so every score afterwards is the one rank-bm25 gives the remaining
passages, as if the removed transcript had never been added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from briefs.search._encode import Encoded, encode_docs
from briefs.tokenize import tokenize

if TYPE_CHECKING:
    from briefs.library import Removal
    from briefs.search._quotes import QuoteSearch
    from briefs.store import Store

__all__ = ["Restore", "apply_removal", "stage_removal"]


class Restore(NamedTuple):
    """Index rows written for the revision made current again, to load after commit."""

    pk: int
    doc: tuple[str, str, str | None, dict[str, str]]  # id, title, date, metadata
    passage_ids: list[int]
    speakers: list[str]
    new_terms: dict[str, int]
    enc: Encoded


async def stage_removal(search: QuoteSearch, store: Store, removal: Removal) -> Restore | None:
    """Inside the removal's transaction: index the revision made current again."""
    if removal.restored is None:
        return None
    pk = removal.restored.pk
    doc = await store.index.transcript(pk)
    if doc is None:
        return None
    passages = await store.index.passage_rows([pk])
    docs = [tokenize(p.text) for p in passages]
    vocab = search.index.vocab
    new_ids = await store.index.assign_term_ids({t for d in docs for t in d}, vocab)
    enc = encode_docs(docs, lambda t: vocab[t] if t in vocab else new_ids[t])
    await store.index.delete_docs(pk)
    await store.index.write_docs(pk, [p.id for p in passages], enc)
    return Restore(
        pk, (doc.id, doc.title, doc.date, doc.metadata), [p.id for p in passages],
        [p.speaker for p in passages], new_ids, enc,
    )


def apply_removal(search: QuoteSearch, removal: Removal, restore: Restore | None) -> None:
    """After the commit: retire the removed passages, load the restored ones."""
    search.index.remove_group(removal.pk)
    search.docs.pop(removal.pk, None)
    search.indexed.discard(removal.pk)
    if restore is None:
        return
    search.index.add_terms(restore.new_terms)
    search.docs[restore.pk] = search.doc_entry(*restore.doc)
    search.index.add_encoded(
        restore.passage_ids, restore.enc, group=restore.pk,
        tags=[search.speaker_tag(s) for s in restore.speakers],
    )
    search.indexed.add(restore.pk)
