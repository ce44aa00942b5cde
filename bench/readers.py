"""What two reader passes cost on plain text: the ASR loop check and hard-wrap joining.

Run: ``.venv/bin/python bench/readers.py [--repeat 20]``

Reads the interview in ``../shared/corpus`` (65 KB of Markdown-ish text) and
the same interview hard-wrapped at 72 columns (made here, in memory, with
``textwrap``), each ``--repeat`` times in this process, and again with one pass
switched off (replaced by a function that returns its input):

- ``collapse_loops`` (``briefs._repeats``, called by ``TranscriptBuilder`` on
  every turn): the loop check every machine-made format pays;
- ``join_wrapped`` (``briefs.readers._wrap``, called by the text reader).

Prints the best CPU time of each and the ratio to the pass switched off, so the
cost reads as a share of the read, on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import briefs.readers._text as text_reader  # noqa: E402
import briefs.transcript as transcript  # noqa: E402
from briefs.readers import read_bytes  # noqa: E402

INTERVIEW = ROOT.parent / "shared" / "corpus" / "interview-brockman-bigtech-2026.txt"


def wrapped(text: str, width: int = 72) -> str:
    """``text`` with every paragraph hard-wrapped at ``width`` columns."""
    return "\n".join(textwrap.fill(line, width) if line else "" for line in text.split("\n"))


@contextmanager
def switched_off(module: object, name: str) -> Iterator[None]:
    original = getattr(module, name)
    off: Callable[..., object] = (lambda t: (t, [])) if name == "collapse_loops" else (
        lambda lines: lines)
    setattr(module, name, off)
    try:
        yield
    finally:
        setattr(module, name, original)


def _once(data: bytes, name: str) -> float:
    # CPU time of this process: on a machine shared with other jobs, wall time
    # measures them as much as the reader.
    start = time.process_time()
    read_bytes(name, data)
    return time.process_time() - start


def best_on_off(repeat: int, data: bytes, module: object, name: str) -> tuple[float, float]:
    """Best time with the pass on and off, alternated run by run (load hits both alike)."""
    on, off = [], []
    for _ in range(repeat):
        on.append(_once(data, "interview.txt"))
        with switched_off(module, name):
            off.append(_once(data, "interview.txt"))
    return min(on), min(off)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if not INTERVIEW.exists():
        print(f"no interview at {INTERVIEW}", file=sys.stderr)
        return 2
    raw = INTERVIEW.read_text(encoding="utf-8")
    inputs = {"interview": raw.encode(), "interview wrapped at 72": wrapped(raw).encode()}
    print(f"{'input':<26}{'pass':<16}{'on ms':>8}{'off ms':>8}{'on/off':>8}")
    for label, data in inputs.items():
        turns = len(read_bytes("interview.txt", data).turns)
        for module, name in ((transcript, "collapse_loops"), (text_reader, "join_wrapped")):
            on, off = best_on_off(args.repeat, data, module, name)
            print(f"{label:<26}{name:<16}{on * 1000:>8.1f}{off * 1000:>8.1f}{on / off:>8.2f}"
                  f"   ({turns} turns)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
