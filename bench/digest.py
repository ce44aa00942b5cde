"""Digest fan-out: 10,000 subscribers through the recording Bot API, throttled, and crashing.

Run: ``.venv/bin/python bench/digest.py [--subscribers N] [--crash-rate P] [--seed S]
[--window-subscribers N] [--rtt S]``

One library (the bundled samples, ingested after everyone subscribed), one
database copied fresh for each pass, every subscriber due at the same minute
(the worst case). Telegram is ``tests/ptb_fakes.RecordingRequest`` under PTB's
real ``ExtBot``, so every message goes through PTB's request path.

1. baseline: the same number of ``bot.send_message`` calls with the digest's
   text, 8 at a time, no outbox and no database: what PTB + the fake cost;
2. unthrottled: ``briefs.digest.send_due`` (compose, outbox, send, commit per
   message): digests/s, and its time as a multiple of the baseline;
3. throttled: the same with PTB's ``AIORateLimiter`` (30 messages/s overall) on
   an event loop whose clock jumps over idle waits (``VirtualClockLoop``), so
   the 10,000-message run takes seconds, not 5.5 minutes; reports the simulated
   total against the floor of messages / 30 s;
4. crashes: the request kills the "process" at random (``--crash-rate`` per
   request: half before Telegram accepts a message, half right after, i.e. in
   the window docs/digests.md describes); each crash is a restart on the same
   database three minutes later. At the end every chat's messages are counted:
   losses must be 0, and duplicates must equal the messages that were in the
   window (accepted but not yet committed) when a crash hit, i.e. 0 beyond it.
   The same with crashes only before acceptance must give 0 duplicates. Every
   duplicate must also have been flagged "in doubt" by its "sending part k" mark
   (migration 0007). Run with the default in-flight size (``in_flight()``: 4 at
   30/s and 100 ms) and with the old fixed 8, to show what the size buys;
5. the duplicate window itself: with PTB's real ``AIORateLimiter`` on a real
   clock and a ``--rtt`` Bot API round trip (default 100 ms), the time from each
   HTTP answer to the commit that records it (answer-to-commit), and the
   messages/s sustained, with N in flight for N = ``in_flight()`` and 8.

Exits 1 if any loss, any duplicate beyond the window or not flagged in doubt,
is found.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import selectors
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ptb_fakes import TOKEN, RecordingRequest  # noqa: E402
from telegram.ext import AIORateLimiter, ExtBot  # noqa: E402

import briefs.digest._delivery as delivery  # noqa: E402
from bot._tg_digests import TelegramSender  # noqa: E402
from briefs import digest  # noqa: E402
from briefs.brief import BriefStep, load_brief  # noqa: E402
from briefs.digest._recovery import in_flight  # noqa: E402
from briefs.library import Library  # noqa: E402

T = TypeVar("T")
SAMPLES = ROOT / "briefs" / "samples"
SUBSCRIBED = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
TELEGRAM_RATE = 30.0


class Crash(BaseException):
    """The process dies (a BaseException: nothing in the engine catches it)."""


# -- a loop whose clock skips idle waits ------------------------------------------------------


class _JumpingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    """Never sleeps on a timer: when nothing is ready, the loop's clock jumps to it."""

    def __init__(self) -> None:
        super().__init__()
        self.offset = 0.0

    def select(self, timeout: float | None = None) -> list[Any]:
        if timeout is None:
            return list(super().select(None))  # waiting on I/O (aiosqlite's thread): really wait
        events = list(super().select(0))
        if not events and timeout > 0:
            self.offset += timeout
        return events


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """``time()`` is real elapsed time plus every idle wait skipped: a simulated clock
    that still counts the real work done, for rate limiters that sleep a lot."""

    def __init__(self) -> None:
        self._jumping = _JumpingSelector()
        super().__init__(self._jumping)

    def time(self) -> float:
        return time.monotonic() + self._jumping.offset


def run_on(loop: asyncio.AbstractEventLoop, coro: Awaitable[T]) -> T:
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


# -- set-up -----------------------------------------------------------------------------------


async def open_library(path: Path) -> Library:
    lib = await Library.open(path)
    if lib.brief_loader is None:
        # Library.open does not wire the brief engine in yet: do it here, so the
        # digests carry real briefs.
        lib.steps.insert(0, BriefStep())

        async def loader(store: Any, ref: Any) -> Any:
            return await load_brief(store, ref.pk)

        lib.brief_loader = loader
    return lib


