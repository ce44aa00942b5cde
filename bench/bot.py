"""Bot handling speed: simulated users through the real Telegram Application.

N users (10, 100, 1000) each send a few updates at once — a mix of
``/brief <id>`` and plain-text quote queries — into the real PTB
``Application`` built by ``bot.telegram_app.build_application``, with the
recording ``BaseRequest`` of ``tests/ptb_fakes.py`` standing in for Telegram
(every sendMessage is still built, serialised and parsed by PTB). The library
holds the 197 QMSum meetings plus the interview from ``../shared``.

Two ways of arriving: *paced* users read each answer before sending the next
message (1-3 s apart, the first within 3 s), as people in a chat do; *burst*
users all send their four messages back to back at the same instant, a stress
test whose latency is mostly queueing behind everyone else's work (one event
loop, one core). The target (p99 under 50 ms at 100 concurrent users) is about
the paced case.

Per update it times ``await application.process_update(update)``: flood gate,
conversation core, library (brief load or BM25 search), rendering, and the
Bot API call. The baseline, in the same process and under the same load, is a
PTB Application with one handler that sends a fixed reply: what PTB and the
fake cost on their own. ``AIORateLimiter`` is in the path with its limits off:
with Telegram's 30 messages/s it would measure Telegram's pacing, not ours.

    .venv/bin/python bench/bot.py                 # 10, 100, 1000 users, 4 updates each
    .venv/bin/python bench/bot.py --db /tmp/bench-bot.db   # keep the library between runs

The library is built on first use (about a minute or two) and reused when
``--db`` points at one that already holds every transcript.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ptb_fakes import TOKEN, RecordingRequest, UpdateFactory  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.settings import Settings  # noqa: E402
from bot.telegram_app import build_application  # noqa: E402
from briefs.library import Library  # noqa: E402

SHARED = ROOT.parent / "shared"
SOURCES = [SHARED / "eval" / "qmsum" / "train", SHARED / "eval" / "qmsum" / "val",
           SHARED / "corpus" / "interview-brockman-bigtech-2026.txt"]  # fmt: skip
# Topics people would ask a meeting archive about (and the interview's).
QUERIES = [
    "budget", "remote control", "battery", "speech recognition", "user interface",
    "marketing", "evaluation", "data collection", "microphone", "design", "compute",
    "transcription", "cost", "price", "deadline", "prototype", "the vote", "funding",
    "school", "health", "children", "training data", "neural network", "project manager",
]  # fmt: skip
BRIEF_SHARE = 0.4
PER_USER = 4  # within the default flood burst (5): every update is served
# "Paced" users read each answer before the next message: 1-3 s apart.
THINK_MIN, THINK_MAX = 1.0, 3.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def build_library(path: Path) -> Library:
    library = await Library.open(path)
    expected = sum(len(list(p.glob("*.json"))) if p.is_dir() else 1 for p in SOURCES)
    have = await library.count_transcripts()
    if have < expected:
        print(f"ingesting {expected - have} transcripts into {path} ...", flush=True)
        started = time.perf_counter()
        report = await library.ingest_paths([str(p) for p in SOURCES])
        print(f"  {report.summary()} in {time.perf_counter() - started:.1f} s", flush=True)
    return library


def baseline_app(request: RecordingRequest) -> Application:  # type: ignore[type-arg]
    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, "ok")  # type: ignore[union-attr]

    app = (
        Application.builder()
        .token(TOKEN)
        .request(request)
        .get_updates_request(RecordingRequest())
        .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0))
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, reply))
    return app


_user_ids = iter(range(10_000, 10**9))


def workload(
    factory: UpdateFactory, users: int, ids: list[str], rng: random.Random
) -> list[list[Update]]:
    """Each user's updates; users are new every time, so flood control never drops one."""
    plans = []
    for _ in range(users):
        user_id = next(_user_ids)
        plan = []
        for _ in range(PER_USER):
            if rng.random() < BRIEF_SHARE:
                text = f"/brief {rng.choice(ids)}"
            else:
                text = rng.choice(QUERIES)
            plan.append(factory.text(text, user_id=user_id))
        plans.append(plan)
    return plans


