"""SRT and WebVTT: speakers from voice tags and prefixes, times kept, bad files named."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.errors import EmptySource, MalformedSource, ReadError
from briefs.readers import read_bytes, read_path
from briefs.readers._cue_text import Piece, Rolling, cue_pieces
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
        ("- Alex: Yes.", ("Alex", "Yes.")),
        ("Revenue: up nine percent.", ("Revenue", "up nine percent.")),
        ("and the revenue: up nine percent.", (None, "and the revenue: up nine percent.")),
    ],
)
def test_split_speaker(cue: str, expected) -> None:
    assert split_speaker(cue) == expected


def test_an_srt_cue_whose_times_cannot_be_read_is_skipped_and_counted() -> None:
    data = (b"1\n00:00:01,000 --> 00:00:04,000\nAlex: Hello.\n\n2\nxx --> yy\nBob: hi\n\n"
            b"3\n00:00:06,000 --> 00:00:05,000\nBob: Backwards.\n\n"
            b"4\n00:00:07,000 --> 00:00:08,000\nBob: Hi, Alex.\n")
    t = read_bytes("bad.srt", data)
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Alex", "Hello.", 1.0), ("Bob", "Hi, Alex.", 7.0),
    ]
    assert t.warnings == (
        "skipped 2 cues whose times could not be read (the first at line 6: 'xx --> yy')",
    )


def test_srt_with_no_readable_cue_is_refused_in_one_line() -> None:
    with pytest.raises(MalformedSource) as err:
        read_bytes("bad.srt", b"1\n00:00:05,000 --> 00:00:01,000\nHello.\n")
    assert str(err.value) == (
        "bad.srt: not valid SRT: no cue has times that can be read (line 2: "
        "'00:00:05,000 --> 00:00:01,000'; expected start --> end, like "
        "'00:00:01,000 --> 00:00:04,000')"
    )
    with pytest.raises(MalformedSource) as err:
        read_bytes("prose.srt", b"this is not SRT\n")
    assert str(err.value) == (
        "prose.srt: not valid SRT at line 1 (expected a time line like "
        "'00:00:01,000 --> 00:00:04,000', found 'this is not SRT')"
    )


def test_a_vtt_cue_whose_times_cannot_be_read_is_skipped_and_counted() -> None:
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi.\n\n00:00:0x.000 --> 00:00:04.000\nBye.\n"
    t = read_bytes("bad.vtt", data)
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [("Speaker", "Hi.", 1.0)]
    assert t.warnings[1:] == (
        "skipped 1 cue whose times could not be read (the first at line 6: "
        "'00:00:0x.000 --> 00:00:04.000')",
    )
    with pytest.raises(MalformedSource, match=r"^bad.vtt: not valid WebVTT: no cue has times"):
        read_bytes("bad.vtt", b"WEBVTT\n\n00:00:0x.000 --> 00:00:04.000\nBye.\n")


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


# -- lenient cue times ------------------------------------------------------------------------


def test_srt_cue_times_in_the_forms_real_tools_write_are_read() -> None:
    t = read_path(DATA / "lenient_times.srt")
    assert (t.format, t.warnings) == ("srt", ())
    assert [(x.speaker, x.text, x.time_start, x.time_end) for x in t.turns] == [
        ("Mira", "The ferry left without us.", 0.86, 7.38),  # seconds only
        ("Tomas", "Then we walk.", 7.5, 9.57),  # unpadded fields
        ("Mira", "It is twelve kilometres.", 3723.4, 3725.25),  # "1:2:3,4": a tenth
        ("Tomas", "We have all afternoon.", 3727.5, 3729.0),  # comma and dot mixed
        ("Mira", "Fine, but you carry the tent.", 360001.0, 360002.0),  # hours over 99
    ]


def test_vtt_cue_times_without_hours_or_with_a_comma_are_read() -> None:
    vtt = ("WEBVTT\n\n01:02.500 --> 01:04.000\nMira: Left or right?\n\n"
           "1:04,000 --> 1:06\nTomas: Right, past the mill.\n\n"
           "0:0:0.0 --> 0:0:0.570\nMira: Wait.\n")
    t = read_bytes("walk.vtt", vtt.encode())
    assert [(x.speaker, x.text, x.time_start, x.time_end) for x in t.turns] == [
        ("Mira", "Left or right?", 62.5, 64.0),
        ("Tomas", "Right, past the mill.", 64.0, 66.0),
        ("Mira", "Wait.", 0.0, 0.57),
    ]
    assert t.warnings == ()


def test_a_txt_file_holding_srt_with_seconds_only_times_is_read_as_srt() -> None:
    data = b"1\n0.860 --> 7.380\nMira: Hello.\n\n2\n7.4 --> 9\nTomas: Hi.\n"
    t = read_bytes("notes.txt", data)
    assert t.format == "srt"
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Mira", "Hello.", 0.86), ("Tomas", "Hi.", 7.4),
    ]


def test_a_minute_or_second_field_of_sixty_is_not_a_time() -> None:
    data = (b"1\n00:61:00,000 --> 00:62:00,000\nMira: Odd.\n\n"
            b"2\n00:00:02,000 --> 00:00:03,000\nTomas: Fine.\n")
    t = read_bytes("odd.srt", data)
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [("Tomas", "Fine.", 2.0)]
    assert t.warnings[-1].startswith("skipped 1 cue whose times could not be read (the first "
                                     "at line 2:")


def test_blank_line_inside_a_cue_and_missing_blank_line_between_cues() -> None:
    data = (b"1\n00:00:01,000 --> 00:00:02,000\nMira: The map says\n\nleft here.\n\n"
            b"2\n00:00:03,000 --> 00:00:04,000\nTomas: It is upside down.\n"
            b"3\n00:00:05,000 --> 00:00:06,000\nMira: Oh.\n")
    t = read_bytes("map.srt", data)
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Mira", "The map says left here.", 1.0),
        ("Tomas", "It is upside down.", 3.0),
        ("Mira", "Oh.", 5.0),
    ]
    assert t.warnings == ()


def _srt_clock(seconds: float, style: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, frac = divmod(rest, 1000)
    if style == "seconds":
        return f"{ms // 1000}.{frac:03d}"
    if style == "unpadded":
        return f"{h}:{m}:{s}.{frac:03d}"
    if style == "no-hours":
        return f"{h * 60 + m:02d}:{s:02d},{frac:03d}"
    return f"{h:02d}:{m:02d}:{s:02d},{frac:03d}"


@settings(max_examples=80, deadline=None)
@given(starts=st.lists(st.integers(0, 400 * 3_600_000), min_size=1, max_size=6),
       style=st.sampled_from(["seconds", "unpadded", "no-hours", "padded"]))
def test_any_cue_time_written_in_a_known_style_reads_back(starts: list[int], style: str) -> None:
    times = sorted(ms / 1000 for ms in starts)
    names = ["Mira", "Tomas"]
    srt = "\n".join(
        f"{i + 1}\n{_srt_clock(t0, style)} --> {_srt_clock(t0 + 0.5, style)}\n"
        f"{names[i % 2]}: Line {i}.\n" for i, t0 in enumerate(times))
    t = read_bytes("gen.srt", srt.encode())
    assert [(x.speaker, x.time_start, x.time_end) for x in t.turns] == [
        (names[i % 2], t0, round(t0 + 0.5, 3)) for i, t0 in enumerate(times)
    ]


# -- ">>": a change of speaker ----------------------------------------------------------------


def test_broadcast_chevrons_open_turns_named_or_unknown() -> None:
    t = read_path(DATA / "broadcast.srt")
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Unknown", "GOOD EVENING. THE RIVER AT MILLBROOK CROSSED THE SANDBAG LINE AT NOON.",
         1.0),
        ("Unknown", "WE LOST THE BAKERY BY TWO FEET.", 5.0),  # ">>" ended the cue before
        ("Unknown", "WAS ANYONE HURT?", 7.0),
        ("Unknown", "NO, THANK GOODNESS.", 7.0),
        ("RITA OKAFOR", "THAT IS THE LATEST FROM MILLBROOK. Back to you.", 9.0),
    ]
    assert ">>" not in t.text
    assert t.warnings == (
        "4 changes of speaker marked '>>' name no one: attributed to 'Unknown'",
    )


def test_vtt_chevrons_after_named_speakers() -> None:
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nANA: Is the bridge open?\n\n"
           "00:00:02.000 --> 00:00:03.000\n>> Only for walkers.\n\n"
           "00:00:03.000 --> 00:00:04.000\n>> ANA: Then we walk.\n")
    t = read_bytes("bridge.vtt", vtt.encode())
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("ANA", "Is the bridge open?", 1.0),
        ("Unknown", "Only for walkers.", 2.0),
        ("ANA", "Then we walk.", 3.0),
    ]


def test_dash_dialogue_in_one_cue_is_two_speakers_turns() -> None:
    t = read_path(DATA / "dash-dialogue.srt")
    assert [(x.speaker, x.text, x.time_start, x.time_end) for x in t.turns] == [
        ("Unknown", "Are you coming?", 1.0, 3.5),
        # The second speaker goes on in the next cue: no dash, no change of speaker.
        ("Unknown", "In a minute. I have to find my keys first, they were on the table.",
         1.0, 6.0),
        ("Unknown", "Check your coat.", 6.5, 8.0),  # Netflix style: no space after the dash
        ("Unknown", "Found them!", 6.5, 8.0),
        ("Mara", "Then let us go.", 8.5, 10.0),  # a named dashed line names its speaker
        # A dash before lower case is a sentence's dash: the same speaker, text as written.
        ("Unknown", "Wait for me. The bus leaves at six - or so the timetable says.",
         8.5, 12.0),
    ]
    # Each turn's words keep their own cue's time.
    assert [[s for _, s in x.marks] for x in t.turns] == [
        [1.0], [1.0, 4.0], [6.5], [6.5], [8.5], [8.5, 10.5]]
    assert t.speakers == {"Unknown": None, "Mara": None}
    assert "- " not in t.text.replace("six - or", "")
    assert t.warnings == (
        "5 lines of dash dialogue ('- ...') name no one: attributed to 'Unknown'",)


def test_vtt_dash_dialogue_and_a_lone_dashed_line() -> None:
    vtt = ("WEBVTT\n\n00:01.000 --> 00:03.000\n<v Ana>Ready?</v>\n\n"
           "00:03.000 --> 00:05.000\n— ¿Listos?\n— Sí, vamos.\n\n"
           "00:05.000 --> 00:07.000\n- one dashed line alone is the same speaker\n")
    t = read_bytes("go.vtt", vtt.encode())
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Ana", "Ready?", 1.0),
        ("Unknown", "¿Listos?", 3.0),
        ("Unknown", "Sí, vamos. - one dashed line alone is the same speaker", 3.0),
    ]


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        (">> Dana Park: Hi.", [Piece("Dana Park", "Hi.", True)]),
        (">> welcome back", [Piece(None, "welcome back", True)]),
        (">>> NEW STORY TONIGHT", [Piece(None, "NEW STORY TONIGHT", True)]),
        ("so it goes. >> DANA: Right.",
         [Piece(None, "so it goes."), Piece("DANA", "Right.", True)]),
        ("keep a>>b as is", [Piece(None, "keep a>>b as is")]),
        ("done >>", [Piece(None, "done"), Piece(None, "", True)]),
        ("- Coming?\n- Yes.", [Piece(None, "Coming?", True, True),
                              Piece(None, "Yes.", True, True)]),
        ("Well?\n-DANA: Fine.", [Piece(None, "Well?"), Piece("DANA", "Fine.", True, True)]),
        ("- a dash\n- and more", [Piece(None, "- a dash - and more")]),
    ],
)
def test_cue_pieces_split_at_chevrons(cue: str, expected: list[Piece]) -> None:
    assert cue_pieces(cue, Rolling()) == expected


# -- cue text hygiene -------------------------------------------------------------------------


def test_vtt_markup_entities_and_strike_through_are_cleaned() -> None:
    t = read_path(DATA / "markup.vtt")
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Jo Reyes", "It's opening night & the hall is full. Tickets sold out in two hours.",
         1.0),
        ("Ines Varga", "We ordered sixty chairs.", 5.0),
        ("Jo Reyes", "And H2O for the cast.", 5.0),  # a second voice in the same cue
        ("Ines Varga", 'The "quiet" room is for 3 < 5 people.', 7.0),
    ]
    assert t.warnings == ()


def test_srt_markup_entities_and_strike_through_are_cleaned() -> None:
    t = read_path(DATA / "markup.srt")
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Pia", "The oven's at two hundred & rising.", 1.0),
        ("Ole", "Take the rolls out first.", 3.0),
        ("Pia", "Done. They're golden.", 5.0),
    ]
    assert "<" not in t.text and "&" in t.text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("<s>wrong\nstill wrong</s> right", "right"),
        ("<S>unclosed strike", ""),
        ("&lt;i&gt; is a tag", "<i> is a tag"),
        ("<ruby>漢<rt>kan</rt></ruby>字", "漢字"),
        ("a&nbsp;&nbsp;b", "a b"),
    ],
)
def test_cue_text_hygiene(raw: str, text: str) -> None:
    got = cue_pieces(raw, Rolling())
    assert " ".join(p.text for p in got) == text


def test_srt_position_after_the_times_is_ignored() -> None:
    data = (b"1\n00:00:01,000 --> 00:00:02,000 X1:40 X2:600 Y1:20 Y2:50\nMira: Up here.\n\n"
            b"2\r\n00:00:02,000 --> 00:00:03,000\r\nTomas: Down here.\r\n")
    t = read_bytes("pos.srt", data)
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Mira", "Up here.", 1.0), ("Tomas", "Down here.", 2.0),
    ]


_CUE_ALPHABET = st.sampled_from(
    ["\n", "\n\n", " ", "-->", ">>", "1", "0:", "00:00:01,000", ".5", ",", "<i>", "</s>", "<s>",
     "<v Mira>", "&amp;", "&#", "Mira:", "word", "WEBVTT", "NOTE", "<00:00:01.500>", "{\\an8}"])


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(_CUE_ALPHABET, max_size=40), fmt=st.sampled_from(["srt", "vtt"]))
def test_any_subtitle_text_reads_or_fails_cleanly(parts: list[str], fmt: str) -> None:
    text = ("WEBVTT\n\n" if fmt == "vtt" else "") + "".join(parts)
    try:
        t = read_bytes(f"any.{fmt}", text.encode())
    except ReadError as err:
        assert "\n" not in str(err)
        return
    for turn in t.turns:
        assert not turn.text.startswith(">>")  # a marker opens a turn, it is not said
        assert t.text[turn.start:turn.end] == turn.text
        assert turn.time_start is None or turn.time_start >= 0
