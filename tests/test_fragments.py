"""The fragment measure, and the TL;DR of our own samples passing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.brief import build_brief
from briefs.eval import SAMPLE_FOLDERS
from briefs.eval._fragments import is_whole_sentence, whole_sentences
from briefs.passages import make_passages, split_sentences
from briefs.readers import read_path
from briefs.transcript import Transcript, TranscriptBuilder

FRAGMENTS = Path(__file__).resolve().parents[1] / "eval" / "fragments"


class _Item:
    def __init__(self, t: Transcript, turn: int, quote: str) -> None:
        self.turn_index = turn
        self.start = t.text.index(quote, t.turns[turn].start)
        self.end = self.start + len(quote)


def _one_turn(text: str) -> Transcript:
    b = TranscriptBuilder(format="text", source="test")
    b.add("speech", text, b.speaker("Dana Park"))
    return b.build()


@pytest.mark.parametrize(
    ("quote", "whole"),
    [
        ("We met the Attorney\nGeneral, who endorsed term limits.", True),
        ("General, who endorsed term limits.", False),  # starts after a line break
        ("We met the Attorney", False),  # ends at a line break
        ("Mr. Smith agreed.", True),
        ("Smith agreed.", False),  # after an abbreviation's dot
        ("Then we left!", True),
        ("we left!", False),
    ],
)
def test_whole_sentence_is_judged_on_the_stored_text(quote: str, whole: bool) -> None:
    t = _one_turn("We met the Attorney\nGeneral, who endorsed term limits. Mr. Smith agreed. "
                  "Then we left!")
    assert is_whole_sentence(t, _Item(t, 0, quote)) is whole


def test_line_end_sentences_of_the_hard_wrapped_sample_fail_the_measure() -> None:
    # The measure can fail: splitting at line ends, as search does, gives fragments.
    # The readers join hard wraps, so the wrapped paragraphs are laid out here as
    # they stand in the file, line breaks kept.
    from briefs.transcript import TranscriptBuilder

    b = TranscriptBuilder(format="text", source="test", title="Town hall")
    raw = (FRAGMENTS / "town-hall-hard-wrapped.txt").read_text(encoding="utf-8")
    for para in raw.split("\n\n"):
        name, sep, said = para.partition(": ")
        if sep and len(name.split()) <= 3 and "\n" not in name:
            b.add("speech", said, b.speaker(name))
    t = b.build()
    items = [
        _Item(t, turn.index, s.text)
        for turn in t.speech_turns
        for s in split_sentences(turn.text)
    ]
    whole, total = whole_sentences(t, items)
    assert total > 0 and whole / total < 0.7


@pytest.mark.parametrize(
    "path",
    sorted(p for folder in SAMPLE_FOLDERS for p in folder.iterdir() if p.is_file()),
    ids=lambda p: p.name,
)
def test_every_tldr_quote_of_our_samples_is_whole_sentences(path: Path) -> None:
    t = read_path(path)
    brief = build_brief(t, make_passages(t))
    assert len(brief.tldr) >= 4
    assert whole_sentences(t, brief.tldr) == (len(brief.tldr), len(brief.tldr))
