"""The plain-text / Markdown reader: labels, preamble, notes, headings, summary, junk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefs.readers import read_bytes, read_path
from briefs.readers._lines import is_junk, match_label, parse_date

DATA = Path(__file__).parent / "data" / "readers"


def _turns(transcript):
    return [(t.kind, t.speaker, t.text) for t in transcript.turns]


def test_interview_fixture_reads_into_metadata_summary_and_turns() -> None:
    t = read_path(DATA / "interview.txt")
    assert t.title == "The Night Shift: How a Rural Hospital Keeps Its Lights On"
    assert t.date == "2026-04-14"
    assert t.format == "text"
    assert t.speakers == {"Mara Quinn": "Host", "Tomas Reyes": "Facilities Director"}
    assert t.metadata == {
        "podcast": "Small Town Systems",
        "host": "Mara Quinn",
        "published": "April 14, 2026",
        "preamble": "Editor's note: This episode was recorded at the hospital's generator room. "
        "It has been lightly edited for length.\n\nTranscript:",
    }
    assert t.source_summary == (
        "The hospital runs two diesel generators and tests them every week.\n"
        "Fuel delivery in winter storms is the single biggest risk."
    )
    assert _turns(t) == [
        ("speech", "Mara Quinn",
         "Welcome back. Today I'm with Tomas Reyes, who runs facilities at Pine Ridge General."),
        ("speech", "Tomas Reyes", "Thanks for having me."),
        ("heading", None, "Power first: the generators"),
        ("speech", "Mara Quinn", "How often do you test the generators?"),
        ("note", None, "The hospital has 42 beds and an emergency department."),
        ("speech", "Tomas Reyes",
         "Every Tuesday at six in the morning. We run them under load for half an hour.\n"
         "If a test fails, we call the vendor the same day."),
        ("heading", None, "Winter fuel and the road problem"),
        ("speech", "Mara Quinn", "What keeps you up at night?"),
        ("speech", "Tomas Reyes",
         "Fuel. If the county road closes for three days, we are down to our last tank."),
    ]
    assert t.warnings == ()
    for turn in t.turns:
        assert t.text[turn.start:turn.end] == turn.text


def test_brockman_interview_has_two_speakers_with_roles(interview_path: Path) -> None:
    t = read_path(interview_path)
    assert t.speakers == {"Alex": "Host", "Greg Brockman": "OpenAI co-founder & President"}
    assert t.title.startswith("OpenAI Co-founder Exclusive Interview")
    assert t.metadata["video_title"].startswith("OpenAI President Greg Brockman")
    assert t.metadata["video_author"] == "Alex Kantrowitz"
    assert t.metadata["translation"] == "Peggy, BlockBeats"
    assert t.metadata["preamble"].startswith("Editor’s note:")


def test_brockman_interview_keeps_notes_headings_and_junk_out_of_speech(
    interview_path: Path,
) -> None:
    t = read_path(interview_path)
    speech = t.speech_turns
    assert all(not s.text.startswith(("Note:", "Editor")) for s in speech)
    assert not any("Note: " in s.text for s in speech)
    headings = [x.text for x in t.turns if x.kind == "heading"]
    assert headings == [
        "Why shut down Sora? Not enough compute",
        "Betting on GPT, not world models: choosing the path to AGI",
        "Early stage of AI “takeoff”",
        "Key inflection: from 20% to 80% of work being taken over",
    ]
    assert not any(h in s.text for s in speech for h in headings)
    junk = ("View Original", "ALEX-7,12%", "Add a comment", "Disclaimer", "Reward")
    assert not any(j in t.text for j in junk)
    assert speech[-1].speaker == "Greg Brockman"
    assert speech[0].text.startswith("Today we’ve got Greg Brockman")
    notes = [x for x in t.turns if x.kind == "note"]
    assert [n.text.split()[0] for n in notes] == ["AGI", "In", "“World", "Demis"]
    assert all(n.speaker is None for n in notes)


def test_brockman_headings_sit_where_the_reference_puts_them(interview_path: Path) -> None:
    reference = json.loads(
        (interview_path.parents[1] / "eval" / "seed" / "headings.json").read_text("utf-8")
    )
    t = read_path(interview_path)
    speech_before = []
    count = 0
    for turn in t.turns:
        if turn.kind == "heading":
            speech_before.append((turn.text, count))
        count += turn.kind == "speech"
    assert speech_before == [(h["heading"], h["before_turn"]) for h in reference]
    for h in reference:
        after = t.speech_turns[h["before_turn"]]
        assert after.speaker == h["first_turn_after"]["speaker"]
        assert after.text.startswith(h["first_turn_after"]["text"])
    assert len(t.speech_turns) == 76


def test_a_note_inside_a_turn_is_placed_after_the_turn() -> None:
    text = (
        "Alex:\nFirst part of the question.\n\nNote: A footnote.\n\nSecond part?\n\n"
        "Dana:\nAn answer.\n"
    )
    t = read_bytes("n.txt", text.encode())
    assert _turns(t) == [
        ("speech", "Alex", "First part of the question.\nSecond part?"),
        ("note", None, "A footnote."),
        ("speech", "Dana", "An answer."),
    ]


def test_brockman_tldr_is_stored_apart_from_the_dialogue(interview_path: Path) -> None:
    t = read_path(interview_path)
    assert t.source_summary is not None
    bullets = t.source_summary.split("\n")
    assert len(bullets) == 8
    assert bullets[0].startswith("AGI has entered the “clear path” stage")
    assert bullets[-1].startswith("Individual core capability is shifting")
    assert not any(b[:40] in t.text for b in bullets)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Alex:", ("Alex", "", True)),
        ("Greg Brockman (OpenAI co-founder & President):",
         ("Greg Brockman (OpenAI co-founder & President)", "", True)),
        ("**Ana Ruiz:** Welcome.", ("Ana Ruiz", "Welcome.", True)),
        ("**Ana Ruiz**: Welcome.", ("Ana Ruiz", "Welcome.", True)),
        ("Alex: Hello there.", ("Alex", "Hello there.", False)),
        ("[00:12:03] Dana Park: Yes.", ("Dana Park", "Yes.", False)),
        ("Speaker 2:", ("Speaker 2", "", True)),
        ("Dr. Ana de Souza:", ("Dr. Ana de Souza", "", True)),
        ("Alex Smith  0:03", ("Alex Smith", "", False)),
        ("Q: Why now?", ("Q", "Why now?", False)),
        ("First, the convergence of the path.", None),
        ("Conversation summary:", None),
        ("Key inflection: AI begins taking over workflows rather than just assisting.", None),
        ("Strategic convergence: from multi-line exploration to two core applications:", None),
        ("So I’m more inclined to interpret this change as: a strategic pivot.", None),
        ("Note: The hospital has 42 beds.", None),
        ("TL;DR: short.", None),
        ("Video title: Something", None),
        ("https://example.com/episode", None),
    ],
)
def test_match_label_accepts_names_and_rejects_sentences(line, expected) -> None:
    label = match_label(line)
    got = None if label is None else (label.label, label.text, label.strong)
    assert got == expected


@pytest.mark.parametrize(
    ("line", "label", "text", "time"),
    [
        ("[00:12:03] Dana: Yes.", "Dana", "Yes.", 723.0),
        ("Dana Park (01:02):", "Dana Park", "", 62.0),
        ("Alex Smith  1:02:03", "Alex Smith", "", 3723.0),
        ("Alex Smith (1:02:03)", "Alex Smith", "", 3723.0),
        ("Alex Smith: (00:01)", "Alex Smith", "", 1.0),
        ("Alex Smith (Host) [00:00:05]:", "Alex Smith (Host)", "", 5.0),
        ("Alex Smith: [00:00:05] Hello there.", "Alex Smith", "Hello there.", 5.0),
        ("Alex: 10:30 works for me.", "Alex", "10:30 works for me.", None),
    ],
)
def test_match_label_reads_times_around_the_name(
    line: str, label: str, text: str, time: float | None
) -> None:
    got = match_label(line)
    assert got is not None and (got.label, got.text, got.time) == (label, text, time)


def test_rev_style_transcript_with_times_on_the_label_line() -> None:
    text = (
        "Budget call\n\nAlex Smith: (00:01)\nWelcome, everyone.\n\n"
        "Dana Park: (00:09)\nThanks.\n\nAlex Smith: (00:12)\nLet's start.\n"
    )
    t = read_bytes("rev.txt", text.encode())
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Alex Smith", "Welcome, everyone.", 1.0), ("Dana Park", "Thanks.", 9.0),
        ("Alex Smith", "Let's start.", 12.0),
    ]


def test_one_line_labels_need_to_recur_or_name_a_known_speaker() -> None:
    text = (
        "Quarterly notes\n\nOpenAI Research: a lab that publishes.\n\n"
        "The board met twice. Nothing else happened.\n"
    )
    t = read_bytes("notes.txt", text.encode())
    assert list(t.speakers) == ["Speaker"]
    assert "OpenAI Research: a lab that publishes." in t.speech_turns[0].text


def test_inline_name_colon_in_prose_is_not_a_speaker_where_labels_have_own_lines() -> None:
    text = (
        "Alex:\nWhat did the board say?\n\nDana:\nTwo things.\n\n"
        "Finance: the budget holds.\n\nFinance: hiring waits a year.\n\n"
        "Alex:\nThanks.\n\nDana: And one more thing.\n"
    )
    t = read_bytes("board.txt", text.encode())
    assert _turns(t) == [
        ("speech", "Alex", "What did the board say?"),
        ("speech", "Dana",
         "Two things.\nFinance: the budget holds.\nFinance: hiring waits a year."),
        ("speech", "Alex", "Thanks."),
        ("speech", "Dana", "And one more thing."),
    ]


def test_a_summary_section_after_the_dialogue_is_kept_apart() -> None:
    text = (
        "# Ferry Talk\n\n**Ana:** The new ferry starts in May.\n\n**Bo:** Good news.\n\n"
        "## Key takeaways\n\n- The ferry starts in May.\n- People are pleased.\n"
    )
    t = read_bytes("ferry.md", text.encode())
    assert _turns(t) == [
        ("speech", "Ana", "The new ferry starts in May."), ("speech", "Bo", "Good news."),
    ]
    assert t.source_summary == "The ferry starts in May.\nPeople are pleased."


def test_in_short_inside_a_turn_stays_speech() -> None:
    t = read_bytes("s.txt", b"Ana:\nIn short:\nwe won.\n\nBo:\nGreat.\n")
    assert _turns(t) == [("speech", "Ana", "In short:\nwe won."), ("speech", "Bo", "Great.")]
    assert t.source_summary is None


def test_recurring_one_line_labels_open_turns_with_times() -> None:
    text = "[00:00:01] Alex: Hello.\n[00:00:05] Dana: Hi, Alex.\n[00:00:09] Alex: Let's go.\n"
    t = read_bytes("call.txt", text.encode())
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Alex", "Hello.", 1.0), ("Dana", "Hi, Alex.", 5.0), ("Alex", "Let's go.", 9.0),
    ]


def test_two_people_speaking_once_each_still_count_as_a_chat() -> None:
    t = read_bytes("chat.txt", b"Alex: Hi Dana.\nDana: Hello Alex.\n")
    assert _turns(t) == [("speech", "Alex", "Hi Dana."), ("speech", "Dana", "Hello Alex.")]


def test_markdown_bold_labels_title_and_headings() -> None:
    text = (
        "# Kitchen Talk\n\nRecorded: 2026-02-10\n\n**Ana Ruiz (Chef):** Welcome.\n\n"
        "**Tom:** Sure thing.\n\n## Dessert\n\n**Ana:** Now the cake.\n"
    )
    t = read_bytes("kitchen.md", text.encode())
    assert (t.title, t.date, t.format) == ("Kitchen Talk", "2026-02-10", "markdown")
    assert t.speakers == {"Ana Ruiz": "Chef", "Tom": None}
    assert _turns(t) == [
        ("speech", "Ana Ruiz", "Welcome."), ("speech", "Tom", "Sure thing."),
        ("heading", None, "Dessert"), ("speech", "Ana Ruiz", "Now the cake."),
    ]


def test_short_answer_right_after_a_label_is_speech_not_a_heading() -> None:
    text = "Alex:\nDo you agree?\n\nDana:\nAbsolutely no doubt here\n\nAlex:\nGood.\n"
    t = read_bytes("short.txt", text.encode())
    assert [x.kind for x in t.turns] == ["speech", "speech", "speech"]


def test_text_without_labels_is_a_monologue_with_a_warning() -> None:
    text = "My Talk on Bridges\n\nDate: 3 March 2026\n\nBridges rust. We paint them.\n\nThe end.\n"
    t = read_bytes("talk.txt", text.encode())
    assert (t.title, t.date) == ("My Talk on Bridges", "2026-03-03")
    assert _turns(t) == [("speech", "Speaker", "Bridges rust. We paint them.\nThe end.")]
    assert t.warnings == (
        "no speaker labels found: read as one speaker's monologue (attributed to 'Speaker')",
    )


def test_untitled_file_takes_its_title_from_the_file_name() -> None:
    t = read_bytes("/tmp/board-meeting_notes.txt", b"Alex:\nHello.\n\nDana:\nHi.\n")
    assert t.title == "Board meeting notes"


@pytest.mark.parametrize(
    "line",
    ["View Original", "  • Reward", "• Share", "ALEX-7,12%", "BTC +3.5%", "Add a comment",
     "No comments", "  • Pin", "12 comments",
     "This page may contain third-party content. See Disclaimer for details."],
)
def test_web_junk_lines_are_recognised(line: str) -> None:
    assert is_junk(line)


def test_a_last_turn_that_is_one_junk_word_is_still_speech() -> None:
    # Found by the label property test: "Save." under the last label is Dana's answer,
    # not a share button; the buttons after it are furniture.
    t = read_bytes("x.txt", b"Alex  0:00\nReady?\n\nDana Park  0:07\nSave.\n\nShare\n\nLike\n")
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Alex", "Ready?", 0.0), ("Dana Park", "Save.", 7.0)]


@pytest.mark.parametrize("line", ["We share the load.", "Pin it down, Alex.", "Reward systems"])
def test_speech_is_not_junk(line: str) -> None:
    assert not is_junk(line)


@pytest.mark.parametrize(
    ("text", "iso"),
    [("April 14, 2026", "2026-04-14"), ("14 April 2026", "2026-04-14"),
     ("2026-04-14T10:00", "2026-04-14"), ("Sept. 3rd, 2025", "2025-09-03"),
     ("2026-02-30", None), ("next Tuesday", None)],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso
