"""The library on PostgreSQL: the CLI flows as on SQLite, and many processes at once.

The server is the suite's own (``tests/pg_server.py``); each test gets a fresh
database. The commands run for real: in process through click for the flows,
as separate ``briefbot`` processes for the concurrency tests.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from loopback_bot_api import LoopbackBotAPI, loopback_bot_api
from ptb_fakes import BOT_USER

from bot.cli import main
from bot.settings import Settings, SettingsError
from briefs import digest
from briefs.digest import parse_subscribe_args
from briefs.errors import StoreError
from briefs.library import Library
from briefs.store import Store, parse_db_location, shown

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "briefs" / "samples"
TOKEN = "123456789:" + "A" * 35
SENT = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "ok"}
DUE = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
BRIEFBOT = Path(sys.executable).with_name("briefbot")

# Short invented meetings (our own writing), one topic each.
TOPICS = ["ferry timetable", "library roof", "bike lanes", "school lunches", "tram depot",
          "park benches", "night buses", "harbour crane", "bridge paint", "market stalls",
          "street lights", "river path"]


def _meeting(topic: str, n: int) -> str:
    return (
        f"# Council note {n}: the {topic}\n\n"
        f"[00:00:0{n % 10}] Mira: We need a decision on the {topic} before spring.\n"
        f"[00:00:3{n % 10}] Tomas: The {topic} budget is short by a third; I would delay it.\n"
        f"[00:01:0{n % 10}] Mira: Delay means the {topic} waits another year. I say we fund"
        f" half now and review item {n} in March.\n"
    )


# -- where the library lives ------------------------------------------------------------


def test_a_path_or_a_postgres_url_is_accepted_any_other_url_refused(tmp_path: Path) -> None:
    assert parse_db_location("lib/briefbot.db") == Path("lib/briefbot.db")
    assert parse_db_location(" postgresql://bot@db:5432/briefs ") == (
        "postgresql://bot@db:5432/briefs"
    )
    assert parse_db_location("postgres://bot@db/briefs") == "postgres://bot@db/briefs"
    for bad in ("mysql://x", "sqlite:///tmp/x.db", "http://example.com/db"):
        with pytest.raises(StoreError, match="is not a database briefbot can use"):
            parse_db_location(bad)
    with pytest.raises(StoreError, match="names no host"):
        parse_db_location("postgresql:///briefs")
    assert shown("postgresql://bot:hunter2@db:5432/briefs") == "postgresql://bot:***@db:5432/briefs"


def test_the_cli_refuses_another_url_in_one_line_and_makes_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["list", "--db", "mysql://x"])
    assert (result.exit_code, result.output) == (1, (
        "Error: mysql://x is not a database briefbot can use: give a SQLite file path"
        " or a postgresql://user@host:port/dbname URL\n"
    ))
    monkeypatch.setenv("BRIEFBOT_DB", "mysql://root:secret@x/db")
    result = CliRunner().invoke(main, ["ingest", str(SAMPLES)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "secret" not in result.output
    assert list(tmp_path.iterdir()) == []  # no "mysql:" folder, no briefbot.db


def test_settings_take_a_postgres_url_as_it_is_and_refuse_other_urls() -> None:
    url = "postgresql://bot@db:5432/briefs"
    assert Settings.from_env({"BRIEFBOT_DB": url}).db == url
    assert Settings.from_env({"BRIEFBOT_DB": "~/x.db"}).db == Path("~/x.db").expanduser()
    with pytest.raises(SettingsError, match=r"^BRIEFBOT_DB: mysql://x is not a database"):
        Settings.from_env({"BRIEFBOT_DB": "mysql://x"})


async def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        await Store.open("postgresql://bot:hunter2@127.0.0.1:1/briefs")
    message = str(caught.value)
    assert message.startswith("cannot open the database postgresql://bot:***@127.0.0.1:1/briefs")
    assert "hunter2" not in message and "\n" not in message


# -- the CLI flows, on both engines -------------------------------------------------------


def _cli(db: Path | str, *args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, [*args, "--db", str(db)], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _subscribe(db: Path | str, chat_ids: list[int], *, now: datetime) -> None:
    async def run() -> None:
        lib = await Library.open(db, llm=None)
        try:
            for chat_id in chat_ids:
                await digest.subscribe(
                    lib, chat_id, parse_subscribe_args("08:00 UTC"), now=now,
                    default_time=time(8, 0), default_zone=ZoneInfo("UTC"),
                )
        finally:
            await lib.close()

    asyncio.run(run())


def _flow(db: Path | str, folder: Path, api: LoopbackBotAPI) -> dict[str, Any]:
    """Ingest, list, show, brief, search, chat, subscribe and send the due digest."""
    out: dict[str, Any] = {"ingest": _cli(db, "ingest", "--quiet", str(SAMPLES))}
    listed = json.loads(_cli(db, "list", "--json"))
    for item in listed:
        item.pop("ingested_at", None)
    out["list"] = listed
    first = next(item["id"] for item in listed if "water" in item["id"])
    shown_ = json.loads(_cli(db, "show", first, "--json"))
    shown_.pop("ingested_at", None)
    out["show"] = shown_
    brief = json.loads(_cli(db, "brief", first, "--json"))
    brief.pop("built_at", None)
    out["brief"] = brief
    out["search"] = _lines(_cli(db, "search", "lead", "pipes", "--json"))
    # The console chat, the conversation core every front end shares: a brief,
    # its risks, a quote search and a setting changed and read back.
    chat = CliRunner().invoke(
        main, ["chat", "--db", str(db)],
        input=f"/brief {first}\n/risks\nlead pipes\n/settings\n2\n/settings\n",
    )
    assert chat.exit_code == 0, chat.output
    out["chat"] = chat.output
    _subscribe(db, [101, 102], now=DUE - timedelta(hours=2))
    (folder / "late.md").write_text(_meeting("ferry timetable", 1), encoding="utf-8")
    out["late"] = _cli(db, "ingest", "--quiet", str(folder / "late.md"))
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "BRIEFBOT_TELEGRAM_API_URL": api.base_url}
    out["send"] = _cli(db, "digest", "send-due", "--at", DUE.isoformat(), env=env)
    out["again"] = _cli(db, "digest", "send-due", "--at", DUE.isoformat(), env=env)
    out["sent_to"] = sorted(int(m["chat_id"]) for m in api.sent("sendMessage"))
    return out


def test_ingest_list_show_brief_search_and_digest_work_on_postgres_as_on_sqlite(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    results = []
    for name, db in (("sqlite", tmp_path / "lib.db"), ("postgres", pg_url)):
        folder = tmp_path / name
        folder.mkdir()
        with loopback_bot_api({"getMe": BOT_USER, "sendMessage": SENT}) as api:
            results.append(_flow(db, folder, api))
    on_sqlite, on_postgres = results
    assert on_postgres == on_sqlite
    assert on_postgres["sent_to"] == [101, 102]  # each subscriber once, and once only
    chat = on_postgres["chat"]
    assert "TL;DR" in chat and "Risks" in chat and "Quotes for" in chat, chat
    assert on_postgres["send"].startswith("2 digest(s) delivered (2 message(s)), 2 composed")
    assert on_postgres["again"].startswith("0 digest(s) delivered (0 message(s)), 0 composed")
    assert len(on_postgres["list"]) == len(list(SAMPLES.iterdir()))
    assert on_postgres["search"][0]["transcript_id"] == on_postgres["show"]["id"]


# -- many processes at once -----------------------------------------------------------------


def _spawn(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([str(BRIEFBOT), *args], env={**os.environ, **env}, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(procs: list[subprocess.Popen[str]]) -> list[str]:
    outputs = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        outputs.append(stdout)
    return outputs


def test_two_ingest_processes_at_once_land_with_distinct_sequence_numbers(
    tmp_path: Path, pg_url: str
) -> None:
    halves = []
    for half in (0, 1):
        folder = tmp_path / f"half{half}"
        folder.mkdir()
        for i, topic in enumerate(TOPICS[half::2]):
            (folder / f"note-{half}-{i}.md").write_text(_meeting(topic, 2 * i + half),
                                                       encoding="utf-8")
        halves.append(folder)
    assert json.loads(_cli(pg_url, "list", "--json")) == []  # migrated before the race
    env = {"BRIEFBOT_DB": pg_url}
    outputs = _finish([_spawn(["ingest", str(f)], env, tmp_path) for f in halves])
    assert all("added 6, duplicate 0, revised 0, failed 0" in out for out in outputs), outputs
    items = json.loads(_cli(pg_url, "list", "--json", "--limit", "0"))
    assert sorted(item["seq"] for item in items) == list(range(1, 13))
    assert {item["title"] for item in items} == {
        f"Council note {n}: the {TOPICS[n % 2 :: 2][n // 2]}" for n in range(12)
    }
    hits = _lines(_cli(pg_url, "search", "harbour", "crane", "--json"))
    assert hits[0]["title"].endswith("the harbour crane")


def test_two_send_due_processes_at_the_same_instant_deliver_each_digest_once(
    tmp_path: Path, pg_url: str
) -> None:
    chats = list(range(1001, 1041))
    _subscribe(pg_url, chats, now=DUE - timedelta(hours=2))
    (tmp_path / "news.md").write_text(_meeting("night buses", 3), encoding="utf-8")
    _cli(pg_url, "ingest", "--quiet", str(tmp_path / "news.md"))
    with loopback_bot_api({"getMe": BOT_USER, "sendMessage": SENT}) as api:
        env = {"BRIEFBOT_DB": pg_url, "TELEGRAM_BOT_TOKEN": TOKEN,
               "BRIEFBOT_TELEGRAM_API_URL": api.base_url}
        args = ["digest", "send-due", "--at", DUE.isoformat()]
        procs = asyncio.run(_at_the_same_instant(pg_url, lambda: _spawn(args, env, tmp_path)))
        outputs = _finish(procs)
        sent = sorted(int(m["chat_id"]) for m in api.sent("sendMessage"))
    assert sent == chats  # every chat once: none lost, none twice
    delivered = [int(out.split(" digest(s) delivered")[0]) for out in outputs]
    assert sum(delivered) == len(chats)
    # Composed once: the compositions are split between the two, none thrown away.
    composed = [int(out.split(" composed,")[0].rsplit(" ", 1)[1]) for out in outputs]
    assert sum(composed) == len(chats), outputs
    assert not any("in vain" in out for out in outputs), outputs

    async def statuses() -> list[str]:
        lib = await Library.open(pg_url, llm=None)
        try:
            rows = await lib.store.digests.outbox(limit=1000)
            return [*sorted({r.status for r in rows}), str(len(rows))]
        finally:
            await lib.close()

    assert asyncio.run(statuses()) == ["delivered", str(len(chats))]


async def _at_the_same_instant(
    url: str, start: Callable[[], subprocess.Popen[str]], n: int = 2
) -> list[subprocess.Popen[str]]:
    """Start ``n`` senders and let them claim at once: the test holds the compose
    claims' table until all of them are waiting for it at their first claim."""
    import asyncpg

    gate = await asyncpg.connect(url)
    try:
        async with gate.transaction():
            await gate.execute("LOCK TABLE digest_composing IN EXCLUSIVE MODE")
            procs = [start() for _ in range(n)]
            for _ in range(600):
                waiting = await gate.fetchval(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted"
                    " AND relation = 'digest_composing'::regclass"
                )
                if waiting == n or any(p.poll() is not None for p in procs):
                    break
                await asyncio.sleep(0.1)
            assert waiting == n, "the senders never reached their claim"
    finally:
        await gate.close()
    return procs


