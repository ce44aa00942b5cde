"""Sentences and passages: where a sentence ends, and offsets that always hold."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.passages import MAX_WORDS, Sentence, make_passages, split_sentences
from briefs.transcript import TranscriptBuilder


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Chinese and Japanese put no space after a sentence's end.
        ("今天很热。我们去游泳吧！好吗？", ["今天很热。", "我们去游泳吧！", "好吗？"]),
        ("今日は晴れ。 明日は雨。", ["今日は晴れ。", "明日は雨。"]),
        # A run of enders ends once; closing quotes stay with their sentence.
        ("真的吗？！是的。", ["真的吗？！", "是的。"]),
        ("他说：「好。」然后走了。", ["他说：「好。」", "然后走了。"]),
        ("We agreed.她同意了。Then we left.", ["We agreed.她同意了。", "Then we left."]),
        # Western enders need a space (or the end) after them.
        ("It works! Does it? Wait… yes.", ["It works!", "Does it?", "Wait…", "yes."]),
        ('She said "no." Then left.', ['She said "no."', "Then left."]),
        ("One line\nAnother line", ["One line", "Another line"]),
    ],
)
def test_sentence_enders(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones at 3 p.m. in the U.S. office. They talked.",
            ["Mr. Smith met Dr. Jones at 3 p.m. in the U.S. office.", "They talked."],
        ),
        ("Costs, e.g. power, rose. Rent fell.", ["Costs, e.g. power, rose.", "Rent fell."]),
        ("J. R. Smith spoke first. Then Ann.", ["J. R. Smith spoke first.", "Then Ann."]),
    ],
)
def test_abbreviations_and_initials_do_not_end_a_sentence(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_decimals_and_versions_do_not_end_a_sentence() -> None:
    assert _texts("Revenue rose 3.5 percent to 164.2 million. Version 2.0.1 ships.") == [
        "Revenue rose 3.5 percent to 164.2 million.",
        "Version 2.0.1 ships.",
    ]


def test_offsets_are_shifted_into_the_enclosing_text() -> None:
    text = "  Hello there.  你好。Bye "
    assert split_sentences(text, offset=100) == [
        Sentence("Hello there.", 102, 114),
        Sentence("你好。", 116, 119),
        Sentence("Bye", 119, 122),
    ]


_PIECES = st.sampled_from(
    ["word", "Mr", "U.S", "3.5", "e.g", "J", "你好", ".", "!", "?", "…", "。", "！", "？",
     "」", "”", '"', ")", " ", "  ", "\n", "\t", "é", "😀"]
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=40), offset=st.integers(min_value=0, max_value=10_000))
def test_offsets_always_point_at_the_sentence(pieces: list[str], offset: int) -> None:
    text = "".join(pieces)
    sentences = split_sentences(text, offset)
    for s in sentences:
        assert text[s.start - offset : s.end - offset] == s.text
        assert s.text and s.text == s.text.strip()
    # In order, never overlapping, and nothing but whitespace left out.
    assert all(a.end <= b.start for a, b in pairwise(sentences))
    assert "".join("".join(s.text for s in sentences).split()) == "".join(text.split())


def test_passages_are_sentence_windows_inside_one_turn() -> None:
    b = TranscriptBuilder(format="text", source="t.txt", title="Windows")
    long_turn = " ".join(f"Sentence number {n} has exactly seven words." for n in range(30))
    b.add("speech", long_turn, b.speaker("Ada"))
    b.add("heading", "A heading is never quoted")
    b.add("speech", "短い。文です。", b.speaker("Bo"))
    t = b.build()
    passages = make_passages(t)
    assert {p.speaker for p in passages} == {"Ada", "Bo"}
    for p in passages:
        assert t.text[p.start : p.end] == p.text
        assert len(p.text.split()) <= MAX_WORDS
    # Windows overlap by one sentence, so a quote across an edge is whole in one.
    ada = [p for p in passages if p.speaker == "Ada"]
    assert len(ada) > 1
    assert all(a.text.rsplit(". ", 1)[-1] in b.text for a, b in pairwise(ada))
    assert passages[-1].text == "短い。文です。"


def _long_turn_vtt() -> str:
    # One speaker for twelve minutes of captions, a cue a minute: an original sample.
    topics = ["harbour dredging", "ferry timetables", "bridge tolls", "tram depots",
              "cycle lanes", "bus shelters", "parking meters", "road salt",
              "street lights", "canal locks", "rail sidings", "taxi ranks"]
    cues = ["WEBVTT", ""]
    for minute, topic in enumerate(topics):
        words = " ".join(f"{topic} matters for the budget line {n}." for n in range(4))
        cues += [f"00:{minute:02d}:00.000 --> 00:{minute:02d}:59.000",
                 f"<v Mara Quist>{words}", ""]
    return "\n".join(cues)


def test_passages_in_a_long_timed_turn_carry_the_time_their_words_were_said() -> None:
    from briefs.readers import read_bytes

    transcript = read_bytes("council.vtt", _long_turn_vtt().encode())
    assert [(t.speaker, t.time_start) for t in transcript.turns] == [("Mara Quist", 0.0)]
    turn = transcript.turns[0]
    assert [s for _, s in turn.marks] == [60.0 * m for m in range(12)]
    passages = make_passages(transcript)
    assert len(passages) > 3
    for p in passages:
        # The minute a passage starts in is the minute its first words were captioned.
        minute = next(m for m, topic in enumerate([
            "harbour", "ferry", "bridge", "tram", "cycle", "bus", "parking", "road",
            "street", "canal", "rail", "taxi"]) if p.text.startswith(topic))
        assert p.time == 60.0 * minute, p.text[:40]


def test_a_turn_without_timed_pieces_gives_every_passage_its_start_time() -> None:
    b = TranscriptBuilder(format="text", source="t")
    who = b.speaker("Ana")
    b.add("speech", " ".join(f"Sentence number {n} is here." for n in range(60)), who,
          time_start=12.0)
    transcript = b.build()
    assert transcript.turns[0].marks == ()
    assert {p.time for p in make_passages(transcript)} == {12.0}


def test_timed_pieces_join_like_one_turn_and_skip_bad_times() -> None:
    b = TranscriptBuilder(format="vtt", source="t")
    who = b.speaker("Ana")
    b.add_timed("speech", [("  First  part. ", 1.5), ("", 2.0), ("Second\tpart.", float("nan")),
                           ("Third part.", 9.0)], who, time_end=12.0)
    turn = b.build().turns[0]
    assert (turn.text, turn.time_start, turn.time_end) == (
        "First part. Second part. Third part.", 1.5, 12.0)
    assert [(turn.text[at - turn.start:][:5], s) for at, s in turn.marks] == [
        ("First", 1.5), ("Third", 9.0)]


def test_cue_times_follow_their_words_when_an_asr_loop_is_collapsed() -> None:
    b = TranscriptBuilder(format="vtt", source="t")
    who = b.speaker("Ana")
    loop = [("got them got them got them", float(s)) for s in range(1, 4)]
    b.add_timed("speech", [("We start now.", 0.0), *loop, ("Then the budget passes.", 10.0)],
                who)
    transcript = b.build()
    turn = transcript.turns[0]
    assert turn.text == "We start now. got them Then the budget passes."
    assert [(transcript.text[at:at + 8], s) for at, s in turn.marks] == [
        ("We start", 0.0), ("got them", 1.0), ("Then the", 10.0)]
