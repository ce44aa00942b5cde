"""The search index's rows (migration 0003_search.sql): vocabulary and encoded passages.

``store.index`` reads what ``QuoteSearch`` loads at start-up (no re-tokenizing)
and writes what its ingest step tokenized. Writers run inside the caller's
``Store.transaction()`` (ingest, removal, start-up backfill, reindex); nothing
here begins or commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from briefs.store._encoded import Encoded
from briefs.store._repository import Repository
from briefs.store._textcache import TextCache
from briefs.store._transcripts import parse_marks, parse_metadata

if TYPE_CHECKING:
    from briefs.store._sqlite import Store

__all__ = [
    "TOKENIZER_VERSION",
    "IndexRows",
    "SearchDoc",
    "SearchPassage",
    "SearchTranscript",
]

TOKENIZER_VERSION = 2
"""Bump when briefs.tokenize changes its output: start-up then re-tokenizes."""

# A passage's text, cut from its transcript's text by the passage's offsets.
_SLICE = 'substr(t.text, CAST(p.start + 1 AS INTEGER), CAST(p."end" - p.start AS INTEGER))'
_PASSAGE_COLUMNS = (
    f'p.id, p.transcript_pk, p.speaker, p.start, p."end", p.time, {_SLICE},'
    " p.turn_index, u.marks"
    " FROM passages p JOIN transcripts t ON t.pk = p.transcript_pk"
    " LEFT JOIN turns u ON u.transcript_pk = p.transcript_pk AND u.idx = p.turn_index"
)


@dataclass(frozen=True, slots=True)
class SearchTranscript:
    """What a search hit shows of its transcript."""

    pk: int
    id: str
    title: str
    date: str | None
    metadata: dict[str, str] = field(default_factory=dict)
    """The transcript's metadata (where its link is, ``briefs.links``)."""


@dataclass(frozen=True, slots=True)
class SearchPassage:
    """A stored passage with its text (``text == transcript.text[start:end]``)."""

    id: int
    transcript_pk: int
    speaker: str
    start: int
    end: int
    time: float | None
    text: str
    turn_index: int
    marks: tuple[tuple[int, float], ...] = ()
    """Where the timed pieces of its turn start (``Turn.marks``): an excerpt's own time."""


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One transcript's index rows: its passage ids and their encoded terms."""

    transcript_pk: int
    passage_ids: np.ndarray  # int64, in passage order
    enc: Encoded


def _passage(r: Sequence[object]) -> SearchPassage:
    return SearchPassage(*r[:8], marks=parse_marks(r[8]))  # type: ignore[arg-type,misc]


