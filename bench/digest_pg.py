"""Digest fan-out on PostgreSQL: N subscribers sent by 1, 2 and 4 processes at once.

Run: ``.venv/bin/python bench/digest_pg.py [--subscribers N] [--limited-subscribers M]
[--senders 1,2,4]``

A throwaway PostgreSQL server (``tests/pg_server.py``), one library prepared as in
``bench/digest.py`` (everyone subscribed, the samples ingested, everyone due at the
same minute) and copied fresh for each pass (``CREATE DATABASE ... TEMPLATE``).
Each pass starts K sender processes at the same instant, each running
``briefs.digest.send_due`` through PTB's real ``ExtBot`` on the recording Bot API
(``tests/ptb_fakes.RecordingRequest``). Then every chat's received messages are
counted against the parts of its digest: lost (fewer) and duplicated (more) must
both be 0. With the limiter on (PTB's ``AIORateLimiter``, one per process) the
passes run on the real clock (``bench/digest.py``'s virtual clock would fire
asyncpg's timeouts early), so over a smaller library of M subscribers. The
limiter is per process: K processes send up to K x 30 messages/s in total.

Exits 1 on any loss or duplicate.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from digest import DUE, make_bot, open_library, prepare  # noqa: E402
from pg_server import PgServer, start_server  # noqa: E402
from ptb_fakes import RecordingRequest  # noqa: E402

from bot._tg_digests import TelegramSender  # noqa: E402
from briefs import digest  # noqa: E402


async def _send(url: str, limited: bool) -> tuple[float, list[int], str]:
    request = RecordingRequest()
    lib = await open_library(url)  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    try:
        async with make_bot(request, limited=limited) as bot:
            start = loop.time()
            report = await digest.send_due(lib, TelegramSender(bot), now=DUE)
            chats = [int(r["chat_id"]) for r in request.sent()]
            return loop.time() - start, chats, report.summary()
    finally:
        await lib.close()


def _sender(url: str, limited: bool, go: Any, out: Any) -> None:
    go.wait()  # every sender starts at the same instant
    loop = asyncio.new_event_loop()
    try:
        out.put(loop.run_until_complete(_send(url, limited)))
    except BaseException as err:  # the parent must hear of it, not wait forever
        out.put((0.0, [], f"failed: {type(err).__name__}: {err}"))
        raise
    finally:
        loop.close()


async def _expected(url: str) -> tuple[Counter[int], int]:
    """Messages each chat's delivered digest has, and the subscribers not delivered."""
    lib = await open_library(url)  # type: ignore[arg-type]
    try:
        rows = await lib.store.digests.outbox(limit=10**9)
        parts = Counter({r.chat_id: len(r.parts) for r in rows if r.status == "delivered"})
        subs = await digest.list_subscribers(lib.store)
        return parts, sum(1 for s in subs if s.chat_id not in parts)
    finally:
        await lib.close()


def one_pass(server: PgServer, master: str, senders: int, limited: bool) -> dict[str, Any]:
    name = f"pass_{senders}_{int(limited)}_{time.monotonic_ns()}"
    server.psql(f'CREATE DATABASE "{name}" TEMPLATE "{master}"')
    url = server.url(name)
    ctx = mp.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_sender, args=(url, limited, go, out)) for _ in range(senders)]
    for p in procs:
        p.start()
    time.sleep(2.0)  # let every process import and reach the start line
    wall = time.perf_counter()
    go.set()
    results = [out.get(timeout=1800) for _ in procs]
    wall = time.perf_counter() - wall
    for p in procs:
        p.join()
    received: Counter[int] = Counter()
    for _, chats, summary in results:
        if summary.startswith("failed:"):
            raise SystemExit(f"a sender {summary}")
        received.update(chats)
    parts, undelivered = asyncio.run(_expected(url))
    lost = sum(max(0, parts[c] - received[c]) for c in parts) + undelivered
    duplicated = sum(max(0, received[c] - parts[c]) for c in received)
    return {
        "senders": senders, "limited": limited, "wall_s": round(wall, 2),
        "clock_s": [round(r[0], 2) for r in results],
        "messages": sum(received.values()), "digests": len(parts),
        "per_process": [len(r[1]) for r in results],
        "lost": lost, "duplicated": duplicated,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--limited-subscribers", type=int, default=600)
    parser.add_argument("--senders", default="1,2,4")
    args = parser.parse_args()
    server = start_server()
    try:
        bad = False
        for limited in (False, True):
            master = f"master{int(limited)}"
            count = args.limited_subscribers if limited else args.subscribers
            server.psql(f'CREATE DATABASE "{master}"')
            started = time.perf_counter()
            messages_per_digest, _ = asyncio.run(prepare(server.url(master), count))
            print(f"prepared {count} subscribers on PostgreSQL in"
                  f" {time.perf_counter() - started:.1f} s ({messages_per_digest} message(s)"
                  " per digest)")
            for senders in (int(s) for s in args.senders.split(",")):
                r = one_pass(server, master, senders, limited)
                rate = r["messages"] / max(r["wall_s"], 1e-9)
                print(f"limiter {'on ' if limited else 'off'} {senders} sender(s):"
                      f" {r['digests']} digests, {r['messages']} messages in {r['wall_s']} s"
                      f" wall ({rate:.0f} msg/s), per process {r['per_process']}"
                      f" in {r['clock_s']} s; lost {r['lost']},"
                      f" duplicated {r['duplicated']}")
                bad |= bool(r["lost"] or r["duplicated"])
        return 1 if bad else 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
