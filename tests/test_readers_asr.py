"""ASR output: JSON shapes found by their fields, JSON Lines, and ASR loops collapsed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from briefs._repeats import MIN_REPEATS, MIN_WORD_REPEATS, collapse_loops
from briefs.transcript import TranscriptBuilder

DATA = Path(__file__).parent / "data" / "readers"


def _turns(t):
    return [(x.speaker, x.text, x.time_start) for x in t.turns]


# --- ASR loops -------------------------------------------------------------------------

def test_a_221_times_loop_is_kept_once_with_one_warning() -> None:
    b = TranscriptBuilder(format="test", source="s")
    b.add("speech", "We looked for the keys and " + "got them " * 221 + "at last.",
          b.speaker("Ana"), time_start=3.0)
    b.add("speech", "Did you? Good, good.", b.speaker("Ben"), time_start=9.0)
    t = b.build()
    assert _turns(t) == [("Ana", "We looked for the keys and got them at last.", 3.0),
                         ("Ben", "Did you? Good, good.", 9.0)]
    assert t.warnings == ("collapsed 1 repeated-phrase loop (ASR output) to one occurrence "
                          "each, e.g. 'got them' repeated 221 times",)
    assert all(t.text[x.start:x.end] == x.text for x in t.turns)  # offsets into the result


def test_loops_keep_the_first_words_and_the_last_punctuation() -> None:
    text = "Then: Thank you, thank you, thank you, thank you, thank you. Bye."
    assert collapse_loops(text) == ("Then: Thank you. Bye.", [("Thank you", 5)])
    assert collapse_loops("a " + "b c d e f " * 5 + "g")[0] == "a b c d e f g"


def test_normal_speech_is_untouched() -> None:
    for text in ("No, no, no, that's not it.",
                 "It was very very very very very good.",      # one word, 5 times: speech
                 "No no no no no no no no. It's it's like a",   # 8 times (a QMSum meeting)
                 "thank you thank you thank you thank you",     # 4 times
                 "- - - - - - - - - - - - - - - - - - - - -",   # layout, no words
                 'No. " O " " O " " O " " O " " O " " O " and " zero "'):  # QMSum Bro013
        assert collapse_loops(text) == (text, [])


def test_a_one_word_loop_needs_fifteen_repetitions() -> None:
    assert collapse_loops("uh " * 14 + "ok")[1] == []
    assert collapse_loops("Uh " * 15 + "ok") == ("Uh ok", [("Uh", 15)])


def test_loops_in_each_paragraph_of_a_turn_are_counted() -> None:
    b = TranscriptBuilder(format="test", source="s")
    b.add("speech", "you know " * 6 + "yes", b.speaker("Ana"))
    assert b.append_to_last("right " * 20)
    t = b.build()
    assert _turns(t) == [("Ana", "you know yes\nright", None)]
    assert t.warnings[0].startswith("collapsed 2 repeated-phrase loops (ASR output)")


_WORDS = st.sampled_from(["we", "the", "plan", "costs", "money,", "really", "so.", "Ann", "ok?"])


@settings(max_examples=200, deadline=None)
@given(words=st.lists(_WORDS, max_size=40))
def test_text_without_long_runs_is_never_changed(words: list[str]) -> None:
    text = " ".join(words)
    out, loops = collapse_loops(text)
    if loops:  # only when random text happened to hold a loop by the rule
        assert len(out) < len(text)
    else:
        assert out == text


def _no_loop(words: list[str]) -> bool:
    return collapse_loops(" ".join(words))[1] == []


@settings(max_examples=200, deadline=None)
@given(before=st.lists(_WORDS, max_size=12).filter(_no_loop),
       phrase=st.lists(st.sampled_from(["got", "them", "I", "mean", "a", "big", "deal"]),
                       min_size=1, max_size=5, unique=True),
       extra=st.integers(min_value=0, max_value=300))
def test_an_injected_loop_is_collapsed_to_one_occurrence(before, phrase, extra) -> None:
    reps = (MIN_WORD_REPEATS if len(phrase) == 1 else MIN_REPEATS) + extra
    loop = " ".join(phrase * reps)
    text = " ".join([*before, loop, "END"])
    out, loops = collapse_loops(text)
    assert len(loops) >= 1
    assert out.split().count("END") == 1 and out.endswith("END")
    assert len(out.split()) <= len(before) + 2 * len(phrase) + 1
    assert collapse_loops(out)[1] == []  # nothing left to collapse
