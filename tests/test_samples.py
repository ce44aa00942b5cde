"""The bundled samples (what a new user ingests first) read cleanly and show what they claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.brief import build_brief
from briefs.passages import make_passages
from briefs.readers import read_path

SAMPLES = Path(__file__).resolve().parents[1] / "briefs" / "samples"


def _all() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if not p.name.startswith("."))


def test_samples_cover_four_formats_on_four_dates() -> None:
    read = {p.name: read_path(p) for p in _all()}
    summary = {
        name: (t.format, t.date, len(t.speakers), t.warnings) for name, t in read.items()
    }
    assert summary == {
        "2026-03-12-cold-storage-heatwave.txt": ("text", "2026-03-12", 2, ()),
        "2026-05-07-solar-earnings-call.vtt": ("vtt", "2026-05-07", 5, ()),
        "2026-06-18-water-board-lead-pipes.json": ("podcasting-json", "2026-06-18", 5, ()),
        "2026-09-02-bakery-morning-shift.md": ("markdown", "2026-09-02", 2, ()),
    }


@pytest.mark.parametrize("path", _all(), ids=lambda p: p.name)
def test_each_sample_is_a_titled_conversation_with_roles(path: Path) -> None:
    t = read_path(path)
    assert t.title and t.title != "Untitled transcript"
    assert all(role for name, role in t.speakers.items() if name != "Operator")
    assert 800 <= t.word_count <= 2500
    counts = {s: sum(1 for x in t.speech_turns if x.speaker == s) for s in t.speakers}
    assert min(counts.values()) >= 2  # a conversation, not a speech with a cameo
    for turn in t.turns:
        assert t.text[turn.start:turn.end] == turn.text


def test_the_text_interview_has_sections_a_note_and_its_own_summary() -> None:
    t = read_path(SAMPLES / "2026-03-12-cold-storage-heatwave.txt")
    assert [x.text for x in t.turns if x.kind == "heading"] == [
        "The heat wave", "Who pays when the cold chain breaks", "The new plan", "The night crew",
    ]
    assert [x.kind for x in t.turns].count("note") == 1
    assert t.source_summary and t.source_summary.startswith("How a fictional cold store")


def test_the_earnings_call_keeps_cue_times() -> None:
    t = read_path(SAMPLES / "2026-05-07-solar-earnings-call.vtt")
    times = [x.time_start or 0.0 for x in t.turns]
    assert all(x.time_start is not None for x in t.turns) and times == sorted(times)
    assert t.turns[-1].time_end and t.turns[-1].time_end > 300


@pytest.mark.parametrize(
    ("name", "has_risks"),
    [
        ("2026-03-12-cold-storage-heatwave.txt", True),
        ("2026-05-07-solar-earnings-call.vtt", True),
        ("2026-06-18-water-board-lead-pipes.json", True),
        ("2026-09-02-bakery-morning-shift.md", False),
    ],
)
def test_risk_talk_is_where_the_samples_say_it_is(name: str, has_risks: bool) -> None:
    t = read_path(SAMPLES / name)
    brief = build_brief(t, make_passages(t))
    assert bool(brief.risks) is has_risks
