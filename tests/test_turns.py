"""Turning points inside turns: monologues, lectures and briefings get their sections.

The samples in ``tests/data/brief`` are original writing for these tests: a
lecture given as one long turn, and a council briefing whose spokesperson reads
three announcements in one timed turn before taking questions.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefs.brief import build_brief
from briefs.brief._model import find_host
from briefs.brief._segments import segment
from briefs.brief._sentences import candidates
from briefs.passages import make_passages
from briefs.readers import read_path
from briefs.transcript import Transcript, TranscriptBuilder

DATA = Path(__file__).parent / "data" / "brief"
LECTURE = DATA / "lecture-small-city.md"
BRIEFING = DATA / "council-briefing.vtt"


def _segment_openings(t: Transcript) -> list[str]:
    cands = candidates(t, make_passages(t))
    return [s.candidates[0].quote for s in segment(t, cands, find_host(t))]


def test_a_lecture_in_one_turn_is_cut_where_the_lecturer_turns_to_the_next_subject() -> None:
    t = read_path(LECTURE)
    assert len(t.speech_turns) == 1  # one speaker, one turn: before, one turning point
    assert _segment_openings(t) == [
        "Good morning, everyone.",
        "Now let's turn to water, which is the system nobody sees.",
        "The third system I want to talk about is the public library, "
        "and the library is a budget story.",
        "Finally, transport at night, and the people who work while the rest of the city sleeps.",
    ]
    brief = build_brief(t, make_passages(t))
    points = [(tp.kind, tp.headline, tp.turn_index) for tp in brief.turning_points]
    assert points == [
        ("segment", "Winter", 0),
        ("segment", "Water", 0),
        ("segment", "The public library", 0),
        ("segment", "Transport at night", 0),
    ]
    # Each pivotal quote comes from its own section, in order.
    starts = [t.text.index(s) for s in _segment_openings(t)]
    for tp, lo, hi in zip(brief.turning_points, starts, [*starts[1:], len(t.text)], strict=True):
        assert lo <= tp.start < tp.end <= hi
        assert t.text[tp.start : tp.end] == tp.quote


def _cue_start(vtt: str, words: str) -> float:
    """The start time of the cue whose text holds ``words``."""
    for block in vtt.split("\n\n"):
        if words in block:
            h, m, s = re.search(r"(\d+):(\d+):(\d+\.\d+) -->", block).groups()  # type: ignore[union-attr]
            return int(h) * 3600 + int(m) * 60 + float(s)
    raise AssertionError(words)


def test_a_briefing_statement_is_cut_at_its_announcements_each_with_its_own_time() -> None:
    t = read_path(BRIEFING)
    vtt = BRIEFING.read_text(encoding="utf-8")
    statement = t.speech_turns[0]
    assert "The third announcement" in statement.text  # one timed turn holds all three
    brief = build_brief(t, make_passages(t))
    assert [(tp.headline, tp.turn_index, tp.time) for tp in brief.turning_points] == [
        ("The river bridge on Mill Road", 0, _cue_start(vtt, "Good afternoon.")),
        ("The heat", 0, _cue_start(vtt, "Now let's turn to the heat.")),
        ("School meals", 0, _cue_start(vtt, "The third announcement is about school meals.")),
    ]


def test_opening_logistics_are_at_most_one_turning_point() -> None:
    lecture = read_path(LECTURE).speech_turns[0].text
    b = TranscriptBuilder(format="text", source="test", title="A talk with a slow start")
    chair, speaker = b.speaker("Chair"), b.speaker("Dana Okafor")
    logistics = [
        (chair, "Can everyone hear me at the back?"),
        (speaker, "Is my microphone on now?"),
        (chair, "Yes, it is on, and the recording has started."),
        (speaker, "Great. Should I share my slides from this laptop?"),
        (chair, "Please do, the cable is on the lectern."),
        (speaker, "The slides are up. Can you see them at the back?"),
        (chair, "We can. Phones on silent, please, and the exits are on the left."),
        (speaker, "Thank you. I will take questions at the end."),
    ]
    for who, text in logistics:
        b.add("speech", text, who)
    b.add("speech", lecture, speaker)
    t = b.build()
    brief = build_brief(t, make_passages(t))
    assert sum(tp.turn_index < len(logistics) for tp in brief.turning_points) <= 1
    # The lecture's own sections are still found inside its one turn.
    assert [tp.headline for tp in brief.turning_points][-3:] == [
        "Water",
        "The public library",
        "Transport at night",
    ]
