"""``briefbot ingest`` and ``show`` tell the user what a reader could not read as given.

One original sample per warning a reader gives: no speaker labels (one speaker's
monologue), an ambiguous label, an ASR loop collapsed, subtitle cues skipped,
dash dialogue naming no one, an unreadable ASR time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import invoke
from click.testing import CliRunner

MONOLOGUE = ("Morning notes\n\nThe bakery opens at six. The ovens need an hour to heat, so"
             " the first shift starts at five.\n")
AMBIGUOUS = "Ana Ruiz: Hello.\nAna Lind: Hi.\nAna: Which of us is speaking?\nAna Ruiz: You.\n"
LOOP = ("[00:00:01] Ana: We will meet at noon.\n[00:00:05] Bo: "
        + "got them " * 40 + "fine.\n[00:00:09] Ana: Good.\n")
CUES = ("1\n00:00:01,000 --> 00:00:02,000\nLUKA: The gate is shut.\n\n"
        "2\n00:00:0x,000 --> 00:00:03,000\nLUKA: Lost cue.\n\n"
        "3\n00:00:04,000 --> 00:00:05,000\n- Open it.\n- I have no key.\n")
ASR = json.dumps({"utterances": [
    {"speaker": "A", "start": 0.5, "end": 1.5, "text": "The tide is out."},
    {"speaker": "B", "start": "later", "end": 3.0, "text": "Then we walk."}]})

WARNINGS = {
    "notes.txt": ["no speaker labels found: read as one speaker's monologue (attributed to"
                  " 'Speaker')"],
    "anas.txt": ["the label 'Ana' could name Ana Ruiz or Ana Lind: kept as a speaker of its"
                 " own"],
    "loop.txt": ["collapsed 1 repeated-phrase loop (ASR output) to one occurrence each, e.g."
                 " 'got them' repeated 40 times"],
    "gate.srt": ["2 lines of dash dialogue ('- ...') name no one: attributed to 'Unknown'",
                 "skipped 1 cue whose times could not be read (the first at line 6:"
                 " '00:00:0x,000 --> 00:00:03,000')"],
    "tide.json": ["dropped 1 time that could not be read as seconds, the text kept without it"
                  " (the first: item 1 'start' is not a number of seconds ('later'))"],
}


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    return CliRunner()


@pytest.fixture
def files(write_folder: Callable[[dict[str, str]], Path]) -> Path:
    return write_folder({"notes.txt": MONOLOGUE, "anas.txt": AMBIGUOUS, "loop.txt": LOOP,
                         "gate.srt": CUES, "tide.json": ASR})


def test_ingest_prints_each_files_warnings_under_it(runner: CliRunner, files: Path) -> None:
    result = invoke(runner, "ingest", str(files))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    shown: dict[str, list[str]] = {}
    for line in lines[:-1]:
        if line.startswith("added"):
            name = Path(line.split()[1].rstrip(":")).name
            shown[name] = []
        else:
            assert line.startswith("          warning: "), line
            shown[name].append(line.removeprefix("          warning: "))
    assert shown == WARNINGS
    assert lines[-1] == "added 5, duplicate 0, revised 0, failed 0"


@pytest.mark.parametrize(("transcript_id", "name"), [
    ("morning-notes", "notes.txt"), ("anas", "anas.txt"), ("loop", "loop.txt"),
    ("gate", "gate.srt"), ("tide", "tide.json"),
])
def test_show_prints_the_warnings_with_the_metadata(
    runner: CliRunner, files: Path, transcript_id: str, name: str
) -> None:
    invoke(runner, "ingest", str(files / name))
    result = invoke(runner, "show", transcript_id)
    assert result.exit_code == 0
    header = result.stdout.split("\n\n", 1)[0].splitlines()
    assert [x.removeprefix("  warning: ") for x in header if x.startswith("  warning: ")] \
        == WARNINGS[name]
    data = json.loads(invoke(runner, "show", transcript_id, "--json").stdout)
    assert data["warnings"] == WARNINGS[name]


def test_what_the_warned_files_store(runner: CliRunner, files: Path) -> None:
    # The warnings say what happened; the stored turns show it.
    invoke(runner, "ingest", str(files))

    def turns(tid: str) -> list[tuple[str | None, str, float | None]]:
        data = json.loads(invoke(runner, "show", tid, "--json").stdout)
        return [(t["speaker"], t["text"], t["time_start"]) for t in data["turns"]]

    assert turns("anas") == [("Ana Ruiz", "Hello.", None), ("Ana Lind", "Hi.", None),
                             ("Ana", "Which of us is speaking?", None),
                             ("Ana Ruiz", "You.", None)]
    assert turns("loop") == [("Ana", "We will meet at noon.", 1.0),
                             ("Bo", "got them fine.", 5.0), ("Ana", "Good.", 9.0)]
    assert turns("gate") == [("LUKA", "The gate is shut.", 1.0), ("Unknown", "Open it.", 4.0),
                             ("Unknown", "I have no key.", 4.0)]
    assert turns("tide") == [("A", "The tide is out.", 0.5), ("B", "Then we walk.", None)]
