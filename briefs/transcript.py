"""The Transcript: what every reader produces and every later stage consumes.

A transcript is stored as one canonical text (``Transcript.text``), rendered
from its turns, one paragraph per turn::

    Alex: Today we've got Greg Brockman...

    Note: In March 2026, OpenAI announced...

    ## Why shut down Sora? Not enough compute

    Greg Brockman: Over the past stretch of time...

Every character offset in briefbot (turns, passages, brief quotes, search
excerpts) points into that text, whatever format the source came in. Readers
never build the text themselves: they feed turns to a ``TranscriptBuilder``,
which owns the layout and the offsets, so the offsets cannot drift.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Transcript",
    "TranscriptBuilder",
    "Turn",
    "TurnKind",
    "normalize_whitespace",
    "parse_speaker_label",
]

TurnKind = Literal["speech", "note", "heading"]

# How each kind of turn is laid out in the canonical text. The prefix is not
# part of ``Turn.text``; ``Turn.start`` points just after it.
_NOTE_PREFIX = "Note: "
_HEADING_PREFIX = "## "
_TURN_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Turn:
    """One paragraph-level unit of a transcript, in order.

    ``kind`` is ``speech`` (said by ``speaker``), ``note`` (an editor's or
    translator's annotation: never attributed, never quoted) or ``heading``
    (a section heading inside the dialogue). ``start``/``end`` are offsets of
    ``text`` in ``Transcript.text``; times are seconds from the start, where the
    source has them.
    """

    index: int
    kind: TurnKind
    speaker: str | None
    text: str
    start: int
    end: int
    time_start: float | None = None
    time_end: float | None = None


@dataclass(frozen=True, slots=True)
class Transcript:
    """A parsed transcript, ready to be stored."""

    title: str
    text: str
    turns: tuple[Turn, ...]
    speakers: dict[str, str | None]
    """Speaker name -> role (``None`` when the source gives none), in order of appearance."""
    metadata: dict[str, str]
    date: str | None
    """ISO date (``YYYY-MM-DD``) of the conversation or publication, if known."""
    source_summary: str | None
    """The source's own TL;DR / summary section, kept apart from the dialogue."""
    format: str
    source: str
    warnings: tuple[str, ...] = ()

    @property
    def speech_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.kind == "speech"]

    @property
    def word_count(self) -> int:
        return sum(len(t.text.split()) for t in self.turns if t.kind == "speech")


_WS_RUN = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalize_whitespace(text: str) -> str:
    """NFC-normalise, collapse runs of spaces, keep single line breaks, strip.

    Paragraph breaks inside one turn become a single ``\\n``: a blank line is
    reserved for separating turns in the canonical text.
    """
    if text.isascii() and not any(c in text for c in ("\n", "\r", "\t", "\f", "\v", "  ")):
        return text.strip()  # the common case (one line of ASCII): nothing else to do
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _WS_RUN.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n", text)
    return text.strip()


_LABEL_WITH_ROLE = re.compile(r"^(?P<name>[^()]+?)\s*[(（](?P<role>[^()（）]*)[)）]\s*$")


def parse_speaker_label(label: str) -> tuple[str, str | None]:
    """Split ``"Greg Brockman (OpenAI co-founder & President)"`` into name and role."""
    label = normalize_whitespace(label).strip(" *:_")
    m = _LABEL_WITH_ROLE.match(label)
    if m:
        role = m.group("role").strip() or None
        return m.group("name").strip(), role
    return label, None


@dataclass
class TranscriptBuilder:
    """Collects turns from a reader and lays out the canonical text.

    Speakers are resolved as they come: a role in parentheses is kept once per
    speaker, and later labels naming the same person (``Greg Brockman``, or a
    bare ``Greg`` / ``Brockman`` that matches exactly one known speaker) resolve
    to the first spelling.
    """

    format: str
    source: str
    title: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    date: str | None = None
    source_summary: str | None = None
    warnings: list[str] = field(default_factory=list)
    _speakers: dict[str, str | None] = field(default_factory=dict)
    # Each turn's text as its paragraphs, joined once in ``build``: a turn that
    # grows paragraph by paragraph (a 20 MB monologue) must not be copied each time.
    _pending: list[tuple[TurnKind, str | None, list[str], float | None, float | None]] = field(
        default_factory=list
    )

    def speaker(self, label: str) -> str:
        """Resolve a raw speaker label to its canonical name, recording its role."""
        name, role = parse_speaker_label(label)
        if not name:
            name = "Unknown"
        key = name.casefold()
        for known in self._speakers:
            if known.casefold() == key:
                if role and not self._speakers[known]:
                    self._speakers[known] = role
                return known
        # A bare first or last name that matches exactly one known speaker.
        if " " not in name:
            matches = [
                k for k in self._speakers if key in {p.casefold() for p in k.split()}
            ]
            if len(matches) == 1:
                return matches[0]
        self._speakers[name] = role
        return name

    def add(
        self,
        kind: TurnKind,
        text: str,
        speaker: str | None = None,
        time_start: float | None = None,
        time_end: float | None = None,
    ) -> None:
        """Append a turn. ``speaker`` must come from ``speaker()`` for speech turns."""
        text = normalize_whitespace(text)
        if not text:
            return
        if kind == "speech" and not speaker:
            raise ValueError("a speech turn needs a speaker")
        if kind != "speech":
            speaker = None
        self._pending.append((kind, speaker, [text], time_start, time_end))

    def append_to_last(self, text: str, time_end: float | None = None) -> bool:
        """Continue the last turn with another paragraph; False if there is none."""
        text = normalize_whitespace(text)
        if not self._pending or not text:
            return False
        kind, speaker, parts, t0, t1 = self._pending[-1]
        parts.append(text)
        end = time_end if time_end is not None else t1
        self._pending[-1] = (kind, speaker, parts, t0, end)
        return True

    @property
    def turn_count(self) -> int:
        return len(self._pending)

    @property
    def speech_count(self) -> int:
        """How many speech turns so far (a reader with none has read nothing)."""
        return sum(1 for p in self._pending if p[0] == "speech")

    @property
    def last_kind(self) -> TurnKind | None:
        """Kind of the last turn added, so a reader knows whether to continue it."""
        return self._pending[-1][0] if self._pending else None

    @property
    def last_speaker(self) -> str | None:
        return self._pending[-1][1] if self._pending else None

    def build(self) -> Transcript:
        """Lay out the canonical text and freeze the transcript."""
        parts: list[str] = []
        turns: list[Turn] = []
        pos = 0
        for index, (kind, speaker, paragraphs, t0, t1) in enumerate(self._pending):
            text = "\n".join(paragraphs)
            if parts:
                parts.append(_TURN_SEPARATOR)
                pos += len(_TURN_SEPARATOR)
            if kind == "speech":
                prefix = f"{speaker}: "
            elif kind == "note":
                prefix = _NOTE_PREFIX
            else:
                prefix = _HEADING_PREFIX
            parts.append(prefix + text)
            start = pos + len(prefix)
            end = start + len(text)
            pos = end
            turns.append(Turn(index, kind, speaker, text, start, end, t0, t1))
        full = "".join(parts)
        used = {t.speaker for t in turns if t.speaker}
        speakers = {k: v for k, v in self._speakers.items() if k in used}
        return Transcript(
            title=normalize_whitespace(self.title).replace("\n", " ") or "Untitled transcript",
            text=full,
            turns=tuple(turns),
            speakers=speakers,
            metadata=dict(self.metadata),
            date=self.date,
            source_summary=self.source_summary,
            format=self.format,
            source=self.source,
            warnings=tuple(self.warnings),
        )
