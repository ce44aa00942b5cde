"""Path expansion for ``briefbot ingest``: one line per argument and per file,
nothing aborts the run, names printed escaped.

The suite runs as root in CI, where ``chmod 000`` does not stop reading: an
unreadable folder is simulated by making ``os.scandir`` (and ``os.stat``)
refuse that one folder with the PermissionError the kernel would raise.
"""

from __future__ import annotations

import errno
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from bot.cli import main
from bot.commands._common import printable
from briefs.library import Library
from briefs.store import Store

CLOCK = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def talk(title: str, *lines: str) -> str:
    return "\n\n".join([title, *lines]) + "\n"


GOOD = talk("Alpha", "Ann: First point.", "Bo: Yes indeed.")
OTHER = talk("Beta", "Bo: Second point.", "Ann: No way.")


@pytest.fixture
async def lib(tmp_path: Path) -> AsyncIterator[Library]:
    store = await Store.open(tmp_path / "lib.db")
    library = Library(store, clock=lambda: CLOCK)
    yield library
    await library.close()


def refuse(monkeypatch: pytest.MonkeyPatch, locked: Path, *, stat: bool = True) -> None:
    """Make ``locked`` behave like a folder without read/search permission."""
    real_scandir, real_stat = os.scandir, os.stat

    def inside(path: object) -> bool:
        p = Path(os.fsdecode(path)) if isinstance(path, str | bytes | os.PathLike) else None
        return p is not None and (p == locked or locked in p.parents)

    def scandir(path: object = ".") -> object:
        if inside(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    def refuse_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if isinstance(path, str | bytes | os.PathLike) and Path(os.fsdecode(path)) != locked \
                and inside(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    if stat:  # no search permission: even the names inside cannot be looked up
        monkeypatch.setattr(os, "stat", refuse_stat)


async def test_an_unreadable_folder_is_one_failed_line_and_the_rest_is_ingested(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text(OTHER)
    refuse(monkeypatch, locked)
    report = await lib.ingest_paths(
        [str(locked), str(locked / "secret.txt"), str(locked / "*.txt"), str(tmp_path / "good.txt")]
    )
    assert [(o.path, o.status, o.message) for o in report.outcomes] == [
        (str(locked), "failed", "cannot read the folder: cannot read it: Permission denied"),
        (str(locked / "secret.txt"), "failed", "cannot read it: Permission denied"),
        (str(locked / "*.txt"), "failed", "cannot read it: Permission denied"),
        (str(tmp_path / "good.txt"), "added", "added as alpha (2 turns, 4 words)"),
    ]
    assert [i.id for i in await lib.list_transcripts()] == ["alpha"]


async def test_an_unreadable_subfolder_gets_its_own_line(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(GOOD)
    (folder / "locked" / "b.txt").write_text(OTHER)
    refuse(monkeypatch, folder / "locked")
    report = await lib.ingest_paths([str(folder)])
    assert [(Path(o.path).name, o.status, o.message) for o in report.outcomes] == [
        ("locked", "failed", "cannot read the folder: cannot read it: Permission denied"),
        ("a.txt", "added", "added as alpha (2 turns, 4 words)"),
    ]


async def test_a_glob_in_a_folder_that_cannot_be_listed_says_why(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(GOOD)
    refuse(monkeypatch, locked, stat=False)  # readable names, unlistable folder
    report = await lib.ingest_paths([str(locked / "*.txt")])
    assert [(o.status, o.message) for o in report.outcomes] == [
        ("failed", f"cannot read {locked}: cannot read it: Permission denied"),
    ]


async def test_a_300_character_name_fails_alone(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    long = tmp_path / ("x" * 300 + ".txt")
    report = await lib.ingest_paths([str(long), str(tmp_path / "good.txt"), str(long) + "*"])
    assert [(o.status, o.message) for o in report.outcomes] == [
        ("failed", "the name is too long for the file system"),
        ("failed", "the name is too long for the file system"),
        ("added", "added as alpha (2 turns, 4 words)"),
    ]


async def test_dangling_and_looping_links_are_failed_lines(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "linked.txt").symlink_to(folder / "a.txt")  # a good link: same file, once
    report = await lib.ingest_paths([str(folder), str(folder / "loop1.txt")])
    got = [(Path(o.path).name, o.status, o.message) for o in report.outcomes]
    assert got == [
        ("gone.txt", "failed",
         f"a dangling symbolic link (to {folder / 'missing.txt'}, which does not exist)"),
        ("loop1.txt", "failed", "a symbolic link loop"),
        ("loop2.txt", "failed", "a symbolic link loop"),
        ("loop1.txt", "failed", "a symbolic link loop"),
        ("a.txt", "added", "added as alpha (2 turns, 4 words)"),
        ("linked.txt", "duplicate", "named more than once; ingested once"),
    ]


async def test_a_glob_with_a_loop_in_it_ingests_the_rest(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "z.txt").symlink_to(tmp_path / "z.txt")
    report = await lib.ingest_paths([str(tmp_path / "*.txt")])
    assert [(Path(o.path).name, o.status) for o in report.outcomes] == [
        ("z.txt", "failed"),
        ("a.txt", "added"),
    ]


def test_printable_escapes_what_a_terminal_would_act_on() -> None:
    assert printable("plain name é.txt") == "plain name é.txt"
    assert printable("two\nlines\x1b[2J.txt") == "two\\nlines\\x1b[2J.txt"
    assert printable("bidi\u202etxt.exe\x00") == "bidi\\u202etxt.exe\\x00"
    assert printable("bad\udcff") == "bad\\udcff"  # undecodable bytes would crash echo


def test_cli_prints_names_with_newlines_and_escape_codes_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\nadded     fake.txt").write_text(GOOD)
    (folder / "red\x1b[31m.txt").write_text("   \n")  # empty: a failure line
    result = CliRunner().invoke(main, ["ingest", str(folder)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"added     {folder}/evil\\nadded     fake.txt: added as alpha (2 turns, 4 words)",
        "added 1, duplicate 0, revised 0, failed 1",
    ]
    assert result.stderr.splitlines() == [
        f"failed: {folder}/red\\x1b[31m.txt: the file is empty",
    ]
    assert "\x1b" not in result.output


def test_cli_gives_every_argument_a_line_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    long = "y" * 300
    result = CliRunner().invoke(
        main, ["ingest", long, str(good), str(good)], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    assert result.stdout.splitlines() == [
        f"added     {good}: added as alpha (2 turns, 4 words)",
        f"duplicate {good}: named more than once; ingested once",
        "added 1, duplicate 1, revised 0, failed 1",
    ]
    assert result.stderr.splitlines() == [
        f"failed: {long}: the name is too long for the file system"
    ]


@given(st.text())
def test_printable_output_is_always_printable_and_keeps_printable_text(text: str) -> None:
    shown = printable(text)
    assert shown.isprintable()
    assert (shown == text) == text.isprintable()


def test_show_and_inbox_poll_print_the_name_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    runner = CliRunner()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    dropped = inbox / "talk\x1b]0;owned\x07.txt"
    dropped.write_text(GOOD)
    os.utime(dropped, (0, 0))  # long settled: the poll takes it now
    polled = runner.invoke(main, ["inbox", "poll", str(inbox)], catch_exceptions=False)
    assert polled.exit_code == 0, polled.output
    assert "talk\\x1b]0;owned\\x07.txt" in polled.stdout
    shown = runner.invoke(main, ["show", "alpha"], catch_exceptions=False)
    assert "talk\\x1b]0;owned\\x07.txt" in shown.stdout
    assert "\x1b" not in polled.output + shown.output and "\x07" not in shown.output
