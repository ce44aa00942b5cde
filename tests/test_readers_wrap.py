"""Hard-wrapped text (lines broken at a fixed width) is read as the paragraphs it holds.

Every sample here is original (invented dialogue). Each test asserts the whole
structure: speakers, turn count, times and clean text.
"""

from __future__ import annotations

import textwrap
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefs.passages import make_passages
from briefs.readers import read_bytes, read_path

DATA = Path(__file__).parent / "data" / "readers"


def _read(text: str, name: str = "t.txt"):
    return read_bytes(name, text.encode())


def _whole(transcript):
    return [(t.kind, t.speaker, t.text, t.time_start) for t in transcript.turns]


def test_a_file_wrapped_at_62_columns_reads_as_whole_sentences() -> None:
    t = read_path(DATA / "wrapped.txt")
    assert (t.title, t.speakers, t.warnings) == (
        "Depot review, transport committee", {"ANNA": None, "BEN": None}, ())
    assert _whole(t) == [
        ("speech", "ANNA", "We looked at the budget for the new depot and it is simply too"
         " small. The buses are longer now, and the old plan assumed twelve metre vehicles.",
         None),
        ("speech", "BEN", "Agreed. The second site could be the old yard by the river, which"
         " the council already owns, so the land costs nothing.", None),
        # A list stays a list: each item on its line, the lead-in before it.
        ("speech", "ANNA", "Three things stand in the way:\n- the flood survey, which is not"
         " finished,\n- the access road,\n- and the neighbours.", None),
        ("heading", None, "Costs", None),
        # Two paragraphs of one turn (a blank line between them) stay two.
        ("speech", "BEN", "The survey will be done in May. If the river yard floods once in"
         " ten years, we raise the floor by a metre and move on.\nThat is cheaper than buying"
         " land next to the ring road.", None),
        ("speech", "ANNA", "Then we vote in June.", None),
    ]
    # Before: each line was a sentence to the passage cutter, and a quote began
    # "simply too small."; now every passage starts where a sentence starts.
    starts = [p.text.split(None, 1)[0] for p in make_passages(t)]
    assert starts == ["We", "Agreed.", "Three", "The", "Then"]


def test_the_briefs_demo_joins_lines_broken_inside_a_sentence() -> None:
    t = _read("ANNA: We looked at the budget for the\nnew depot and it is simply too\nsmall."
              " We need a second site.\n\nBEN: Agreed.\n")
    assert _whole(t) == [
        ("speech", "ANNA", "We looked at the budget for the new depot and it is simply too"
         " small. We need a second site.", None),
        ("speech", "BEN", "Agreed.", None),
    ]


def test_cue_like_lines_stay_turns_and_their_wrapped_lines_join_them() -> None:
    t = _read("Tape four\n\n00:00:04 Welcome to the tape. This line is long enough to\n"
              "wrap at the width of the file, like the next one\ndoes here.\n"
              "00:00:12 Second stamp, and a short line.\n"
              "00:00:20 Third stamp: the line is also long enough that it\nwraps.\n")
    assert _whole(t) == [
        ("speech", "Speaker", "Welcome to the tape. This line is long enough to wrap at the"
         " width of the file, like the next one does here.", 4.0),
        ("speech", "Speaker", "Second stamp, and a short line.", 12.0),
        ("speech", "Speaker", "Third stamp: the line is also long enough that it wraps.", 20.0),
    ]
    assert t.title == "Tape four"


def test_one_timed_utterance_per_line_is_never_joined() -> None:
    text = ("[00:00:01] Ana: Short.\n[00:00:03] Bo: also short\n"
            "[00:00:05] Ana: and a third line that is a lot longer than the others\n"
            "[00:00:09] Bo: yes\n")
    assert _whole(_read(text)) == [
        ("speech", "Ana", "Short.", 1.0), ("speech", "Bo", "also short", 3.0),
        ("speech", "Ana", "and a third line that is a lot longer than the others", 5.0),
        ("speech", "Bo", "yes", 9.0),
    ]