async def prepare(path: Path, subscribers: int) -> tuple[int, int]:
    """Subscribe everyone, then ingest the samples; returns the messages one digest takes."""
    lib = await open_library(path)
    try:
        utc = digest.parse_zone("UTC")
        for chat in range(1, subscribers + 1):
            # One in ten narrows to a topic the samples talk about.
            topics = ("water",) if chat % 10 == 0 else None
            await digest.subscribe(
                lib, chat, digest.SubscribeRequest(topics=topics), now=SUBSCRIBED,
                default_time=DUE.time(), default_zone=utc,
            )
        report = await lib.ingest_paths([str(SAMPLES)])
        if not report.ok or not report.added:
            raise SystemExit(f"could not ingest the samples: {report.summary()}")
        preview = await digest.preview(lib, 1)
        return len(preview.parts), sum(len(p) for p in preview.parts)
    finally:
        await lib.close()


def fresh_copy(master: Path, folder: Path, name: str) -> Path:
    target = folder / f"{name}.db"
    shutil.copyfile(master, target)
    return target


def make_bot(request: RecordingRequest, *, limited: bool) -> ExtBot:  # type: ignore[type-arg]
    limiter = AIORateLimiter() if limited else None
    return ExtBot(TOKEN, request=request, rate_limiter=limiter)  # type: ignore[arg-type]


# -- passes -----------------------------------------------------------------------------------


async def baseline(texts: list[str], subscribers: int) -> float:
    request = RecordingRequest()
    async with make_bot(request, limited=False) as bot:
        gate = asyncio.Semaphore(8)

        async def one(chat: int) -> None:
            async with gate:
                for text in texts:
                    await bot.send_message(chat, text, parse_mode="HTML")

        start = time.perf_counter()
        await asyncio.gather(*(one(c) for c in range(1, subscribers + 1)))
        return time.perf_counter() - start


async def fan_out(db: Path, *, limited: bool) -> tuple[float, digest.DeliveryReport, int]:
    """(seconds on the loop's clock, report, messages recorded)."""
    request = RecordingRequest()
    lib = await open_library(db)
    loop = asyncio.get_running_loop()
    try:
        async with make_bot(request, limited=limited) as bot:
            sender = TelegramSender(bot)
            start = loop.time()
            report = await digest.send_due(lib, sender, now=DUE)
            return loop.time() - start, report, len(request.sent())
    finally:
        await lib.close()


@dataclass
class CrashingRequest(RecordingRequest):
    """Accepts sendMessage like Telegram, but now and then the process dies."""

    rng: random.Random = field(default_factory=random.Random)
    crash_rate: float = 0.0
    after_share: float = 0.5
    latency: float = 0.0
    accepted: Counter[int] = field(default_factory=Counter)
    crashes_before: int = 0
    crashes_after: int = 0

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if self.latency:
            await asyncio.sleep(self.latency)  # the request in flight
        crash = url.endswith("/sendMessage") and self.rng.random() < self.crash_rate
        if crash and self.rng.random() >= self.after_share:
            self.crashes_before += 1
            raise Crash("died before Telegram accepted the message")
        result = await super().do_request(url, method, request_data, *args, **kwargs)
        if url.endswith("/sendMessage") and request_data is not None:
            self.accepted[int(request_data.parameters["chat_id"])] += 1
        if crash:
            self.crashes_after += 1
            raise Crash("died after Telegram accepted the message")
        return result


async def committed_messages(lib: Library) -> Counter[int]:
    """Messages the database knows were accepted, per chat."""
    cur = await lib.store.db.execute(
        "SELECT chat_id, sum(parts_sent) FROM digest_outbox GROUP BY chat_id"
    )
    return Counter({row[0]: row[1] for row in await cur.fetchall()})


