"""Run one function in several spawned processes, released at the same instant.

The PostgreSQL benches (``digest_pg.py``, ``ingest_pg.py``) measure concurrent
writers and senders: each process imports, then waits on one event, so the wall
time starts when all of them are ready, not while the first is still importing.
``target(*args, go, out)`` waits on ``go`` and puts one result on ``out``.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["run_at_once"]

# Long enough for a spawned process to import briefbot and reach its start line.
READY_S = 2.0


def run_at_once(
    target: Callable[..., None], arg_lists: Sequence[Sequence[Any]], timeout: float
) -> tuple[float, list[Any]]:
    """Start ``target`` once per argument list; the wall time from the release, and the
    results in the order they arrived."""
    ctx = mp.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, go, out)) for args in arg_lists]
    for p in procs:
        p.start()
    time.sleep(READY_S)
    start = time.perf_counter()
    go.set()
    results = [out.get(timeout=timeout) for _ in procs]
    wall = time.perf_counter() - start
    for p in procs:
        p.join()
    return wall, results
