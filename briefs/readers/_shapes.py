"""Label shapes beyond ``Name: text``, rewritten to it before labels are chosen.

Transcript exporters and web pages mark speakers in many layouts: press
briefings (``Q  How many...``), bracketed labels (``[Speaker 1] [00:17] text``),
tab-separated chat logs, mission logs with a time on its own line. Rather than
one recogniser per site, this pre-pass rewrites each such line into the one
shape ``_lines.match_label`` reads (``[time] Name: text``). Rewriting says
nothing about whether a line *is* a label: ``_text._accepted_labels`` still
decides that by recurrence and position, so a quoted ``Digo: "..."`` inside a
turn stays speech.

Also here: text hygiene for pasted web text (HTML entities, inline tags,
Markdown backslash escapes), which would otherwise be stored and quoted
verbatim.
"""

from __future__ import annotations

import html
import re

from briefs.readers._lines import TIME, looks_like_name, parse_timestamp

__all__ = ["clean_line", "format_stamp", "is_markup", "rewrite_shapes", "time_only"]

# --- hygiene --------------------------------------------------------------------------

# Struck-out text is a correction's old version: the reader sees the new one only.
_STRUCK = re.compile(r"(?<!\\)<(s|del|strike)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# Only tags of inline HTML, so "x <y> z" or "a < b" in speech is left alone.
_TAG = re.compile(
    r"(?<!\\)</?(?:b|i|u|em|strong|span|font|a|sup|sub|mark|small|big|ins|code|abbr|cite|q|br|"
    r"p|div|s|del|strike)\b[^<>]*?/?>",
    re.IGNORECASE,
)
# CommonMark's escapable ASCII punctuation: "\[laughter\]", "\#15", "President\_Biden".
_MD_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_BARE_AMP = re.compile(r"&(?![A-Za-z][A-Za-z0-9]{1,31};|#\d{1,7};|#[xX][0-9A-Fa-f]{1,6};)")


def is_markup(text: str) -> bool:
    """Whether a plain-text file holds escaped markup (``Ben &amp; Jerry&#39;s``).

    Markup escapes every ``&``: a bare one ("R&D", "Tom & Ana") says the file is
    literal text, where a typed ``&amp;`` or ``<b>`` is what the speaker wrote.
    """
    return bool(_ENTITY.search(text) or _TAG.search(text)) and not _BARE_AMP.search(text)


def clean_line(line: str, *, markup: bool) -> str:
    """One line of pasted text without Markdown escapes and, in markup, tags and entities.

    Order matters: tags first (an escaped ``\\<s\\>`` is text, not a tag), then
    the escapes, then entities (so ``&lt;b&gt;`` ends as the text ``<b>``).
    """
    if markup and "<" in line:
        line = _TAG.sub("", _STRUCK.sub("", line))
    if "\\" in line:
        line = _MD_ESCAPE.sub(r"\1", line)
    if markup and "&" in line:
        line = html.unescape(line)
    return line


# --- shapes ---------------------------------------------------------------------------

# A time on its own line: "[00:00:01:55]" (mission logs: days:hours:minutes:seconds),
# "00:12", "(1:02:03)". It stamps the line that follows.
_STAMP_LINE = re.compile(rf"^[\[(]?(?P<t>(?:\d{{1,3}}:)?{TIME})[\])]?$")
# "[Speaker 1] [00:17] text", "[Ana]: text": a bracketed name, then a time or a colon.
_BRACKET_NAME = re.compile(
    rf"^\[(?P<name>[^\[\]:\d][^\[\]:]{{0,40}})\]\s*"
    rf"(?:(?P<t>[\[(]{TIME}[\])])\s*[:\-–—]?|:)\s*(?P<rest>.*)$"
)
# "00:21:14<TAB>Name<TAB>text": tab columns, the name column with or without a colon.
_TAB_COLUMNS = re.compile(
    rf"^(?P<t>[\[(]?{TIME}[\])]?)\t+(?P<name>[^\t:]{{1,60}}):?\t+(?P<rest>.*)$"
)
# Press briefings print reporters' questions as "Q  How many..." (no colon), or "Q. ...".
# "Q  0:14" alone on its line is an Otter label for a speaker named Q, not a question.
_BARE_QA = re.compile(
    r"^(?P<qa>Q|A)(?:\s*[.:]\s*|\s{2,}|\t)(?P<rest>(?!\d{1,2}(?::\d{2}){1,2}\s*$)\S.*)$"
)
_BARE_Q1 = re.compile(r"^Q\s(?P<rest>[A-Z“\"'].*)$")
# A line that is a time then speech, no name: "00:00:04 Welcome to the tape."
_TIME_ONLY = re.compile(rf"^[\[(]?(?P<t>{TIME})[\])]?(?:\s*[-–—]\s*|\s+)(?P<rest>\S.*)$")


def format_stamp(seconds: float) -> str:
    """Seconds as ``H:MM:SS`` (hours may pass 99 in a days-long mission log)."""
    whole = int(seconds)
    frac = seconds - whole
    text = f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return text + (f".{round(frac * 1000):03d}" if frac else "")


def _stamp_seconds(stamp: str) -> float:
    parts = stamp.split(":")
    if len(parts) == 4:  # mission elapsed time: days first
        days, rest = int(parts[0]), ":".join(parts[1:])
        return days * 86400 + parse_timestamp(rest)
    return parse_timestamp(stamp)


def rewrite_shapes(lines: list[str]) -> list[str]:
    """``lines`` with every known label shape rewritten to ``[time] Name: text``.

    A time on its own line is moved onto the next non-blank line (the stamp line
    becomes blank, a paragraph break, as in the source's layout), where such lines
    recur or the file opens with one: a lone "10:30" mid-dialogue is an answer.
    Bare ``Q``/``A`` lines get their colon only where they recur (two at least),
    so a lone "Q fever spreads..." stays prose.
    """
    bare = sum(1 for line in lines if _BARE_QA.match(line))
    bare_q1 = sum(1 for line in lines if _BARE_Q1.match(line))
    stamps = [i for i, line in enumerate(lines) if _STAMP_LINE.match(line)]
    first = next((i for i, line in enumerate(lines) if line), None)
    if len(stamps) < 2:
        stamps = [i for i in stamps if i == first]
    stamp_lines = set(stamps)
    out: list[str] = []
    stamp: str | None = None
    for i, line in enumerate(lines):
        if not line:
            out.append(line)
            continue
        if i in stamp_lines:
            # Two stamps in a row: the first stamps nothing, the later one holds.
            m = _STAMP_LINE.match(line)
            stamp = format_stamp(_stamp_seconds(m.group("t"))) if m else None
            out.append("")
            continue
        line = _rewrite(line, bare, bare_q1)
        if stamp is not None:
            line = f"[{stamp}] {line}"
            stamp = None
        out.append(line)
    return out  # a stamp after the last line stamps nothing (the tape's end)


def _rewrite(line: str, bare: int, bare_q1: int) -> str:
    if m := _BRACKET_NAME.match(line):
        name = m.group("name").strip()
        if looks_like_name(name):
            t = m.group("t")
            return f"{t + ' ' if t else ''}{name}: {m.group('rest')}"
    if (m := _TAB_COLUMNS.match(line)) and looks_like_name(m.group("name").strip()):
        return f"{m.group('t')} {m.group('name').strip()}: {m.group('rest')}"
    if bare >= 2 and (m := _BARE_QA.match(line)):
        return f"{m.group('qa')}: {m.group('rest')}"
    if bare + bare_q1 >= 3 and (m := _BARE_Q1.match(line)):
        return f"Q: {m.group('rest')}"
    return line


def time_only(line: str) -> tuple[float, str] | None:
    """``"00:00:04 Welcome."`` -> (4.0, "Welcome."): a stamp with speech, no name."""
    m = _TIME_ONLY.match(line)
    if not m:
        return None
    return parse_timestamp(m.group("t")), m.group("rest")
