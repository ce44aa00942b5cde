"""SRT and WebVTT: speakers from voice tags and prefixes, times kept, bad files named."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.errors import EmptySource, MalformedSource
from briefs.readers import read_bytes, read_path
from briefs.readers._subtitles import split_speaker

DATA = Path(__file__).parent / "data" / "readers"


def _turns(t):
    return [(x.kind, x.speaker, x.text, x.time_start, x.time_end) for x in t.turns]


def test_srt_groups_cues_by_speaker_and_keeps_times() -> None:
    t = read_path(DATA / "call.srt")
    assert (t.format, t.title, t.warnings) == ("srt", "Call", ())
    assert _turns(t) == [
        ("speech", "Alex", "Good morning and welcome. Today we look at the quarter.", 1.0, 6.0),
        ("speech", "Dana Park", "Thanks, Alex. Revenue grew nine percent.", 6.2, 9.0),
    ]


def test_vtt_reads_voice_tags_and_prefixes_and_drops_cue_markup() -> None:
    t = read_path(DATA / "call.vtt")
    assert t.format == "vtt"
    assert _turns(t) == [
        ("speech", "Alex", "Good morning and welcome. Today we look at the quarter.", 1.0, 6.0),
        ("speech", "Dana Park", "Thanks, Alex. Revenue grew nine percent.", 66.2, 69.0),
    ]


def test_subtitles_without_speakers_become_a_monologue_with_a_warning() -> None:
    data = (b"1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n"
            b"2\n00:00:02,000 --> 00:00:03,000\nBye.\n")
    t = read_bytes("talk.srt", data)
    assert _turns(t) == [("speech", "Speaker", "Hello there. Bye.", 1.0, 3.0)]
    assert len(t.warnings) == 1 and "monologue" in t.warnings[0]


def test_long_monologue_subtitles_are_cut_into_paragraphs_at_sentence_ends() -> None:
    def clock(s: int) -> str:
        return f"00:{s // 60:02d}:{s % 60:02d},000"

    cues = [
        f"{i + 1}\n{clock(2 * i)} --> {clock(2 * i + 2)}\nThis is sentence {i} of the talk.\n"
        for i in range(60)
    ]
    t = read_bytes("long.srt", "\n".join(cues).encode())
    assert len(t.turns) > 1
    assert all(turn.text.endswith(".") for turn in t.turns)
    starts = [turn.time_start or 0.0 for turn in t.turns]
    assert starts == sorted(starts) and starts[0] == 0.0


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("Alex: Hello.", ("Alex", "Hello.")),
        ("[Dana Park] Hi.", ("Dana Park", "Hi.")),
        (">> Dana Park: Hi.", ("Dana Park", "Hi.")),
        ("- Alex: Yes.", ("Alex", "Yes.")),
        ("Revenue: up nine percent.", ("Revenue", "up nine percent.")),
        ("and the revenue: up nine percent.", (None, "and the revenue: up nine percent.")),
        (">> welcome back", (None, "welcome back")),
    ],
)
def test_split_speaker(cue: str, expected) -> None:
    assert split_speaker(cue) == expected


def test_malformed_srt_names_the_line() -> None:
    data = b"1\n00:00:01,000 --> 00:00:04,000\nAlex: Hello.\n\n2\nxx --> yy\nBob: hi\n"
    with pytest.raises(MalformedSource) as err:
        read_bytes("bad.srt", data)
    assert str(err.value) == (
        "bad.srt: not valid SRT at line 6 (expected a time line like "
        "'00:00:01,000 --> 00:00:04,000', found 'xx --> yy')"
    )


def test_srt_with_end_before_start_is_malformed() -> None:
    with pytest.raises(MalformedSource, match="cue 1"):
        read_bytes("bad.srt", b"1\n00:00:05,000 --> 00:00:01,000\nHello.\n")


def test_malformed_vtt_names_the_line() -> None:
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi.\n\n00:00:0x.000 --> 00:00:04.000\nBye.\n"
    with pytest.raises(MalformedSource) as err:
        read_bytes("bad.vtt", data)
    assert str(err.value) == (
        "bad.vtt: not valid WebVTT at line 6 (bad cue time line '00:00:0x.000 --> 00:00:04.000')"
    )


def test_vtt_without_header_is_malformed() -> None:
    with pytest.raises(MalformedSource, match="line 1 must start with 'WEBVTT'"):
        read_bytes("bad.vtt", b"00:00:01.000 --> 00:00:02.000\nHi.\n")


def test_vtt_with_no_cues_is_empty() -> None:
    with pytest.raises(EmptySource, match="no cues"):
        read_bytes("empty.vtt", b"WEBVTT\n\nNOTE nothing here\n")


def test_rolling_auto_captions_are_not_read_twice() -> None:
    vtt = (
        "WEBVTT\nKind: captions\nLanguage: en\n\n"
        "00:00:00.000 --> 00:00:02.000 align:start position:0%\n"
        "so the harbour<00:00:00.500><c> opens at six</c>\n\n"
        "00:00:02.000 --> 00:00:02.010 align:start position:0%\n"
        "so the harbour opens at six\n \n\n"
        "00:00:02.010 --> 00:00:04.000 align:start position:0%\n"
        "so the harbour opens at six\nand the ferries leave at seven\n\n"
        "00:00:04.000 --> 00:00:05.000\nYes.\n\n"
        "00:00:05.000 --> 00:00:06.000\nYes.\n"
    )
    t = read_bytes("auto.vtt", vtt.encode())
    assert [x.text for x in t.turns] == [
        "so the harbour opens at six and the ferries leave at seven Yes. Yes."
    ]


def test_another_voice_repeating_the_same_words_is_kept() -> None:
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>We open at six.\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v Bo>We open at six.\n"
    )
    t = read_bytes("echo.vtt", vtt.encode())
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Ana", "We open at six."), ("Bo", "We open at six."),
    ]
