"""CPU time of ``read_path`` over fixed inputs, for comparing two trees' readers.

Wall time on a shared machine swings by tens of percent; CPU time of one process
moves far less. Run it once per tree, alternating, and compare the best times:

    PYTHONPATH=/path/to/old/tree .venv/bin/python bench/read_cpu.py
    PYTHONPATH=. .venv/bin/python bench/read_cpu.py

Inputs: the interview in ../shared/corpus read 30 times, this checkout's bundled
samples read 30 times, and the QMSum val meetings once each (those in ../shared are
skipped when absent). Prints the engine it ran and the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import briefs
from briefs.readers import read_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per input set (best is shown)")
    args = parser.parse_args()
    interview = SHARED / "corpus" / "interview-brockman-bigtech-2026.txt"
    groups = {
        "interview x30": [interview] * 30 if interview.exists() else [],
        "samples x30": sorted((ROOT / "briefs" / "samples").iterdir()) * 30,
        "qmsum val": sorted((SHARED / "eval" / "qmsum" / "val").glob("*.json")),
    }
    print(f"engine: {Path(briefs.__file__).parent}")
    for name, files in groups.items():
        if not files:
            print(f"{name}: skipped (../shared is absent)")
            continue
        best = float("inf")
        for _ in range(args.repeat):
            t = time.process_time()
            for f in files:
                read_path(f)
            best = min(best, time.process_time() - t)
        print(f"{name}: {best:.3f} s CPU (best of {args.repeat})")


if __name__ == "__main__":
    main()