async def drive(
    app: Application,  # type: ignore[type-arg]
    plans: list[list[Update]],
    pauses: list[list[float]] | None = None,
) -> tuple[list[float], float]:
    """Every user at once, each sending their updates one after another.

    With ``pauses``, user ``n`` waits ``pauses[n][i]`` seconds before update
    ``i`` (a person reading the last answer); without, they fire back to back.
    """
    latencies: list[float] = []

    async def user(plan: list[Update], waits: list[float]) -> None:
        for update, wait in zip(plan, waits, strict=True):
            if wait:
                await asyncio.sleep(wait)
            started = time.perf_counter()
            await app.process_update(update)
            latencies.append(time.perf_counter() - started)

    gc.collect()
    started = time.perf_counter()
    no_pauses = [[0.0] * len(plan) for plan in plans]
    await asyncio.gather(*(user(p, w) for p, w in zip(plans, pauses or no_pauses, strict=True)))
    return latencies, time.perf_counter() - started


def think_times(users: int, rng: random.Random) -> list[list[float]]:
    """A first message within THINK_MAX s, then THINK_MIN..THINK_MAX s between messages."""
    return [
        [rng.uniform(0, THINK_MAX)]
        + [rng.uniform(THINK_MIN, THINK_MAX) for _ in range(PER_USER - 1)]
        for _ in range(users)
    ]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="library file to build once and reuse")
    parser.add_argument("--users", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not (SHARED / "eval" / "qmsum").is_dir():
        sys.exit(f"{SHARED} is not available: the bench needs the QMSum meetings")
    tmp = tempfile.TemporaryDirectory()
    library = await build_library(args.db or Path(tmp.name) / "bench-bot.db")
    ids = [info.id for info in await library.list_transcripts(limit=1000)]
    print(f"library: {len(ids)} transcripts, {(await library.stats())['passages']:,} passages")

    request, base_request = RecordingRequest(), RecordingRequest()
    settings = Settings(telegram_bot_token=TOKEN)
    app = build_application(
        settings, library, request=request, get_updates_request=RecordingRequest(),
        rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0),
    )  # fmt: skip
    base = baseline_app(base_request)
    rng = random.Random(args.seed)
    async with app, base:
        # Warm-up (not timed): first loads of briefs and index pages, PTB's caches.
        warm = workload(UpdateFactory(app.bot), 50, ids, rng)
        await drive(app, warm)
        for mode in ("paced", "burst"):
            print(f"\n{mode}:\n")
            print("| users | updates | median ms | p99 ms | updates/s | baseline median ms "
                  "| baseline p99 ms | baseline updates/s | p99 × baseline |")  # fmt: skip
            print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for users in args.users:
                plans = workload(UpdateFactory(app.bot), users, ids, rng)
                base_plans = workload(UpdateFactory(base.bot), users, ids, rng)
                pauses = think_times(users, rng) if mode == "paced" else None
                request.clear()
                lat, elapsed = await drive(app, plans, pauses)
                served = len(request.sent())
                base_lat, base_elapsed = await drive(base, base_plans, pauses)
                base_request.clear()
                total = users * PER_USER
                # A long brief may take two messages; no update may go unanswered.
                assert served >= total, f"{served} replies for {total} updates"
                p99, base_p99 = percentile(lat, 0.99), percentile(base_lat, 0.99)
                cells = [
                    f"{users}", f"{total}", f"{statistics.median(lat) * 1e3:.1f}",
                    f"{p99 * 1e3:.1f}", f"{total / elapsed:.0f}",
                    f"{statistics.median(base_lat) * 1e3:.2f}", f"{base_p99 * 1e3:.2f}",
                    f"{total / base_elapsed:.0f}", f"{p99 / base_p99:.1f}",
                ]  # fmt: skip
                print("| " + " | ".join(cells) + " |", flush=True)
    await library.close()
    tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
