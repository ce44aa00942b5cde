"""Line-level recognisers for plain-text transcripts: labels, metadata, junk, dates.

Each function answers one question about one line, so the structural pass in
``_text.py`` stays readable and each rule can be tested on its own.

The hard part is the speaker label. ``Alex:`` and ``Greg Brockman (OpenAI
co-founder & President):`` are labels; ``Conversation summary:``, ``Key
inflection: AI begins...`` and ``First, the convergence of the path.`` are not.
A label is a short name-like string: one to four words, each capitalised (or a
name particle such as ``van`` or a trailing number as in ``Speaker 2``), with no
sentence punctuation, and not a word that introduces a section (``Note``,
``Summary``, ``Transcript``...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from briefs.transcript import parse_speaker_label

__all__ = [
    "TIME",
    "LabelLine",
    "is_junk",
    "looks_like_name",
    "match_heading",
    "match_label",
    "match_metadata",
    "match_note",
    "match_summary_start",
    "parse_date",
    "parse_timestamp",
]

# Words that end in a colon at the start of a line but introduce a section or
# an annotation, never a person.
_RESERVED = {
    "note", "notes", "editor's note", "editor’s note", "editors note", "translator's note",
    "translator’s note", "summary", "tl;dr", "tldr", "transcript", "full transcript",
    "title", "date", "source", "sources", "update", "updated", "disclaimer", "translation",
    "author", "example", "examples", "warning", "caution", "tip", "important", "edit",
    "correction", "references", "links", "tags", "keywords", "chapters", "timestamps",
    "contents", "introduction", "intro", "conclusion", "outro", "abstract", "background",
    "overview", "agenda", "participants", "speakers", "attendees", "location", "duration",
    "episode", "show notes", "video title", "video author", "key takeaways", "takeaways",
    "highlights", "also", "so", "and", "but", "yes", "no", "well", "ok", "okay", "then",
    "now", "here", "there", "this", "that", "why", "what", "how", "when", "where", "who",
    "because", "however", "first", "second", "third", "finally", "step", "result", "results",
    "answer key", "question time", "bottom line", "in short", "in brief", "ps", "p.s",
}
_PARTICLES = {
    "de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "bin", "al",
    "el", "ibn", "du", "dos", "das", "y", "ter", "ten", "st",
}
_BAD_CHARS = set(',;!?"“”«»[]{}<>/\\|=+*#@%…')

# A time like 12:03, 1:02:03 or 00:12:03.500, optionally bracketed (hours may pass 99
# in a mission log that runs for days).
TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIME = TIME
_LEADING_TIME = re.compile(rf"^[\[(]?(?P<t>{_TIME})[\])]?\s*(?:[-–—]\s*)?")
_TRAILING_TIME = re.compile(rf"\s*[\[(]?(?P<t>{_TIME})[\])]?$")


def parse_timestamp(value: str) -> float:
    """``"1:02:03.5"`` -> 3723.5 seconds."""
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return round(seconds, 3)


def looks_like_name(name: str) -> bool:
    """True for ``Alex``, ``Greg Brockman``, ``Dr. Ana de Souza``, ``Speaker 2``, ``Q``."""
    if not name or len(name) > 40 or name.casefold() in _RESERVED:
        return False
    words = name.split()
    if len(words) > 4:
        return False
    for i, word in enumerate(words):
        if any(c in _BAD_CHARS for c in word):
            return False
        if i > 0 and (word.casefold() in _PARTICLES or (word.isdigit() and len(word) <= 3)):
            continue
        first = word.lstrip("'’(-")[:1]
        # Names in scripts without case (CJK) count as capitalised.
        if not first.isalpha() or first.islower():
            return False
    return not words[-1].endswith(".") or len(words[-1]) <= 3  # "Dr." / "J." / "Jr."


@dataclass(frozen=True, slots=True)
class LabelLine:
    """A line that opens a speaker's turn."""

    label: str  # raw label, role included: "Greg Brockman (OpenAI co-founder & President)"
    name: str  # name only, for name-likeness and recurrence counting
    text: str  # speech on the same line ("" for a label on its own line)
    time: float | None
    strong: bool
    """``Alex:`` alone on its line or a bold ``**Alex:**``: a label by layout. Weak labels
    (``Alex: text``, ``Alex  0:03``) must recur or name a known speaker to count."""