# -- moving a library: briefbot db copy ---------------------------------------------------


def _views(db: Path | str) -> dict[str, Any]:
    listed = json.loads(_cli(db, "list", "--json", "--limit", "0"))
    ids = [item["id"] for item in listed]
    return {
        "list": listed,
        "show": [json.loads(_cli(db, "show", i, "--json")) for i in ids],
        "brief": [json.loads(_cli(db, "brief", i, "--json")) for i in ids],
        "search": _lines(_cli(db, "search", "budget", "--json")),
        "digests": _cli(db, "digest", "list", "--outbox"),
    }


def test_db_copy_moves_a_sqlite_library_to_postgres_whole(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "briefbot.db"
    _cli(source, "ingest", "--quiet", str(SAMPLES))
    _subscribe(source, [7, 8], now=DUE - timedelta(hours=2))
    (tmp_path / "a.md").write_text(_meeting("library roof", 4), encoding="utf-8")
    _cli(source, "ingest", "--quiet", str(tmp_path / "a.md"))
    with loopback_bot_api({"getMe": BOT_USER, "sendMessage": SENT}) as api:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "BRIEFBOT_TELEGRAM_API_URL": api.base_url}
        _cli(source, "digest", "send-due", "--at", DUE.isoformat(), env=env)
    before = _views(source)

    result = CliRunner().invoke(main, ["db", "copy", "--from", str(source), "--to", pg_url])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Copied ")
    assert result.output.endswith(
        f"to {pg_url}: {len(list(SAMPLES.iterdir())) + 1} transcript revision(s),"
        " 2 subscriber(s), 2 digest(s), 0 feed(s).\n"
    )
    assert _views(pg_url) == before  # every view reads the same from the copy

    # The copy's sequences continue where the source stopped.
    (tmp_path / "b.md").write_text(_meeting("bike lanes", 5), encoding="utf-8")
    _cli(pg_url, "ingest", "--quiet", str(tmp_path / "b.md"))
    seqs = [item["seq"] for item in json.loads(_cli(pg_url, "list", "--json", "--limit", "0"))]
    stored = len(list(SAMPLES.iterdir())) + 2  # the samples, a.md, b.md
    assert seqs == list(range(stored, 0, -1))

    # A second copy would overwrite a library: refused in one line, nothing written.
    again = CliRunner().invoke(main, ["db", "copy", "--from", str(source), "--to", pg_url])
    assert (again.exit_code, again.output) == (1, (
        "Error: the target database already holds a library: copy only into an empty one\n"
    ))
    assert len(json.loads(_cli(pg_url, "list", "--json", "--limit", "0"))) == stored


