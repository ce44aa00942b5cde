"""JSON readers: Podcasting 2.0, Whisper, QMSum (one turn per source turn)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefs.errors import EmptySource, MalformedSource
from briefs.readers import read_bytes, read_path
from briefs.readers._qmsum import clean_qmsum_text

DATA = Path(__file__).parent / "data" / "readers"


def _turns(t):
    return [(x.kind, x.speaker, x.text, x.time_start, x.time_end) for x in t.turns]


def test_podcasting_json_merges_consecutive_segments_of_one_speaker() -> None:
    t = read_path(DATA / "episode.json")
    assert (t.format, t.title, t.metadata) == ("podcasting-json", "Episode", {"version": "1.0.0"})
    assert _turns(t) == [
        ("speech", "Alex", "Good morning and welcome.", 0.5, 3.5),
        ("speech", "Dana Park", "Thanks, Alex.", 3.6, 6.0),
    ]


def test_whisper_json_without_speakers_is_a_monologue() -> None:
    t = read_path(DATA / "whisper.json")
    assert (t.format, t.metadata) == ("whisper-json", {"language": "en"})
    assert _turns(t) == [("speech", "Speaker", "Good morning and welcome. Thanks, Alex.", 0.0, 4.0)]
    assert "monologue" in t.warnings[0]


def test_json_title_and_date_fields_are_used() -> None:
    data = {"title": "Budget Night", "date": "2026-05-02",
            "segments": [{"speaker": "Ann", "start": 0, "end": 1, "text": "Hi."}]}
    t = read_bytes("x.json", json.dumps(data).encode())
    assert (t.title, t.date, t.speakers) == ("Budget Night", "2026-05-02", {"Ann": None})


def test_qmsum_meeting_keeps_one_turn_per_source_turn() -> None:
    t = read_path(DATA / "meeting.json")
    assert t.format == "qmsum"
    assert [(x.kind, x.speaker, x.text) for x in t.turns] == [
        ("speech", "Project Manager", "Okay so we don't have much time, I'm afraid."),
        ("note", None, "(vocal sound: Marketing)"),
        ("speech", "Marketing", "Right. The remote's buttons (the big ones) are gonna stay."),
        ("note", None, "(no speech: Hon. Ana Lee)"),
    ]
    assert t.source_summary is None  # the reference answers are for evaluation only


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("I 'm sure we do n't .", "I'm sure we don't."),
        ("So {disfmarker} it 's , um , fine ?", "So it's, um, fine?"),
        ("{vocalsound} Okay .", "Okay."),
        ("We 're gon na wan na go .", "We're gonna wanna go."),
        ("about fifty % ( roughly )", "about fifty% (roughly)"),
    ],
)
def test_clean_qmsum_text(raw: str, clean: str) -> None:
    assert clean_qmsum_text(raw) == clean


@pytest.mark.slow
def test_all_qmsum_meetings_read_with_as_many_turns_as_the_source(qmsum_dir: Path) -> None:
    files = sorted(qmsum_dir.glob("*/*.json"))
    assert len(files) == 197
    mismatched = {}
    for path in files:
        source = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
        t = read_path(path)
        # Independent of the reader: a turn has words once its {markers} are gone.
        kinds = ["speech" if re.search(r"\w", re.sub(r"\{\w+\}", "", s["content"])) else "note"
                 for s in source]
        if [x.kind for x in t.turns] != kinds:
            mismatched[path.name] = (len(t.turns), len(source))
        assert "{" not in t.text and " n't" not in t.text and " 'm " not in t.text
    assert mismatched == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"segments": [1, 2,', "bad.json: not valid JSON at line 1, column 20 (Expecting value)"),
        (b'{"hello": 1}', "bad.json: JSON holds no transcript (expected a 'segments' list or "
                          "'meeting_transcripts')"),
        (b'"just a string"', "bad.json: JSON holds no transcript (expected an object with "
                             "'segments' or 'meeting_transcripts')"),
        (b'{"segments": [{"who": "x"}]}',
         "bad.json: segment 0 has neither 'body' (Podcasting 2.0) nor 'text' (Whisper)"),
        (b'{"meeting_transcripts": {"a": 1}}',
         "bad.json: 'meeting_transcripts' is not a list of turns"),
    ],
)
def test_malformed_json_says_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(MalformedSource) as err:
        read_bytes("bad.json", data)
    assert str(err.value) == message


def test_json_with_no_segments_is_empty() -> None:
    with pytest.raises(EmptySource, match="no segments"):
        read_bytes("e.json", b'{"version": "1.0.0", "segments": []}')


def test_a_million_digit_number_is_a_one_line_read_error() -> None:
    # Python's int() refuses more than 4,300 digits with a ValueError the reader
    # did not expect; the user saw an internal error instead of a reason.
    data = b'{"segments": [{"speaker": "A", "body": "hi", "startTime": ' + b"9" * 1_000_000 + b"}]}"
    with pytest.raises(MalformedSource) as err:
        read_bytes("big.json", data)
    assert str(err.value) == (
        "big.json: holds a JSON number 1,000,000 characters long (at most 100 are read)"
    )


def test_a_long_float_is_refused_the_same_way() -> None:
    data = b'[{"speaker": "A", "text": "hi", "start": 0.' + b"5" * 5000 + b"}]"
    with pytest.raises(MalformedSource, match=r"^f\.json: holds a JSON number 5,002 characters"):
        read_bytes("f.json", data)


def test_deep_nesting_is_a_one_line_read_error() -> None:
    data = b'{"segments": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(MalformedSource) as err:
        read_bytes("deep.json", data)
    assert str(err.value) == "deep.json: JSON nested too deeply to read"


def test_controls_from_json_escapes_are_removed_with_a_warning() -> None:
    data = json.dumps({"title": "Bud\u0000get\u001b[2J", "segments": [
        {"speaker": "Ann\u0007", "startTime": 0, "body": "Lead\u0000 pipes \u009b31mfirst."},
        {"speaker": "Bo", "startTime": 2, "body": "Agreed."}]}).encode()
    assert b"\\u0000" in data  # escaped: no raw NUL byte reaches the decoder
    t = read_bytes("esc.json", data)
    assert (t.title, list(t.speakers), t.text) == (
        "Budget[2J", ["Ann", "Bo"], "Ann: Lead pipes 31mfirst.\n\nBo: Agreed.")
    assert "removed control characters (NUL, terminal escape codes and the like)" in t.warnings