def test_markdown_bold_labels_and_numbered_lists_in_wrapped_text() -> None:
    t = _read("# Harbour talk\n\n**Ana:** The harbour opens in June, if the dredging\n"
              "is finished on time, and the ferry in July.\n\n**Bo:** And the\ncost?\n\n"
              "**Ana:** Four million. Of which\n1. two for the dredging,\n2. two for the quay.\n",
              "h.md")
    assert t.title == "Harbour talk"
    assert _whole(t) == [
        ("speech", "Ana", "The harbour opens in June, if the dredging is finished on time,"
         " and the ferry in July.", None),
        ("speech", "Bo", "And the cost?", None),
        ("speech", "Ana", "Four million. Of which\n1. two for the dredging,\n"
         "2. two for the quay.", None),
    ]


def test_lines_a_writer_broke_stay_broken_in_an_unwrapped_file() -> None:
    # Long lines elsewhere: the file has no right edge, so short lines are the writer's.
    t = _read("Ana:\nThe agenda today is short.\nBudget\nDepot\nStaffing\n\nBo:\nGood. Let us"
              " start with the budget, since it decides the other two items on the list,"
              " and we have very little time this morning.\nFirst the numbers.\n")
    assert _whole(t) == [
        ("speech", "Ana", "The agenda today is short.\nBudget\nDepot\nStaffing", None),
        ("speech", "Bo", "Good. Let us start with the budget, since it decides the other two"
         " items on the list, and we have very little time this morning.\n"
         "First the numbers.", None),
    ]


def test_a_name_colon_line_inside_a_wrapped_paragraph_keeps_its_line() -> None:
    # "Digo:" quoted inside Ana's turn is not a label, and not glued to the line above.
    t = _read("Ana:\nMy brother sent me a message last night, after the match, and\n"
              "it said, and I quote it here in full because it is so short\n"
              "and so like him:\nDigo: you never call.\n\nBo:\nHa. Brothers are like that.\n")
    assert _whole(t) == [
        ("speech", "Ana", "My brother sent me a message last night, after the match, and it"
         " said, and I quote it here in full because it is so short and so like him:\n"
         "Digo: you never call.", None),
        ("speech", "Bo", "Ha. Brothers are like that.", None),
    ]
    assert t.speakers == {"Ana": None, "Bo": None}


def test_a_wrapped_editors_note_and_preamble_read_as_paragraphs() -> None:
    t = _read("The night ferry\n\nEditor's note: this conversation was recorded on the\n"
              "last crossing of the season, in a storm.\n\nAna: Welcome aboard, everyone,"
              " and hold on\nto something.\nBo: Thanks. Is it always\nthis rough?\n")
    assert t.title == "The night ferry"
    assert t.metadata == {"preamble": "Editor's note: this conversation was recorded on the"
                          " last crossing of the season, in a storm."}
    assert _whole(t) == [
        ("speech", "Ana", "Welcome aboard, everyone, and hold on to something.", None),
        ("speech", "Bo", "Thanks. Is it always this rough?", None),
    ]


def test_html_paragraphs_broken_in_the_source_read_as_one_line() -> None:
    page = ("<html><head><title>Ferry talk</title></head><body>"
            "<p><b>Ana:</b> The ferry leaves at six,\nweather\npermitting.</p>"
            "<p><b>Bo:</b> And returns?<br>At nine.</p></body></html>")
    t = _read(page, "ferry.html")
    assert t.title == "Ferry talk"
    assert _whole(t) == [
        ("speech", "Ana", "The ferry leaves at six, weather permitting.", None),
        ("speech", "Bo", "And returns?\nAt nine.", None),
    ]


