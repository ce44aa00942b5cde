"""ASR output: JSON shapes found by their fields, JSON Lines, and ASR loops collapsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs._repeats import MIN_REPEATS, MIN_WORD_REPEATS, collapse_loops
from briefs.errors import MalformedSource, ReadError
from briefs.readers import read_bytes, read_path
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


# --- JSON shapes found by their fields -------------------------------------------------

def test_utterances_in_whole_milliseconds_are_read_as_seconds() -> None:
    # AssemblyAI's shape: times in ms, the stated duration in seconds.
    t = read_path(DATA / "asr" / "utterances.json")
    assert (t.format, t.warnings) == (
        "asr-json", ("read the times as milliseconds (whole numbers far too large for seconds)",))
    assert _turns(t) == [("A", "So the ferry is late again?", 0.48),
                         ("B", "Twenty minutes. The fog, they said.", 2.6),
                         ("A", "Then I'll walk.", 7.4)]


def test_results_channels_words_are_joined_into_turns_at_speaker_changes() -> None:
    # Deepgram's shape: numbered speakers on the words, punctuation in punctuated_word.
    t = read_path(DATA / "asr" / "deepgram.json")
    assert (t.format, t.warnings) == ("asr-json", ())
    assert _turns(t) == [("Speaker 0", "Did you bring the map?", 0.32),
                         ("Speaker 1", "No, I thought you had it.", 2.1)]
    assert [x.time_end for x in t.turns] == [1.4, 3.3]


def test_results_items_with_alternatives_and_punctuation_items() -> None:
    # AWS Transcribe: times as strings, punctuation items without times or speaker.
    t = read_path(DATA / "asr" / "aws.json")
    assert _turns(t) == [("spk_0", "The roof leaks.", 0.4), ("spk_1", "Since when?", 2.0),
                         ("spk_0", "Tuesday.", 3.1)]


def test_monologues_of_elements() -> None:
    # Rev.ai: text and punct elements, times on the words (ts / end_ts).
    t = read_path(DATA / "asr" / "rev.json")
    assert _turns(t) == [("Speaker 1", "Hello, world.", 0.25), ("Speaker 2", "Hi there!", 1.8)]


def test_a_top_level_list_with_speaker_names_and_millisecond_fields() -> None:
    data = [{"speakerName": "Ines", "startMs": 1500, "endMs": 4200, "content": "We open at nine."},
            {"speakerName": "Ines", "startMs": 4300, "endMs": 5000, "content": "Usually."},
            {"speakerName": "Kofi", "startMs": 5600, "endMs": 7000, "content": "Not Sundays."}]
    t = read_bytes("shop.json", json.dumps(data).encode())
    assert (t.format, t.warnings) == ("asr-json", ())
    assert _turns(t) == [("Ines", "We open at nine. Usually.", 1.5), ("Kofi", "Not Sundays.", 5.6)]


def test_a_transcript_list_with_name_and_offset() -> None:
    data = {"title": "Allotment call", "transcript": [
        {"name": "Ruth", "offset": 0, "text": "Who has the shed key?"},
        {"name": "Sam", "offset": 3.25, "text": "Under the pot."},
        {"name": "Ruth", "offset": 6, "body": "Which pot?"}]}
    t = read_bytes("call.json", json.dumps(data).encode())
    assert (t.title, t.format) == ("Allotment call", "asr-json")
    assert _turns(t) == [("Ruth", "Who has the shed key?", 0.0), ("Sam", "Under the pot.", 3.25),
                         ("Ruth", "Which pot?", 6.0)]


def test_google_results_and_azure_phrases_with_duration_strings() -> None:
    google = {"results": [
        {"alternatives": [{"transcript": "the bus left early", "words": [
            {"startTime": "0.500s", "endTime": "0.800s", "word": "the"},
            {"startTime": "1.100s", "endTime": "1.900s", "word": "early"}]}],
         "resultEndTime": "2s"}]}
    t = read_bytes("g.json", json.dumps(google).encode())
    assert _turns(t) == [("Speaker", "the bus left early", 0.5)]
    azure = {"recognizedPhrases": [
        {"speaker": 1, "offset": "PT1.5S", "duration": "PT2S", "nBest": [{"display": "Ready?"}]},
        {"speaker": 2, "offset": "PT1M4.25S", "duration": "PT1S", "nBest": [{"display": "Go."}]}]}
    t = read_bytes("az.json", json.dumps(azure).encode())
    assert _turns(t) == [("Speaker 1", "Ready?", 1.5), ("Speaker 2", "Go.", 64.25)]
    assert [x.time_end for x in t.turns] == [3.5, 65.25]


def _timed(t):
    return [(x.speaker, x.text, x.time_start, x.time_end) for x in t.turns]


def test_google_diarized_results_are_read_once_with_their_speaker_tags() -> None:
    # Google STT v1 with diarization: the last result repeats every word with its
    # speakerTag; the results before it hold the same words with none.
    t = read_path(DATA / "asr" / "google-diarized.json")
    assert (t.format, t.warnings) == ("asr-json", ())
    assert _timed(t) == [("Speaker 1", "is the market open today", 0.4, 2.0),
                         ("Speaker 2", "only until noon", 2.5, 3.6)]
    assert t.speakers == {"Speaker 1": None, "Speaker 2": None}


def test_google_v2_words_with_speaker_labels_and_offsets() -> None:
    t = read_path(DATA / "asr" / "google-v2.json")
    assert _timed(t) == [("Speaker 1", "Did the parcel come?", 0.3, 1.4),
                         ("Speaker 2", "Yes, at nine.", 2.0, 3.0)]


def test_google_durations_as_seconds_and_nanos_and_a_speaker_tag_of_zero() -> None:
    # The client library's Duration objects, dumped as they are; tag 0 is "unassigned".
    data = {"results": [{"alternatives": [{"words": [
        {"startTime": {"seconds": "1", "nanos": 500000000}, "endTime": {"seconds": 2},
         "word": "Lunch?", "speakerTag": 1},
        {"startTime": {"seconds": 3}, "endTime": {"seconds": 3, "nanos": 800000000},
         "word": "Later.", "speakerTag": 2},
        {"startTime": {"seconds": 4}, "endTime": {"seconds": 4, "nanos": 200000000},
         "word": "Hm.", "speakerTag": 0}]}]}]}
    t = read_bytes("g.json", json.dumps(data).encode())
    assert _timed(t) == [("Speaker 1", "Lunch?", 1.5, 2.0),
                         ("Speaker 2", "Later. Hm.", 3.0, 4.2)]


def test_aws_transcribe_speakers_listed_apart_from_the_words() -> None:
    # Classic AWS output: results.items carry no speaker; speaker_labels.segments say
    # who spoke from when. Punctuation items (no times) join without a stray space.
    t = read_path(DATA / "asr" / "aws-classic.json")
    assert (t.format, t.warnings) == ("asr-json", ())
    assert _timed(t) == [("spk_0", "Is the bike fixed?", 0.2, 1.6),
                         ("spk_1", "Almost, one more bolt.", 2.1, 4.0)]
    assert t.text == "spk_0: Is the bike fixed?\n\nspk_1: Almost, one more bolt."


def test_a_words_list_alone_is_joined_as_words() -> None:
    # AssemblyAI without speaker labels: only "words", whose text is under "text".
    data = {"audio_duration": 3, "words": [
        {"text": "Coffee", "start": 100, "end": 500}, {"text": ",", "start": 500, "end": 500},
        {"text": "please.", "start": 500, "end": 900},
        {"text": "Now?", "start": 1500, "end": 2000}]}
    t = read_bytes("w.json", json.dumps(data).encode())
    assert _turns(t) == [("Speaker", "Coffee, please. Now?", 0.1)]


def test_whole_seconds_with_a_normal_speaking_rate_stay_seconds() -> None:
    data = {"utterances": [{"speaker": "Lu", "start": 0, "end": 4, "text": "One two three four."},
                           {"speaker": "Mo", "start": 5, "end": 9, "text": "Five six seven."}]}
    t = read_bytes("s.json", json.dumps(data).encode())
    assert ([x.time_start for x in t.turns], t.warnings) == ([0.0, 5.0], ())


def test_ms_are_recognised_by_the_speaking_rate_without_a_duration() -> None:
    data = {"utterances": [{"speaker": "Lu", "start": 1200, "end": 4000, "text": "Is it on?"},
                           {"speaker": "Mo", "start": 4100, "end": 5000, "text": "It is."}]}
    t = read_bytes("ms.json", json.dumps(data).encode())
    assert [x.time_start for x in t.turns] == [1.2, 4.1]


def test_items_without_text_are_skipped_with_a_warning() -> None:
    data = {"utterances": [{"speaker": "Lu", "start": 0.5, "text": "Hello."}, 7,
                           {"speaker": "Mo", "start": 1.0}]}
    t = read_bytes("gap.json", json.dumps(data).encode())
    assert _turns(t) == [("Lu", "Hello.", 0.5)]
    assert t.warnings == ("skipped 2 items with no text",)


# --- JSON Lines ------------------------------------------------------------------------

def test_json_lines_of_words_join_without_spaces_before_punctuation() -> None:
    t = read_path(DATA / "asr" / "words.jsonl")
    assert (t.format, t.warnings) == ("json-lines", ())
    assert _turns(t) == [("Mara", "Hello, world.", 0.2), ("Theo", "Is it (really) morning?", 1.6)]


def test_json_lines_of_segments_in_a_txt_file_and_a_bad_line_skipped() -> None:
    lines = [json.dumps({"speaker_label": "Ola", "start_time": 0.0, "transcript": "Tea?"}),
             json.dumps({"speaker_label": "Pim", "start_time": 1.5, "transcript": "Please."}),
             '{"speaker_label": "Ola", "start_ti',  # a line cut short
             json.dumps({"speaker_label": "Ola", "start_time": 4.0, "transcript": "Milk?"})]
    t = read_bytes("stream.txt", "\n".join(lines).encode())
    assert (t.format, t.warnings) == (
        "json-lines", ("skipped 1 line of JSON Lines that was not a JSON object (line 3)",))
    assert _turns(t) == [("Ola", "Tea?", 0.0), ("Pim", "Please.", 1.5), ("Ola", "Milk?", 4.0)]


def test_a_json_lines_file_of_one_segment() -> None:
    t = read_bytes("one.jsonl", b'{"speaker": "Vi", "start": 2, "text": "Only me."}\n')
    assert _turns(t) == [("Vi", "Only me.", 2.0)]


def test_an_unreadable_time_drops_that_time_not_the_file() -> None:
    # Before: "segment 1 'startTime' is not a number of seconds" refused the whole file.
    data = {"version": "1.0.0", "segments": [
        {"speaker": "Ines", "startTime": 0.5, "endTime": 2.0, "body": "The kiln is hot."},
        {"speaker": "Kofi", "startTime": "soon", "endTime": 4.0, "body": "How hot?"},
        {"speaker": "Ines", "startTime": 4.5, "endTime": [6], "body": "Too hot to touch."}]}
    t = read_bytes("kiln.json", json.dumps(data).encode())
    assert [(x.speaker, x.text, x.time_start, x.time_end) for x in t.turns] == [
        ("Ines", "The kiln is hot.", 0.5, 2.0), ("Kofi", "How hot?", None, 4.0),
        ("Ines", "Too hot to touch.", 4.5, None)]
    assert t.warnings == (
        "dropped 2 times that could not be read as seconds, the text kept without them "
        "(the first: segment 1 'startTime' is not a number of seconds ('soon'))",)


def test_an_unreadable_word_time_in_json_lines_drops_that_time_only() -> None:
    lines = [{"speaker": "Mara", "start": 0.2, "end": 0.5, "word": "Good"},
             {"speaker": "Mara", "start": "0.5x", "end": 0.9, "word": "morning"},
             {"speaker": "Mara", "start": 0.9, "end": 0.9, "word": "."},
             {"speaker": "Theo", "start": 1.6, "end": 1.9, "word": "Morning"},
             {"speaker": "Theo", "start": 1.9, "end": 1.9, "word": "!"}]
    t = read_bytes("w.jsonl", "\n".join(json.dumps(x) for x in lines).encode())
    assert (t.format, t.warnings) == ("json-lines", (
        "dropped 1 time that could not be read as seconds, the text kept without it "
        "(the first: segment 1 'start' is not a number of seconds ('0.5x'))",))
    assert [(x.speaker, x.text, x.time_start, x.time_end) for x in t.turns] == [
        ("Mara", "Good morning.", 0.2, 0.9), ("Theo", "Morning!", 1.6, 1.9)]


def test_json_lines_with_no_object_is_a_one_line_error() -> None:
    with pytest.raises(MalformedSource) as err:
        read_bytes("x.jsonl", b"[1]\n[2]\n")
    assert str(err.value) == "x.jsonl: not valid JSON or JSON Lines (no line holds an object)"


def test_a_loop_inside_asr_json_is_collapsed_and_the_times_kept() -> None:
    data = {"segments": [{"start": 0.0, "end": 2.0, "text": "We counted the boxes and"},
                         {"start": 2.0, "end": 60.0, "text": " got them" * 221},
                         {"start": 60.0, "end": 61.0, "text": " all."}]}
    t = read_bytes("loop.json", json.dumps(data).encode())
    assert _turns(t) == [("Speaker", "We counted the boxes and got them all.", 0.0)]
    assert t.turns[0].time_end == 61.0
    assert "collapsed 1 repeated-phrase loop (ASR output)" in t.warnings[1]


_JSON_KEYS = st.sampled_from(["text", "word", "speaker", "start", "end", "startTime", "words",
                              "utterances", "segments", "results", "alternatives", "offset",
                              "monologues", "elements", "type", "duration", "start_ms", "name"])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**9) | st.floats(allow_nan=True)
    | st.sampled_from(["hi", "1.5s", "PT2S", "00:01", "soon", "", "A", ",", "punct"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_JSON_KEYS, inner, max_size=5),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(data=_JSON, lines=st.booleans())
def test_any_json_reads_or_fails_with_a_one_line_read_error(data, lines) -> None:
    if lines and isinstance(data, list):
        raw = "\n".join(json.dumps(x) for x in data)
    else:
        raw = json.dumps(data)
    try:
        t = read_bytes("fuzz.jsonl" if lines else "fuzz.json", raw.encode())
    except ReadError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.json")
    else:
        assert all(t.text[x.start:x.end] == x.text for x in t.turns)


@settings(max_examples=200, deadline=None)
@given(tokens=st.lists(st.sampled_from(["Hello", "world", "we", ",", ".", "?", "(", ")", "n't",
                                        "'s", "so", "!"]), min_size=1, max_size=30))
def test_joined_words_have_no_space_before_punctuation(tokens) -> None:
    lines = [json.dumps({"word": w, "start": i * 0.3, "speaker": "Ana"})
             for i, w in enumerate(tokens)]
    try:
        t = read_bytes("w.jsonl", "\n".join(lines).encode())
    except ReadError:
        assert not any(c.isalpha() for c in "".join(tokens))  # punctuation only: no speech
        return
    text = " ".join(x.text for x in t.turns)
    assert not any(f" {p}" in text for p in [",", ".", "?", "!", ")", "n't", "'s"])
    assert "( " not in text


_VARIED = st.sampled_from(["got", "Got", "them,", "them.", "them", "(them)", "uh", "Uh,", "-",
                           "Straße", "STRASSE", "don't", "dont", "I", "i.", "—", "ok"])


@settings(max_examples=300, deadline=None)
@given(words=st.lists(
    st.lists(_VARIED, min_size=1, max_size=3).flatmap(
        lambda p: st.integers(1, 16).map(lambda r: p * r)), max_size=6).map(
    lambda runs: [w for run in runs for w in run]))
def test_the_fast_precheck_never_hides_a_loop(words) -> None:
    import briefs._repeats as repeats

    text = " ".join(words)
    fast = collapse_loops(text)
    original = repeats._may_loop
    repeats._may_loop = lambda _text: True  # the exact word-by-word scan alone
    try:
        assert collapse_loops(text) == fast
    finally:
        repeats._may_loop = original
