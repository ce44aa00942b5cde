"""The store: migrations, WAL, and transcripts rebuilt with their offsets.

Tests taking ``db_location`` or ``store`` run on both engines (SQLite, and the
PostgreSQL server the suite starts: ``tests/pg_server.py``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefs.errors import StoreError
from briefs.passages import make_passages
from briefs.store import MIGRATIONS_DIR, Store, default_db_path, discover_migrations
from briefs.store._migrations import POSTGRES_MIGRATIONS_DIR
from briefs.transcript import TranscriptBuilder


def _transcript():
    b = TranscriptBuilder(format="text", source="talk.txt", title="A talk", date="2026-03-01")
    b.metadata["Video author"] = "Someone"
    alex = b.speaker("Alex (host)")
    greg = b.speaker("Greg Brockman (OpenAI co-founder & President)")
    b.add("heading", "Opening")
    b.add("speech", "Welcome to the show. Today we talk compute.", alex, 1.0, 4.5)
    b.add("note", "Recorded in March.")
    b.add("speech", "Thanks. Compute is the bottleneck. It always was.", greg, 5.0, 9.0)
    return b.build()


async def _tables(store: Store) -> set[str]:
    if store.dialect == "postgres":
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    cur = await store.db.execute(sql)
    return {row[0] for row in await cur.fetchall()}


def _copy_migrations(tmp_path: Path, db: Path | str = "") -> Path:
    folder = tmp_path / "migrations"
    source = POSTGRES_MIGRATIONS_DIR if str(db).startswith("postgresql:") else MIGRATIONS_DIR
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("postgres"))
    return folder


def test_both_engines_have_the_same_migrations() -> None:
    """Written once per dialect: the same versions and names, recorded the same way."""
    sqlite = [(m.version, m.name) for m in discover_migrations(MIGRATIONS_DIR)]
    postgres = [(m.version, m.name) for m in discover_migrations(POSTGRES_MIGRATIONS_DIR)]
    assert postgres == sqlite
    assert sqlite[:2] == [(1, "core"), (2, "briefs")]


async def test_open_creates_folder_runs_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "nested" / "dir" / "b.db")
    try:
        modes = []
        for pragma in ("journal_mode", "foreign_keys", "busy_timeout"):
            cur = await store.db.execute(f"PRAGMA {pragma}")
            modes.append((await cur.fetchone())[0])
        assert modes == ["wal", 1, 30_000]  # 30 s: longer than any write holds the lock
        assert {"schema_migrations", "transcripts", "turns", "passages"} <= await _tables(store)
    finally:
        await store.close()


async def test_migrations_are_recorded_and_rerunning_is_a_no_op(db_location: Path | str) -> None:
    db = db_location
    store = await Store.open(db)
    first = await store.applied_migrations()
    assert first == [(m.version, m.name) for m in discover_migrations()]
    assert (1, "core") in first
    assert await store.migrate() == []
    await store.close()

    store = await Store.open(db)  # a second open (another process, a restart) adds nothing
    try:
        assert await store.applied_migrations() == first
        cur = await store.db.execute("SELECT count(*) FROM schema_migrations")
        assert (await cur.fetchone())[0] == len(first)
    finally:
        await store.close()


async def test_half_applied_migration_rolls_back(
    tmp_path: Path, db_location: Path | str
) -> None:
    folder = _copy_migrations(tmp_path, db_location)
    (folder / "0999_broken.sql").write_text(
        "CREATE TABLE half_done (x INTEGER);\n"
        "INSERT INTO half_done VALUES (1);\n"
        "INSERT INTO no_such_table VALUES (1);\n",
        encoding="utf-8",
    )
    db = db_location
    with pytest.raises(StoreError, match=r"0999_broken\.sql failed and was rolled back"):
        await Store.open(db, migrations_dir=folder)

    store = await Store.open(db)  # the shipped migrations alone
    try:
        assert "half_done" not in await _tables(store)
        assert 999 not in [v for v, _ in await store.applied_migrations()]
        assert "transcripts" in await _tables(store)  # earlier migrations stayed applied
    finally:
        await store.close()


async def test_a_fixed_migration_applies_on_the_next_run(
    tmp_path: Path, db_location: Path | str
) -> None:
    folder = _copy_migrations(tmp_path, db_location)
    broken = folder / "0999_extra.sql"
    broken.write_text("CREATE TABLE extra (x INTEGER);\nSELECT nope FROM nowhere;\n")
    with pytest.raises(StoreError):
        await Store.open(db_location, migrations_dir=folder)
    broken.write_text("-- fixed\nCREATE TABLE extra (x INTEGER);\n")
    store = await Store.open(db_location, migrations_dir=folder)
    try:
        assert (999, "extra") in await store.applied_migrations()
        assert "extra" in await _tables(store)
    finally:
        await store.close()


def test_duplicate_migration_versions_are_refused(tmp_path: Path) -> None:
    (tmp_path / "0007_a.sql").write_text("SELECT 1;")
    (tmp_path / "0007_b.sql").write_text("SELECT 1;")
    with pytest.raises(StoreError, match="share version 7"):
        discover_migrations(tmp_path)


def test_badly_named_migration_is_refused(tmp_path: Path) -> None:
    (tmp_path / "7-thing.sql").write_text("SELECT 1;")
    with pytest.raises(StoreError, match=r"NNNN_name\.sql"):
        discover_migrations(tmp_path)


async def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"this is not sqlite " * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        await Store.open(bogus)


def test_default_db_path_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("BRIEFBOT_DB")
    monkeypatch.chdir(tmp_path)
    assert default_db_path() == tmp_path / "briefbot.db"


async def test_transcript_round_trips_with_offsets_intact(db_location: Path | str) -> None:
    transcript = _transcript()
    passages = make_passages(transcript)
    store = await Store.open(db_location)
    try:
        async with store.transaction():
            ref, stored = await store.transcripts.insert(
                transcript,
                passages,
                transcript_id="a-talk",
                source_key="/x/talk.txt",
                content_hash="h1",
                ingested_at="2026-03-02T10:00:00Z",
            )
        assert (ref.id, ref.seq, ref.supersedes_pk) == ("a-talk", 1, None)
        info, rebuilt, loaded = await store.transcripts.load(ref.pk)
        assert rebuilt == transcript
        assert loaded == stored
        assert [p.id for p in loaded] == sorted({p.id for p in loaded})
        assert all(rebuilt.text[p.start : p.end] == p.text for p in loaded)
        assert [(p.seq, p.text) for p in loaded] == [(p.seq, p.text) for p in passages]
        assert (info.turn_count, info.word_count, info.current) == (4, 16, True)
    finally:
        await store.close()


async def test_transaction_rolls_back_everything_on_error(db_location: Path | str) -> None:
    store = await Store.open(db_location)
    try:
        with pytest.raises(RuntimeError):
            async with store.transaction():
                await store.transcripts.insert(
                    _transcript(),
                    make_passages(_transcript()),
                    transcript_id="a-talk",
                    source_key="k",
                    content_hash="h",
                    ingested_at="2026-03-02T10:00:00Z",
                )
                raise RuntimeError("half-way")
        totals = await store.transcripts.totals()
        assert [totals[k] for k in ("revisions", "turns", "passages")] == [0, 0, 0]
        assert not store.db.in_transaction
    finally:
        await store.close()


async def test_migrations_may_hold_triggers_strings_and_comments(tmp_path: Path) -> None:
    folder = _copy_migrations(tmp_path)
    (folder / "0998_trigger.sql").write_text(
        "-- a comment; with a semicolon\n"
        "CREATE TABLE log (msg TEXT);\n"
        "CREATE TRIGGER log_insert AFTER INSERT ON transcripts BEGIN\n"
        "    INSERT INTO log VALUES ('added; ' || NEW.id);\n"
        "END;\n"
        "INSERT INTO log VALUES ('-- not a comment;');\n",
        encoding="utf-8",
    )
    store = await Store.open(tmp_path / "b.db", migrations_dir=folder)
    try:
        async with store.transaction():
            await store.transcripts.insert(
                _transcript(),
                [],
                transcript_id="x",
                source_key="k",
                content_hash="h",
                ingested_at="2026-03-02T10:00:00Z",
            )
        cur = await store.db.execute("SELECT msg FROM log ORDER BY rowid")
        assert [r[0] for r in await cur.fetchall()] == ["-- not a comment;", "added; x"]
    finally:
        await store.close()
