"""Splitting speed: ``split_message`` on rendered briefs of growing size.

Each message is a real template rendering (``brief_items``: numbered items,
each with a blockquote, an attribution and markup) with hostile characters to
escape. For every size it times ``split_message`` and, as the baseline in the
same process, ``telegram_length`` — one tokenizing pass over the same HTML,
the least any splitter must do — and prints the ratio.

    .venv/bin/python bench/render.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefs.render import quote_view, render, split_message, telegram_length


def _brief(items: int) -> str:
    views = [
        quote_view(
            SimpleNamespace(
                text=f"Point {n}: costs & <risks> of compute 😀",
                speaker="Greg Brockman",
                quote=f"Quote {n}: " + "we need more compute, and the grid must keep up, " * 4,
                start=n * 100,
                time=float(n * 30),
                headline=f"Segment {n}",
            ),
            length=items * 100 + 1,
        )
        for n in range(1, items + 1)
    ]
    info = SimpleNamespace(title="Bench & <co>", date="2026-03-01", speakers={"Greg": None})
    return render("brief_items", info=info, heading="Turning points", empty="", items=views)


def _time(fn: object, arg: str, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg)  # type: ignore[operator]
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    header = ("items", "chars", "parts", "split ms", "baseline ms", "ratio")
    print("{:>6} {:>8} {:>6} {:>9} {:>12} {:>6}".format(*header))
    for items in (10, 40, 160, 640):
        html = _brief(items)
        repeat = 30 if items <= 40 else 7
        split = _time(split_message, html, repeat)
        base = _time(telegram_length, html, repeat)
        parts = len(split_message(html))
        print(
            f"{items:>6} {len(html):>8} {parts:>6} {split * 1000:>9.2f} {base * 1000:>12.2f}"
            f" {split / base:>6.1f}"
        )


if __name__ == "__main__":
    main()
