"""``briefbot remove ID [--yes]``: asks first, refuses without a terminal,
one-line errors, and what is left afterwards (list, show, search)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import invoke
from click.testing import CliRunner

from bot.cli import main
from bot.commands import library as library_commands

ALPHA = "Alpha\n\nAnn: The budget for travel is too high.\n\nBo: We cut compute spending first.\n"
ALPHA_V2 = "Alpha\n\nAnn: The budget for hardware doubled.\n\nBo: Quantum chips are late.\n"
BETA = "Beta\n\nCy: Compute prices fall every quarter.\n\nDi: Travel is booked for March.\n"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    (tmp_path / "alpha.txt").write_text(ALPHA)
    (tmp_path / "beta.txt").write_text(BETA)
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "alpha.txt"),
                                       str(tmp_path / "beta.txt")])
    assert result.exit_code == 0, result.output
    return CliRunner()


def ids(runner: CliRunner) -> list[str]:
    return [line.split()[0] for line in invoke(runner, "list").stdout.splitlines()[1:]]


def test_remove_with_yes_removes_and_says_what(runner: CliRunner) -> None:
    result = invoke(runner, "remove", "beta", "--yes")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["removed beta: Beta (2 turns, 2 passages)"]
    assert ids(runner) == ["alpha"]
    shown = invoke(runner, "show", "beta")
    assert shown.exit_code == 1 and "no transcript matches 'beta'" in shown.stderr
    found = invoke(runner, "search", "compute")
    assert "Beta" not in found.stdout and "Alpha" in found.stdout


def test_without_a_terminal_it_refuses_with_a_hint(runner: CliRunner) -> None:
    result = invoke(runner, "remove", "beta", input="y\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: not removing beta without confirmation: pass --yes to remove it"
    ]
    assert ids(runner) == ["beta", "alpha"]


def test_on_a_terminal_it_asks_first(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_commands, "_stdin_is_tty", lambda: True)
    declined = invoke(runner, "remove", "beta", input="n\n")
    assert declined.exit_code == 1
    assert "Remove beta (Beta; 2 turns) with its brief and search entries? [y/N]" in declined.stderr
    assert "Nothing removed." in declined.stderr
    assert ids(runner) == ["beta", "alpha"]
    accepted = invoke(runner, "remove", "beta", input="y\n")
    assert accepted.exit_code == 0
    assert accepted.stdout.splitlines() == ["removed beta: Beta (2 turns, 2 passages)"]
    assert ids(runner) == ["alpha"]


def test_an_unknown_id_is_one_line_and_exit_1(runner: CliRunner) -> None:
    near = invoke(runner, "remove", "bet", "--yes")
    assert near.exit_code == 1
    assert near.stderr.splitlines() == ["Error: no transcript with id 'bet'; did you mean beta?"]
    none = invoke(runner, "remove", "zzz\x1b[2J", "--yes")
    assert none.exit_code == 1
    assert none.stderr.splitlines() == [
        "Error: no transcript with id 'zzz\\x1b[2J'; \"briefbot list\" shows the ids"
    ]
    assert ids(runner) == ["beta", "alpha"]


def test_removing_a_new_revision_brings_the_old_one_back(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "alpha.txt").write_text(ALPHA_V2)
    assert invoke(runner, "ingest", str(tmp_path / "alpha.txt")).exit_code == 0
    assert ids(runner) == ["alpha-r2", "beta"]
    result = invoke(runner, "remove", "alpha-r2", "--yes")
    assert result.stdout.splitlines() == [
        "removed alpha-r2: Alpha (2 turns, 2 passages)",
        "  alpha (the revision it replaced) is current again",
    ]
    assert ids(runner) == ["beta", "alpha"]
