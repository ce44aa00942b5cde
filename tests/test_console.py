"""The console chat: ``briefbot chat`` driven through stdin and stdout."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.console import html_to_terminal
from briefs.library import Library

REPO = Path(__file__).resolve().parents[1]

BUDGET = """Budget review

Ann (CFO): We spend too much on travel. I want to cut the travel budget by half this year.

Bo (Ops): Cutting travel is a risk for sales. Customers expect visits; I am worried we lose deals.

Ann (CFO): Then we move the money from conferences. The conference budget doubled last year.

Bo (Ops): Agreed. I will draft the new travel policy and share it on Friday.
"""
HIRING = """Hiring plan & <tags>

Cy: We need two engineers for the data team before the launch in spring.

Di: Hiring takes three months. The concern is that the launch slips if we wait.

Cy: Then we start interviews now and use contractors for the first month.
"""
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def db(tmp_path: Path, write_folder: Callable[[dict[str, str]], Path]) -> Path:
    folder = write_folder({"budget.txt": BUDGET, "hiring.txt": HIRING})
    path = tmp_path / "chat.db"

    async def ingest() -> None:
        lib = await Library.open(path)
        try:
            # One at a time so the order (and so the list) is fixed: hiring is newest.
            for name in ("budget.txt", "hiring.txt"):
                assert (await lib.ingest_path(folder / name)).status == "added"
        finally:
            await lib.close()

    asyncio.run(ingest())
    return path


def _chat(db: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BRIEFBOT_DB", "NO_COLOR"}}
    return subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "chat", "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )


def test_a_session_through_stdin_and_stdout(db: Path) -> None:
    result = _chat(db, "/list\n2\ncompute travel\n/quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    assert ANSI.search(out) is None  # not a terminal: plain text
    # The list, with its buttons as numbered choices...
    assert "Transcripts\n\n1. Hiring plan & <tags>\n" in out
    assert "[1] 1. Hiring plan & <tags>\n[2] 2. Budget review\n" in out
    # ...pressing [2] opens that brief, with its own numbered buttons...
    brief = out[out.index("[2] 2. Budget review\n") :]
    assert brief.startswith("[2] 2. Budget review\n\nBudget review\nAnn, Bo\n\nTL;DR\n1. ")
    assert (
        "[1] Turning points   [2] Risks\n[3] Top quotes   [4] Source's summary\n[5] About"
    ) in brief
    # ...and plain words are a quote search, every quote attributed.
    results = out[out.index("Quotes for “compute travel”") :]
    assert re.search(r"\n— Ann, Budget review · \d+% in\n", results)
    assert out.rstrip().endswith("Bye.")


def test_pressing_a_button_in_a_brief_switches_the_view(db: Path) -> None:
    result = CliRunner().invoke(
        main, ["chat", "--db", str(db), "--no-color"], input="/brief budget\n2\n"
    )
    assert result.exit_code == 0, result.output
    risks = result.output[result.output.index("\nRisks\n") :]
    # Gravest first: losing deals is worse than a risk word on its own.
    assert re.search(
        r"\n1\. “Customers expect visits; I am worried we lose deals\.”\n— Bo · \d+% in\n\n"
        r"2\. “Cutting travel is a risk for sales\.”\n— Bo · \d+% in\n",
        risks,
    )
    assert result.output.rstrip().endswith("Bye.")  # end of input leaves cleanly


def test_a_number_that_is_no_choice_is_a_search(db: Path) -> None:
    result = CliRunner().invoke(main, ["chat", "--db", str(db)], input="/help\n7\n/quit\n")
    assert result.exit_code == 0
    assert "Quotes for “7”" in result.output


def test_color_shows_bold_and_italics_as_ansi(db: Path) -> None:
    result = CliRunner().invoke(main, ["chat", "--db", str(db), "--color"], input="/list\n")
    assert "\x1b[1mTranscripts\x1b[22m" in result.output


def test_html_to_terminal_plain() -> None:
    html = (
        "<b>Title &amp; co</b>\n<i>it&#39;s</i> &lt;raw&gt;\n"
        '<a href="https://e.test/?a=1&amp;b=2">docs</a>\n'
        "<blockquote>line one\nline two</blockquote>\n— <i>Ann</i>"
    )
    assert html_to_terminal(html) == (
        "Title & co\nit's <raw>\ndocs (https://e.test/?a=1&b=2)\n│ line one\n│ line two\n— Ann"
    )


def test_html_to_terminal_color_nests_styles() -> None:
    out = html_to_terminal("<b>a <b>b</b> c</b> <i>d</i>", color=True)
    assert out == "\x1b[1ma b c\x1b[22m \x1b[3md\x1b[23m"


def test_bytes_that_are_not_utf8_and_superscript_digits_do_not_end_the_session(db: Path) -> None:
    # Before: a Latin-1 byte raised UnicodeDecodeError out of stdin, and "²" (for
    # which isdigit() is True) raised in int() while choices were on screen.
    env = {k: v for k, v in os.environ.items() if k not in {"BRIEFBOT_DB", "NO_COLOR"}}
    result = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "chat", "--db", str(db)],
        input="/list\n²\n/list\n2\n".encode() + b"caf\xe9 travel\n/quit\n",
        capture_output=True, cwd=REPO, env=env, timeout=60,
    )
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, err
    assert "Traceback" not in out + err
    assert "(Part of that line was not UTF-8; those bytes are shown as \ufffd.)" in out
    assert "Quotes for “caf\ufffd travel”" in out
    assert "Quotes for “²”" in out  # a search, as any word that is no choice
    assert "\nBudget review\nAnn, Bo\n\nTL;DR\n" in out  # and the session went on: [2]
    assert out.rstrip().endswith("Bye.")


def test_html_to_terminal_passes_no_control_character_from_the_text() -> None:
    html = "<b>Ti\x1b[2Jtle</b> &#27;]0;x&#7; a\x00b"
    assert html_to_terminal(html) == "Ti[2Jtle ]0;x ab"
    assert html_to_terminal(html, color=True) == "\x1b[1mTi[2Jtle\x1b[22m ]0;x ab"