async def crashing(db: Path, *, rate: float, after_share: float, seed: int,
                   concurrency: int | None, latency: float) -> dict[str, int]:
    request = CrashingRequest(rng=random.Random(seed), crash_rate=rate, after_share=after_share,
                              latency=latency)
    now, restarts, in_window, worst = DUE, 0, 0, 0
    while True:
        lib = await open_library(db)
        try:
            async with make_bot(request, limited=False) as bot:
                await digest.send_due(lib, TelegramSender(bot), now=now, concurrency=concurrency)
            break
        except Crash:
            # Accepted by "Telegram" but not committed: these will be sent again.
            committed = await committed_messages(lib)
            this_crash = sum(
                max(0, n - committed.get(chat, 0)) for chat, n in request.accepted.items()
            )
            in_window += this_crash
            worst = max(worst, this_crash)
            # Count from what the database knows, so the next crash adds only its own.
            request.accepted = Counter(
                {chat: committed.get(chat, 0) for chat in request.accepted}
            )
            restarts += 1
            now += timedelta(minutes=3)  # a crashed run's leases expire after 2
        finally:
            await lib.close()
    lib = await open_library(db)
    try:
        expected = await expected_messages(lib)
        cur = await lib.store.db.execute("SELECT coalesce(sum(doubted), 0) FROM digest_sending")
        row = await cur.fetchone()
        doubted = int(row[0]) if row else 0
    finally:
        await lib.close()
    received = Counter(int(d["chat_id"]) for d in request.sent())
    return {
        "restarts": restarts,
        "crashes_before": request.crashes_before,
        "crashes_after": request.crashes_after,
        "in_window": in_window,
        "worst": worst,
        "losses": sum(max(0, n - received.get(c, 0)) for c, n in expected.items()),
        "duplicates": sum(max(0, n - expected.get(c, 0)) for c, n in received.items()),
        "messages": sum(received.values()),
        "doubted": doubted,
    }


async def expected_messages(lib: Library) -> Counter[int]:
    """Per chat: the parts of its delivered digests (every one must have arrived)."""
    cur = await lib.store.db.execute(
        "SELECT chat_id, parts FROM digest_outbox WHERE status = 'delivered'"
    )
    return Counter({row[0]: len(json.loads(row[1])) for row in await cur.fetchall()})


@dataclass
class TimingRequest(RecordingRequest):
    """Answers sendMessage after ``latency`` seconds and notes when each answer arrived."""

    latency: float = 0.0
    answered: dict[tuple[int, int], float] = field(default_factory=dict)
    accepted: Counter[int] = field(default_factory=Counter)

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        await asyncio.sleep(self.latency)
        result = await super().do_request(url, method, request_data, *args, **kwargs)
        if url.endswith("/sendMessage") and request_data is not None:
            chat = int(request_data.parameters["chat_id"])
            self.accepted[chat] += 1
            self.answered[(chat, self.accepted[chat])] = asyncio.get_running_loop().time()
        return result


async def window(db: Path, *, concurrency: int, rtt: float) -> dict[str, float]:
    """Answer-to-commit times (ms) and messages/s, throttled at 30/s on a real clock."""
    request = TimingRequest(latency=rtt)
    committed: dict[tuple[int, int], float] = {}
    real_record = delivery.record_progress

    async def record(store: Any, row: Any, parts_sent: int, **kwargs: Any) -> bool:
        done = await real_record(store, row, parts_sent, **kwargs)
        committed[(row.chat_id, parts_sent)] = asyncio.get_running_loop().time()
        return done

    delivery.record_progress = record  # type: ignore[assignment]
    lib = await open_library(db)
    loop = asyncio.get_running_loop()
    try:
        async with make_bot(request, limited=True) as bot:
            start = loop.time()
            report = await digest.send_due(lib, TelegramSender(bot), now=DUE,
                                           concurrency=concurrency)
            elapsed = loop.time() - start
    finally:
        delivery.record_progress = real_record  # type: ignore[assignment]
        await lib.close()
    spans = sorted((committed[k] - t) * 1000 for k, t in request.answered.items()
                   if k in committed)
    return {
        "messages": report.messages,
        "rate": report.messages / elapsed,
        "p50": statistics.median(spans),
        "p99": spans[int(0.99 * (len(spans) - 1))],
        "max": spans[-1],
    }


