"""The readers' public face: format choice, bad input, encodings, and round trips."""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import briefs.readers as readers
from briefs.errors import (
    EmptySource,
    ReadError,
    SourceTooLarge,
    UnsupportedFormat,
)
from briefs.readers import DEFAULT_MAX_BYTES, detect_format, read_bytes, read_path
from briefs.transcript import has_controls, remove_controls

DIALOGUE = "Alex:\nCafé prices rose — “again”.\n\nDana Park:\nYes, déjà vu.\n"
EXPECTED = [("Alex", "Café prices rose — “again”."), ("Dana Park", "Yes, déjà vu.")]


def _speech(t):
    return [(x.speaker, x.text) for x in t.speech_turns]


def test_public_names() -> None:
    assert readers.__all__ == [
        "DEFAULT_MAX_BYTES", "EXTENSIONS", "detect_format", "read_bytes", "read_path",
    ]
    assert DEFAULT_MAX_BYTES == 25 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("a.txt", "Alex: hi", "text"),
        ("a.md", "**Alex:** hi", "markdown"),
        ("a.txt", '{"segments": []}', "json"),
        ("a.txt", '[{"body": "hi"}]', "json"),
        ("a.txt", "[00:00:01] Alex: hi", "text"),
        ("a.txt", "1\n00:00:01,000 --> 00:00:02,000\nhi\n", "srt"),
        ("a.txt", "WEBVTT\n\n00:00.000 --> 00:01.000\nhi", "vtt"),
        ("a.md", "<!DOCTYPE html><html><p>hi</p></html>", "html"),
        ("a", "Alex: hi", "text"),
        ("a.srt", "WEBVTT\n", "vtt"),
        ("a.json", "not json", "json"),
        ("a.htm", "<p>x</p>", "html"),
    ],
)
def test_format_is_chosen_by_extension_and_content(name: str, content: str, fmt: str) -> None:
    assert detect_format(name, content) == fmt


def test_a_txt_file_holding_subtitles_or_json_is_read_as_such() -> None:
    srt = b"1\n00:00:01,000 --> 00:00:02,000\nAlex: Hi.\n"
    assert read_bytes("x.txt", srt).format == "srt"
    js = json.dumps({"segments": [{"speaker": "A", "body": "Hi."}]}).encode()
    assert read_bytes("x.txt", js).format == "podcasting-json"


def test_html_transcript_page_is_flattened_and_read() -> None:
    page = (
        "<html><head><title>Episode 5: Bridges</title><script>var x = 1;</script></head>"
        "<body><nav>Home | About</nav><h1>Episode 5: Bridges</h1>"
        "<p><b>Alex:</b> Welcome &amp; hello.</p><h2>The rust problem</h2>"
        "<p><b>Dana:</b> Rust never sleeps.</p><p><b>Alex:</b> Indeed.</p></body></html>"
    )
    t = read_bytes("ep5.html", page.encode())
    assert (t.title, t.format) == ("Episode 5: Bridges", "html")
    assert [(x.kind, x.speaker, x.text) for x in t.turns] == [
        ("speech", "Alex", "Welcome & hello."),
        ("heading", None, "The rust problem"),
        ("speech", "Dana", "Rust never sleeps."),
        ("speech", "Alex", "Indeed."),
    ]


def test_podcasting_html_transcript_with_cite_and_time() -> None:
    # The Podcasting 2.0 HTML transcript layout: <cite>Speaker:</cite> <time> <p>text</p>.
    page = (
        "<cite>Kevin:</cite>\n<time>0:00</time>\n<p>Welcome to the show.</p>\n"
        "<cite>Dana:</cite>\n<time>0:07</time>\n<p>Thanks, Kevin.</p>\n"
        "<cite>Kevin:</cite>\n<time>1:02:10</time>\n<p>Let us begin.</p>\n"
    )
    t = read_bytes("episode-12.html", page.encode())
    assert t.title == "Episode 12"
    assert [(x.speaker, x.text, x.time_start) for x in t.turns] == [
        ("Kevin", "Welcome to the show.", 0.0), ("Dana", "Thanks, Kevin.", 7.0),
        ("Kevin", "Let us begin.", 3730.0),
    ]


@pytest.mark.parametrize(
    ("encoding", "data_prefix"),
    [("utf-8", b""), ("utf-8-sig", b""), ("utf-16", b""), ("utf-16-le", b""),
     ("utf-16-be", b""), ("cp1252", b"")],
)
def test_encodings_are_decoded(encoding: str, data_prefix: bytes) -> None:
    t = read_bytes("enc.txt", data_prefix + DIALOGUE.encode(encoding))
    assert _speech(t) == EXPECTED


def test_utf8_with_a_stray_windows_1252_byte_is_read_as_both() -> None:
    # Text pasted from a word processor into a UTF-8 file: one 0x92 right quote.
    data = DIALOGUE.encode("utf-8") + b"\nAlex:\nIt\x92s done.\n"
    t = read_bytes("mixed.txt", data)
    assert _speech(t) == [*EXPECTED, ("Alex", "It’s done.")]


