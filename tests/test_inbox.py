"""The watched inbox: new files ingested once, failures moved aside with their reason."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefs.inbox import inbox_candidates, poll_inbox
from briefs.library import Library

SAMPLES = Path(__file__).resolve().parents[1] / "briefs" / "samples"
# File times in these tests are real (the filesystem sets them); "now" is an hour later,
# so every file has settled.
LATER = datetime.now(UTC).replace(microsecond=0).timestamp() + 3600


def _clock() -> datetime:
    return datetime.fromtimestamp(LATER, UTC)


@pytest.fixture
async def lib(tmp_path: Path) -> AsyncIterator[Library]:
    library = await Library.open(tmp_path / "inbox.db")
    yield library
    await library.close()


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


async def test_new_files_are_ingested_and_moved_to_done(lib: Library, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "2026-09-02-bakery-morning-shift.md", inbox / "bakery.md")
    shutil.copy(SAMPLES / "2026-05-07-solar-earnings-call.vtt", inbox / "call.vtt")
    outcomes = await poll_inbox(lib, inbox, clock=_clock)
    assert sorted((o.path.rsplit("/", 1)[-1], o.status) for o in outcomes) == [
        ("bakery.md", "added"), ("call.vtt", "added"),
    ]
    assert _tree(inbox) == ["done/bakery.md", "done/call.vtt"]
    assert await lib.count_transcripts() == 2
    assert await poll_inbox(lib, inbox, clock=_clock) == []


async def test_a_bad_file_moves_to_failed_with_its_reason(lib: Library, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "broken.json").write_text('{"segments": [', encoding="utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    shutil.copy(SAMPLES / "2026-09-02-bakery-morning-shift.md", inbox / "good.md")
    outcomes = await poll_inbox(lib, inbox, clock=_clock)
    assert sorted((Path(o.path).name, o.status) for o in outcomes) == [
        ("broken.json", "failed"), ("empty.txt", "failed"), ("good.md", "added"),
    ]
    assert _tree(inbox) == [
        "done/good.md", "failed/broken.json", "failed/broken.json.error.txt",
        "failed/empty.txt", "failed/empty.txt.error.txt",
    ]
    reason = (inbox / "failed" / "broken.json.error.txt").read_text(encoding="utf-8")
    assert reason.splitlines()[0] == (
        f"{inbox / 'broken.json'}: not valid JSON at line 1, column 15 (Expecting value)"
    )
    assert await lib.count_transcripts() == 1


async def test_the_same_content_dropped_again_is_a_duplicate_not_a_second_copy(
    lib: Library, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sample = SAMPLES / "2026-09-02-bakery-morning-shift.md"
    shutil.copy(sample, inbox / "bakery.md")
    await poll_inbox(lib, inbox, clock=_clock)
    shutil.copy(sample, inbox / "bakery.md")
    [again] = await poll_inbox(lib, inbox, clock=_clock)
    assert again.status == "duplicate"
    assert _tree(inbox) == ["done/bakery-2.md", "done/bakery.md"]
    assert await lib.count_transcripts() == 1


async def test_a_file_that_cannot_be_moved_is_still_not_ingested_twice(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "2026-09-02-bakery-morning-shift.md", inbox / "bakery.md")

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    [first] = await poll_inbox(lib, inbox, clock=_clock)
    assert first.status == "added"
    assert await poll_inbox(lib, inbox, clock=_clock) == []
    assert _tree(inbox) == ["bakery.md"]


def test_files_still_being_written_and_leftovers_wait(tmp_path: Path) -> None:
    for name in ["ready.txt", "fresh.txt", ".hidden.txt", "upload.txt.part", "x.srt~",
                 "old.txt.error.txt"]:
        (tmp_path / name).write_text("Alex: hi", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    past = (tmp_path / "ready.txt").stat().st_mtime - 60
    os.utime(tmp_path / "ready.txt", (past, past))
    now = (tmp_path / "fresh.txt").stat().st_mtime + 1
    assert inbox_candidates(tmp_path, now=now, settle_seconds=5) == [tmp_path / "ready.txt"]


async def test_a_missing_inbox_folder_is_created(lib: Library, tmp_path: Path) -> None:
    inbox = tmp_path / "new" / "inbox"
    assert await poll_inbox(lib, inbox, clock=_clock) == []
    assert inbox.is_dir()


def test_inbox_poll_command_reports_each_file_and_fails_on_a_bad_one(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "2026-09-02-bakery-morning-shift.md", inbox / "bakery.md")
    (inbox / "bad.srt").write_text("not subtitles\n", encoding="utf-8")
    past = datetime.now(UTC).timestamp() - 60
    for p in inbox.iterdir():
        os.utime(p, (past, past))
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(main, ["inbox", "poll", str(inbox), "--db", db])
    assert result.exit_code == 1
    lines = sorted(result.output.splitlines())
    assert lines == [
        f"added     {inbox / 'bakery.md'}: added as before-dawn-at-the-corner-bakery "
        "(28 turns, 809 words) (moved to done/)",
        f"failed    {inbox / 'bad.srt'}: {inbox / 'bad.srt'}: not valid SRT at line 1 (expected "
        "a time line like '00:00:01,000 --> 00:00:04,000', found 'not subtitles') "
        "(moved to failed/)",
    ]
    again = CliRunner().invoke(main, ["inbox", "poll", str(inbox), "--db", db])
    assert (again.exit_code, again.output) == (0, f"{inbox}: nothing new\n")


def test_inbox_poll_command_needs_a_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    monkeypatch.delenv("BRIEFBOT_INBOX", raising=False)
    result = CliRunner().invoke(main, ["inbox", "poll"])
    assert result.exit_code == 2
    assert "no inbox folder: pass FOLDER or set BRIEFBOT_INBOX" in result.output


async def test_a_file_taken_by_another_poller_meanwhile_is_skipped(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Ana:\nHi.\n\nBo:\nHello.\n", encoding="utf-8")
    real = lib.ingest_path

    async def other_poller_first(path):  # the other poller moves the file away first
        Path(path).rename(tmp_path / "elsewhere.txt")
        return await real(path)

    monkeypatch.setattr(lib, "ingest_path", other_poller_first)
    assert await poll_inbox(lib, inbox, clock=_clock) == []
    assert _tree(inbox) == []
