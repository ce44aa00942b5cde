"""Ingest speed over the QMSum meetings (../shared/eval/qmsum/{train,val}).

Run: ``.venv/bin/python bench/ingest.py [--repeat N]``

Three passes over the same files, in this process, so the ratios compare like
with like on whatever machine runs it:

1. baseline: read + parse every file (``briefs.readers.read_path``), no store;
2. core ingest: ``Library.ingest_paths`` into a fresh temporary database with
   no ingest steps (transcript, turns and passages in one transaction each);
3. full ingest: ``Library.open`` on a fresh database, so every default step
   (brief, search index, ...) runs too.

Prints transcripts/s and MB/s for each, and each pass's time as a multiple of
the baseline. Exits 1 if any meeting fails to ingest.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per pass")
    args = parser.parse_args()
    files = meetings()
    if not files:
        print(f"no QMSum meetings under {QMSUM}", file=sys.stderr)
        return 2
    mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"{len(files)} QMSum meetings, {mb:.1f} MB of JSON")

    base_s, turns = best_of(args.repeat, lambda i: parse_only(files))
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
