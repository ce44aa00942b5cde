"""Brief building speed: the 65 KB interview and the QMSum meetings.

Times ``build_brief(transcript, passages)`` (what ingest runs in ``BriefStep``)
on transcripts already read and cut into passages, and, in the same process as
baselines, reading the file (``read_path``) and cutting passages
(``make_passages``), so the ratios say what a brief costs next to work ingest
does anyway. Best of ``--repeat`` runs per transcript; one thread (Python), so
one core. Target: under 1 s for the interview.

    .venv/bin/python bench/brief.py              # interview + QMSum val (35 meetings)
    .venv/bin/python bench/brief.py --split train --repeat 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefs.brief import build_brief  # noqa: E402
from briefs.passages import make_passages  # noqa: E402
from briefs.readers import read_path  # noqa: E402

SHARED = ROOT.parent / "shared"
INTERVIEW = SHARED / "corpus" / "interview-brockman-bigtech-2026.txt"


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    times = [float("inf")]
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(path: Path, repeat: int) -> tuple[float, float, float, float]:
    """Seconds to read, to cut passages, to build the brief (best of ``repeat``),
    and to build it the first time (cold word caches)."""
    read = best_of(repeat, lambda: read_path(path))
    transcript = read_path(path)
    cut = best_of(repeat, lambda: make_passages(transcript))
    passages = make_passages(transcript)
    first = best_of(1, lambda: build_brief(transcript, passages))
    build = min(first, best_of(repeat - 1, lambda: build_brief(transcript, passages)))
    return read, cut, build, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", default="val", help="QMSum split under ../shared/eval/qmsum")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per transcript")
    parser.add_argument("--skip-qmsum", action="store_true", help="time the interview only")
    args = parser.parse_args()
    if not INTERVIEW.exists():
        print(f"{INTERVIEW} is missing: ../shared is needed for this benchmark")
        return 1

    read, cut, build, first = measure(INTERVIEW, args.repeat)
    size = INTERVIEW.stat().st_size / 1024
    print(f"interview ({size:.0f} KB), best of {args.repeat}:")
    print(f"  read_path      {read * 1000:8.1f} ms   1.00 (baseline)")
    print(f"  make_passages  {cut * 1000:8.1f} ms   {cut / read:5.2f} x read")
    print(
        f"  build_brief    {build * 1000:8.1f} ms   {build / read:5.2f} x read, "
        f"{build / cut:5.2f} x make_passages   target < 1000 ms: "
        f"{'met' if build < 1.0 else 'MISSED'}"
    )

    print(f"  build_brief, first call (cold caches) {first * 1000:8.1f} ms")

    folder = SHARED / "eval" / "qmsum" / args.split
    files = [] if args.skip_qmsum else sorted(folder.glob("*.json"))
    rows = [measure(f, args.repeat) for f in files]
    if rows:
        reads, cuts, builds, _firsts = (list(col) for col in zip(*rows, strict=True))
        print(f"QMSum {args.split} ({len(rows)} meetings), best of {args.repeat} each:")
        print(f"  read_path      total {sum(reads):6.2f} s   1.00 (baseline)")
        print(f"  make_passages  total {sum(cuts):6.2f} s   {sum(cuts) / sum(reads):5.2f} x read")
        print(
            f"  build_brief    total {sum(builds):6.2f} s   "
            f"{sum(builds) / sum(reads):5.2f} x read; per meeting median "
            f"{statistics.median(builds) * 1000:.0f} ms, max {max(builds) * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
