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

The builder is also where what readers hand over is checked, whatever the
format (see :func:`valid_seconds` and :func:`remove_controls`): a time that is
not a finite, non-negative number of seconds is dropped with a warning (the
turn is kept), control characters are removed from every stored string, and
an ASR loop (a short phrase repeated many times in a row, ``briefs._repeats``)
is kept once, with one warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from briefs._repeats import collapse_loops, shift_marks
from briefs._values import (
    CONTROLS_WARNING,
    MAX_SECONDS,
    has_controls,
    normalize_whitespace,
    remove_controls,
    valid_seconds,
)

__all__ = [
    "CONTROLS_WARNING",
    "MAX_SECONDS",
    "Transcript",
    "TranscriptBuilder",
    "Turn",
    "TurnKind",
    "has_controls",
    "normalize_whitespace",
    "parse_speaker_label",
    "remove_controls",
    "valid_seconds",
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
    marks: tuple[tuple[int, float], ...] = ()
    """``(offset, seconds)`` where each timed piece (a subtitle cue, an ASR segment)
    of this turn starts, offsets into ``Transcript.text``: a passage 38 minutes
    into one speaker's long turn is shown at its own time, not the turn's."""


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
    _bad_times: int = 0
    _controls: int = 0
    machine_made: bool = True  # False: typed by people (QMSum), no ASR loops to look for
    _loops: list[tuple[str, int]] = field(default_factory=list)
    _ambiguous: dict[str, list[str]] = field(default_factory=dict)
    # Each turn's text as its paragraphs, joined once in ``build``: a turn that
    # grows paragraph by paragraph (a 20 MB monologue) must not be copied each time.
    _pending: list[tuple[TurnKind, str | None, list[str], float | None, float | None]] = field(
        default_factory=list
    )
    # Pending turn index -> (offset in the turn's text, seconds) of its timed pieces.
    _marks: dict[int, list[tuple[int, float]]] = field(default_factory=dict)

    def speaker(self, label: str) -> str:
        """Resolve a raw speaker label to its canonical name, recording its role."""
        name, role = parse_speaker_label(self._clean(label))
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
            if len(matches) > 1:
                # "Ana" with "Ana Ruiz" and "Ana Lind" known: which one is not ours to
                # guess; kept apart, and the user told.
                self._ambiguous.setdefault(name, matches)
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
        text = self._collapse(normalize_whitespace(text))  # controls: see build()
        if not text:
            return
        if kind == "speech" and not speaker:
            raise ValueError("a speech turn needs a speaker")
        if kind != "speech":
            speaker = None
        if time_start is not None:
            time_start = self._time(time_start)
        if time_end is not None:
            time_end = self._time(time_end)
        self._pending.append((kind, speaker, [text], time_start, time_end))

    def add_timed(
        self,
        kind: TurnKind,
        pieces: Sequence[tuple[str, float | None]],
        speaker: str | None = None,
        time_end: float | None = None,
    ) -> None:
        """Append a turn said in timed pieces (cues, segments), joined by spaces; each
        piece's start is kept as a mark, so a passage gets its own words' time."""
        texts: list[str] = []
        marks: list[tuple[int, float]] = []
        pos, first = 0, None
        for piece, start in pieces:
            piece = normalize_whitespace(piece)
            if not piece:
                continue
            if texts:
                pos += 1  # the joining space
            else:
                first = start
            # Checked quietly: add() counts the turn's own start as before.
            if start is not None and (seconds := valid_seconds(start)) is not None:
                marks.append((pos, seconds))
            texts.append(piece)
            pos += len(piece)
        if not texts:
            return
        count, joined = len(self._pending), " ".join(texts)
        self.add(kind, joined, speaker, time_start=first, time_end=time_end)
        if len(self._pending) > count and marks:
            # add() may have collapsed an ASR loop: the marks follow their words.
            self._marks[count] = shift_marks(joined, self._pending[-1][2][0], marks)

    def append_to_last(self, text: str, time_end: float | None = None) -> bool:
        """Continue the last turn with another paragraph; False if there is none."""
        text = self._collapse(normalize_whitespace(text))
        if not self._pending or not text:
            return False
        kind, speaker, parts, t0, t1 = self._pending[-1]
        if time_end is not None:
            time_end = self._time(time_end)
        parts.append(text)
        end = time_end if time_end is not None else t1
        self._pending[-1] = (kind, speaker, parts, t0, end)
        return True

    def _collapse(self, text: str) -> str:
        # Here, before layout, so every offset points into the collapsed text.
        if not self.machine_made:
            return text
        text, loops = collapse_loops(text)
        self._loops.extend(loops)
        return text

    def _time(self, value: float) -> float | None:
        # A third-party feed can carry "NaN" or 1e999: stored, such a time used
        # to break every later view; the turn is worth keeping without it.
        seconds = valid_seconds(value)
        if seconds is None:
            self._bad_times += 1
        return seconds

    def _clean(self, text: str) -> str:
        # Readers' text is already clean (read_bytes removes controls after
        # decoding); JSON escapes ("\u0000") and HTML entities are not.
        text, removed = remove_controls(text)
        self._controls += removed
        return text

    def _clean_turns(self) -> None:
        # One scan of all turn texts at once: per-turn checks cost ingest time
        # on QMSum's 108,000 turns, and controls are rare.
        if not has_controls("".join(part for p in self._pending for part in p[2])):
            return
        pending: list[tuple[TurnKind, str | None, list[str], float | None, float | None]] = []
        marks: dict[int, list[tuple[int, float]]] = {}
        for i, (kind, speaker, parts, t0, t1) in enumerate(self._pending):
            joined = "\n".join(parts)
            text = normalize_whitespace(self._clean(joined))
            if text:
                if i in self._marks and text == joined:
                    # Offsets hold only where cleaning changed nothing; elsewhere
                    # passages fall back to the turn's start time.
                    marks[len(pending)] = self._marks[i]
                pending.append((kind, speaker, [text], t0, t1))
        self._pending = pending
        self._marks = marks

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
        self._clean_turns()
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
            cues = self._marks.get(index) if self._marks else None
            marks = tuple((start + at, s) for at, s in cues) if cues else ()
            turns.append(Turn(index, kind, speaker, text, start, end, t0, t1, marks))
        full = "".join(parts)
        used = {t.speaker for t in turns if t.speaker}
        speakers = {k: v for k, v in self._speakers.items() if k in used}
        title = normalize_whitespace(self._clean(self.title)).replace("\n", " ")
        metadata = {self._clean(k): self._clean(v) for k, v in self.metadata.items()}
        summary = None if self.source_summary is None else self._clean(self.source_summary)
        warnings = list(self.warnings)
        if self._bad_times:
            n = self._bad_times
            warnings.append(
                f"dropped {n} time stamp{'s' if n != 1 else ''} that {'were' if n != 1 else 'was'}"
                " not a finite, non-negative number of seconds (NaN, infinity, negative or"
                " over a year); the turns are kept without them"
            )
        if self._loops:
            n = len(self._loops)
            phrase, reps = self._loops[0]
            warnings.append(
                f"collapsed {n} repeated-phrase loop{'s' if n != 1 else ''} (ASR output) to one"
                f" occurrence each, e.g. {phrase[:60]!r} repeated {reps} times"
            )
        for label, names in self._ambiguous.items():
            if label in used:
                warnings.append(f"the label {label!r} could name {' or '.join(names)}:"
                                " kept as a speaker of its own")
        if self._controls and CONTROLS_WARNING not in warnings:
            warnings.append(CONTROLS_WARNING)
        return Transcript(
            title=title or "Untitled transcript",
            text=full,
            turns=tuple(turns),
            speakers=speakers,
            metadata=metadata,
            date=self.date,
            source_summary=summary,
            format=self.format,
            source=self.source,
            warnings=tuple(warnings),
        )
