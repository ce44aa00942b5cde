"""Quote-search index speed: briefbot's BM25Index beside rank-bm25, same corpus.

Synthetic passages of 40-120 words from a Zipfian vocabulary; queries of 1-3
words drawn from the corpus's own word distribution, skipping the 50 most
frequent words (the tokenizer drops stopwords, so no real query holds them).
For each size it reports, in one run: build time and memory for both
engines, query latency (median, p99) for top-10 with the canonical tie-break
(score descending, then passage id), the time to add one 200-passage
transcript to the built index, and top-10 agreement with rank-bm25.

    .venv/bin/python bench/search.py            # 10k, 100k and 1M passages
    .venv/bin/python bench/search.py --quick    # 10k and 100k only
    .venv/bin/python bench/search.py --sizes 1000000 --no-oracle   # ours only
    .venv/bin/python bench/search.py --sizes 1000000 --no-oracle --frequent

At 1M rank-bm25 is slow (seconds a query) and large: only a few of its
queries run there. Memory is the resident-set growth while building, read
from /proc (Linux).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rank_bm25 import BM25Okapi

from briefs.search import BM25Index

VOCAB = 200_000
ZIPF_S = 1.0
SKIP_TOP = 50


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def make_corpus(n: int, rng: np.random.Generator, words: list[str]) -> list[list[str]]:
    p = 1.0 / np.arange(1, VOCAB + 1) ** ZIPF_S
    cdf = np.cumsum(p / p.sum())
    lengths = rng.integers(40, 121, size=n)
    ids = np.searchsorted(cdf, rng.random(int(lengths.sum())))
    flat = [words[i] for i in ids.tolist()]
    out, pos = [], 0
    for length in lengths.tolist():
        out.append(flat[pos : pos + length])
        pos += length
    return out


def make_queries(docs: list[list[str]], rng: np.random.Generator, n: int) -> list[list[str]]:
    rank = {f"w{i}": i for i in range(VOCAB)}
    sample = [w for d in docs[: min(len(docs), 20_000)] for w in d if rank[w] >= SKIP_TOP]
    picks = rng.integers(0, len(sample), size=3 * n)
    sizes = rng.integers(1, 4, size=n)
    queries, at = [], 0
    for size in sizes.tolist():
        queries.append([sample[i] for i in picks[at : at + size].tolist()])
        at += size
    return queries


def canonical_top(ids: np.ndarray, scores: np.ndarray, k: int = 10) -> list[int]:
    keep = scores > 0
    ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:k]
    return [int(ids[i]) for i in order]


def ms(values: list[float]) -> tuple[float, float]:
    arr = np.asarray(values) * 1000
    return float(np.median(arr)), float(np.percentile(arr, 99))


def frequent_queries(rng: np.random.Generator, n: int) -> list[list[str]]:
    """Three words each among the 50th-150th most frequent (5-11% of
    passages): the best passages hold all three once, the hardest to prune."""
    return [[f"w{r}" for r in rng.integers(SKIP_TOP, 150, size=3).tolist()] for _ in range(n)]


def bench(
    n: int, n_ref_queries: int, rng: np.random.Generator, words: list[str], oracle: bool = True,
    frequent: bool = False,
) -> dict:
    docs = make_corpus(n, rng, words)
    queries = make_queries(docs, rng, 200)
    if frequent:  # drawn from a separate stream: the corpus stays the same
        queries = frequent_queries(np.random.default_rng(n), 200)
    gc.collect()

    before = rss_mb()
    t0 = time.perf_counter()
    index = BM25Index()
    chunk = 100_000
    for start in range(0, n, chunk):
        part = docs[start : start + chunk]
        index.add(list(range(start, start + len(part))), part, group=start // chunk)
    index.compact()
    build = time.perf_counter() - t0
    gc.collect()
    ours_rss = rss_mb() - before
    ours_arrays = index.nbytes() / 2**20

    for q in queries[:20]:  # warm caches
        index.top_k(q, 10)
    lat = []
    for q in queries:
        t = time.perf_counter()
        index.top_k(q, 10)
        lat.append(time.perf_counter() - t)
    ours_med, ours_p99 = ms(lat)

    ref_build = ref_rss = ref_med = ref_p99 = float("nan")
    agree, ref_queries = 0, queries[:n_ref_queries] if oracle else []
    if oracle:
        before = rss_mb()
        t0 = time.perf_counter()
        ref = BM25Okapi(docs)
        ref_build = time.perf_counter() - t0
        gc.collect()
        ref_rss = rss_mb() - before
        ref_lat = []
        for q in ref_queries:
            t = time.perf_counter()
            scores = ref.get_scores(q)
            top = canonical_top(np.arange(n), scores)
            ref_lat.append(time.perf_counter() - t)
            agree += [m.passage_id for m in index.top_k(q, 10)] == top
        ref_med, ref_p99 = ms(ref_lat)
        del ref
        gc.collect()
    else:  # our full scorer (every posting), which the tests hold to rank-bm25
        ref_queries = queries
        agree = sum(index.top_k(q, 10) == index.ranked(q, 10)[0] for q in queries)

    adds = []
    for i in range(5):
        transcript = make_corpus(200, rng, words)
        first = n + i * 200
        t = time.perf_counter()
        index.add(list(range(first, first + 200)), transcript, group=10_000 + i)
        adds.append(time.perf_counter() - t)
    lat_after = []
    for q in queries:
        t = time.perf_counter()
        index.top_k(q, 10)
        lat_after.append(time.perf_counter() - t)
    after_med, after_p99 = ms(lat_after)
    return {
        "n": n, "build": build, "ours_rss": ours_rss, "ours_arrays": ours_arrays,
        "ours_med": ours_med, "ours_p99": ours_p99, "ref_build": ref_build, "ref_rss": ref_rss,
        "ref_med": ref_med, "ref_p99": ref_p99, "ref_queries": len(ref_queries),
        "agree": agree, "add_med": statistics.median(adds) * 1000, "add_max": max(adds) * 1000,
        "after_med": after_med, "after_p99": after_p99, "segments": index.segment_count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k passages only")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")],
                        help="comma-separated passage counts (default 10k,100k,1M)")
    parser.add_argument("--frequent", action="store_true",
                        help="queries of three very frequent words instead")
    parser.add_argument("--no-oracle", action="store_true",
                        help="skip rank-bm25 (its build needs ~2 GB at 1M)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    words = [f"w{i}" for i in range(VOCAB)]
    ref_queries = {10_000: 200, 100_000: 50}
    wanted = args.sizes or [10_000, 100_000] + ([] if args.quick else [1_000_000])
    # The corpora come from one random stream in size order, so a size run
    # alone still draws the passages and queries it draws in a full run.
    everything = sorted(set(wanted) | {10_000, 100_000})
    print("| passages | engine | build s | memory MB | median ms | p99 ms | top-10 = rank-bm25 |"
          " add 200 passages ms (median / max of 5) |")
    print("|---|---|---|---|---|---|---|---|")
    for n in everything:
        if n not in wanted:
            make_queries(make_corpus(n, rng, words), rng, 200)  # keep the stream aligned
            for _ in range(5):
                make_corpus(200, rng, words)
            continue
        r = bench(n, ref_queries.get(n, 5), rng, words, oracle=not args.no_oracle,
                  frequent=args.frequent)
        print(f"| {n:,} | briefbot BM25Index | {r['build']:.1f} | {r['ours_rss']:.0f}"
              f" (arrays {r['ours_arrays']:.0f}) | {r['ours_med']:.3f} | {r['ours_p99']:.3f} |"
              f" {r['agree']}/{r['ref_queries']}{' (full scoring)' if args.no_oracle else ''} |"
              f" {r['add_med']:.0f} / {r['add_max']:.0f} |")
        if not args.no_oracle:
            print(f"| {n:,} | rank-bm25 get_scores | {r['ref_build']:.1f} | {r['ref_rss']:.0f} |"
                  f" {r['ref_med']:.1f} | {r['ref_p99']:.1f} ({r['ref_queries']} queries) |"
                  " - | - |")
        speedup = f"{r['ref_med'] / r['ours_med']:.0f}x" if not args.no_oracle else "-"
        print(f"|  | speed-up (median) | | | {speedup} | | | after 5 adds:"
              f" median {r['after_med']:.3f} ms, p99 {r['after_p99']:.3f} ms,"
              f" {r['segments']} segments |", flush=True)


if __name__ == "__main__":
    main()
