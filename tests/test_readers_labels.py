"""Speaker labels in the shapes real transcripts use: press briefings, timed exports, logs.

Every sample here is original (invented dialogue). Each test asserts the whole
structure a reader expects: speakers, turn count, times and clean text.
"""

from __future__ import annotations

from pathlib import Path

from briefs.readers import read_bytes, read_path

DATA = Path(__file__).parent / "data" / "readers"


def _read(text: str, name: str = "t.txt"):
    return read_bytes(name, text.encode())


def _whole(transcript):
    return [(t.kind, t.speaker, t.text, t.time_start) for t in transcript.turns]


def _speech(transcript):
    return [(t.speaker, t.text, t.time_start) for t in transcript.turns]


# --- 1. press briefings ----------------------------------------------------------------


def test_press_briefing_splits_reporters_questions_from_the_answers() -> None:
    t = read_path(DATA / "briefing.txt")
    assert t.title == "Press Briefing by Press Secretary Nia Abara-Lee"
    # Before: one turn by the press secretary, the reporters' questions quoted as hers.
    assert _whole(t) == [
        ("speech", "MS. ABARA-LEE",
         "Good afternoon, everybody. I have two announcements today.\n"
         "The bridge program opens on Monday, in nine states.", None),
        ("speech", "Reporter", "How many bridges are in the first round?", None),
        ("speech", "MS. ABARA-LEE", "Twelve. And more in the fall.", None),
        ("speech", "Reporter", "And the funding — is it new money?", None),
        ("speech", "MS. ABARA-LEE", "It comes from last year's bill.", None),
        ("speech", "Reporter", "One more on the ferry?", None),
        ("speech", "THE PRESIDENT", "Let me take that one. The ferry runs in May.", None),
        ("speech", "MR. OKAFOR", "And the Coast Guard has signed off.", None),
        ("speech", "MS. ABARA-LEE", "Thanks, everybody.", None),
    ]
    # The source's own label stays visible as the questioner's role.
    assert t.speakers == {"MS. ABARA-LEE": None, "Reporter": "Q", "THE PRESIDENT": None,
                          "MR. OKAFOR": None}
    assert t.warnings == ()


def test_upper_case_labels_that_recur_vouch_for_one_that_speaks_once() -> None:
    text = (
        "MS. HOLT:  We start with the weather.\n\nIt will rain.\n\nIt will rain more.\n\n"
        "MS. HOLT:  Questions?\n\nADMIRAL RUIZ:  The fleet is in port.\n\nIt stays there.\n\n"
        "For a week.\n\nOr two.\n\nMaybe three.\n\n"
        "MS. HOLT:  Thank you.\n"
    )
    assert _speech(_read(text)) == [
        # The same label twice in a row continues the turn (as everywhere in the reader).
        ("MS. HOLT", "We start with the weather.\nIt will rain.\nIt will rain more.\nQuestions?",
         None),
        ("ADMIRAL RUIZ", "The fleet is in port.\nIt stays there.\nFor a week.\nOr two.\n"
         "Maybe three.", None),
        ("MS. HOLT", "Thank you.", None),
    ]


def test_question_and_answer_lines_are_questioner_and_answerer() -> None:
    text = "Q.  Where were you that night?\n\nA.  At home.\n\nQ.  Alone?\n\nA.  With my dog.\n"
    t = _read(text)
    assert _speech(t) == [
        ("Reporter", "Where were you that night?", None), ("A", "At home.", None),
        ("Reporter", "Alone?", None), ("A", "With my dog.", None),
    ]


def test_a_lone_q_word_in_prose_is_not_a_label() -> None:
    t = _read("Ana:\nQ  fever is rare here.\n\nBo:\nGood to know.\n")
    assert _speech(t) == [("Ana", "Q fever is rare here.", None), ("Bo", "Good to know.", None)]
