"""Digests that survive trouble: one bad digest, a busy database, a crash, a clock jump.

Like ``test_digest.py``: the real library and store, an injected clock (``now``)
and an injected sleep; orchestration by events and the injected sleep, never
by real time.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from digest_fakes import FakeSender, SimulatedCrash, Sleeps, ingest, open_library
from ptb_fakes import TOKEN, RecordingRequest
from telegram.ext import ExtBot

import bot.commands.digest as digest_cli
import briefs.digest._delivery as delivery
import briefs.digest._due as digest_due
from bot.cli import main
from bot.settings import Settings, SettingsError
from briefs import digest
from briefs.digest import Button, parse_subscribe_args
from briefs.digest._recovery import in_flight
from briefs.library import Library
from briefs.store import MIGRATIONS_DIR, Migration

# Seventy distinct words: "word " * 70 would be an ASR loop, kept once.
FILLER = " ".join(f"word{j}" for j in range(70))

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # subscribed at 06:00 UTC, digests at 08:00 UTC


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
async def library(tmp_path: Path) -> AsyncIterator[Library]:
    lib = await open_library(tmp_path / "recovery.db")
    yield lib
    await lib.close()


async def subscribe(library: Library, chat_id: int, args: str = "08:00 UTC",
                    *, now: datetime = T0) -> digest.Subscriber:
    return await digest.subscribe(
        library, chat_id, parse_subscribe_args(args), now=now,
        default_time=time(8, 0), default_zone=digest.parse_zone("UTC"),
    )


async def subscriber(library: Library, chat_id: int) -> digest.Subscriber:
    found = await digest.subscription(library, chat_id)
    assert found is not None
    return found


# -- one error boundary per subscriber and per digest -----------------------------------------


async def test_a_digest_that_cannot_be_composed_fails_alone_and_is_retried_next_day(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    for chat in (1, 2, 3):
        await subscribe(library, chat, "08:00 UTC topics: poison" if chat == 2 else "08:00 UTC")
    await ingest(library, "Poison control budget")
    real_compose = digest_due.compose

    async def compose(cache: Any, *, watermark: int, topics: Sequence[str]) -> digest.Digest:
        if "poison" in topics:
            raise ValueError("brief row 7 holds a NaN start time")
        return await real_compose(cache, watermark=watermark, topics=topics)

    monkeypatch.setattr(digest_due, "compose", compose)
    sender = FakeSender()
    report = await digest.send_due(library, sender, now=at(2))
    assert (report.delivered, report.failed) == (2, 1)
    assert report.errors == ["chat 2: cannot compose: brief row 7 holds a NaN start time"]
    assert len(sender.to(1)) == len(sender.to(3)) == 1 and sender.to(2) == []
    [failed] = await digest.list_outbox(library.store, chat_id=2)
    assert failed.status == "failed"
    assert failed.last_error == "cannot compose this digest: brief row 7 holds a NaN start time"
    # The schedule moves on (one failed row a day, not one a minute) ...
    sub = await subscriber(library, 2)
    assert sub.next_due_at == at(26)
    assert (await digest.send_due(library, sender, now=at(3))).failed == 0
    # ... and the watermark stays: once composing works again, nothing is lost.
    monkeypatch.setattr(digest_due, "compose", real_compose)
    await ingest(library, "Poison ivy in the park")
    await digest.send_due(library, sender, now=at(26))
    [second] = sender.to(2)
    assert "Poison control budget" in second and "Poison ivy in the park" in second


async def test_a_poisoned_stored_subscriber_does_not_stop_the_others(library: Library) -> None:
    for chat in (1, 2, 3):
        await subscribe(library, chat)
    await ingest(library, "Harbour dredging")
    async with library.store.transaction() as tx:
        db = tx.db
        await db.execute("UPDATE subscribers SET topics = '{not json' WHERE chat_id = 2")
    sender = FakeSender()
    report = await digest.send_due(library, sender, now=at(2))
    assert (report.delivered, report.failed) == (2, 1)
    assert [len(sender.to(c)) for c in (1, 2, 3)] == [1, 0, 1]
    [failed] = await digest.list_outbox(library.store, chat_id=2)
    assert failed.status == "failed" and failed.last_error is not None
    assert failed.last_error.startswith("cannot compose this digest: ")


async def test_a_poisoned_outbox_row_is_failed_and_the_others_delivered(library: Library) -> None:
    for chat in (1, 2, 3):
        await subscribe(library, chat)
    await ingest(library, "Tram timetable")
    report = await digest.compose_due(library, now=at(2))
    assert report.composed == 3
    async with library.store.transaction() as tx:
        db = tx.db
        await db.execute("UPDATE digest_outbox SET parts = '[\"cut off' WHERE chat_id = 2")
    sender = FakeSender()
    report = await digest.deliver_open(library, sender, now=at(2))
    assert (report.delivered, report.failed) == (2, 1)
    assert [len(sender.to(c)) for c in (1, 2, 3)] == [1, 0, 1]
    cur = await library.store.db.execute(
        "SELECT status, last_error FROM digest_outbox WHERE chat_id = 2"
    )
    status, reason = await cur.fetchone()
    assert status == "failed" and reason.startswith("cannot read the stored digest: ")
    # The watermark stays, so its transcripts come in the chat's next digest.
    assert (await subscriber(library, 2)).watermark == 0


def test_digest_list_outbox_shows_the_failed_digest_and_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cli.db"

    async def setup() -> None:
        lib = await open_library(db)
        await subscribe(lib, 7)
        await subscribe(lib, 8)
        await ingest(lib, "Library opening hours")
        async with lib.store.transaction() as tx:
            conn = tx.db
            await conn.execute("UPDATE subscribers SET topics = '{not json' WHERE chat_id = 8")
        await digest.send_due(lib, FakeSender(), now=at(2))
        await subscribe(lib, 9)
        await ingest(lib, "Library closing hours")
        await digest.compose_due(lib, now=at(26))
        async with lib.store.transaction() as tx:
            conn = tx.db
            await conn.execute("UPDATE digest_outbox SET parts = 'x' WHERE chat_id = 9")
        await lib.close()

    asyncio.run(setup())
    monkeypatch.setenv("BRIEFBOT_DB", str(db))
    listed = CliRunner().invoke(main, ["digest", "list", "--outbox"])
    assert listed.exit_code == 0, listed.output
    # The poisoned rows are listed with what is wrong, and the others still are.
    assert "              8 unreadable subscription: JSONDecodeError: " in listed.output
    assert "unreadable outbox row: JSONDecodeError: " in listed.output
    lines = listed.output.splitlines()
    # Chat 8 failed on both days (its stored topics stay broken), with the reason each time.
    failed = [line for line in lines if "chat               8" in line]
    assert len(failed) == 2
    assert all(" failed " in x and "error: cannot compose this digest: " in x for x in failed)
    sent = [line for line in lines if "chat               7" in line]
    assert [" delivered " in x for x in sent] == [False, True]  # newest first: composed today


# -- a busy database while recording progress ----------------------------------------------


async def test_a_busy_database_at_the_progress_commit_is_waited_out_not_resent(
    tmp_path: Path,
) -> None:
    path = tmp_path / "busy.db"
    library = await open_library(path)
    await subscribe(library, 1)
    for i in range(10):  # three messages: the lock meets the commit of part 1 ('sent')
        await ingest(library, f"Council {i}", *(f"Ada: {FILLER} {i} {k}." for k in range(6)))
    # Fail fast on a lock instead of SQLite's own 10 s busy wait: the engine's
    # retry (through the injected sleep) is what is under test.
    await library.store.db.execute("PRAGMA busy_timeout = 0")
    other = sqlite3.connect(path, isolation_level=None)  # another process, e.g. an ingest
    locked, released = asyncio.Event(), asyncio.Event()

    class LockingSender(FakeSender):
        async def send(self, chat_id: int, html: str, buttons: Sequence[Button]) -> None:
            await super().send(chat_id, html, buttons)
            if not locked.is_set():
                other.execute("BEGIN IMMEDIATE")  # Telegram accepted; now the db is busy
                locked.set()

    async def sleep(seconds: float) -> None:
        assert locked.is_set()  # the only wait in this run is the busy retry
        if not released.is_set():
            other.execute("COMMIT")
            released.set()

    sender = LockingSender()
    try:
        report = await digest.send_due(library, sender, now=at(2), sleep=sleep)
        assert released.is_set()  # the commit did meet the lock
        [row] = await digest.list_outbox(library.store, chat_id=1)
        assert len(row.parts) >= 3
        assert (report.delivered, report.messages, report.deferred) == (1, len(row.parts), 0)
        assert (row.status, row.parts_sent, row.sending_part) == ("delivered", len(row.parts),
                                                                  None)
        # A later run (the next tick, after a restart) has nothing to send again.
        library = await reopen(library, path)
        again = await digest.send_due(library, sender, now=at(2) + timedelta(minutes=3))
        assert (again.delivered, again.in_doubt) == (0, 0)
        assert sender.to(1) == list(row.parts)  # each part once, none sent again
    finally:
        other.close()
        await library.close()


# -- how many sends are in flight ---------------------------------------------------------


def test_in_flight_is_derived_from_rate_and_round_trip() -> None:
    # 30 messages/s at 100 ms: 3 requests in the air on average, one spare.
    assert in_flight(30.0, 0.1) == 4
    assert in_flight(30.0, 0.02) == 2
    assert in_flight(30.0, 0.25) == 9
    assert in_flight(30.0, 0.0) == 1


async def test_delivery_holds_only_in_flight_digests_at_once(library: Library) -> None:
    for chat in range(1, 13):
        await subscribe(library, chat)
    await ingest(library, "Road works")
    four, go = asyncio.Event(), asyncio.Event()

    class GatedSender(FakeSender):
        active = 0

        async def send(self, chat_id: int, html: str, buttons: Sequence[Button]) -> None:
            self.active += 1
            if self.active == 4:
                four.set()
            await go.wait()
            self.active -= 1
            await super().send(chat_id, html, buttons)

    sender = GatedSender()
    run = asyncio.ensure_future(digest.send_due(library, sender, now=at(2)))
    await four.wait()
    # Rows are leased as many at a time as there are workers: with 4 workers
    # all blocked in a send, exactly 4 rows are leased (8 with the old default).
    cur = await library.store.db.execute(
        "SELECT count(*) FROM digest_outbox WHERE lease_owner IS NOT NULL"
    )
    assert (await cur.fetchone())[0] == 4
    go.set()
    report = await run
    assert report.delivered == 12
    assert all(len(sender.to(c)) == 1 for c in range(1, 13))


# -- "sending part k": parts in doubt after a crash ----------------------------------------


async def reopen(library: Library, path: Path) -> Library:
    await library.close()
    return await open_library(path)


async def test_a_crash_leaves_the_part_in_flight_in_doubt_and_recovery_resends_it_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "doubt.db"
    library = await open_library(path)
    await subscribe(library, 1)
    await subscribe(library, 2)
    for i in range(10):  # big enough for three messages
        await ingest(library, f"Meeting {i}", *(f"Ada: {FILLER} {i} {k}." for k in range(6)))
    sender = FakeSender()
    sender.on(1, None, "crash-after")  # part 1 recorded; part 2 accepted, then the crash
    with pytest.raises(SimulatedCrash):
        await digest.send_due(library, sender, now=at(2), concurrency=1)
    library = await reopen(library, path)
    first, second = sorted(await digest.list_outbox(library.store), key=lambda r: r.chat_id)
    # Chat 1: part 2 was marked "sending" and never recorded: in doubt.
    assert (first.parts_sent, first.sending_part, first.in_doubt) == (1, 2, True)
    # Chat 2: never reached, nothing marked: not in doubt, sent normally.
    assert (second.parts_sent, second.sending_part, second.in_doubt) == (0, None, False)
    report = await digest.send_due(library, sender, now=at(2) + timedelta(minutes=3))
    assert (report.delivered, report.in_doubt) == (2, 1)
    assert "1 resent in doubt after a crash" in report.summary()
    parts = list(first.parts)
    assert sender.to(1) == [parts[0], parts[1], parts[1], *parts[2:]]
    assert sender.to(2) == list(second.parts)
    first, second = sorted(await digest.list_outbox(library.store), key=lambda r: r.chat_id)
    assert (first.status, first.in_doubt, first.doubted) == ("delivered", False, 1)
    assert (second.status, second.doubted) == ("delivered", 0)
    await library.close()


def test_digest_list_outbox_shows_a_part_in_doubt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "doubt-cli.db"

    async def crash() -> None:
        lib = await open_library(db)
        await subscribe(lib, 5)
        await ingest(lib, "Ferry strike")
        sender = FakeSender()
        sender.on(5, "crash-after")
        with pytest.raises(SimulatedCrash):
            await digest.send_due(lib, sender, now=at(2))
        await lib.close()

    async def recover() -> None:
        lib = await open_library(db)
        await digest.send_due(lib, FakeSender(), now=at(2) + timedelta(minutes=3))
        await lib.close()

    monkeypatch.setenv("BRIEFBOT_DB", str(db))
    asyncio.run(crash())
    before = CliRunner().invoke(main, ["digest", "list", "--outbox"]).output
    assert "composed  scheduled parts 0/1" in before
    assert "sending part 1 (in doubt)" in before
    asyncio.run(recover())
    after = CliRunner().invoke(main, ["digest", "list", "--outbox"]).output
    assert "delivered scheduled parts 1/1" in after
    assert "in doubt)" not in after and "resent 1 part(s) in doubt" in after


async def test_a_refused_part_is_not_left_in_doubt(library: Library) -> None:
    await subscribe(library, 1)
    await ingest(library, "Bridge closure")
    sender = FakeSender()
    sender.on(1, digest.RetryLater(3600))  # refused outright: Telegram did not take it
    report = await digest.send_due(library, sender, now=at(2), sleep=Sleeps())
    assert report.deferred == 1
    [row] = await digest.list_outbox(library.store, chat_id=1)
    assert (row.sending_part, row.in_doubt) == (None, False)


def test_migration_0007_is_safe_to_run_again(tmp_path: Path) -> None:
    [path] = MIGRATIONS_DIR.glob("0007_*.sql")
    migration = Migration(7, path.stem.split("_", 1)[1], path)
    db = sqlite3.connect(tmp_path / "m.db")
    db.execute("CREATE TABLE digest_outbox (id INTEGER PRIMARY KEY)")
    for _ in range(2):
        for statement in migration.statements():
            db.execute(statement)
    db.execute("INSERT INTO digest_outbox (id) VALUES (1)")
    db.execute("INSERT INTO digest_sending (outbox_id, part) VALUES (1, 2)")
    for statement in migration.statements():  # and again, with data: nothing changes
        db.execute(statement)
    assert db.execute("SELECT outbox_id, part, doubted FROM digest_sending").fetchall() == [
        (1, 2, 0)
    ]
    db.close()


# -- a clock that jumped forward and came back ----------------------------------------------


async def test_a_clock_that_jumped_to_2030_and_came_back_does_not_silence_digests(
    library: Library,
) -> None:
    await subscribe(library, 1)  # 08:00 UTC
    await subscribe(library, 2, "09:30 Europe/Berlin")
    await ingest(library, "Before the jump")
    sender = FakeSender()
    bogus = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    await digest.send_due(library, sender, now=bogus)  # one tick with the wrong clock
    assert (await subscriber(library, 1)).next_due_at == datetime(2030, 1, 2, 8, 0, tzinfo=UTC)
    await ingest(library, "After the correction")
    # The clock is right again: 07:00 UTC on 2 December 2026. Nothing is due yet,
    # but the due times come back to their real next occurrence.
    early = await digest.send_due(library, sender, now=at(25))
    assert early.delivered == 0
    assert (await subscriber(library, 1)).next_due_at == at(26)  # 2026-12-02 08:00 UTC
    assert (await subscriber(library, 2)).next_due_at == at(26.5)  # 09:30 Berlin = 08:30 UTC
    report = await digest.send_due(library, sender, now=at(26.5))
    assert report.delivered == 2
    for chat in (1, 2):
        assert len(sender.to(chat)) == 2 and "After the correction" in sender.to(chat)[1]
    assert (await subscriber(library, 1)).next_due_at == at(50)


async def test_a_due_time_within_a_day_of_the_next_occurrence_is_left_alone(
    library: Library,
) -> None:
    await subscribe(library, 1, "08:00 UTC")
    # Later than the next occurrence (08:00 today), but by less than a day: kept.
    later = at(25.5)
    async with library.store.transaction() as tx:
        db = tx.db
        await db.execute("UPDATE subscribers SET next_due_at = ? WHERE chat_id = 1",
                         (digest_iso(later),))
    await digest.send_due(library, FakeSender(), now=at(1))
    assert (await subscriber(library, 1)).next_due_at == later


def digest_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


async def test_a_lease_taken_at_the_bogus_date_does_not_hold_the_digest_back(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lease.db"
    library = await open_library(path)
    await subscribe(library, 1)
    await ingest(library, "Lease of the old depot")
    sender = FakeSender()
    sender.on(1, "crash-before")  # leased at 2030 (until 2030 + 2 min), then the crash
    with pytest.raises(SimulatedCrash):
        await digest.send_due(library, sender, now=datetime(2030, 1, 1, 12, 0, tzinfo=UTC))
    library = await reopen(library, path)
    report = await digest.send_due(library, sender, now=at(3))  # the clock is right again
    assert report.delivered == 1
    assert len(sender.to(1)) == 1 and "Lease of the old depot" in sender.to(1)[0]
    await library.close()


def test_digest_rtt_setting_sizes_what_send_due_keeps_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings.from_env({}).digest_rtt == 0.1
    assert Settings.from_env({"BRIEFBOT_DIGEST_RTT": "0.25"}).digest_rtt == 0.25
    for bad in ("fast", "0", "60"):
        with pytest.raises(SettingsError, match="BRIEFBOT_DIGEST_RTT"):
            Settings.from_env({"BRIEFBOT_DIGEST_RTT": bad})
    # send-due passes it on: 12 due digests at a 250 ms round trip lease 9 at once.
    db = tmp_path / "rtt.db"

    async def setup() -> None:
        lib = await open_library(db)
        for chat in range(1, 13):
            await subscribe(lib, chat)
        await ingest(lib, "Night bus routes")
        await lib.close()

    asyncio.run(setup())
    request = RecordingRequest()
    leased: list[int] = []
    real_deliver = delivery.deliver_open

    async def deliver_open(library: Library, sender: Any, **kwargs: Any) -> Any:
        # At the first message, every row of the first claim is leased: the in-flight size.
        original = sender.send

        async def send(chat_id: int, html: str, buttons: Sequence[Button]) -> None:
            if not leased:
                cur = await library.store.db.execute(
                    "SELECT count(*) FROM digest_outbox WHERE lease_owner IS NOT NULL"
                )
                leased.append((await cur.fetchone())[0])
            await original(chat_id, html, buttons)

        sender.send = send
        return await real_deliver(library, sender, **kwargs)

    monkeypatch.setattr(digest_cli, "_make_bot", lambda s: ExtBot(TOKEN, request=request))
    monkeypatch.setattr(delivery, "deliver_open", deliver_open)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BRIEFBOT_DB", str(db))
    monkeypatch.setenv("BRIEFBOT_DIGEST_RTT", "0.25")
    result = CliRunner().invoke(main, ["digest", "send-due", "--at", "2026-12-01T08:00Z"])
    assert result.output.startswith("12 digest(s) delivered"), result.output
    assert leased == [9]  # ceil(30 x 0.25) + 1