# "**Alex:**", "**Alex**:", "__Alex:__", "Alex:", "ALEX:", "Alex (Host):", "> Alex:" ...
_LABEL = re.compile(
    r"^(?:>\s*)?(?:[-–—]\s+)?(?P<open>\*\*|__)?(?P<label>[^:*\n]{1,120}?)\s*"
    r"(?:(?P=open)\s*:|:\s*(?P=open)|:)(?!//)\s*(?P<rest>.*)$"
)
_BRACKET_TIME_LABEL = re.compile(rf"^(?P<name>[^:\[]{{1,60}}?)\s*[\[(](?P<t>{_TIME})[\])]\s*:")
# Otter-style: a name then a time on its own line ("Alex Smith  0:03").
_NAME_TIME = re.compile(rf"^(?P<label>[^:\d\[(][^:\[(]{{0,60}}?)\s+[\[(]?(?P<t>{_TIME})[\])]?$")
# Rev-style "Alex Smith: (00:01)" and Descript-style "Alex Smith: [00:00:05] Hello":
# a bracketed time where the speech starts (a bare "10:30" there is speech).
_TIME_ONLY = re.compile(rf"^[\[(]?(?P<t>{_TIME})[\])]?$")
_BRACKETED_TIME = re.compile(rf"^[\[(](?P<t>{_TIME})[\])]\s*")


def match_label(line: str) -> LabelLine | None:
    """Parse ``line`` as a speaker label, or ``None`` if it is not name-like."""
    time = None
    m = _LEADING_TIME.match(line)
    if m and m.end() < len(line):
        time = parse_timestamp(m.group("t"))
        line = line[m.end():]
    bm = _BRACKET_TIME_LABEL.match(line)
    if bm:  # "Dana Park (01:02): text" -> "Dana Park: text"
        time = parse_timestamp(bm.group("t"))
        line = f"{bm.group('name')}:{line[bm.end():]}"
    nm = _NAME_TIME.match(line)
    lm = None if nm else _LABEL.match(line)
    if nm:
        label, rest, strong = nm.group("label"), "", False
        # "0:00 Ana 00:10": the leading time is when the turn starts (the other its end).
        time = parse_timestamp(nm.group("t")) if time is None else time
    elif lm:
        label, rest = lm.group("label").strip(), lm.group("rest").strip()
        if tm_rest := _TIME_ONLY.match(rest) or _BRACKETED_TIME.match(rest):
            time, rest = parse_timestamp(tm_rest.group("t")), rest[tm_rest.end():]
        strong = not rest or bool(lm.group("open"))
    else:
        return None
    tm = _TRAILING_TIME.search(label)
    if tm and tm.start() > 0:  # "Alex [00:12:03]:" / "Speaker 1 (00:01)"
        time = parse_timestamp(tm.group("t")) if time is None else time
        label = label[: tm.start()].strip()
    name, role = parse_speaker_label(label)
    if role is not None and len(role.split()) > 12:
        return None
    if not looks_like_name(name):
        return None
    return LabelLine(label, name, rest.strip("*_ ").strip(), time, strong)


# "_comment:" is how mission-log transcripts annotate the tape (static, a dropout).
_NOTE = re.compile(
    r"^[\[(]?\s*(?:\*\*)?(?:(?:editor['’]?s\s+|translator['’]?s\s+)?note|_comment)(?:\*\*)?"
    r"\s*[:：]\s*(?:\*\*)?\s*",
    re.IGNORECASE,
)


def match_note(line: str) -> str | None:
    """The text of an annotation line (``Note: ...``, ``[Editor's note: ...]``)."""
    m = _NOTE.match(line)
    if not m:
        return None
    text = line[m.end():].strip()
    if line.startswith(("[", "(")) and text.endswith(("]", ")")):
        text = text[:-1].rstrip()
    return text