def test_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "e.txt").write_bytes(b" \n\t\n")
    with pytest.raises(EmptySource) as err:
        read_path(tmp_path / "e.txt")
    assert str(err.value) == f"{tmp_path / 'e.txt'}: the file is empty"


def test_binary_file_is_refused() -> None:
    with pytest.raises(UnsupportedFormat, match=r"^x\.txt: looks like a binary file"):
        read_bytes("x.txt", bytes(range(256)) * 8)


def test_unsupported_extension_is_refused_without_reading(tmp_path: Path) -> None:
    (tmp_path / "talk.mp3").write_bytes(b"ID3" + bytes(100))
    with pytest.raises(UnsupportedFormat) as err:
        read_path(tmp_path / "talk.mp3")
    assert str(err.value).startswith(f"{tmp_path / 'talk.mp3'}: unsupported file type '.mp3'")


def test_missing_path_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as err:
        read_path(tmp_path / "nope.txt")
    assert str(err.value) == f"{tmp_path / 'nope.txt'}: no such file"
    with pytest.raises(ReadError, match="is a folder"):
        read_path(tmp_path)


def test_oversized_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)

    def never(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(SourceTooLarge) as err:
        read_path(big)
    assert str(err.value) == f"{big}: too large (50.0 MB; the limit is 25.0 MB)"


def test_size_limit_is_configurable() -> None:
    with pytest.raises(SourceTooLarge, match=r"too large \(1.0 KB; the limit is 100 bytes\)"):
        read_bytes("x.txt", b"a" * 1024, max_bytes=100)


def test_every_read_error_is_one_line() -> None:
    bad = [("x.json", b"{"), ("x.srt", b"1\nnope\n"), ("x.vtt", b"nope"), ("x.txt", b""),
           ("x.exe", b"MZ"), ("x.txt", b"\x00\x01\x02" * 50), ("x.json", b"[]")]
    for name, data in bad:
        with pytest.raises(ReadError) as err:
            read_bytes(name, data)
        assert "\n" not in str(err.value) and str(err.value).startswith(name)


# --- property-based round trips ------------------------------------------------------

_NAMES = st.sampled_from(["Alex", "Dana Park", "Mara Quinn", "Tomas Reyes", "Li Wei", "Q"])
_WORD = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1,
                max_size=8)
# Readers store text NFC-normalised (one spelling per character), so generate it that way.
_SENTENCE = st.lists(_WORD, min_size=1, max_size=12).map(
    lambda ws: unicodedata.normalize("NFC", " ".join(ws) + "."))


@st.composite
def _conversations(draw: st.DrawFn) -> list[tuple[str, str]]:
    turns = draw(st.lists(st.tuples(_NAMES, _SENTENCE), min_size=2, max_size=8))
    # Adjacent turns by one speaker merge in every format; keep speakers alternating.
    out: list[tuple[str, str]] = []
    for name, text in turns:
        if out and out[-1][0] == name:
            continue
        out.append((name, text))
    # A lone "Name: text" line is deliberately not a label (it must recur): two turns at least.
    assume(len(out) >= 2)
    return out


def _as_read(turns, fmt):
    # The text reader shows a bare "Q" (a press transcript's unnamed questioner) as "Reporter".
    if fmt in ("txt", "md", "inline.txt"):
        return [("Reporter" if n == "Q" else n, t) for n, t in turns]
    return turns


def _as_text(turns):
    return "Interview title\n\n" + "\n\n".join(f"{n}:\n{t}" for n, t in turns)


def _as_markdown(turns):
    return "# Interview title\n\n" + "\n\n".join(f"**{n}:** {t}" for n, t in turns)


def _as_inline(turns):
    return "\n".join(f"[00:00:{i:02d}] {n}: {t}" for i, (n, t) in enumerate(turns))


def _clock(seconds: int, sep: str) -> str:
    return f"00:{seconds // 60:02d}:{seconds % 60:02d}{sep}000"


def _as_srt(turns):
    return "\n".join(f"{i + 1}\n{_clock(i, ',')} --> {_clock(i + 1, ',')}\n{n}: {t}\n"
                     for i, (n, t) in enumerate(turns))


def _as_vtt(turns):
    return "WEBVTT\n\n" + "\n".join(f"{_clock(i, '.')} --> {_clock(i + 1, '.')}\n<v {n}>{t}\n"
                                    for i, (n, t) in enumerate(turns))


def _as_json(turns):
    return json.dumps({"version": "1.0.0", "segments": [
        {"speaker": n, "startTime": i, "endTime": i + 1, "body": t}
        for i, (n, t) in enumerate(turns)]})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=_conversations(),
       fmt=st.sampled_from(["txt", "md", "inline.txt", "srt", "vtt", "json"]))