# -- replicas that agree ------------------------------------------------------------------


async def test_replicas_see_each_others_ingests_and_chat_settings(
    tmp_path: Path, pg_url: str
) -> None:
    from bot._chatstate import ChatState

    first, second = await Library.open(pg_url, llm=None), await Library.open(pg_url, llm=None)
    try:
        assert (await second.search("harbour crane")).hits == ()
        (tmp_path / "crane.md").write_text(_meeting("harbour crane", 2), encoding="utf-8")
        outcome = await first.ingest_path(tmp_path / "crane.md")
        assert outcome.status == "added"
        # The other replica's in-memory index follows within a few seconds (it checks
        # at most once a second), no restart.
        waited = 0.0
        while not (hits := (await second.search("harbour crane")).hits) and waited < 5:
            await asyncio.sleep(0.1)
            waited += 0.1
        assert [h.transcript_id for h in hits][:1] == [outcome.transcript_id]
        assert 0 < waited <= 1.5  # not at once (the check is throttled), but within a second

        one, two = ChatState(first.store), ChatState(second.store)
        assert await two.settings(42) == {}
        await one.set_results_per_page(42, 7)
        assert await two.settings(42) == {"results_per_page": 7}
        await two.set_results_per_page(42, 3)
        assert await one.settings(42) == {"results_per_page": 3}
    finally:
        await first.close()
        await second.close()
