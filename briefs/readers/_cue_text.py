"""The words of a subtitle cue: markup out, speakers and speaker changes found.

A cue's raw text carries what a reader must not store: inline tags (``<i>``,
``<font color=...>``, ``<c.colorE5E5E5>``, karaoke timestamps ``<00:00:01.500>``),
SSA overrides (``{\\an8}``), HTML entities (``&#39;``, ``&nbsp;``) and struck-out
words (``<s>wrong</s> right``: the correction is what was meant). It also says
who speaks: a WebVTT voice tag (``<v Alex>``, per line), a prefix (``Alex:``,
``[Alex]``, ``- Alex:``), or the broadcast marker ``>>``, which opens a new
speaker's turn, named (``>> DANA: text``) or not (``>> text``). Film and TV
subtitles put two speakers in one cue as dash dialogue, one line each
(``- Are you coming?`` / ``- In a minute.``): each dashed line opens a turn too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from briefs.readers._lines import looks_like_name
from briefs.transcript import parse_speaker_label

__all__ = ["Piece", "Rolling", "cue_pieces", "split_speaker"]

# Struck-out text (closed or running to the end of the cue) and ruby readings
# ("<rt>kan</rt>", a pronunciation aid): neither is what was said.
_DROPPED = re.compile(r"<(s|strike|del|rt)\b[^>]*>.*?(?:</\1\s*>|\Z)",
                      re.IGNORECASE | re.DOTALL)
# Tags start with a letter or "/" (so "3 < 5" stays), karaoke timestamps with a digit.
_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>|<\d{1,3}(?::\d{1,2}){1,2}[.,]\d{1,3}>|\{\\[^}\n]*\}")
_VOICE = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^>\n]+)>")
# ">>" (">>>" for a new story) opens a speaker's turn at a line start or after a space.
_TURN_MARK = re.compile(r"(?:^|(?<=\s))>{2,}\s*")
# A dialogue dash at a line start ("-", Netflix's "-" with no space, Spanish "—"), then words.
_DASH = re.compile(r"^[-–—]\s*(?=[^\W\d_]|[¿¡\"'“‘(\[<])")
_PREFIX = re.compile(
    r"^(?:-\s*)?(?:\[(?P<bracket>[^\]]{1,60})\]\s*:?|(?P<colon>[^:\n]{1,60}?)\s*:)\s+(?P<text>\S.*)$",
    re.DOTALL,
)


def split_speaker(text: str) -> tuple[str | None, str]:
    """``"Alex: Hello"`` -> ("Alex", "Hello"); no name-like prefix -> (None, text)."""
    m = _PREFIX.match(text)
    if m:
        label = (m.group("bracket") or m.group("colon") or "").strip()
        name, _ = parse_speaker_label(label)
        if looks_like_name(name):
            return label, m.group("text").strip()
    return None, text


def _clean_line(line: str) -> str:
    # Tags first, entities after: "&lt;i&gt;" is the text "<i>", not a tag.
    text = html.unescape(_TAG.sub("", line)).replace("\u00a0", " ")
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of a cue said by one speaker."""

    speaker: str | None  # a raw label; None: the current speaker (after ">>": nobody named)
    text: str
    opens_turn: bool = False  # after ">>": a change of speaker even when unnamed
    dash: bool = False  # the turn was opened by a dialogue dash, not ">>"


def _lines(raw: str) -> list[tuple[str | None, str]]:
    """The cue's clean lines, each with the voice tag in force (None without one)."""
    out: list[tuple[str | None, str]] = []
    voice: str | None = None
    for line in _DROPPED.sub("", raw).split("\n"):
        if m := _VOICE.search(line):
            voice = " ".join(html.unescape(m.group(1)).split()) or voice
        if text := _clean_line(line):
            out.append((voice, text))
    return out


class Rolling:
    """Drops the lines a cue repeats from the cue before it.

    Auto-generated captions (YouTube's among them) "roll": each cue repeats the
    previous cue's last line and adds one, so read naively every line appears
    twice. Only lines of three words or more count as repeats, so a genuine
    "Yes." said twice survives; another voice repeating the same words is a new
    thing said, not a roll.
    """

    def __init__(self) -> None:
        self.last: list[tuple[str | None, str]] = []

    def new_lines(self, lines: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
        k = min(len(lines), len(self.last))
        while k and (lines[:k] != self.last[-k:]
                     or len(" ".join(t for _, t in lines[:k]).split()) < 3):
            k -= 1
        self.last = lines
        return lines[k:]


def cue_pieces(raw: str, rolling: Rolling) -> list[Piece]:
    """Split a cue's raw text into clean pieces, one per speaker it holds."""
    pieces: list[Piece] = []
    run: list[str] = []
    run_voice: str | None = None
    opens = dash = False

    def flush(opens: bool) -> None:
        nonlocal dash
        text = " ".join(run)
        run.clear()
        by_dash, dash = dash, False
        if run_voice is not None:
            if text or opens:
                pieces.append(Piece(run_voice, text, opens, by_dash))
            return
        speaker, text = split_speaker(text)
        if text or opens:
            pieces.append(Piece(speaker, text, opens, by_dash))

    lines = rolling.new_lines(_lines(raw))
    # Dash dialogue: a line after the first starts with a dash and a new sentence. A
    # dash on the first line only, or before lower case ("- or so it says"), is a
    # sentence's dash.
    dashes = len(lines) > 1 and any(
        (m := _DASH.match(text)) and not text[m.end()].islower() for _, text in lines[1:])
    for voice, line in lines:
        if voice != run_voice and (run or opens):
            flush(opens)
            opens = False
        run_voice = voice
        if dashes and (m := _DASH.match(line)):
            if run or opens:
                flush(opens)
            opens = dash = True
            line = line[m.end():]
        parts = _TURN_MARK.split(line)
        for i, part in enumerate(parts):
            if i:  # a ">>" before this part: whatever came before was another speaker's
                if run or opens:
                    flush(opens)
                opens = True
            if part.strip():
                run.append(part.strip())
    if run or opens:
        flush(opens)
    return pieces
