"""Ingest speed over the QMSum meetings (../shared/eval/qmsum/{train,val}).

Run: ``.venv/bin/python bench/ingest.py [--repeat N]``, or
``.venv/bin/python bench/ingest.py --sizes 1,4,16`` for the growth mode below, or
``--parse-only`` for pass 1 alone (``PYTHONPATH=<tree>`` compares two trees' readers).

Three passes over the same files, in this process, so the ratios compare like
with like on whatever machine runs it:

1. baseline: read + parse every file (``briefs.readers.read_path``), no store;
2. core ingest: ``Library.ingest_paths`` into a fresh temporary database with
   no ingest steps (transcript, turns and passages in one transaction each);
3. full ingest: ``Library.open`` on a fresh database, so every default step
   (brief, search index, ...) runs too.

Prints transcripts/s and MB/s for each, and each pass's time as a multiple of
the baseline. Exits 1 if any meeting fails to ingest.

``--sizes``: one synthetic plain-text dialogue per size (MB), each uploaded
through ``Library.ingest_bytes`` into a fresh database with every default
step; prints MB/s and its ratio to the first (smallest) size's, which stays
near 1 when cost is linear, plus the longest the event loop went without
running a ticker coroutine and how long the write transaction was held.
Words are drawn with the frequencies of ``briefs/samples`` (seeded), so every
sentence is new text, as in a real long upload.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
# PYTHONPATH=<tree> measures that tree's engine (two trees' readers compared on the
# same files); inserted first, this tree would always win over it.
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

from briefs.library import IngestReport, Library  # noqa: E402
from briefs.readers import read_path  # noqa: E402
from briefs.store import Store  # noqa: E402

T = TypeVar("T")
QMSUM = ROOT.parent / "shared" / "eval" / "qmsum"


def meetings() -> list[Path]:
    return sorted(p for split in ("train", "val") for p in (QMSUM / split).glob("*.json"))


def parse_only(files: list[Path]) -> int:
    return sum(len(read_path(f).turns) for f in files)


async def ingest(files: list[Path], db: Path, full: bool) -> IngestReport:
    if full:
        lib = await Library.open(db)
    else:
        lib = Library(await Store.open(db))
    try:
        return await lib.ingest_paths([str(f) for f in files])
    finally:
        await lib.close()


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def best_of(repeat: int, fn: Callable[[int], T]) -> tuple[float, T]:
    """The fastest of ``repeat`` runs of ``fn(run_number)``, with its result."""
    runs = [timed(partial(fn, i)) for i in range(repeat)]
    return min(runs, key=lambda r: r[0])


def synthetic_dialogue(mb: float, seed: int = 1) -> bytes:
    """About ``mb`` MB of ``Name: sentences`` turns (see the module docstring)."""
    samples = sorted((ROOT / "briefs" / "samples").glob("*.txt"))
    words = re.findall(r"[A-Za-z']+", " ".join(p.read_text(encoding="utf-8") for p in samples))
    r = random.Random(seed)
    turns: list[str] = []
    size = 0
    while size < mb * 1e6:
        sentences = []
        for _ in range(r.randint(1, 6)):
            w = r.choices(words, k=r.randint(6, 20))
            sentences.append(" ".join(w).capitalize() + r.choice(".?.!."))
        turn = f"{r.choice(['Alex', 'Greg', 'Dana'])}: " + " ".join(sentences)
        turns.append(turn)
        size += len(turn) + 2
    return "\n\n".join(turns).encode()


async def ingest_one(name: str, data: bytes, db: Path) -> tuple[float, float, float, str]:
    """(seconds, longest loop stall, write transaction held, outcome status)."""
    lib = await Library.open(db, llm=None)
    held: list[float] = []
    real = lib.store.transaction

    @asynccontextmanager
    async def timed() -> Any:
        t0 = time.perf_counter()
        try:
            async with real() as conn:
                yield conn
        finally:
            held.append(time.perf_counter() - t0)

    lib.store.transaction = timed  # type: ignore[method-assign]
    stall = 0.0
    running = True

    async def ticker() -> None:
        nonlocal stall
        while running:
            t0 = time.perf_counter()
            await asyncio.sleep(0.005)
            stall = max(stall, time.perf_counter() - t0 - 0.005)

    try:
        tick = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        t0 = time.perf_counter()
        outcome = await lib.ingest_bytes(name, data)
        seconds = time.perf_counter() - t0
        running = False
        await tick
        return seconds, stall, max(held, default=0.0), outcome.status
    finally:
        await lib.close()


def sizes_mode(sizes: list[float]) -> int:
    print(f"{'MB':>6}{'turns':>9}{'seconds':>10}{'MB/s':>8}{'x MB/s of first':>17}"
          f"{'loop stall s':>14}{'write lock s':>14}")
    first: float | None = None
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, mb in enumerate(sizes):
            data = synthetic_dialogue(mb)
            real_mb = len(data) / 1e6
            turns = data.count(b"\n\n") + 1
            seconds, stall, held, status = asyncio.run(
                ingest_one(f"synthetic-{mb:g}mb.txt", data, Path(tmp) / f"size{n}.db"))
            rate = real_mb / seconds
            first = first or rate
            print(f"{real_mb:>6.1f}{turns:>9,}{seconds:>10.1f}{rate:>8.3f}{rate / first:>17.2f}"
                  f"{stall:>14.3f}{held:>14.3f}", flush=True)
            if status != "added":
                failed += 1
                print(f"  {mb:g} MB: {status}", file=sys.stderr)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per pass")
    parser.add_argument("--sizes", help="growth mode: synthetic uploads of these MB, e.g. 1,4,16")
    parser.add_argument("--parse-only", action="store_true",
                        help="the read + parse pass alone (to compare two trees with PYTHONPATH)")
    args = parser.parse_args()
    if args.sizes:
        return sizes_mode([float(x) for x in args.sizes.split(",")])
    files = meetings()
    if not files:
        print(f"no QMSum meetings under {QMSUM}", file=sys.stderr)
        return 2
    mb = sum(f.stat().st_size for f in files) / 1e6
    import briefs

    engine = Path(briefs.__file__).parent.parent
    print(f"{len(files)} QMSum meetings, {mb:.1f} MB of JSON (engine: {engine})")

    base_s, turns = best_of(args.repeat, lambda i: parse_only(files))
    if args.parse_only:
        print(f"read + parse: {base_s:.2f} s, {mb / base_s:.2f} MB/s, {turns} turns")
        return 0
    results: list[tuple[str, float]] = [("read + parse (baseline)", base_s)]
    reports: dict[str, IngestReport] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, full) in enumerate(
            [("core ingest (no steps)", False), ("full ingest (default steps)", True)]
        ):

            def run(i: int, n: int = n, full: bool = full) -> IngestReport:
                return asyncio.run(ingest(files, Path(tmp) / f"pass{n}-run{i}.db", full))

            seconds, report = best_of(args.repeat, run)
            results.append((name, seconds))
            reports[name] = report

    print(f"{'pass':<30}{'seconds':>9}{'transcripts/s':>15}{'MB/s':>8}{'x baseline':>12}")
    for name, seconds in results:
        print(
            f"{name:<30}{seconds:>9.2f}{len(files) / seconds:>15.1f}"
            f"{mb / seconds:>8.2f}{seconds / base_s:>12.2f}"
        )
    print(f"turns parsed: {turns}")
    failed = 0
    for name, report in reports.items():
        print(f"{name}: {report.summary()}")
        for o in report.outcomes:
            if o.status == "failed":
                failed += 1
                print(f"  failed: {o.path}: {o.message}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
