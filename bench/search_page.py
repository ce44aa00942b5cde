"""Quote search end to end: ``QuoteSearch.search`` page 1 beside the raw index.

The library is bench/search.py's synthetic corpus (Zipfian words, passages of
40-120 words, same queries), written into a real store as transcripts of 200
passages (one passage per turn, sentences of ~12 words), with the index built
in memory from the same token lists (ingesting through the whole pipeline
would take minutes per 10k passages). Two query sets, bench/search.py's
corpus-drawn queries and its three-frequent-words ones, each timed per path
in one process:

- ``top_k``: ``BM25Index.top_k(words, 10)``, the raw pruned index;
- ``search``: ``QuoteSearch.search(query)`` page 1 of 5 (sync check, pruned
  top-k, passage texts from SQLite, excerpts, de-duplication, the count);
- ``search, every match``: the same with ``exact_count_max`` raised and
  ``FEW_GROUPS`` at 0, so it scores and counts every match and filters
  afterwards (``BM25Index.ranked`` over all postings), as before.

A third set, ``in:``, is the corpus-drawn words limited to one transcript
(``in:t<n>``), where the fast path scores only that transcript's passages.

    .venv/bin/python bench/search_page.py                      # 100k passages
    .venv/bin/python bench/search_page.py --sizes 1000000      # ~1 GB store, minutes
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import VOCAB, frequent_queries, make_corpus, make_queries, ms  # bench/search.py

import briefs.search._filter
from briefs.search._quotes import QuoteSearch, _Doc
from briefs.store import Store

PER_TRANSCRIPT = 200
FAST = (QuoteSearch.exact_count_max, briefs.search._filter.FEW_GROUPS)
EVERY_MATCH = (10**12, 0)


def _path(search: QuoteSearch, setting: tuple[int, int]) -> None:
    search.exact_count_max, briefs.search._filter.FEW_GROUPS = setting


def _passage_text(words: list[str]) -> str:
    sentences = [" ".join(words[i : i + 12]).capitalize() + "." for i in range(0, len(words), 12)]
    return " ".join(sentences)


async def build(path: Path, docs: list[list[str]]) -> tuple[Store, QuoteSearch]:
    store = await Store.open(path)
    db = store.db
    search = QuoteSearch(store)
    await db.execute("BEGIN")
    for t, first in enumerate(range(0, len(docs), PER_TRANSCRIPT)):
        part = docs[first : first + PER_TRANSCRIPT]
        texts = [_passage_text(d) for d in part]
        text = "\n\n".join(texts)
        cur = await db.execute(
            "INSERT INTO transcripts (id, seq, title, date, format, source, source_key,"
            " revision, supersedes_pk, current, content_hash, text, speakers, metadata,"
            " source_summary, warnings, turn_count, word_count, ingested_at)"
            " VALUES (?, ?, ?, ?, 'text', ?, ?, 1, NULL, 1, ?, ?, '[]', '{}', '', '[]', ?, ?,"
            " '2026-01-01T00:00:00+00:00')",
            (f"t{t}", t + 1, f"Talk {t}", "2026-01-01", f"t{t}.txt", f"t{t}.txt", f"h{t}",
             text, len(part), sum(map(len, part))),
        )
        pk = cur.lastrowid
        assert pk is not None
        spans, at = [], 0
        for s in texts:
            spans.append((at, at + len(s)))
            at += len(s) + 2
        await db.executemany(
            'INSERT INTO passages (transcript_pk, seq, turn_index, speaker, start, "end", time)'
            " VALUES (?, ?, ?, ?, ?, ?, NULL)",
            [(pk, i, i, f"Speaker {i % 4}", a, b) for i, (a, b) in enumerate(spans)],
        )
        cur = await db.execute(
            "SELECT id FROM passages WHERE transcript_pk = ? ORDER BY seq", (pk,)
        )
        pids = [r[0] for r in await cur.fetchall()]
        tags = [search.speaker_tag(f"Speaker {i % 4}") for i in range(len(part))]
        search.index.add(pids, part, group=pk, tags=tags)
        search.docs[pk] = _Doc(f"t{t}", f"Talk {t}", "2026-01-01")
    await db.execute("COMMIT")
    search.index.compact()
    # No search_docs rows and nothing marked indexed: sync() finds nothing to do.
    return store, search


async def timed(
    search: QuoteSearch, texts: list[str], queries: list[list[str]],
    groups: list[list[int] | None],
) -> dict[str, list[float]]:
    """Latencies per path, each path in its own pass after one untimed pass
    that reads every page the queries need."""
    for q in texts:  # warm the store's pages for every path alike
        await search.search(q)
    lat: dict[str, list[float]] = {}
    for name, setting in (("search", FAST), ("search, every match", EVERY_MATCH)):
        _path(search, setting)
        lat[name] = []
        for q in texts:
            t = time.perf_counter()
            await search.search(q)
            lat[name].append(time.perf_counter() - t)
    lat["top_k"] = []
    for words, only in zip(queries, groups, strict=True):
        t = time.perf_counter()
        search.index.top_k(words, 10, groups=only)
        lat["top_k"].append(time.perf_counter() - t)
    return lat


async def same_pages(search: QuoteSearch, texts: list[str]) -> int:
    same = 0
    for q in texts:
        pages = []
        for setting in (FAST, EVERY_MATCH):
            _path(search, setting)
            page = await search.search(q)
            pages.append((page.hits, page.has_more))
        same += pages[0] == pages[1]
    _path(search, FAST)
    return same


async def run(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(VOCAB)]
    docs = make_corpus(n, rng, words)
    drawn = make_queries(docs, rng, 200)
    transcripts = -(-n // PER_TRANSCRIPT)
    picks = np.random.default_rng(n + 1).integers(0, transcripts, size=len(drawn)).tolist()
    frequent = frequent_queries(np.random.default_rng(n), 200)
    sets = {
        "corpus-drawn": ([" ".join(q) for q in drawn], drawn, None),
        "frequent": ([" ".join(q) for q in frequent], frequent, None),
        "in: one transcript": ([f"{' '.join(q)} in:t{t}" for q, t in zip(drawn, picks,
                                                                          strict=True)],
                               drawn, picks),
    }
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store, search = await build(Path(tmp) / "bench.db", docs)
        built = time.perf_counter() - t0
        del docs
        try:
            print(f"{n:,} passages ({built:.0f} s to build the store and index)")
            print("| queries (200) | path | median ms | p99 ms | page 1 = every-match page 1 |")
            print("|---|---|---|---|---|")
            pk_of = {d.id: pk for pk, d in search.docs.items()}
            for label, (texts, queries, only) in sets.items():
                groups: list[list[int] | None] = (
                    [[pk_of[f"t{t}"]] for t in only] if only else [None] * len(texts))
                lat = await timed(search, texts, queries, groups)
                same = await same_pages(search, texts)
                for name in ("top_k", "search", "search, every match"):
                    med, p99 = ms(lat[name])
                    check = f"{same}/{len(queries)}" if name == "search" else ""
                    print(f"| {label} | {name} | {med:.2f} | {p99:.2f} | {check} |", flush=True)
        finally:
            await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")],
                        default=[100_000], help="comma-separated passage counts (default 100k)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for n in args.sizes:
        asyncio.run(run(n, args.seed))


if __name__ == "__main__":
    main()
