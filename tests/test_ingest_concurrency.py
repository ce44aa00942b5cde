"""Ingest never blocks: its CPU work runs off the event loop, outside the write
transaction, and a second writer waits for the lock instead of failing.

Orchestrated with events, never with sleeps or timings: a step's ``prepare``
is held on a ``threading.Event`` while the test does something else on the
loop, and the busy retry's pause is a coroutine of the test's own.
"""

# The fixtures ``chat`` and ``library`` come from tg_harness; tests name them as arguments.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tg_harness import ADMIN, Chat, chat, library  # noqa: F401

import briefs.brief._step as _brief_store
import briefs.search._step as search_module
from briefs.digest._subscribers import get_subscriber, save_subscriber
from briefs.library import Library
from briefs.render import html_to_text
from briefs.search import encode_docs
from briefs.store import Store
from briefs.store._busy import BUSY_RETRIES, begin_immediate

TALK = "\n\n".join(
    f"{'Ann' if i % 2 else 'Bob'}: The harbour bridge needs {i} more steel beams before May. "
    f"We checked the budget for beam {i} twice, and the council agreed to the plan."
    for i in range(1, 41)
)
WAIT_S = 60.0  # only so a broken build fails instead of hanging; nothing is timed


class Hold:
    """Wraps a CPU function of ingest: records the thread and store state it ran
    in, and (once ``hold`` is set) blocks in the worker thread until released."""

    def __init__(self, real, store: Store, loop_thread: threading.Thread) -> None:  # type: ignore[no-untyped-def]
        self.real = real
        self.store = store
        self.loop_thread = loop_thread
        self.calls: list[tuple[bool, bool, bool]] = []
        """(on the loop's thread, transaction open, write lock held) per call."""
        self.hold = False
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        on_loop = threading.current_thread() is self.loop_thread
        self.calls.append((on_loop, self.store.db.in_transaction, self.store._lock.locked()))
        if self.hold and not on_loop:  # blocking the loop itself would hang the test
            self.started.set()
            self.release.wait(WAIT_S)
        return self.real(*args, **kwargs)


async def test_brief_and_tokens_are_built_in_a_worker_thread_with_no_transaction_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = await Library.open(tmp_path / "x.db", llm=None)
    try:
        loop_thread = threading.current_thread()
        brief = Hold(_brief_store.build_brief, lib.store, loop_thread)
        tokens = Hold(search_module.tokenize, lib.store, loop_thread)
        monkeypatch.setattr(_brief_store, "build_brief", brief)
        monkeypatch.setattr(search_module, "tokenize", tokens)
        outcome = await lib.ingest_bytes("harbour.txt", TALK.encode())
        monkeypatch.undo()
        assert outcome.status == "added", outcome
        assert brief.calls == [(False, False, False)]
        assert tokens.calls and set(tokens.calls) == {(False, False, False)}
        # The brief was built before the passages had ids; what is stored
        # cites the stored passages, each quote inside the passage it names.
        stored = await lib.get(outcome.transcript_id or "")
        by_id = {p.id: p.text for p in stored.passages}
        items = list((await lib.brief(stored.info.id)).items())
        assert items and all(item.quote in by_id[item.passage_id] for item in items)
        assert (await lib.search("steel beams")).hits
    finally:
        await lib.close()


async def test_the_library_answers_while_an_upload_is_being_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = await Library.open(tmp_path / "x.db", llm=None)
    try:
        first = await lib.ingest_bytes("first.txt", b"Ann: The ferry timetable changes in June.\n")
        hold = Hold(_brief_store.build_brief, lib.store, threading.current_thread())
        hold.hold = True
        monkeypatch.setattr(_brief_store, "build_brief", hold)
        ingest = asyncio.create_task(lib.ingest_bytes("harbour.txt", TALK.encode()))
        assert await asyncio.to_thread(hold.started.wait, WAIT_S), "the brief ran on the loop"
        # The upload's brief is being built right now; the loop still serves.
        listed = [i.id for i in await lib.list_transcripts()]
        found = await lib.search("ferry timetable")
        assert not ingest.done()
        hold.release.set()
        outcome = await ingest
        assert listed == [first.transcript_id]
        assert [h.transcript_id for h in found.hits] == [first.transcript_id]
        assert outcome.status == "added"
        assert [i.id for i in await lib.list_transcripts()] == ["harbour", first.transcript_id]
    finally:
        await lib.close()