_SUMMARY = re.compile(
    r"^(?:#+\s*)?(?:\*\*)?(?:tl;?\s?dr|summary|key takeaways|takeaways|key points|highlights|"
    r"in brief|at a glance|in short)(?:\*\*)?\s*[:：]?\s*(?:\*\*)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def match_summary_start(line: str) -> str | None:
    """If ``line`` opens an author's TL;DR / summary, the text on the same line (may be "")."""
    m = _SUMMARY.match(line)
    return m.group("rest").strip() if m else None


_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*$")


def match_heading(line: str) -> tuple[int, str] | None:
    """A Markdown heading: (level, text)."""
    m = _MD_HEADING.match(line)
    if not m:
        return None
    return len(m.group("hashes")), m.group("text").strip("* ")


_METADATA_KEYS = {
    "title", "video title", "episode title", "podcast", "show", "video author", "author", "by",
    "host", "hosts", "guest", "guests", "interviewer", "interviewee", "speakers", "participants",
    "translation", "translator", "translated by", "date", "published", "published on",
    "recorded", "recorded on", "aired", "air date", "source", "url", "link", "original",
    "language", "location", "duration", "length", "episode", "season", "channel", "publisher",
    "editor", "series", "event", "venue", "company", "ticker", "quarter", "moderator",
}
_DATE_KEYS = {"date", "published", "published on", "recorded", "recorded on", "aired", "air date"}
_META_LINE = re.compile(
    r"^(?:[-*•]\s*)?(?:\*\*)?(?P<key>[A-Za-z][A-Za-z ']{0,24}?)(?:\*\*)?\s*:\s*(?:\*\*)?\s*"
    r"(?P<value>\S.*)$"
)


def match_metadata(line: str) -> tuple[str, str, bool] | None:
    """``Video title: ...`` -> ("video_title", value, is_date_key)."""
    m = _META_LINE.match(line)
    if not m:
        return None
    key = m.group("key").strip().casefold()
    if key not in _METADATA_KEYS:
        return None
    return key.replace(" ", "_"), m.group("value").strip(" *"), key in _DATE_KEYS


_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_ORD = r"(?:st|nd|rd|th)?"
_MDY = re.compile(rf"\b(?P<mon>[A-Za-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b")
_DMY = re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?P<mon>[A-Za-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}})\b")


def parse_date(text: str) -> str | None:
    """The first unambiguous date in ``text`` as ``YYYY-MM-DD`` (month names or ISO order)."""
    candidates: list[tuple[int, int, int, int]] = []  # (position, y, m, d)
    for m in _ISO_DATE.finditer(text):
        candidates.append((m.start(), int(m["y"]), int(m["m"]), int(m["d"])))
    for rx in (_MDY, _DMY):
        for m in rx.finditer(text):
            month = _MONTHS.get(m["mon"].casefold())
            if month:
                candidates.append((m.start(), int(m["y"]), month, int(m["d"])))
    for _, y, mo, d in sorted(candidates):
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


# Web-page furniture that follows an article: share buttons, comment widgets,
# disclaimers, price tickers ("ALEX-7,12%").
_JUNK_WORDS = {
    "view original", "reward", "comment", "comments", "repost", "share", "like", "likes",
    "pin", "add a comment", "no comments", "reply", "follow", "subscribe", "read more",
    "related articles", "related", "tags", "report", "save", "copy link", "print",
    "back to top", "advertisement", "sponsored", "sign up", "log in", "login",
}
_TICKER = re.compile(r"^\$?[A-Z][A-Z0-9.]{1,9}\s*[-+−]?\s*\d+(?:[.,]\d+)?\s*%$")
_DISCLAIMER = re.compile(
    r"disclaimer|third-party content|not (?:be )?considered as (?:an )?endorsement|"
    r"for information(?:al)? purposes only|all rights reserved|©|not financial advice|"
    r"^copyright\b",
    re.IGNORECASE,
)


# "1:31 P.M. EDT" / "END 1:31 P.M. EDT": the clock time a press briefing ended.
_CLOCK_LINE = re.compile(r"^(?:END\s+)?\d{1,2}:\d{2}\s*[AP]\.?M\.?(?:\s+[A-Z]{2,4})?$", re.I)


def is_junk(line: str) -> bool:
    """True for a line of web-page furniture (only ever stripped from the end)."""
    core = line.strip().lstrip("•·*-–—▪● ").strip()
    if not core:
        return True
    if core.casefold().rstrip(".:") in _JUNK_WORDS or _TICKER.match(core):
        return True
    if _CLOCK_LINE.match(core):
        return True
    if re.fullmatch(r"\d+\s*(?:comments?|likes?|shares?|reposts?)?", core, re.IGNORECASE):
        return True
    return bool(_DISCLAIMER.search(core))
