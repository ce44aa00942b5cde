"""``briefbot export`` (briefs/export/): Markdown a notes app reads, JSON, a whole folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from bot.cli import main

# Invented dialogue, with times and a YouTube link in its front matter.
HARBOUR = """---
title: Harbour radio
date: 2026-04-02
source_url: https://www.youtube.com/watch?v=hb42
tags: [ports, Night shift]
---

[00:00:05] Mia (Host): The harbour crane finally arrived on Monday. What does it change?

[00:01:15] Ravi (Engineer): The crane lifts forty tonnes, twice the old one.
We can unload a ship in one shift now.

[00:02:40] Mia: Is there any risk with such a big crane?

[00:03:05] Ravi: The risk is wind.
Above fifty kilometres an hour we must stop the crane, and storms could delay ships for days.
"""
# No times, no link.
MARKET = """Market day

Ana: The fish market opens at five <script>x</script> and closes when the ice runs out.

Ben: Prices doubled after the storm, which worried every stall holder I spoke to.

Ana: Next year we plan a covered hall, so rain will not close the market again.
"""


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    for name, text in (("harbour.md", HARBOUR), ("market.txt", MARKET)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(tmp_path / "harbour.md"),
                                  str(tmp_path / "market.txt")])
    assert result.exit_code == 0, result.output
    return runner


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args))


def _front(md: str) -> tuple[dict, str]:
    assert md.startswith("---\n")
    head, body = md[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def test_markdown_front_matter_parses_and_every_tldr_quote_is_verbatim(runner: CliRunner
                                                                        ) -> None:
    result = invoke(runner, "export", "harbour-radio")
    assert result.exit_code == 0, result.output
    front, body = _front(result.stdout)
    brief = json.loads(invoke(runner, "brief", "harbour-radio", "--json").stdout)
    assert front == {
        "title": "Harbour radio",
        "date": "2026-04-02",
        "speakers": ["Mia", "Ravi"],
        "source": "https://www.youtube.com/watch?v=hb42",
        "tags": ["ports", "night-shift", *[re.sub(r"\W+", "-", k.casefold())
                                           for k in brief["keywords"]]],
        "briefbot_id": "harbour-radio",
    }
    sections = re.findall(r"^## (.+)$", body, re.MULTILINE)
    assert sections == ["TL;DR", "Turning points", "Risk views", "Top quotes"]
    tldr = body.split("## TL;DR", 1)[1].split("## Turning points", 1)[0]
    assert brief["tldr"]
    for item in brief["tldr"]:
        assert f"“{item['quote']}”" in tldr, item["quote"]
    # Who said it and when, the time a link to that moment of the video.
    assert "> “The crane lifts forty tonnes, twice the old one.”\n" \
           "  > — Ravi, [at 1:15](https://www.youtube.com/watch?v=hb42&t=75)" in tldr


def test_markdown_without_times_or_link_says_where_and_links_nothing(runner: CliRunner
                                                                     ) -> None:
    md = invoke(runner, "export", "market-day").stdout
    front, body = _front(md)
    assert (front["title"], front["date"], front["speakers"]) == ("Market day", None,
                                                                  ["Ana", "Ben"])
    assert front["source"].endswith("market.txt")
    assert "](" not in body
    assert re.search(r"> — (Ana|Ben), \d+% in", body)
    # Transcript text never becomes HTML in someone's notes: "\<" shows as "<".
    assert "opens at five \\<script>x\\</script> and closes" in body
    assert re.search(r"(?<!\\)<", body) is None
    brief = json.loads(invoke(runner, "brief", "market-day", "--json").stdout)
    shown = body.replace("\\<", "<")
    assert brief["tldr"] and all(f"“{i['quote']}”" in shown for i in brief["tldr"])


def test_json_is_the_brief_plus_the_transcripts_metadata(runner: CliRunner) -> None:
    exported = json.loads(invoke(runner, "export", "harbour", "--format", "json").stdout)
    brief = json.loads(invoke(runner, "brief", "harbour-radio", "--json").stdout)
    about = exported.pop("transcript")
    assert exported == brief
    assert {k: about[k] for k in ("id", "title", "date", "speakers", "link")} == {
        "id": "harbour-radio", "title": "Harbour radio", "date": "2026-04-02",
        "speakers": {"Mia": "Host", "Ravi": "Engineer"},
        "link": "https://www.youtube.com/watch?v=hb42",
    }
    assert about["metadata"]["url"] == "https://www.youtube.com/watch?v=hb42"


def test_export_to_a_file_and_again_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    first = invoke(runner, "export", "harbour-radio", "-o", str(target))
    assert (first.exit_code, first.stdout) == (0, f"{target} (written)\n")
    assert target.read_text(encoding="utf-8") == invoke(runner, "export", "harbour-radio").stdout
    again = invoke(runner, "export", "harbour-radio", "-o", str(target))
    assert again.stdout == f"{target} (unchanged)\n"


def test_export_all_writes_one_file_per_id_and_only_changed_ones(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "vault"
    result = invoke(runner, "export", "--all", "-o", str(out))
    assert (result.exit_code, result.stdout) == (
        0, f"Exported to {out}: written 2, unchanged 0.\n")
    assert sorted(p.name for p in out.iterdir()) == ["harbour-radio.md", "market-day.md"]
    (out / "market-day.md").write_text("edited by hand\n", encoding="utf-8")
    before = (out / "harbour-radio.md").stat().st_mtime_ns
    result = invoke(runner, "export", "--all", "-o", str(out))
    assert result.stdout == f"Exported to {out}: written 1, unchanged 1.\n"
    assert (out / "harbour-radio.md").stat().st_mtime_ns == before
    assert (out / "market-day.md").read_text(encoding="utf-8").startswith("---\ntitle: Market")
    as_json = invoke(runner, "export", "--all", "--format", "json", "-o", str(out))
    assert as_json.stdout == f"Exported to {out}: written 2, unchanged 0.\n"
    assert json.loads((out / "market-day.json").read_text("utf-8"))["transcript"]["id"] == (
        "market-day")


@pytest.mark.parametrize(
    ("args", "code", "last_line"),
    [
        (["nothing-like-this"], 1,
         "Error: no transcript matches 'nothing-like-this'; \"briefbot list\" shows the ids"),
        (["harbour", "--all", "-o", "x"], 2,
         "Error: give a transcript ID, or --all -o DIR (not both)"),
        ([], 2, "Error: give a transcript ID, or --all -o DIR (not both)"),
        (["--all"], 2, "Error: --all needs the folder to write to: --all -o DIR"),
        (["harbour", "--format", "pdf"], 2,
         "Error: Invalid value for '--format': 'pdf' is not one of 'json', 'md'."),
    ],
)
def test_bad_input_is_one_clear_line(runner: CliRunner, args: list[str], code: int,
                                     last_line: str) -> None:
    result = invoke(runner, "export", *args)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (code, last_line)


def test_unwritable_target_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = invoke(runner, "export", "--all", "-o", str(blocker / "sub"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot create the folder {blocker / 'sub'}: ")
    assert len(result.stderr.splitlines()) == 1