def test_generated_conversations_read_back_to_the_same_speakers_and_texts(turns, fmt) -> None:
    writer = {"txt": _as_text, "md": _as_markdown, "inline.txt": _as_inline, "srt": _as_srt,
              "vtt": _as_vtt, "json": _as_json}[fmt]
    t = read_bytes(f"gen.{fmt}", writer(turns).encode())
    assert _speech(t) == _as_read(turns, fmt)
    for turn in t.turns:
        assert t.text[turn.start:turn.end] == turn.text


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_any_text_reads_or_fails_cleanly_and_offsets_hold(text: str) -> None:
    try:
        t = read_bytes("any.txt", text.encode("utf-8"))
    except ReadError as err:
        assert "\n" not in str(err)
        return
    assert t.speech_turns
    for turn in t.turns:
        assert t.text[turn.start:turn.end] == turn.text
        assert turn.kind != "speech" or turn.speaker in t.speakers


# --- control characters: one rule wherever they sit ---------------------------------------

_CONTROLS_WARNING = "removed control characters (NUL, terminal escape codes and the like)"
_STORED_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # \t and \n may stay


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom.txt", codecs.BOM_UTF8 + DIALOGUE.replace("prices", "pri\x00ces").encode()),
        ("bom16.txt",
         codecs.BOM_UTF16_LE + DIALOGUE.replace("prices", "pri\x00ces").encode("utf-16-le")),
        ("late.txt", (DIALOGUE + "\n" + "Alex:\n" + "More words here. " * 600 + "\n"
                      + "Sam:\nHel\x00lo, prices.\n").encode()),
        ("early.txt", DIALOGUE.replace("prices", "pri\x00ces").encode()),
    ],
    ids=["after-a-bom", "after-a-utf16-bom", "past-8kb", "in-the-first-line"],
)
def test_a_nul_is_removed_wherever_it_sits(name: str, data: bytes) -> None:
    # Before: a NUL in the first 8 KB refused the file as binary, one after a BOM
    # or past 8 KB was stored verbatim (and Telegram refuses messages with NUL).
    t = read_bytes(name, data)
    assert "\x00" not in t.text and "prices" in t.text
    assert _CONTROLS_WARNING in t.warnings


def test_a_file_full_of_controls_is_binary_even_after_a_bom() -> None:
    with pytest.raises(UnsupportedFormat, match=r"^b\.txt: looks like a binary file"):
        read_bytes("b.txt", codecs.BOM_UTF8 + b"Alex: hi\x00\x01\x02\x03" * 50)


def test_escape_codes_in_subtitles_and_file_names_are_removed() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nAlex: \x1b[2JHello\x1b[0m.\n"
    t = read_bytes("2026-01-02-evil\x1b[31m\nname.srt", srt.encode())
    assert t.text == "Alex: [2JHello[0m."
    assert t.title == "Evil[31m name" and _CONTROLS_WARNING in t.warnings


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=_conversations(), fmt=st.sampled_from(["txt", "md", "srt", "vtt", "json"]),
       junk=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(
           [chr(c) for c in [*range(0, 9), *range(14, 32), *range(127, 160)]])), max_size=2))
def test_controls_anywhere_are_removed_and_the_words_kept(turns, fmt, junk) -> None:
    # Two at most: more than two in a file this short is binary by the same rule.
    writer = {"txt": _as_text, "md": _as_markdown, "srt": _as_srt, "vtt": _as_vtt,
              "json": _as_json}[fmt]
    text = writer(turns)
    if fmt == "json":  # inside the strings, as a feed's escapes would put them
        data = json.loads(text)
        for pos, char in junk:
            seg = data["segments"][pos % len(data["segments"])]
            cut = pos % (len(seg["body"]) + 1)
            seg["body"] = seg["body"][:cut] + char + seg["body"][cut:]
        text = json.dumps(data)
    else:
        for pos, char in junk:
            cut = pos % (len(text) + 1)
            text = text[:cut] + char + text[cut:]
    t = read_bytes(f"gen.{fmt}", text.encode())
    stored = [t.text, t.title, *t.speakers, *t.metadata.values(), t.source_summary or ""]
    assert not any(_STORED_CONTROLS.search(s) for s in stored)
    # Removed before parsing (or, in JSON, from the decoded strings): nothing else changes.
    assert _speech(t) == _as_read(turns, fmt)
    assert (_CONTROLS_WARNING in t.warnings) == bool(junk)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=40))
def test_the_control_check_is_the_same_for_ascii_and_other_text(text: str) -> None:
    # has_controls takes a bytes fast path for ASCII text; both paths mean "Cc but whitespace".
    expected = any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\x0b\x0c" for c in text)
    assert has_controls(text) == expected
    cleaned, removed = remove_controls(text)
    assert (removed > 0) == expected and not has_controls(cleaned)


def test_a_control_character_at_a_turns_edge_is_counted_and_warned() -> None:
    # Python's str.strip() strips \x1c-\x1f as white space: the builder must not,
    # or the character vanishes without the warning (found by the property test).
    data = json.dumps({"version": "1.0.0", "segments": [
        {"speaker": "Ana", "startTime": 0, "endTime": 1, "body": "\x1cHello there."}]})
    t = read_bytes("x.json", data.encode())
    assert [x.text for x in t.turns] == ["Hello there."]
    assert _CONTROLS_WARNING in t.warnings
