"""The watched inbox: new files ingested once, failures moved aside with their reason."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefs.library import Library
from briefs.sources import inbox_candidates, poll_inbox
from briefs.sources._inbox_files import Entry

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
    import briefs.sources._inbox

    real = briefs.sources._inbox.read_entry

    def other_poller_first(entry: Entry) -> bytes:  # the other poller moves the file away first
        entry.path.rename(tmp_path / "elsewhere.txt")
        return real(entry)

    monkeypatch.setattr(briefs.sources._inbox, "read_entry", other_poller_first)
    assert await poll_inbox(lib, inbox, clock=_clock) == []
    assert _tree(inbox) == []
    assert await lib.count_transcripts() == 0


# -- only regular files inside the inbox are read ---------------------------------------

SECRET = "TELEGRAM_BOT_TOKEN=123456:AAHsecretsecretsecretsecret\n"
OUTSIDE = "it is a symbolic link to a file outside the inbox (only files inside it are read)"


def _entries(folder: Path) -> list[str]:
    # Everything but folders: links (a moved link may point at nothing now) and FIFOs too.
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_symlink() or not p.is_dir())


async def _nothing_secret_stored(lib: Library) -> None:
    assert await lib.count_transcripts() == 0
    assert (await lib.search("TELEGRAM_BOT_TOKEN")).hits == ()


async def test_a_symlink_to_a_file_outside_is_moved_to_failed_unread(
    lib: Library, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = tmp_path / ".env"
    env.write_text(SECRET, encoding="utf-8")
    (inbox / "notes.txt").symlink_to(env)  # ln -s ~/.env inbox/notes.txt
    (inbox / "relative.txt").symlink_to(Path("..") / ".env")
    (inbox / "etc").symlink_to(Path("/etc"))  # a folder outside: refused as well
    outcomes = await poll_inbox(lib, inbox, clock=_clock)
    assert sorted((Path(o.path).name, o.status, o.message) for o in outcomes) == [
        (name, "failed", f"{inbox / name}: not read: {OUTSIDE}")
        for name in ("etc", "notes.txt", "relative.txt")
    ]
    assert _entries(inbox) == [
        "failed/etc", "failed/etc.error.txt", "failed/notes.txt", "failed/notes.txt.error.txt",
        "failed/relative.txt", "failed/relative.txt.error.txt",
    ]
    reason = (inbox / "failed" / "notes.txt.error.txt").read_text(encoding="utf-8")
    assert reason.splitlines()[0] == f"{inbox / 'notes.txt'}: not read: {OUTSIDE}"
    assert "TELEGRAM" not in reason and ".env" not in reason  # neither the secret nor its name
    assert env.read_text(encoding="utf-8") == SECRET  # the target is left alone
    await _nothing_secret_stored(lib)
    assert await poll_inbox(lib, inbox, clock=_clock) == []


async def test_a_symlink_to_a_file_inside_the_inbox_is_read(lib: Library, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "synced").mkdir(parents=True)
    shutil.copy(SAMPLES / "2026-09-02-bakery-morning-shift.md", inbox / "synced" / "bakery.md")
    (inbox / "bakery.md").symlink_to(Path("synced") / "bakery.md")
    (inbox / "synced-folder").symlink_to(Path("synced"))  # a folder inside: left alone
    [outcome] = await poll_inbox(lib, inbox, clock=_clock)
    assert (Path(outcome.path).name, outcome.status) == ("bakery.md", "added")
    assert _entries(inbox) == ["done/bakery.md", "synced-folder", "synced/bakery.md"]
    assert await lib.count_transcripts() == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
async def test_fifos_and_broken_links_are_failed_with_a_reason_and_never_block(
    lib: Library, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    os.mkfifo(inbox / "pipe.txt")  # opening it to read would wait for a writer forever
    (inbox / "to-pipe.txt").symlink_to("pipe.txt")
    (inbox / "gone.txt").symlink_to("nowhere.txt")
    (inbox / "loop.txt").symlink_to("loop.txt")
    outcomes = await poll_inbox(lib, inbox, clock=_clock)
    assert sorted((Path(o.path).name, o.status, o.message) for o in outcomes) == [
        ("gone.txt", "failed", f"{inbox / 'gone.txt'}: not read: it is a symbolic link that "
         "leads nowhere (broken, or a loop)"),
        ("loop.txt", "failed", f"{inbox / 'loop.txt'}: not read: it is a symbolic link that "
         "leads nowhere (broken, or a loop)"),
        ("pipe.txt", "failed", f"{inbox / 'pipe.txt'}: not read: it is a FIFO (named pipe), not "
         "a file (only transcript files are read)"),
        ("to-pipe.txt", "failed", f"{inbox / 'to-pipe.txt'}: not read: it is a symbolic link to "
         "a FIFO (named pipe) (only transcript files are read)"),
    ]
    assert _entries(inbox) == [f"failed/{name}{end}" for name in (
        "gone.txt", "loop.txt", "pipe.txt", "to-pipe.txt") for end in ("", ".error.txt")]
    assert await lib.count_transcripts() == 0


@pytest.mark.parametrize("swap", ["symlink", "fifo", "other file"])
async def test_a_file_swapped_after_the_check_is_not_followed(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    import briefs.sources._inbox

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = tmp_path / ".env"
    env.write_text(SECRET, encoding="utf-8")
    notes = inbox / "notes.txt"
    notes.write_text("Ana:\nHarmless.\n\nBo:\nIndeed.\n", encoding="utf-8")
    real = briefs.sources._inbox.read_entry

    def swapped_first(entry: Entry) -> bytes:  # the race: checked as a file, then replaced
        staged = tmp_path / "staged"
        if swap == "symlink":
            staged.symlink_to(env)
        elif swap == "fifo":
            os.mkfifo(staged)
        else:
            shutil.copy(env, staged)
        os.replace(staged, notes)
        return real(entry)

    monkeypatch.setattr(briefs.sources._inbox, "read_entry", swapped_first)
    [outcome] = await poll_inbox(lib, inbox, clock=_clock)
    replaced = "a symbolic link" if swap == "symlink" else "another file"
    assert (outcome.status, outcome.message) == (
        "failed", f"{notes}: not read: it was replaced by {replaced} after it was checked")
    assert _entries(inbox) == ["failed/notes.txt", "failed/notes.txt.error.txt"]
    await _nothing_secret_stored(lib)