@pytest.mark.parametrize("width", [50, 60, 72, 80])
def test_the_interview_hard_wrapped_reads_as_the_interview(interview_path: Path, width) -> None:
    # The real interview (long paragraphs, notes, a TL;DR, headings, a wrapped video
    # title, hyphenated words, a disclaimer after the text) wrapped as a mail client would.
    raw = interview_path.read_text(encoding="utf-8")
    wrapped = "\n".join(textwrap.fill(line, width) if line else "" for line in raw.split("\n"))
    before, after = read_bytes("i.txt", raw.encode()), read_bytes("i.txt", wrapped.encode())
    assert wrapped.count("\n") > raw.count("\n") * 1.5
    assert _whole(after) == _whole(before)
    assert (after.title, after.metadata, after.source_summary, after.speakers, after.warnings) \
        == (before.title, before.metadata, before.source_summary, before.speakers,
            before.warnings)


def test_web_furniture_after_a_wrapped_text_is_still_dropped() -> None:
    t = _read("Ana: The harbour opens in June, and the ferry in July, if the\n"
              "dredging is finished on time, which nobody can promise.\nBo: Good.\n\n"
              "Share\n\nThis page may contain third-party content, which is provided\n"
              "for information purposes only and is not an endorsement.\n")
    assert _whole(t) == [
        ("speech", "Ana", "The harbour opens in June, and the ferry in July, if the dredging"
         " is finished on time, which nobody can promise.", None),
        ("speech", "Bo", "Good.", None),
    ]


def test_a_word_broken_at_its_hyphen_is_joined_without_a_space() -> None:
    t = _read("Ana: The plan is more fine-grained now, and the last-\nmile problem is the"
              " one we solve first, before the\nsecond-hand buses arrive in the spring.\n"
              "Bo: Good.\n")
    assert _whole(t)[0] == ("speech", "Ana", "The plan is more fine-grained now, and the"
                            " last-mile problem is the one we solve first, before the"
                            " second-hand buses arrive in the spring.", None)


# --- property: wrapped at any width, any label style, the same dialogue comes back ---------

_NAMES = ["Alex", "Dana Park", "MS. HOLT", "Speaker 2", "Ana de Souza"]
# Letters only: digits could spell a date or a list number at a line start, which a
# writer's own line would be.
_WORD = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu")), min_size=1,
                max_size=8)
_TEXT = st.lists(_WORD, min_size=12, max_size=40).map(
    lambda ws: unicodedata.normalize("NFC", " ".join(ws) + "."))


def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


def _fill(text: str, width: int) -> str:
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


_STYLES = {
    "own-line": lambda n, t, s, w: f"{n}:\n{_fill(t, w)}\n",
    "bold": lambda n, t, s, w: _fill(f"**{n}:** {t}", w) + "\n",
    "inline": lambda n, t, s, w: _fill(f"{n}: {t}", w) + "\n",
    "otter": lambda n, t, s, w: f"{n}  {s // 60}:{s % 60:02d}\n{_fill(t, w)}\n",
    "bracket": lambda n, t, s, w: _fill(f"[{n}] [{_hms(s)}] {t}", w),
}


@st.composite
def _dialogues(draw: st.DrawFn) -> list[tuple[str, str]]:
    turns = draw(st.lists(st.tuples(st.sampled_from(_NAMES), _TEXT), min_size=2, max_size=6))
    out: list[tuple[str, str]] = []
    for name, text in turns:
        if not out or out[-1][0] != name:  # one speaker twice in a row is one turn
            out.append((name, text))
    assume(len(out) >= 2)
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=_dialogues(), style=st.sampled_from(sorted(_STYLES)),
       width=st.integers(min_value=40, max_value=80))
def test_wrapped_dialogue_reads_back_the_same_speakers_turns_and_text(turns, style, width):
    body = "\n".join(_STYLES[style](n, t, 7 * i, width) for i, (n, t) in enumerate(turns))
    t = _read("Title of the talk\n\n" + body)
    assert [(x.speaker, x.text) for x in t.turns] == turns
    timed = style in ("otter", "bracket")
    assert [x.time_start for x in t.turns] == [7.0 * i if timed else None
                                               for i in range(len(turns))]
