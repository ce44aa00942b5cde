"""Bad times: readers drop them, and one already in a database breaks no view.

A third-party feed can send ``"startTime": "NaN"`` or ``1e999``. Readers now
drop such a time with a warning; a database written before that may still hold
one (here written with SQL, bypassing the readers). Every view that shows
times — ``brief``, ``show``, ``search`` (text and ``--json``), ``/turns`` and a
digest — must then show no time for it, never raise, and print strict JSON.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.core import ChatRef, Conversation
from briefs import digest
from briefs.library import Library
from briefs.readers import read_bytes
from briefs.render import clock, html_to_text, position_label

SAMPLES = Path(__file__).resolve().parents[1] / "briefs" / "samples"
SAMPLE = SAMPLES / "2026-05-07-solar-earnings-call.vtt"
# What an old reader could store: SQLite keeps infinities; a NaN it turns into NULL.
BAD = [9e999, -9e999, -5.0, 1e300]
# How a bad time would show: inf/nan, a negative clock, or 1e300 s as 2.7e296 hours.
_BAD_SHOWN = re.compile(r"\b(?:inf|infinity|nan)\b|-\d+:\d\d|\d{7,}:\d\d", re.IGNORECASE)


def _strict(text: str) -> Any:
    """``json.loads`` that refuses ``NaN``/``Infinity``, as jq and browsers do."""

    def refuse(constant: str) -> None:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


# -- readers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ['"NaN"', '"nan"', '"inf"', '"-inf"', "Infinity", "-Infinity", "NaN", "1e999",
            "-5", '"-0.5"', "1e12"],
)
def test_a_json_transcript_with_a_bad_time_is_kept_without_that_time(bad: str) -> None:
    data = (
        '{"segments": ['
        f'{{"speaker": "Ann", "startTime": {bad}, "endTime": 4, "body": "The pipes are old."}},'
        '{"speaker": "Bo", "startTime": 4.5, "endTime": 9, "body": "Replace them this year."}'
        "]}"
    )
    t = read_bytes("feed.json", data.encode())
    assert [(x.speaker, x.text, x.time_start, x.time_end) for x in t.turns] == [
        ("Ann", "The pipes are old.", None, 4.0),
        ("Bo", "Replace them this year.", 4.5, 9.0),
    ]
    assert t.warnings == (
        "dropped 1 time stamp that was not a finite, non-negative number of seconds (NaN, "
        "infinity, negative or over a year); the turns are kept without them",
    )


def test_good_times_carry_no_warning() -> None:
    data = b'[{"speaker": "Ann", "start": 0, "end": 2.5, "text": "Hello there."}]'
    t = read_bytes("w.json", data)
    assert (t.turns[0].time_start, t.turns[0].time_end, t.warnings) == (0.0, 2.5, ())


# -- the time helpers -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), -1.0, 1e300,
                                   pytest.param(10**400, id="10**400"), "NaN", "soon", True])
def test_clock_shows_no_time_for_a_bad_value(value: Any) -> None:
    assert clock(value) == ""
    # A quote with a bad time falls back to how far in it is.
    assert position_label(50, value, 200) == "25% in"


def test_clock_still_formats_good_times() -> None:
    assert (clock(0), clock(75.4), clock(3725), clock("90")) == ("0:00", "1:15", "1:02:05", "1:30")


# -- a database that already holds bad times -------------------------------------------------


@pytest.fixture
def poisoned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[CliRunner, Path]]:
    db = tmp_path / "bad.db"
    monkeypatch.setenv("BRIEFBOT_DB", str(db))
    runner = CliRunner()
    assert _run(runner, "ingest", str(SAMPLE)).exit_code == 0
    with sqlite3.connect(db) as conn:
        turns = [idx for (idx,) in conn.execute("SELECT idx FROM turns ORDER BY idx")]
        assert len(turns) >= 4
        for idx in turns:
            if idx % 5 != 4:  # most turns bad, some good, so good times still show
                conn.execute("UPDATE turns SET time_start = ?, time_end = ? WHERE idx = ?",
                             (BAD[idx % 4], BAD[(idx + 1) % 4], idx))
                # Cue marks too (0009): an overflowing number, a negative one, text.
                conn.execute("UPDATE turns SET marks = ? WHERE idx = ? AND marks IS NOT NULL",
                             ('[[0, 1e999], [1, -5], [2, "x"]]', idx))
        passages = [pid for (pid,) in conn.execute("SELECT id FROM passages ORDER BY seq")]
        for n, pid in enumerate(passages):
            conn.execute("UPDATE passages SET time = ? WHERE id = ?", (BAD[n % 4], pid))
        assert conn.execute("SELECT count(*) FROM turns WHERE time_start > 1e308").fetchone()[0]
    # The briefs are built again from the poisoned turns, as after an engine upgrade.
    assert _run(runner, "rebuild", "--all").exit_code == 0
    yield runner, db


def _run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output, result.output
    return result


def _transcript_id(runner: CliRunner) -> str:
    return str(_strict(_run(runner, "list", "--json").stdout)[0]["id"])


def test_brief_show_and_search_print_no_bad_time(poisoned: tuple[CliRunner, Path]) -> None:
    runner, _ = poisoned
    tid = _transcript_id(runner)
    for args in (["brief", tid], ["show", tid], ["search", "solar"]):
        result = _run(runner, *args)
        assert result.exit_code == 0, result.output
        assert not _BAD_SHOWN.search(result.stdout), args
    # Good times still show; bad ones fall back to how far in (never an offset).
    assert "[0:" in _run(runner, "show", tid).stdout
    assert re.search(r"\d+% in", _run(runner, "search", "solar").stdout)


def test_json_outputs_are_strict_with_bad_times_as_null(poisoned: tuple[CliRunner, Path]) -> None:
    runner, _ = poisoned
    tid = _transcript_id(runner)
    shown = _strict(_run(runner, "show", tid, "--json").stdout)
    times = [t[k] for t in shown["turns"] for k in ("time_start", "time_end")]
    assert None in times and all(t is None or 0 <= t < 1e6 for t in times)
    assert any(t is not None for t in times)
    brief = _strict(_run(runner, "brief", tid, "--json").stdout)
    items = [*brief["tldr"], *brief["turning_points"], *brief["risks"]]
    assert items and all(i["time"] is None or 0 <= i["time"] < 1e6 for i in items)
    hits = [_strict(line) for line in _run(runner, "search", "solar", "--json").stdout.splitlines()]
    # Every passage time is poisoned; a hit in a turn whose cue marks are intact
    # shows the time its words were said, every other one none.
    assert hits and None in [h["time"] for h in hits]
    assert all(h["time"] is None or 0 <= h["time"] < 1e6 for h in hits)


async def test_turns_and_a_digest_render_with_bad_times(poisoned: tuple[CliRunner, Path]) -> None:
    _, db = poisoned
    library = await Library.open(db)
    try:
        [info] = await library.list_transcripts()
        conversation = Conversation(library)
        chat = ChatRef(chat_id=5, user_id=5)
        for view in ("/turns", "/brief", "/risks"):
            [reply, *_] = await conversation.handle(chat, text=f"{view} {info.id}")
            text = html_to_text(reply.html)
            assert "went wrong" not in text and info.title in text, (view, text)
            assert not _BAD_SHOWN.search(text), view
        [hit, *_] = await conversation.handle(chat, text="solar")
        assert "went wrong" not in hit.html and not _BAD_SHOWN.search(html_to_text(hit.html))
        # The digest of the poisoned transcript is composed, with and without a topic.
        for topics in ((), ("solar",)):
            composed = await digest.compose(digest.ComposeCache(library), watermark=0,
                                            topics=topics)
            assert [e.info.id for e in composed.entries] == [info.id]
            text = html_to_text("\n".join(composed.parts))
            assert info.title in text and not _BAD_SHOWN.search(text)
    finally:
        await library.close()
