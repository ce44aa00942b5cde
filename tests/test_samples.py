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


def test_samples_cover_four_formats_on_five_dates() -> None:
    read = {p.name: read_path(p) for p in _all()}
    summary = {
        name: (t.format, t.date, len(t.speakers), t.warnings) for name, t in read.items()
    }
    assert summary == {
        "2026-03-12-cold-storage-heatwave.txt": ("text", "2026-03-12", 2, ()),
        "2026-05-07-solar-earnings-call.vtt": ("vtt", "2026-05-07", 5, ()),
        "2026-06-18-water-board-lead-pipes.json": ("podcasting-json", "2026-06-18", 5, ()),
        "2026-09-02-bakery-morning-shift.md": ("markdown", "2026-09-02", 2, ()),
        "2026-11-04-ferry-winter-review.txt": ("text", "2026-11-04", 4, ()),
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
        ("2026-11-04-ferry-winter-review.txt", True),
    ],
)
def test_risk_talk_is_where_the_samples_say_it_is(name: str, has_risks: bool) -> None:
    t = read_path(SAMPLES / name)
    brief = build_brief(t, make_passages(t))
    assert bool(brief.risks) is has_risks


def _risks(name: str) -> tuple[list[str], list[str]]:
    t = read_path(SAMPLES / name)
    brief = build_brief(t, make_passages(t))
    return [i.quote for i in brief.risks], [i.quote for i in brief.risks_more]


def test_the_ferry_review_names_risks_said_without_risk_words_and_no_decoys() -> None:
    shown, more = _risks("2026-11-04-ferry-winter-review.txt")
    said = " ".join(shown + more)
    # Risks said without a risk word: ageing boats, a conditional consequence,
    # dependence on one funder, cash runway, a failure that happened, a rule not met.
    for risk in (
        "are thirty-one years old, and the yard that built their engines closed",
        "we can't run the hourly crossing",
        "pays for about sixty percent of our sailings",
        "five months of cash if the council payment is late again",
        "the ramp hydraulics at Kell Point failed",
        "our ramp at Kell Point does not meet them yet",
        "the vendor stops updating",
    ):
        assert risk in said, risk
    # Risk words that name no risk are not taken.
    for decoy in ("No worries", "I'm afraid", "Concerning the staff", "safety drill",
                  "doesn't concern", "no injuries"):
        assert decoy not in said, decoy
    assert len(shown) == 8 and more


def test_the_earnings_call_lists_its_main_risks_and_not_the_reassurance() -> None:
    shown, more = _risks("2026-05-07-solar-earnings-call.vtt")
    assert any("would cut full-year gross margin" in q for q in shown)
    assert any("we could miss that date" in q for q in shown)
    assert not any("less of a worry" in q for q in shown + more)