# -- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--crash-rate", type=float, default=0.001,
                        help="chance per sendMessage that the process dies (default 0.001)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency", type=float, default=0.02,
                        help="Bot API round trip in the second crash run (default 0.02 s)")
    parser.add_argument("--window-subscribers", type=int, default=600,
                        help="subscribers in the answer-to-commit pass (default 600)")
    parser.add_argument("--rtt", type=float, default=0.1,
                        help="Bot API round trip in the answer-to-commit pass (default 0.1 s)")
    args = parser.parse_args()
    # The engine warns about every part it resends in doubt: expected here, by the hundred.
    logging.getLogger("briefs").setLevel(logging.ERROR)
    n = args.subscribers
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        master = folder / "master.db"
        start = time.perf_counter()
        parts, chars = asyncio.run(prepare(master, n))
        setup = time.perf_counter() - start
        print(f"set-up: {n:,} subscribers, samples ingested, {parts} message(s) of {chars:,}"
              f" characters of HTML per full digest ({setup:.1f} s)")

        async def texts() -> list[str]:
            lib = await open_library(fresh_copy(master, folder, "preview"))
            try:
                return list((await digest.preview(lib, 1)).parts)
            finally:
                await lib.close()

        sample = asyncio.run(texts())
        base = asyncio.run(baseline(sample, n))
        base_msgs = n * len(sample)
        secs, report, sent = asyncio.run(fan_out(fresh_copy(master, folder, "free"), limited=False))
        print(f"baseline: {base_msgs:,} bot.send_message calls, no outbox: {base:.2f} s,"
              f" {base_msgs / base:,.0f} messages/s")
        print(f"unthrottled send_due: {report.delivered:,} digests, {sent:,} messages in"
              f" {secs:.2f} s: {report.delivered / secs:,.0f} digests/s,"
              f" {sent / secs:,.0f} messages/s, {secs / base:.2f}x baseline"
              f" ({report.nothing_new:,} with nothing new)")
        vsecs, vreport, vsent = run_on(
            VirtualClockLoop(), fan_out(fresh_copy(master, folder, "limited"), limited=True)
        )
        # The limiter's bucket starts full: the first 30 messages go at once.
        floor = max(0.0, vsent - TELEGRAM_RATE) / TELEGRAM_RATE
        print(f"AIORateLimiter (30/s), simulated clock: {vreport.delivered:,} digests,"
              f" {vsent:,} messages in {vsecs:,.1f} s simulated; floor {floor:,.1f} s"
              f" ((messages - 30) / 30 s): {vsecs / floor:.3f}x floor,"
              f" {vsent / vsecs:.2f} messages/s")
        failed = False
        size = in_flight()
        runs: tuple[tuple[str, float, int | None, float], ...] = (
            (f"crashes before and after acceptance, {size} in flight (default),"
             " instant Bot API", 0.5, None, 0.0),
            (f"the same with a {args.latency * 1000:.0f} ms round trip", 0.5, None, args.latency),
            ("crashes before and after acceptance, 8 in flight (the old default),"
             " instant Bot API", 0.5, 8, 0.0),
            ("crashes before acceptance only, 1 worker", 0.0, 1, 0.0),
        )
        for number, (label, share, conc, latency) in enumerate(runs):
            stats = asyncio.run(crashing(
                fresh_copy(master, folder, f"crash{number}"), rate=args.crash_rate,
                after_share=share, seed=args.seed, concurrency=conc, latency=latency,
            ))
            beyond = stats["duplicates"] - stats["in_window"]
            print(f"{label}: {stats['restarts']} restarts ({stats['crashes_before']} before,"
                  f" {stats['crashes_after']} after acceptance), {stats['messages']:,} messages;"
                  f" losses {stats['losses']}, duplicates {stats['duplicates']}"
                  f" (in the crash window {stats['in_window']}, beyond it {beyond};"
                  f" {stats['in_window'] / max(1, stats['restarts']):.1f} per crash, at most"
                  f" {stats['worst']} in one); parts resent in doubt {stats['doubted']}")
            # Every repeated message was one the "sending" mark flagged in doubt.
            failed |= stats["losses"] != 0 or beyond != 0
            failed |= stats["duplicates"] > stats["doubted"]
            if share == 0.0 and conc == 1:
                # Nothing is ever in the window: not a single duplicate allowed.
                failed |= stats["duplicates"] != 0
        wn = min(n, args.window_subscribers)
        wmaster = folder / "window.db"
        asyncio.run(prepare(wmaster, wn))
        for conc in (size, 8):
            w = asyncio.run(window(fresh_copy(wmaster, folder, f"window{conc}"),
                                   concurrency=conc, rtt=args.rtt))
            print(f"answer-to-commit, {conc} in flight, AIORateLimiter (30/s),"
                  f" {args.rtt * 1000:.0f} ms round trip, {int(w['messages']):,} messages:"
                  f" median {w['p50']:.2f} ms, p99 {w['p99']:.2f} ms, max {w['max']:.2f} ms;"
                  f" {w['rate']:.1f} messages/s; at most {conc} message(s) repeated per crash")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
