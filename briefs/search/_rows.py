"""The search index's rows in the store (migration 0003_search.sql).

Every function takes the aiosqlite connection; writers run inside the
caller's transaction (ingest) or open their own (start-up backfill, reindex).
"""

from __future__ import annotations

from collections.abc import Iterable

import aiosqlite
import numpy as np

from briefs.search._index import Encoded

__all__ = [
    "TOKENIZER_VERSION",
    "PassageRow",
    "TranscriptRow",
    "assign_term_ids",
    "indexed_transcripts",
    "load_docs",
    "load_transcripts",
    "load_vocab",
    "passage_rows",
    "passage_speakers",
    "passages_text",
    "stale_transcripts",
    "write_docs",
]

TOKENIZER_VERSION = 2
"""Bump when briefs.tokenize changes its output: start-up then re-tokenizes."""

TranscriptRow = tuple[int, str, str, str | None]  # pk, id, title, date
PassageRow = tuple[int, int, str, int, int, float | None, str, int]
# id, transcript_pk, speaker, start, end, time, text, turn_index


async def load_transcripts(db: aiosqlite.Connection) -> list[TranscriptRow]:
    cur = await db.execute(
        "SELECT pk, id, title, date FROM transcripts WHERE current = 1 ORDER BY pk"
    )
    return [(r[0], r[1], r[2], r[3]) for r in await cur.fetchall()]


async def load_vocab(db: aiosqlite.Connection) -> dict[str, int]:
    cur = await db.execute("SELECT term, id FROM search_vocab")
    return {r[0]: r[1] for r in await cur.fetchall()}


async def indexed_transcripts(db: aiosqlite.Connection) -> set[int]:
    """Current transcripts that have index rows for this tokenizer version."""
    cur = await db.execute(
        "SELECT d.transcript_pk FROM search_docs d JOIN transcripts t ON t.pk = d.transcript_pk"
        " WHERE t.current = 1 AND d.tokenizer = ?",
        (TOKENIZER_VERSION,),
    )
    return {r[0] for r in await cur.fetchall()}


async def load_docs(
    db: aiosqlite.Connection, only: set[int] | None = None
) -> list[tuple[int, np.ndarray, Encoded]]:
    """(transcript pk, passage ids, encoded passages) of every current transcript
    (or of the ``only`` ones)."""
    cur = await db.execute(
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
        out.append((pk, np.frombuffer(pids, dtype="<i8").astype(np.int64), enc))
    return out


async def passage_speakers(db: aiosqlite.Connection) -> list[tuple[int, str]]:
    """(passage id, speaker) of every passage of a current transcript."""
    cur = await db.execute(
        "SELECT p.id, p.speaker FROM passages p JOIN transcripts t ON t.pk = p.transcript_pk"
        " WHERE t.current = 1"
    )
    return [(r[0], r[1]) for r in await cur.fetchall()]


async def stale_transcripts(db: aiosqlite.Connection) -> list[int]:
    """Current transcripts with no index rows for this tokenizer version."""
    cur = await db.execute(
        "SELECT t.pk FROM transcripts t LEFT JOIN search_docs d ON d.transcript_pk = t.pk"
        " WHERE t.current = 1 AND (d.transcript_pk IS NULL OR d.tokenizer != ?)"
        " ORDER BY t.pk",
        (TOKENIZER_VERSION,),
    )
    return [r[0] for r in await cur.fetchall()]


async def passage_rows(db: aiosqlite.Connection, pks: Iterable[int]) -> list[PassageRow]:
    """Passages of the given transcripts with their text, in id order."""
    out: list[PassageRow] = []
    for pk in pks:
        cur = await db.execute(
            'SELECT p.id, p.transcript_pk, p.speaker, p.start, p."end", p.time,'
            ' substr(t.text, p.start + 1, p."end" - p.start), p.turn_index'
            " FROM passages p JOIN transcripts t ON t.pk = p.transcript_pk"
            " WHERE p.transcript_pk = ? ORDER BY p.id",
            (pk,),
        )
        out.extend(tuple(r) for r in await cur.fetchall())  # type: ignore[misc]
    return out


async def passages_text(db: aiosqlite.Connection, ids: list[int]) -> dict[int, PassageRow]:
    """Passages by id, with their text (for excerpts)."""
    out: dict[int, PassageRow] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        cur = await db.execute(
            'SELECT p.id, p.transcript_pk, p.speaker, p.start, p."end", p.time,'
            ' substr(t.text, p.start + 1, p."end" - p.start), p.turn_index'
            " FROM passages p JOIN transcripts t ON t.pk = p.transcript_pk"
            f" WHERE p.id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for r in await cur.fetchall():
            out[r[0]] = tuple(r)  # type: ignore[assignment]
    return out


async def assign_term_ids(
    db: aiosqlite.Connection, terms: set[str], known: dict[str, int]
) -> dict[str, int]:
    """Ids for ``terms`` unknown to ``known``: the store's, or new rows.

    Looks in the store first, so another process's new terms keep their ids.
    """
    new = sorted(t for t in terms if t not in known)
    if not new:
        return {}
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


async def write_docs(
    db: aiosqlite.Connection, pk: int, passage_ids: list[int], enc: Encoded
) -> None:
    width = 2 if enc.tfs.dtype == np.uint16 else 4
    await db.execute(
        "INSERT OR REPLACE INTO search_docs"
        " (transcript_pk, tokenizer, passage_ids, counts, term_ids, tfs, tf_width)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            pk, TOKENIZER_VERSION,
            np.asarray(passage_ids, dtype="<i8").tobytes(),
            enc.counts.astype("<i4").tobytes(),
            enc.term_ids.astype("<i4").tobytes(),
            enc.tfs.astype("<u2" if width == 2 else "<u4").tobytes(),
            width,
        ),
    )
