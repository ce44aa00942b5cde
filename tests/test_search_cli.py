"""``briefbot search``, ``reindex`` and ``eval search`` from the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import invoke
from click.testing import CliRunner

from bot.cli import main

TALK = """Compute talk

Ann (Host): Why did the lab stop the video project?

Greg: We stopped it because compute is scarce. Every model wants more compute.

Ann: And the super app?

Greg: The super app joins chat, code and the browser.
"""
FILLER = """Town notes

Dana: The bakery sells bread until noon.

Eli: The river rose after the storm.

Dana: Someone left a map on the bench.

Eli: Children raced paper boats down the gutter.
"""


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    for name, text in (("talk.txt", TALK), ("town.txt", FILLER)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", "-q", str(tmp_path / "talk.txt"),
                                  str(tmp_path / "town.txt")])
    assert result.exit_code == 0, result.output
    return runner


MEETING = json.loads(
    (Path(__file__).resolve().parent / "data" / "search" / "Tiny001.json").read_text("utf-8")
)


def test_search_prints_ranked_quotes(runner: CliRunner) -> None:
    result = invoke(runner, "search", "compute")
    assert result.exit_code == 0
    head, excerpt = result.stdout.splitlines()
    # No times: how far in, never the offset (52, after the title line,
    # "Ann: <question>" and a blank line: a quarter of the text).
    assert re.fullmatch(r"1\. Greg — Compute talk \(compute-talk\), 25% in"
                        r"  \[score \d+\.\d\d\]", head), head
    assert excerpt == "   We stopped it because compute is scarce. Every model wants more compute."


def test_search_json_lines_carry_offsets(runner: CliRunner) -> None:
    result = invoke(runner, "search", '"super app"', "speaker:greg", "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(d["speaker"], d["excerpt"], d["marks"], d["time"]) for d in lines] == [
        ("Greg", "The super app joins chat, code and the browser.", [[4, 13]], None)
    ]
    assert set(lines[0]) == {"transcript_id", "title", "date", "speaker", "excerpt", "marks",
                             "score", "passage_id", "start", "end", "time", "position",
                             "context", "link", "context_speaker"}
    assert 0 < lines[0]["position"] < 1
    assert (lines[0]["context"], lines[0]["context_speaker"]) == (None, None)
    assert lines[0]["end"] - lines[0]["start"] == len(lines[0]["excerpt"])


def test_search_words_starting_with_a_dash_exclude_rather_than_fail(runner: CliRunner) -> None:
    # click alone would read -sora as the options -s -o -r -a and stop.
    everything = invoke(runner, "search", "compute", "--json").stdout.splitlines()
    result = invoke(runner, "search", "compute", "-scarce", "-k", "3", "--json")
    assert result.exit_code == 0, result.output
    excerpts = [json.loads(line)["excerpt"] for line in result.stdout.splitlines()]
    assert len(everything) == 1 and excerpts == []
    # Options still work anywhere, -k3 attached too.
    one = invoke(runner, "search", "-k1", "compute", "super", "-video").stdout.splitlines()
    assert [line[:3] for line in one if re.match(r"\d+\. ", line)] == ["1. "]
    assert one[-1].startswith("More: --page 2")
    missing = invoke(runner, "search", "compute", "--top")
    assert (missing.exit_code, missing.stderr.splitlines()[-1]) == (
        2, "Error: Option '--top' requires an argument."
    )


def test_search_bad_query_gets_a_hint_and_exit_0(runner: CliRunner) -> None:
    result = invoke(runner, "search", "the", "of")
    assert result.exit_code == 0
    assert result.stdout.startswith("Nothing searchable in 'the of'")


def test_reindex_reports_passages(runner: CliRunner) -> None:
    result = invoke(runner, "reindex")
    assert result.exit_code == 0
    assert result.stdout.startswith("Reindexed 8 passages in ")
    assert invoke(runner, "search", "compute").stdout.startswith("1. Greg")


def test_eval_search_reports_both_engines(tmp_path: Path) -> None:
    folder = tmp_path / "meetings"
    folder.mkdir()
    (folder / "Tiny001.json").write_text(json.dumps(MEETING), encoding="utf-8")
    missing = tmp_path / "none.json"
    result = CliRunner().invoke(main, ["eval", "search", str(folder), "--queries", str(missing)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "                                Hit@5    P@5    MRR",
        "  briefbot quote search         0.667  0.200  0.500",
        "  baseline rank-bm25 turns      1.000  0.400  0.833",
        "  top hit a bare question: 0.000 of queries",
    ]
