"""The ``briefbot`` command line: ingest, list, show, exit codes, help and README."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from cli_helpers import invoke
from click.testing import CliRunner

from bot.cli import main
from bot.commands import library as library_commands

README = Path(__file__).resolve().parents[1] / "README.md"

INTERVIEW = """Budget review

Ann (CFO): We spend too much on travel. Cut it by half.

Note: Recorded on a Tuesday.

## Next steps

Bo: Agreed. I will draft the policy.

Ann: Thanks, Bo.
"""
CALL = """Sales call

Cy: The deal closes Friday.

Di: Only if legal signs off.
"""


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    return CliRunner()


@pytest.fixture
def files(write_folder: Callable[[dict[str, str]], Path]) -> Path:
    return write_folder({"review.txt": INTERVIEW, "call.md": CALL})


def test_ingest_reports_each_file_and_a_summary(runner: CliRunner, files: Path) -> None:
    result = invoke(runner, "ingest", str(files))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"added     {files / 'call.md'}: added as sales-call (2 turns, 9 words)",
        f"added     {files / 'review.txt'}: added as budget-review (5 turns, 18 words)",
        "added 2, duplicate 0, revised 0, failed 0",
    ]
    assert result.stderr == ""
    again = invoke(runner, "ingest", str(files / "review.txt"))
    assert (again.exit_code, again.stdout.splitlines()[-1]) == (
        0,
        "added 0, duplicate 1, revised 0, failed 0",
    )


def test_ingest_failures_give_reasons_and_exit_code_1(runner: CliRunner, files: Path) -> None:
    (files / "blob.txt").write_bytes(bytes(range(256)) * 10)
    missing = files / "missing.vtt"
    result = invoke(runner, "ingest", str(files), str(missing))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"failed: {missing}: no such file or folder",
        f"failed: {files / 'blob.txt'}: looks like a binary file, not a transcript"
        " (save it as text: .txt, .md, .srt, .vtt or .json)",
    ]
    assert result.stdout.splitlines()[-1] == "added 2, duplicate 0, revised 0, failed 2"
    listed = json.loads(invoke(runner, "list", "--json").stdout)
    assert [t["id"] for t in listed] == ["budget-review", "sales-call"]


def test_ingest_quiet_prints_only_failures(runner: CliRunner, files: Path) -> None:
    assert (invoke(runner, "ingest", "-q", str(files)).output, 0) == ("", 0)
    bad = invoke(runner, "ingest", "--quiet", str(files / "nope.txt"))
    assert (bad.exit_code, bad.stdout, bad.stderr) == (
        1,
        "",
        f"failed: {files / 'nope.txt'}: no such file or folder\n",
    )


def test_many_files_on_a_terminal_get_a_progress_bar(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_commands, "_stderr_is_tty", lambda: True)
    for n in range(6):
        (tmp_path / f"t{n}.txt").write_text(f"Talk {n}\n\nAnn: Point {n}.\n\nBo: Noted {n}.\n")
    result = invoke(runner, "ingest", str(tmp_path / "t*.txt"))
    assert result.exit_code == 0
    assert "Ingesting" in result.stderr
    assert result.stdout == "added 6, duplicate 0, revised 0, failed 0\n"


def test_list_text_and_json(runner: CliRunner, files: Path) -> None:
    invoke(runner, "ingest", str(files / "review.txt"))
    invoke(runner, "ingest", str(files / "call.md"))
    text = invoke(runner, "list").stdout.splitlines()
    assert [line.split()[0] for line in text] == ["ID", "sales-call", "budget-review"]
    assert re.search(r"budget-review\s+-\s+5\s+18\s+Ann \(CFO\), Bo\s+Budget review$", text[2])

    listed = json.loads(invoke(runner, "list", "--json", "--limit", "1").stdout)
    assert len(listed) == 1
    entry = listed[0]
    assert entry["ingested_at"].endswith("Z")
    del entry["ingested_at"]
    assert entry == {
        "id": "sales-call",
        "title": "Sales call",
        "date": None,
        "speakers": {"Cy": None, "Di": None},
        "turns": 2,
        "words": 9,
        "seq": 2,
        "revision": 1,
        "supersedes": None,
        "current": True,
        "format": "markdown",
        "source": str(files / "call.md"),
        "source_summary": None,
    }
    assert invoke(runner, "list", "--limit", "1").stdout.splitlines()[-1] == (
        "(1 more; use --limit 0 to list all)"
    )


def test_list_on_an_empty_library(runner: CliRunner) -> None:
    result = invoke(runner, "list")
    assert (result.exit_code, result.stdout) == (
        0,
        "No transcripts yet. Add some with: briefbot ingest PATH\n",
    )
    assert json.loads(invoke(runner, "list", "--json").stdout) == []


def test_show_marks_notes_and_headings(runner: CliRunner, files: Path) -> None:
    invoke(runner, "ingest", str(files / "review.txt"))
    result = invoke(runner, "show", "budget-review")
    assert result.exit_code == 0
    turns = result.stdout.split("\n\n", 1)[1]
    assert turns.splitlines() == [
        "Ann: We spend too much on travel. Cut it by half.",
        "",
        "[note] Recorded on a Tuesday.",
        "",
        "## Next steps",
        "",
        "Bo: Agreed. I will draft the policy.",
        "",
        "Ann: Thanks, Bo.",
    ]
    assert "  speakers: Ann (CFO), Bo" in result.stdout.splitlines()


def test_show_json_and_lookup_by_title_words(runner: CliRunner, files: Path) -> None:
    invoke(runner, "ingest", str(files / "review.txt"))
    data = json.loads(invoke(runner, "show", "budget", "--json").stdout)
    assert data["id"] == "budget-review"
    assert [(t["index"], t["kind"], t["speaker"]) for t in data["turns"]] == [
        (0, "speech", "Ann"),
        (1, "note", None),
        (2, "heading", None),
        (3, "speech", "Bo"),
        (4, "speech", "Ann"),
    ]
    assert set(data["turns"][0]) == {
        "index",
        "kind",
        "speaker",
        "text",
        "start",
        "end",
        "time_start",
        "time_end",
        "marks",
    }
    assert data["turns"][0]["marks"] == []  # a text file: no timed cues
    assert {"metadata", "warnings", "words", "turns", "speakers"} <= set(data)


def test_show_prints_no_escape_code_or_newline_from_a_file_name(
    runner: CliRunner, tmp_path: Path
) -> None:
    odd = tmp_path / "budget\x1b[2J\nreview.txt"
    odd.write_text(CALL, encoding="utf-8")
    invoke(runner, "ingest", "--quiet", str(odd))
    [info] = json.loads(invoke(runner, "list", "--json").stdout)
    assert info["title"] == "Sales call"
    shown = invoke(runner, "show", info["id"]).stdout
    assert "\x1b" not in shown
    [source] = [line for line in shown.splitlines() if line.startswith("  source: ")]
    # Names are printed escaped (as ingest prints them), not cleaned: the operator sees the name.
    assert source == f"  source: {tmp_path}/budget\\x1b[2J\\nreview.txt (text)"


def test_show_unknown_id_is_one_line_and_exit_1(runner: CliRunner) -> None:
    result = invoke(runner, "show", "nothing-here")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: no transcript matches 'nothing-here'; \"briefbot list\" shows the ids\n",
    )


def test_db_option_beats_the_environment(runner: CliRunner, files: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "x.db"
    invoke(runner, "ingest", "--db", str(other), str(files / "call.md"))
    assert other.exists()
    assert json.loads(invoke(runner, "list", "--json").stdout) == []
    assert len(json.loads(invoke(runner, "list", "--json", "--db", str(other)).stdout)) == 1


def test_a_database_that_cannot_open_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a database at all " * 200)
    result = invoke(runner, "list", "--db", str(bogus))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot open the database {bogus}: ")
    assert result.stderr.count("\n") == 1


def test_a_new_database_that_cannot_be_created_is_one_line_and_no_traceback(
    tmp_path: Path,
) -> None:
    # Creating the file fails inside aiosqlite's connect (here: a name longer than
    # the file system allows; an unwritable folder fails the same way). Its worker
    # thread used to outlive the event loop and print two tracebacks after the line.
    path = tmp_path / ("x" * 300 + ".db")
    result = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "list", "--db", str(path)],
        capture_output=True, text=True, cwd=README.parent, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "BRIEFBOT_DB"},
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: cannot open the database {path}: unable to open database file\n"
    )
    assert list(tmp_path.iterdir()) == []


def _commands(group: click.Group, prefix: str = "briefbot") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        path = f"{prefix} {name}"
        found[path] = command
        if isinstance(command, click.Group):
            found |= _commands(command, path)
    return found


def _readme_commands_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Commands")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_the_commands_are_discovered() -> None:
    assert {"briefbot ingest", "briefbot list", "briefbot show"} <= set(_commands(main))


@pytest.mark.parametrize("path", sorted(_commands(main)))
def test_every_command_has_help_with_an_example(path: str) -> None:
    result = CliRunner().invoke(main, [*path.split()[1:], "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert re.search(r"Example:\n\s+briefbot ", result.output), result.output


@pytest.mark.parametrize("path", sorted(_commands(main)))
def test_every_command_is_documented_in_the_readme(path: str) -> None:
    section = _readme_commands_section()
    assert re.search(rf"`{re.escape(path)}\b[^`]*`", section), (
        f"README.md's '## Commands' section does not document `{path}`"
    )


def test_every_json_output_goes_through_the_strict_writer() -> None:
    # json.dumps writes NaN and Infinity, which jq and browsers refuse; the one
    # writer for --json (json_text) never does. A new command must use it too.
    commands = Path(library_commands.__file__).parent
    for module in sorted(commands.glob("*.py")):
        if module.name == "_common.py":
            continue
        source = module.read_text(encoding="utf-8")
        assert "json.dumps" not in source and ".to_json(" not in source, module.name
    from bot.commands._common import json_text

    assert json_text({"time": float("inf"), "x": [float("nan"), 1.5]}) == (
        '{"time": null, "x": [null, 1.5]}'
    )
