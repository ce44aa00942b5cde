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

Crash passes (``--kills N``, limiter off, over ``--crash-subscribers``): K real
sender processes, each journalling every message the moment the fake Telegram
accepts it (an ``O_APPEND`` write before the answer goes back, so a SIGKILL
cannot lose the record); the bench SIGKILLs a random sender each time the
journal has grown by a share of the work and starts a new one in its place,
then one last sender runs past the lease (``DUE`` + 3 min) to pick up what the
killed ones held. Lost must be 0; every duplicate must be a message in the
documented window: on a chat whose row was flagged in doubt, at most
``in_flight()`` per kill.

Exits 1 on any loss, on a duplicate without a crash, or one outside the window.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import random
import signal
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from _at_once import run_at_once  # noqa: E402
from digest import DUE, make_bot, open_library, prepare  # noqa: E402
from pg_server import PgServer, start_server  # noqa: E402
from ptb_fakes import RecordingRequest  # noqa: E402

from bot._tg_digests import TelegramSender  # noqa: E402
from briefs import digest  # noqa: E402
from briefs.digest._recovery import in_flight  # noqa: E402

CRASH_RTT = 0.02
"""The crash passes' simulated round trip (half before Telegram accepts, half after)."""


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
    wall, results = run_at_once(_sender, [(url, limited)] * senders, timeout=1800)
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


class JournalRequest(RecordingRequest):
    """The recording Bot API, journalling each accepted ``sendMessage`` to a file at once."""

    def __init__(self, journal: str) -> None:
        super().__init__()
        self._fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if not url.endswith("/sendMessage"):
            return await super().do_request(url, method, request_data, *args, **kwargs)
        await asyncio.sleep(CRASH_RTT / 2)  # the request on its way
        status, body = await super().do_request(url, method, request_data, *args, **kwargs)
        if status == 200:  # accepted: the chat has it, whatever happens to us next
            chat = request_data.parameters["chat_id"] if request_data is not None else 0
            os.write(self._fd, f"{chat}\n".encode())
        await asyncio.sleep(CRASH_RTT / 2)  # the answer on its way back
        return status, body


async def _send_journalled(url: str, journal: str, late_s: float) -> None:
    lib = await open_library(url)  # type: ignore[arg-type]
    try:
        async with make_bot(JournalRequest(journal), limited=False) as bot:
            now = DUE + timedelta(seconds=late_s)
            await digest.send_due(lib, TelegramSender(bot), now=now, rtt=CRASH_RTT)
    finally:
        await lib.close()


def _crash_sender(url: str, journal: str, late_s: float) -> None:
    asyncio.run(_send_journalled(url, journal, late_s))


def _journalled(journal: str) -> Counter[int]:
    with open(journal, encoding="utf-8") as f:
        return Counter(int(line) for line in f if line.strip())


async def _doubted(url: str) -> set[int]:
    lib = await open_library(url)  # type: ignore[arg-type]
    try:
        return {r.chat_id for r in await lib.store.digests.outbox(limit=10**9) if r.doubted}
    finally:
        await lib.close()


def crash_pass(server: PgServer, master: str, senders: int, kills: int,
               total: int, seed: int) -> dict[str, Any]:
    """K senders, ``kills`` SIGKILLs each replaced by a new sender, then a late one."""
    name = f"crash_{senders}_{time.monotonic_ns()}"
    server.psql(f'CREATE DATABASE "{name}" TEMPLATE "{master}"')
    url = server.url(name)
    journal = f"/tmp/briefbot-bench-{name}.journal"
    ctx = mp.get_context("spawn")
    rng = random.Random(seed)

    def start(late_s: float = 0.0) -> Any:
        proc = ctx.Process(target=_crash_sender, args=(url, journal, late_s))
        proc.start()
        return proc

    started = time.perf_counter()
    procs = [start() for _ in range(senders)]
    step = max(1, total // (kills + 2))
    killed = 0
    while killed < kills:
        time.sleep(0.02)
        alive = [p for p in procs if p.is_alive()]
        if not alive:
            break  # all done before the last kill: fewer kills than asked
        if os.path.exists(journal) and sum(_journalled(journal).values()) >= step * (killed + 1):
            victim = rng.choice(alive)
            os.kill(victim.pid, signal.SIGKILL)
            victim.join()
            killed += 1
            procs.append(start())
    for p in procs:
        p.join()
    late = start(late_s=180.0)  # past the 2-minute leases and claims of the killed
    late.join()
    wall = time.perf_counter() - started
    received = _journalled(journal)
    os.unlink(journal)
    parts, undelivered = asyncio.run(_expected(url))
    doubted = asyncio.run(_doubted(url))
    lost = sum(max(0, parts[c] - received[c]) for c in parts) + undelivered
    dup = {c: received[c] - parts[c] for c in received if received[c] > parts[c]}
    outside = [c for c in dup if c not in doubted]
    return {
        "senders": senders, "kills": killed, "wall_s": round(wall, 2),
        "digests": len(parts), "messages": sum(received.values()), "lost": lost,
        "duplicated": sum(dup.values()), "outside_window": len(outside),
        "within_bound": sum(dup.values()) <= killed * in_flight(rtt=CRASH_RTT),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--limited-subscribers", type=int, default=600)
    parser.add_argument("--senders", default="1,2,4")
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs per crash pass (0: none)")
    parser.add_argument("--crash-subscribers", type=int, default=2000)
    parser.add_argument("--crash-senders", default="2,4")
    parser.add_argument("--skip-clean", action="store_true", help="only the crash passes")
    args = parser.parse_args()
    server = start_server()
    try:
        bad = False
        if args.kills:
            server.psql('CREATE DATABASE "master_crash"')
            asyncio.run(prepare(server.url("master_crash"), args.crash_subscribers))
            for senders in (int(s) for s in args.crash_senders.split(",")):
                c = crash_pass(server, "master_crash", senders, args.kills,
                               args.crash_subscribers, seed=senders)
                print(f"crash pass, {senders} sender(s), {c['kills']} SIGKILL(s):"
                      f" {c['digests']} digests, {c['messages']} messages in {c['wall_s']} s;"
                      f" lost {c['lost']}, duplicated {c['duplicated']}"
                      f" (outside the window {c['outside_window']},"
                      f" within {c['kills']} x in_flight: {c['within_bound']})")
                bad |= bool(c["lost"] or c["outside_window"] or not c["within_bound"])
        if args.skip_clean:
            return 1 if bad else 0
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