async def test_the_bot_answers_list_while_an_upload_is_ingested(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = chat.app.bot_data["briefbot"].library
    hold = Hold(_brief_store.build_brief, library.store, threading.current_thread())
    hold.hold = True
    monkeypatch.setattr(_brief_store, "build_brief", hold)
    chat.request.files["doc1"] = TALK.encode()
    upload = chat.updates.document("harbour.txt", "doc1", size=len(TALK), user_id=ADMIN)
    task = asyncio.create_task(chat.app.process_update(upload))
    assert await asyncio.to_thread(hold.started.wait, WAIT_S), "the brief ran on the loop"
    (listing,) = await chat.say("/list")
    assert not task.done()
    hold.release.set()
    await task
    assert "Compute talk" in html_to_text(listing)
    assert "Harbour" not in html_to_text(listing)  # still being ingested when /list ran
    assert html_to_text(chat.request.texts()[-1]).startswith("added as harbour (40 turns")


async def test_a_second_connection_waits_for_the_write_lock_then_ingests_and_subscribes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shared.db"
    holder = await Store.open(path)
    released = asyncio.Event()
    done = asyncio.Event()
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        # The busy retry's pause: the other process finishes its write meanwhile.
        pauses.append(seconds)
        released.set()
        await done.wait()

    # busy_timeout=0: SQLite answers "database is locked" at once, so the
    # test sees the retry (in production SQLite first waits 30 s itself).
    waiting = Library(await Store.open(path, busy_timeout=0, sleep=pause))
    try:
        holding = asyncio.Event()

        async def hold_the_lock() -> None:
            async with holder.transaction() as tx:
                db = tx.db
                await db.execute("UPDATE transcripts SET title = title")
                holding.set()
                await released.wait()
            done.set()

        task = asyncio.create_task(hold_the_lock())
        await holding.wait()
        outcome = await waiting.ingest_bytes("harbour.txt", TALK.encode())
        released.set()  # (already set by the retry's pause, unless it never came)
        await task
        assert outcome.status == "added", outcome
        assert len(pauses) == 1
        # The lock is free again: a subscription needs no retry.
        now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        await save_subscriber(waiting.store, chat_id=7, chat_type="private", at=time(8, 0),
                              zone=ZoneInfo("UTC"), topics=(), now=now)
        assert (await get_subscriber(waiting.store, 7)).active
        assert [i.id for i in await Library(holder).list_transcripts()] == ["harbour"]
    finally:
        await waiting.close()
        await holder.close()


async def test_a_subscription_waits_for_another_process_s_ingest(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    ingester = await Store.open(path)
    released, done = asyncio.Event(), asyncio.Event()

    async def pause(seconds: float) -> None:
        released.set()
        await done.wait()

    subscriber = await Store.open(path, busy_timeout=0, sleep=pause)
    try:
        holding = asyncio.Event()

        async def long_write() -> None:
            async with ingester.transaction() as tx:
                db = tx.db
                await db.execute("UPDATE transcripts SET title = title")
                holding.set()
                await released.wait()
            done.set()

        task = asyncio.create_task(long_write())
        await holding.wait()
        now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        sub = await save_subscriber(subscriber, chat_id=7, chat_type="private", at=time(9, 30),
                                    zone=ZoneInfo("Europe/Paris"), topics=("harbour",), now=now)
        released.set()
        await task
        assert (sub.chat_id, sub.active, sub.topics) == (7, True, ("harbour",))
    finally:
        await subscriber.close()
        await ingester.close()


async def test_a_lock_held_past_every_retry_fails_the_ingest_with_one_line_and_no_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shared.db"
    holder = await Store.open(path)
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    waiting = Library(await Store.open(path, busy_timeout=0, sleep=pause))
    try:
        async with holder.transaction():
            outcome = await waiting.ingest_bytes("harbour.txt", TALK.encode())
        assert outcome.status == "failed"
        assert outcome.message == "the database refused it: database is locked"
        assert len(pauses) == BUSY_RETRIES
        assert pauses == sorted(pauses) and pauses[0] < pauses[-1]  # backing off
        assert (await waiting.stats())["transcripts"] == 0
    finally:
        await waiting.close()
        await holder.close()


async def test_errors_other_than_busy_are_not_retried(tmp_path: Path) -> None:
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    store = await Store.open(tmp_path / "x.db")
    try:
        await store.db.execute("BEGIN")
        with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
            await begin_immediate(store.db, pause)
        await store.db.execute("ROLLBACK")
    finally:
        await store.close()
    assert pauses == []


async def test_what_prepare_builds_is_stored_exactly_as_a_build_on_stored_passages_would_be(
    tmp_path: Path,
) -> None:
    lib = await Library.open(tmp_path / "x.db", llm=None)
    try:
        await lib.ingest_bytes("first.txt", b"Ann: The ferry timetable changes in June.\n")
        outcome = await lib.ingest_bytes("harbour.txt", TALK.encode())
        stored = await lib.get(outcome.transcript_id or "")
        assert stored.passages[0].id != stored.passages[0].seq  # the ids really moved
        on_stored = _brief_store.build_brief(stored.transcript, stored.passages)
        assert (await lib.brief(stored.info.id)).to_json() == on_stored.to_json()
        tokens = [search_module.tokenize(p.text) for p in stored.passages]
        vocab = lib.search_engine.index.vocab
        expected = encode_docs(tokens, vocab)
        ref = await lib.store.transcripts.ref_by_id(stored.info.id)
        assert ref is not None
        (row,) = [r for r in await lib.store.index.load_docs() if r.transcript_pk == ref.pk]
        assert [a.tolist() for a in row.enc] == [a.tolist() for a in expected]
        assert row.passage_ids.tolist() == [p.id for p in stored.passages]
    finally:
        await lib.close()
