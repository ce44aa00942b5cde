"""``Library.remove`` speed: one transaction plus the in-memory index update.

Builds a library of synthetic transcripts (speech turns from a Zipfian
vocabulary) with the search step only (briefs are not what is measured and
dominate ingest), then removes ``--remove`` of them one by one and reports the
median and worst removal time, and checks that search over the remaining
library gives exactly the hits and scores of an index loaded fresh from the
store (the "as if never added" promise).

    .venv/bin/python bench/remove.py                       # 300 transcripts, remove 20
    .venv/bin/python bench/remove.py --transcripts 1000 --remove 50
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefs.library import Library
from briefs.search import QuoteSearch
from briefs.store import Store
from briefs.transcript import Transcript, TranscriptBuilder

VOCAB = 20_000


def make_transcript(n: int, rng: np.random.Generator, words: list[str], turns: int) -> Transcript:
    p = 1.0 / np.arange(1, VOCAB + 1)
    cdf = np.cumsum(p / p.sum())
    b = TranscriptBuilder(format="text", source=f"t{n}.txt", title=f"Meeting {n}", date=None)
    for i in range(turns):
        ids = np.searchsorted(cdf, rng.random(int(rng.integers(20, 80))))
        b.add("speech", " ".join(words[j] for j in ids.tolist()) + ".", b.speaker(f"S{i % 3}"))
    return b.build()


async def run(n_transcripts: int, n_remove: int, turns: int) -> None:
    rng = np.random.default_rng(7)
    words = [f"w{i}x" for i in range(VOCAB)]
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "bench.db")
        search = await QuoteSearch.load(store)
        lib = Library(store, [search.step], search)
        t0 = time.perf_counter()
        ids = []
        for n in range(n_transcripts):
            out = await lib.ingest_transcript(
                make_transcript(n, rng, words, turns), source_key=f"bench/{n}"
            )
            ids.append(out.transcript_id or "")
        built = time.perf_counter() - t0
        passages = len(search.index)
        print(f"{n_transcripts} transcripts, {passages} passages ingested in {built:.1f} s")
        victims = rng.choice(len(ids), size=n_remove, replace=False)
        times = []
        for v in victims.tolist():
            t = time.perf_counter()
            await lib.remove(ids[v])
            times.append(time.perf_counter() - t)
        ms = [1000 * t for t in times]
        print(f"remove: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms"
              f" over {n_remove} removals ({len(search.index)} passages left)")
        fresh = await QuoteSearch.load(store)
        queries = [" ".join(words[int(i)] for i in rng.integers(50, 2000, size=2))
                   for _ in range(50)]
        same = hits = 0
        for q in queries:
            a = await search.search(q, page_size=10)
            b = await fresh.search(q, page_size=10)
            hits += len(a.hits)
            same += [(h.passage_id, h.score) for h in a.hits] == [
                (h.passage_id, h.score) for h in b.hits]
        print(f"search after removals = freshly loaded index: {same}/{len(queries)} queries"
              f" ({hits} hits compared, scores bit for bit)")
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=300)
    parser.add_argument("--remove", type=int, default=20)
    parser.add_argument("--turns", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(run(args.transcripts, args.remove, args.turns))


if __name__ == "__main__":
    main()
