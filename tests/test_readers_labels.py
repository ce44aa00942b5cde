"""Speaker labels in the shapes real transcripts use: press briefings, timed exports, logs.

Every sample here is original (invented dialogue). Each test asserts the whole
structure a reader expects: speakers, turn count, times and clean text.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

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


# --- 2. labels with times ----------------------------------------------------------------


def test_otter_bold_name_and_time_on_its_own_line() -> None:
    text = (
        "Garden meeting\n\n**Ali** 0:16\nSo the tomatoes are late this year.\nThe rain did it.\n\n"
        "**Emma** 0:31\nYes, and the beans too.\n\n**Ali** 1:02\nThen we plant again in June.\n"
    )
    t = _read(text, "garden.md")
    assert t.title == "Garden meeting"
    assert _speech(t) == [
        ("Ali", "So the tomatoes are late this year.\nThe rain did it.", 16.0),
        ("Emma", "Yes, and the beans too.", 31.0),
        ("Ali", "Then we plant again in June.", 62.0),
    ]


def test_otter_plain_name_and_time() -> None:
    text = (
        "Emma  0:00\nWelcome to the show.\n\nRavi Shah  0:09\nGlad to be here.\n\n"
        "Emma  0:15\nGo.\n"
    )
    assert _speech(_read(text)) == [
        ("Emma", "Welcome to the show.", 0.0), ("Ravi Shah", "Glad to be here.", 9.0),
        ("Emma", "Go.", 15.0),
    ]


def test_bracketed_speaker_and_time_on_consecutive_lines() -> None:
    text = (
        "[Speaker 1] [00:17] Hello, can you hear me?\n[Speaker 2] [00:21] Loud and clear.\n"
        "[Speaker 1] [00:25] Good, let's start.\n"
    )
    t = _read(text)
    assert _speech(t) == [
        ("Speaker 1", "Hello, can you hear me?", 17.0), ("Speaker 2", "Loud and clear.", 21.0),
        ("Speaker 1", "Good, let's start.", 25.0),
    ]
    assert "[" not in t.text


def test_time_in_parentheses_before_the_name() -> None:
    text = "(00:12:03) Nadia: We are live.\n(00:12:09) Tom: Good evening.\n(00:12:15) Nadia: Go.\n"
    assert _speech(_read(text)) == [
        ("Nadia", "We are live.", 723.0), ("Tom", "Good evening.", 729.0), ("Nadia", "Go.", 735.0),
    ]


def test_start_time_name_end_time_lines_without_blank_lines() -> None:
    text = "0:00 Nadia 00:10\nWe are live.\n0:10 Tom 00:15\nGood evening.\n0:15 Nadia 00:20\nGo.\n"
    t = _read(text)
    # The first time is when the turn starts; neither stamp leaks into the text.
    assert _speech(t) == [
        ("Nadia", "We are live.", 0.0), ("Tom", "Good evening.", 10.0), ("Nadia", "Go.", 15.0),
    ]
    assert "00:" not in t.text


def test_time_stamps_without_names_keep_their_times() -> None:
    text = "Archive tape\n\n00:00:04 Welcome to the tape.\n00:00:09 The second part.\n"
    t = _read(text)
    assert _whole(t) == [
        ("speech", "Speaker", "Welcome to the tape.", 4.0),
        ("speech", "Speaker", "The second part.", 9.0),
    ]
    assert t.warnings == (
        "no speaker labels found: read as one speaker's monologue (attributed to 'Speaker')",
    )


def test_a_time_stamp_without_a_name_continues_with_the_last_speaker() -> None:
    text = (
        "00:00:01 Ana: First point.\n00:00:05 Second point, still Ana.\n"
        "00:00:09 Bo: Agreed.\n00:00:12 Ana: Good.\n"
    )
    assert _speech(_read(text)) == [
        ("Ana", "First point.", 1.0), ("Ana", "Second point, still Ana.", 5.0),
        ("Bo", "Agreed.", 9.0), ("Ana", "Good.", 12.0),
    ]


# --- 3. chat logs --------------------------------------------------------------------------


def test_tab_separated_chat_log() -> None:
    text = "00:21:14\tNadia:\tAre we ready?\n00:21:20\tTom:\tAlmost.\n00:21:31\tNadia\tGo ahead.\n"
    assert _speech(_read(text)) == [
        ("Nadia", "Are we ready?", 1274.0), ("Tom", "Almost.", 1280.0),
        ("Nadia", "Go ahead.", 1291.0),
    ]


# --- 4. mission logs -----------------------------------------------------------------------


def test_mission_log_call_signs_times_and_comments() -> None:
    text = (
        "[00:00:01:55]\nCC: Lift-off clear, Falcon.\n\n[00:00:02:03]\nP: Roger, clock is running.\n"
        "\n[00:00:02:10]\nLCC: Tower is clear.\n_comment: Static on the loop.\n\n"
        "[00:00:02:20]\nP: Pitch program looks good.\n\n[01:00:00:05]\nCC: Copy, Falcon.\n"
    )
    t = _read(text)
    assert _whole(t) == [
        ("speech", "CC", "Lift-off clear, Falcon.", 115.0),
        ("speech", "P", "Roger, clock is running.", 123.0),
        ("speech", "LCC", "Tower is clear.", 130.0),
        ("note", None, "Static on the loop.", None),
        ("speech", "P", "Pitch program looks good.", 140.0),
        ("speech", "CC", "Copy, Falcon.", 86405.0),  # days:hours:minutes:seconds
    ]


# --- quotations stay speech ------------------------------------------------------------


def test_a_quoted_name_colon_inside_a_turn_is_not_a_speaker() -> None:
    text = (
        'Ana:\nMy uncle came in and said:\nDigo: "you never call."\nSo I called him.\n\n'
        'Bo:\nHa, classic.\n\nAna:\nHe answered:\nDigo: "who is this?"\n\nBo:\nOf course.\n'
    )
    t = _read(text)
    assert list(t.speakers) == ["Ana", "Bo"]
    assert _speech(t) == [
        ("Ana", 'My uncle came in and said:\nDigo: "you never call."\nSo I called him.', None),
        ("Bo", "Ha, classic.", None),
        ("Ana", 'He answered:\nDigo: "who is this?"', None),
        ("Bo", "Of course.", None),
    ]


# --- 5. text hygiene -----------------------------------------------------------------------


def test_entities_escapes_and_inline_tags_are_undone() -> None:
    text = (
        "# Q&amp;A with the mayor\n\n"
        "**Ana:** Ben &amp; Jerry&#39;s opened \\#15 today. \\[laughter\\]\n\n"
        "**Bo:** We raised <s>$5</s> $6 million, says <b>President\\_Biden</b>.\n\n"
        "**Ana:** Is 3 &lt; 4? Yes: a \\<s\\> tag is text &amp;nbsp; here.\n"
    )
    t = _read(text, "mayor.md")
    assert t.title == "Q&A with the mayor"
    assert _speech(t) == [
        ("Ana", "Ben & Jerry's opened #15 today. [laughter]", None),
        ("Bo", "We raised $6 million, says President_Biden.", None),
        ("Ana", "Is 3 < 4? Yes: a <s> tag is text &nbsp; here.", None),
    ]


# --- property: any label style reads back the same dialogue ---------------------------------

_NAMES = ["Alex", "Dana Park", "Li Wei", "Q", "MS. HOLT", "Speaker 2", "Ana de Souza"]
_WORD = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1,
                max_size=8)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=10).map(
    lambda ws: unicodedata.normalize("NFC", " ".join(ws) + "."))


def _mss(s: int) -> str:
    return f"{s // 60}:{s % 60:02d}"


def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


# Each style renders (name, text, seconds) as the exporter or site would.
_STYLES = {
    "own-line": lambda n, t, s: f"{n}:\n{t}\n",
    "bold": lambda n, t, s: f"**{n}:** {t}\n",
    "inline": lambda n, t, s: f"{n}: {t}\n",
    "otter": lambda n, t, s: f"{n}  {_mss(s)}\n{t}\n",
    "otter-bold": lambda n, t, s: f"**{n}** {_mss(s)}\n{t}\n",
    "bracket": lambda n, t, s: f"[{n}] [{_hms(s)}] {t}",
    "paren": lambda n, t, s: f"({_hms(s)}) {n}: {t}",
    "tab": lambda n, t, s: f"{_hms(s)}\t{n}:\t{t}",
    "start-name-end": lambda n, t, s: f"{_mss(s)} {n} {_mss(s + 5)}\n{t}",
    "mission": lambda n, t, s: f"[00:{_hms(s)}]\n{n}: {t}\n",
}
_TIMED = {"otter", "otter-bold", "bracket", "paren", "tab", "start-name-end", "mission"}


@st.composite
def _dialogues(draw: st.DrawFn) -> list[tuple[str, str]]:
    turns = draw(st.lists(st.tuples(st.sampled_from(_NAMES), _SENTENCE), min_size=2,
                          max_size=8))
    out: list[tuple[str, str]] = []
    for name, text in turns:
        if not out or out[-1][0] != name:  # one speaker twice in a row is one turn
            out.append((name, text))
    assume(len(out) >= 2)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=_dialogues(), style=st.sampled_from(sorted(_STYLES)))
def test_any_label_style_reads_back_the_same_speakers_and_turns(turns, style) -> None:
    render = _STYLES[style]
    body = "\n".join(render(n, t, 7 * i) for i, (n, t) in enumerate(turns))
    t = _read("Title of the talk\n\n" + body)
    expected = [("Reporter" if n == "Q" else n, text) for n, text in turns]
    assert [(x.speaker, x.text) for x in t.turns] == expected
    times = [x.time_start for x in t.turns]
    assert times == ([7.0 * i for i in range(len(turns))] if style in _TIMED
                     else [None] * len(turns))


# --- 6. YAML front matter ------------------------------------------------------------------


def test_front_matter_gives_title_date_speakers_url_and_tags() -> None:
    t = read_path(DATA / "front-matter.md")
    # The front matter's title wins over the "# Prepared remarks" heading below it.
    assert t.title == 'Prepared remarks: the "new" harbour'
    assert t.date == "2026-03-04"
    assert t.speakers == {"Ana Ruiz": "Mayor", "Bo Lind": None}
    assert t.metadata == {"date": "2026-03-04", "speakers": "Ana Ruiz (Mayor), Bo Lind",
                          "url": "https://example.org/harbour", "tags": "harbour, budget"}
    # ... and the heading is kept, where the source has it, as a section heading.
    assert _whole(t) == [
        ("heading", None, "Prepared remarks", None),
        ("speech", "Ana Ruiz", "The harbour opens in June.", None),
        ("speech", "Bo Lind", "And the ferry?", None),
        ("speech", "Ana Ruiz", "In July.", None),
    ]
    assert t.text.startswith("## Prepared remarks\n\nAna Ruiz: The harbour opens in June.")
    assert t.warnings == ()


def test_front_matter_title_over_a_speech_and_its_sections() -> None:
    text = ("---\ntitle: 'Harbour day: the mayor speaks'\n---\n\n# Prepared remarks\n\n"
            "The harbour opens in June. It has been a long road.\n\n# Questions\n\n"
            "We took none today.\n")
    t = _read(text, "speech.md")
    assert t.title == "Harbour day: the mayor speaks"
    assert _whole(t) == [
        ("heading", None, "Prepared remarks", None),
        ("speech", "Speaker", "The harbour opens in June. It has been a long road.", None),
        ("heading", None, "Questions", None),
        ("speech", "Speaker", "We took none today.", None),
    ]
    # A heading that only repeats the front matter's title is that title, not a section.
    t = _read("---\ntitle: Harbour day\n---\n\n# Harbour day\n\nAna: Hi.\nBo: Hello.\n", "h.md")
    assert (t.title, _whole(t)) == (
        "Harbour day", [("speech", "Ana", "Hi.", None), ("speech", "Bo", "Hello.", None)])


def test_front_matter_that_is_not_yaml_is_skipped_with_a_warning() -> None:
    t = _read("---\ntitle: [unclosed\n---\nAna: Hi.\nBo: Hello.\n", "broken.md")
    assert t.title == "Broken"
    assert _speech(t) == [("Ana", "Hi.", None), ("Bo", "Hello.", None)]
    assert t.warnings == ("front matter is not valid YAML (line 3): skipped",)


def test_a_title_is_never_a_time_stamp() -> None:
    t = _read("---\ntitle: 0:00\n---\nAna: Hi.\nBo: Hello.\n", "call.md")
    assert t.title == "Call"
    t = _read("0:00\n\nWelcome to the tape\n\nThis is the talk.\n", "tape.txt")
    assert t.title == "Tape"
    assert _speech(t) == [("Speaker", "Welcome to the tape\nThis is the talk.", 0.0)]


def test_heading_titles_are_unquoted_and_rules_are_layout() -> None:
    t = _read('# "Prepared remarks"\n\n---\n\nAna: Hi.\n\n* * *\n\nBo: Hello.\n', "r.md")
    assert t.title == "Prepared remarks"
    assert _speech(t) == [("Ana", "Hi.", None), ("Bo", "Hello.", None)]
    t = _read("---\n\nJust a rule.\n\n---\n\nAna: Hi.\nBo: Hello.\n", "rules.md")
    assert (t.title, t.metadata) == ("Rules", {"preamble": "Just a rule."})


def test_hostile_front_matter_is_skipped_not_expanded() -> None:
    laughs = "---\na: &a [lol, lol]\nb: &b [*a, *a]\nc: [*b, *b]\n---\nAna: Hi.\nBo: Hello.\n"
    t = _read(laughs, "x.md")
    assert t.warnings == ("front matter uses YAML aliases (&/*): skipped",)
    assert t.metadata == {} and _speech(t) == [("Ana", "Hi.", None), ("Bo", "Hello.", None)]
    deep = "---\nt: " + "[" * 9000 + "]" * 9000 + "\n---\nAna: Hi.\nBo: Hello.\n"
    assert len(_read(deep, "x.md").turns) == 2


def test_plain_text_is_decoded_only_when_it_is_escaped_markup_throughout() -> None:
    escaped = "Ana: Ben &amp; Jerry&#39;s raised <s>$5</s> $6.\nBo: Wow&nbsp;&mdash; nice.\n"
    assert _speech(_read(escaped)) == [
        ("Ana", "Ben & Jerry's raised $6.", None), ("Bo", "Wow — nice.", None),
    ]
    # A bare "&" says the file is literal text: a typed "&amp;" or "<b>" is the speaker's.
    literal = "Ana: R&D says &amp; <b>means</b> and.\nBo: Noted \\#15.\n"
    assert _speech(_read(literal)) == [
        ("Ana", "R&D says &amp; <b>means</b> and.", None), ("Bo", "Noted #15.", None),
    ]


def test_a_lone_time_as_an_answer_stays_speech() -> None:
    t = _read("Alex:\nWhen do we start?\n\nDana:\n10:30\n\nAlex:\nGood.\n")
    assert _speech(t) == [
        ("Alex", "When do we start?", None), ("Dana", "10:30", None), ("Alex", "Good.", None),
    ]


def test_an_otter_label_for_a_speaker_named_q_is_not_a_question() -> None:
    # Found by the property test: "Q  0:14" on its own line is a label with a time.
    t = read_bytes("x.txt", b"Q  0:00\nFirst.\nAlex  0:07\nSecond.\nQ  0:14\nThird.\n")
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Reporter", "First.", 0.0), ("Alex", "Second.", 7.0), ("Reporter", "Third.", 14.0)]
