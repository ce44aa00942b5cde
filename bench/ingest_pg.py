"""Ingest throughput with 1 and 2 concurrent writers, SQLite beside PostgreSQL, and search latency.

Run: ``.venv/bin/python bench/ingest_pg.py [--limit N] [--queries N]``

The QMSum meetings (``../shared/eval/qmsum``, first ``--limit`` of them), full
ingest (every default step), into a fresh database per pass, on each engine:

1. one writer: one process ingests every meeting;
2. two writers: two processes started at the same instant, each ingesting half.

Prints meetings/s and MB/s per pass (wall time from the start signal to the last
process done) and each pass's time as a multiple of SQLite's one-writer pass, in
the same run. On both engines an ingest's write transaction holds the write
lock (SQLite's, or PostgreSQL's advisory lock), so only the prepare half
(parsing, briefs, tokenizing) of two writers overlaps. Then the same queries are
searched on both libraries: p50/p95 per query (the index is in memory either
way), PostgreSQL twice: as round 1 searched (each excerpt cut by ``substr()`` in
the database, the catch-up check at every search), then as now (texts cached,
the check at most once a second), with SQLite before and after as the baseline.
Exits 1 if a meeting fails or seqs are not 1..N.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from _at_once import run_at_once  # noqa: E402
from ingest import meetings  # noqa: E402
from pg_server import start_server  # noqa: E402

from briefs.library import Library  # noqa: E402

QUERIES = ["budget", "remote control design", "marketing strategy", "user interface",
           "battery", "project manager", "speech recognition", "funding", "schedule",
           "evaluation"]


def _writer(db: str, files: list[str], go: Any, out: Any) -> None:
    async def run() -> tuple[int, int]:
        lib = await Library.open(db, llm=None)
        try:
            report = await lib.ingest_paths(files)
            return int(report.added), int(report.failed)
        finally:
            await lib.close()

    go.wait()
    try:
        out.put(asyncio.run(run()))
    except BaseException as err:
        out.put((0, -1))
        raise SystemExit(f"writer failed: {err}") from None


def one_pass(db: str, files: list[Path], writers: int) -> tuple[float, int, int]:
    asyncio.run(_migrate(db))  # every writer then starts on a migrated database
    shares = [[str(f) for f in files[i::writers]] for i in range(writers)]
    wall, results = run_at_once(_writer, [(db, s) for s in shares], timeout=3600)
    return wall, sum(r[0] for r in results), sum(max(r[1], 0) + (r[1] < 0) for r in results)


async def _migrate(db: str) -> None:
    lib = await Library.open(db, llm=None)
    await lib.close()


async def _seqs_and_latency(
    db: str, queries: int, *, round_one: bool = False
) -> tuple[list[int], list[float]]:
    """Sequence numbers and per-query milliseconds. ``round_one``: as the first
    PostgreSQL store searched (excerpts cut by ``substr()`` in the database, the
    catch-up check at every search), the baseline of the same run."""
    lib = await Library.open(db, llm=None)
    if round_one:
        lib.store.index.cache_texts = False
        lib.search_engine.sync_interval = 0.0  # type: ignore[union-attr]
    try:
        seqs = sorted(i.seq for i in await lib.list_transcripts(limit=-1))
        times = []
        for _ in range(queries):
            for q in QUERIES:
                t0 = time.perf_counter()
                await lib.search(q)
                times.append((time.perf_counter() - t0) * 1000)
        return seqs, times
    finally:
        await lib.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--queries", type=int, default=5, help="rounds of the query list")
    args = parser.parse_args()
    files = meetings()[: args.limit]
    if not files:
        print("no QMSum meetings under ../shared/eval/qmsum")
        return 1
    mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"{len(files)} meetings, {mb:.1f} MB")
    server = start_server()
    bad = False
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base: float | None = None
            libraries = {}
            for engine in ("sqlite", "postgres"):
                for writers in (1, 2):
                    if engine == "sqlite":
                        db = str(Path(tmp) / f"w{writers}.db")
                    else:
                        db = server.new_database()
                    wall, added, failed = one_pass(db, files, writers)
                    base = base or wall
                    print(f"{engine:8} {writers} writer(s): {added} added, {failed} failed in"
                          f" {wall:.2f} s: {len(files) / wall:.2f} meetings/s,"
                          f" {mb / wall:.2f} MB/s ({wall / base:.2f}x sqlite 1 writer)")
                    bad |= failed > 0 or added != len(files)
                    libraries[(engine, writers)] = db
            for engine, round_one in (("sqlite", False), ("postgres", True),
                                      ("postgres", False), ("sqlite", False)):
                seqs, ms = asyncio.run(_seqs_and_latency(libraries[(engine, 2)], args.queries,
                                                         round_one=round_one))
                bad |= seqs != list(range(1, len(files) + 1))
                q = statistics.quantiles(ms, n=20)
                label = f"{engine} (substr, check each search)" if round_one else engine
                print(f"{label:8} search: p50 {statistics.median(ms):.2f} ms,"
                      f" p95 {q[18]:.2f} ms over {len(ms)} queries; seqs 1..{len(seqs)}"
                      f" {'distinct' if len(set(seqs)) == len(seqs) else 'NOT distinct'}")
    finally:
        server.stop()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