class IndexRows(Repository):
    """The search index's tables: ``search_vocab`` and ``search_docs``."""

    cache_texts = True
    """PostgreSQL: cut excerpts from cached texts; False cuts them with ``substr()`` in
    the database, as on SQLite (``bench/ingest_pg.py`` measures both)."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self._texts = TextCache()

    async def load_transcripts(self) -> list[SearchTranscript]:
        """Every current transcript, in pk order."""
        cur = await self._db.execute(
            "SELECT pk, id, title, date, metadata FROM transcripts WHERE current = 1"
            " ORDER BY pk"
        )
        rows = await cur.fetchall()
        return [SearchTranscript(r[0], r[1], r[2], r[3], parse_metadata(r[4])) for r in rows]

    async def transcript(self, pk: int) -> SearchTranscript | None:
        """One transcript by pk (current or not), or None."""
        cur = await self._db.execute(
            "SELECT pk, id, title, date, metadata FROM transcripts WHERE pk = ?", (pk,)
        )
        r = await cur.fetchone()
        return SearchTranscript(r[0], r[1], r[2], r[3], parse_metadata(r[4])) if r else None

    async def load_vocab(self) -> dict[str, int]:
        """The stored vocabulary: term -> id."""
        cur = await self._db.execute("SELECT term, id FROM search_vocab")
        return {r[0]: r[1] for r in await cur.fetchall()}

    async def indexed_transcripts(self) -> set[int]:
        """Current transcripts that have index rows for this tokenizer version."""
        cur = await self._db.execute(
            "SELECT d.transcript_pk FROM search_docs d JOIN transcripts t"
            " ON t.pk = d.transcript_pk WHERE t.current = 1 AND d.tokenizer = ?",
            (TOKENIZER_VERSION,),
        )
        return {r[0] for r in await cur.fetchall()}

    async def stale_transcripts(self) -> list[int]:
        """Current transcripts with no index rows for this tokenizer version."""
        cur = await self._db.execute(
            "SELECT t.pk FROM transcripts t LEFT JOIN search_docs d ON d.transcript_pk = t.pk"
            " WHERE t.current = 1 AND (d.transcript_pk IS NULL OR d.tokenizer != ?)"
            " ORDER BY t.pk",
            (TOKENIZER_VERSION,),
        )
        return [r[0] for r in await cur.fetchall()]

    async def load_docs(self, only: set[int] | None = None) -> list[SearchDoc]:
        """The index rows of every current transcript (or of the ``only`` ones)."""
        cur = await self._db.execute(
            "SELECT d.transcript_pk, d.passage_ids, d.counts, d.term_ids, d.tfs, d.tf_width"
            " FROM search_docs d JOIN transcripts t ON t.pk = d.transcript_pk"
            " WHERE t.current = 1 AND d.tokenizer = ? ORDER BY d.transcript_pk",
            (TOKENIZER_VERSION,),
        )
        out = []
        for pk, pids, counts, ids, tfs, width in await cur.fetchall():
            if only is not None and pk not in only:
                continue
            enc = Encoded(
                np.frombuffer(counts, dtype="<i4").astype(np.int32),
                np.frombuffer(ids, dtype="<i4").astype(np.int32),
                np.frombuffer(tfs, dtype="<u2" if width == 2 else "<u4").copy(),
            )
            out.append(SearchDoc(pk, np.frombuffer(pids, dtype="<i8").astype(np.int64), enc))
        return out

    async def passage_speakers(self) -> list[tuple[int, str]]:
        """(passage id, speaker) of every passage of a current transcript."""
        cur = await self._db.execute(
            "SELECT p.id, p.speaker FROM passages p JOIN transcripts t"
            " ON t.pk = p.transcript_pk WHERE t.current = 1"
        )
        return [(r[0], r[1]) for r in await cur.fetchall()]

    async def passage_rows(self, pks: Iterable[int]) -> list[SearchPassage]:
        """Passages of the given transcripts with their text, in id order."""
        out: list[SearchPassage] = []
        for pk in pks:
            cur = await self._db.execute(
                f"SELECT {_PASSAGE_COLUMNS} WHERE p.transcript_pk = ? ORDER BY p.id", (pk,)
            )
            out.extend(_passage(r) for r in await cur.fetchall())
        return out

    async def passages_text(self, ids: list[int]) -> dict[int, SearchPassage]:
        """Passages by id, with their text (for excerpts)."""
        if self._store.dialect == "postgres" and self.cache_texts:
            return await self._passages_cut_here(ids)
        out: dict[int, SearchPassage] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            cur = await self._db.execute(
                f"SELECT {_PASSAGE_COLUMNS} WHERE p.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for r in await cur.fetchall():
                out[r[0]] = _passage(r)
        return out

    async def _passages_cut_here(self, ids: list[int]) -> dict[int, SearchPassage]:
        # PostgreSQL: the passages' columns in one query, their text cut from the
        # transcript texts cached in memory (``_textcache``: why).
        out: dict[int, SearchPassage] = {}
        if not ids:
            return out
        cur = await self._db.execute(
            f"SELECT {_PASSAGE_COLUMNS.replace(_SLICE, 'NULL')} WHERE p.id = ANY(?)", (ids,)
        )
        rows = list(await cur.fetchall())
        cache = self._texts
        missing = cache.missing({int(r[1]) for r in rows})
        if missing:
            cur = await self._db.execute(
                "SELECT pk, text FROM transcripts WHERE pk = ANY(?)", (missing,))
            for pk, text in await cur.fetchall():
                cache.put(int(pk), str(text))
        for r in rows:
            text = cache.get(int(r[1]))
            if text is not None:
                out[r[0]] = _passage([*r[:6], text[r[3] : r[4]], *r[7:]])
        return out

    async def next_other_speaker(self, ids: list[int]) -> dict[int, int]:
        """For each passage id, the id of the first later passage of its
        transcript by someone else (the reply to a question), where one exists."""
        out: dict[int, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            cur = await self._db.execute(
                "SELECT q.id, (SELECT b.id FROM passages b WHERE b.transcript_pk ="
                " q.transcript_pk AND b.seq > q.seq AND b.speaker != q.speaker"
                " ORDER BY b.seq LIMIT 1) FROM passages q"
                f" WHERE q.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            out.update({r[0]: r[1] for r in await cur.fetchall() if r[1] is not None})
        return out

    # -- writes (inside a transaction) ------------------------------------------

    async def assign_term_ids(self, terms: set[str], known: dict[str, int]) -> dict[str, int]:
        """Ids for ``terms`` unknown to ``known``: the store's, or new rows.

        Looks in the store first, so another process's new terms keep their ids.
        """
        new = sorted(t for t in terms if t not in known)
        if not new:
            return {}
        db = self._db
        found: dict[str, int] = {}
        for i in range(0, len(new), 500):
            chunk = new[i : i + 500]
            cur = await db.execute(
                f"SELECT term, id FROM search_vocab WHERE term IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update({r[0]: r[1] for r in await cur.fetchall()})
        cur = await db.execute("SELECT coalesce(max(id), -1) + 1 FROM search_vocab")
        row = await cur.fetchone()
        next_id = max(int(row[0]) if row else 0, max(known.values(), default=-1) + 1)
        fresh = [t for t in new if t not in found]
        rows = [(next_id + i, t) for i, t in enumerate(fresh)]
        await db.executemany("INSERT INTO search_vocab (id, term) VALUES (?, ?)", rows)
        found.update({t: i for i, t in rows})
        return found

    async def write_docs(self, pk: int, passage_ids: list[int], enc: Encoded) -> None:
        """Store (or replace) one transcript's encoded passages."""
        width = 2 if enc.tfs.dtype == np.uint16 else 4
        await self._db.execute(
            "INSERT INTO search_docs"
            " (transcript_pk, tokenizer, passage_ids, counts, term_ids, tfs, tf_width)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transcript_pk) DO UPDATE SET"
            " tokenizer = excluded.tokenizer, passage_ids = excluded.passage_ids,"
            " counts = excluded.counts, term_ids = excluded.term_ids, tfs = excluded.tfs,"
            " tf_width = excluded.tf_width",
            (
                pk, TOKENIZER_VERSION,
                np.asarray(passage_ids, dtype="<i8").tobytes(),
                enc.counts.astype("<i4").tobytes(),
                enc.term_ids.astype("<i4").tobytes(),
                enc.tfs.astype("<u2" if width == 2 else "<u4").tobytes(),
                width,
            ),
        )

    async def delete_docs(self, pk: int) -> None:
        """Drop one transcript's index rows (a superseded revision keeps none)."""
        await self._db.execute("DELETE FROM search_docs WHERE transcript_pk = ?", (pk,))

    async def clear_docs(self) -> None:
        """Drop every transcript's index rows; term ids keep their meaning (another
        process may hold them in memory)."""
        await self._db.execute("DELETE FROM search_docs")
