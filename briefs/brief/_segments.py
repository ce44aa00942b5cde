"""Where a conversation changes subject: segments as runs of sentences.

A source's own headings are taken as they are. Without headings, boundaries
are found TextTiling-style over *sentences*, not turns (``_tiling``): a
10,000-word monologue, lecture or briefing is one turn and still has its
sections. Cues that conversations give for free sharpen the dips: a host's
question opens a topic (the strongest cue), a new turn is likelier to open
one than a sentence inside a turn, and a sentence that starts with "okay, so"
or, inside a turn, "now let's turn to" or "finally" often opens one too.

The number of segments grows with the length of the conversation (one per
``WORDS_PER_SEGMENT`` content words, tuned on QMSum train) and is capped, so a
brief stays readable; a segment holds at least a share of the content words,
so opening logistics are at most one segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefs.brief._sentences import Candidate
from briefs.brief._tiling import pick_boundaries
from briefs.transcript import Transcript

__all__ = ["Segment", "announces", "segment", "segment_count"]

WORDS_PER_SEGMENT = 250
MAX_SEGMENTS = 8
MIN_SHARE = 1 / 3  # of an even segment's content words: the shortest segment drawn
TURN_BONUS = 0.03
LONG_TURN = 120  # content words: a turn that may hold a boundary inside it
CUE_BONUS = 0.05
QUESTION_BONUS = 0.1
ANNOUNCED_BONUS = 0.15  # "Now let's turn to water": a speaker naming the next subject
ANNOUNCED_WORDS = 60  # content words, at the least, of an announced subject
_CUE = re.compile(
    r"^\W*(?:(?:u+m+|u+h+)\W+)*(?:ok(?:ay)?|alright|all right|so|now|next|anyway|moving on|"
    r"let's|let us|the next|another thing|the other thing)\b",
    re.IGNORECASE,
)
# Inside a turn "So" and "Now" open half the sentences; only an explicit
# announcement of the next subject counts there.
_INNER_CUE = re.compile(
    r"^\W*(?:(?:and|so|okay|ok|now|right)[,\s]+)*(?:"
    r"(?:let's|let us|let me|i'll|i will|i want to|i'd like to) (?:now )?"
    r"(?:turn|move|go|come|talk|look|start|get) (?:on |back |over )?(?:to|about|at|with)\b"
    r"|moving on\b|turning (?:now )?to\b|next,|finally\b|lastly\b|last but not least\b"
    r"|(?:the|my|our) (?:first|second|third|fourth|fifth|next|last|final|other) "
    r"(?:thing|topic|point|item|system|question|issue|subject|part|area|announcement)\b"
    r"|on (?:to )?(?:the )?(?:next|another)\b|another (?:thing|topic|item|announcement)\b)",
    re.IGNORECASE,
)


def announces(sentence: str) -> bool:
    """Whether a sentence announces the next subject ("Now let's turn to water")."""
    return bool(_INNER_CUE.match(sentence))


@dataclass(frozen=True, slots=True)
class Segment:
    """The sentences ``candidates``, from turn ``first_turn`` to ``last_turn`` (inclusive).

    Without source headings a segment may start or end inside a turn: its
    first sentence then is not its turn's first.
    """

    first_turn: int
    last_turn: int
    heading: str | None
    candidates: tuple[Candidate, ...]
    opens_turn: bool = True
    """Whether the segment starts where its first turn starts."""


def segment_count(content_words: int, n_units: int) -> int:
    """How many segments a conversation of this length is split into."""
    wanted = round(content_words / WORDS_PER_SEGMENT)
    return max(1, min(MAX_SEGMENTS, wanted, n_units // 3 or 1))


def _headings(transcript: Transcript, speech: set[int]) -> dict[int, str]:
    """The source's headings, by the speech turn each one opens."""
    headings: dict[int, str] = {}
    pending: str | None = None
    for t in transcript.turns:
        if t.kind == "heading":
            pending = t.text
        elif t.index in speech and pending is not None:
            headings[t.index] = pending
            pending = None
    return headings


def _bonuses(cands: list[Candidate], transcript: Transcript, host: str | None) -> list[float]:
    """Per sentence, the cue bonus for a segment starting there."""
    host_asks: set[int] = set()
    if host is not None:
        host_asks = {c.turn_index for c in cands if c.speaker == host and c.question}
    out = []
    for i, c in enumerate(cands):
        b = 0.0
        if i == 0 or cands[i - 1].turn_index != c.turn_index:
            b += TURN_BONUS
            if _CUE.match(transcript.turns[c.turn_index].text):
                b += CUE_BONUS
            if c.turn_index in host_asks:
                b += QUESTION_BONUS
        if _INNER_CUE.match(c.quote):
            b += ANNOUNCED_BONUS
        out.append(b)
    return out


def _units(cands: list[Candidate]) -> list[int]:
    """Where each unit of the tiling starts (candidate indexes).

    A turn is one unit unless it is long enough to hold a section of its own
    (``LONG_TURN`` content words, and an even segment's share or half the
    conversation): an
    interview's long answer is one thought, and cutting it only moves the
    boundary off the turn where the new subject is raised. A monologue, a
    lecture or a briefing's statement is a unit per sentence, so its own
    sections can be found.
    """
    words: dict[int, int] = {}
    for c in cands:
        words[c.turn_index] = words.get(c.turn_index, 0) + len(c.stems)
    total = sum(words.values())
    long_turn = max(LONG_TURN, min(total / 2, total / segment_count(total, len(words))))
    return [
        i
        for i, c in enumerate(cands)
        if i == 0 or cands[i - 1].turn_index != c.turn_index or words[c.turn_index] >= long_turn
    ]


def _snap(starts: list[int], cands: list[Candidate]) -> list[int]:
    """Move a boundary back to its turn's start when only contentless sentences
    ("Okay.", "Right.") come before it in the turn: the turn opens the subject."""
    out = []
    for g in starts:
        k = g
        while k > 0 and cands[k - 1].turn_index == cands[g].turn_index and not cands[k - 1].stems:
            k -= 1
        if k == 0 or cands[k - 1].turn_index != cands[g].turn_index:
            g = k
        out.append(g)
    return sorted(set(out))


def segment(
    transcript: Transcript, cands: list[Candidate], host: str | None = None
) -> list[Segment]:
    """The conversation's segments, in order, covering every candidate sentence."""
    if not cands:
        return []
    headings = _headings(transcript, {c.turn_index for c in cands})
    if headings:
        starts = [0] + [
            i
            for i, c in enumerate(cands)
            if i > 0 and c.turn_index in headings and cands[i - 1].turn_index != c.turn_index
        ]
    else:
        firsts = _units(cands)
        stems = [
            [t for c in cands[a:b] for t in c.stems]
            for a, b in zip(firsts, [*firsts[1:], len(cands)], strict=True)
        ]
        total = sum(len(x) for x in stems)
        n_segments = segment_count(total, len(firsts))
        # A speaker who announces each next subject ("now let's turn to ...",
        # "finally, ...") has said how many there are (an announcement in the
        # opening words only starts the first one), each with at least
        # ``ANNOUNCED_WORDS`` content words.
        before, announced = 0, 1
        for a, unit in zip(firsts, stems, strict=True):
            if before >= ANNOUNCED_WORDS and _INNER_CUE.match(cands[a].quote):
                announced += 1
            before += len(unit)
        n_segments = max(n_segments, min(MAX_SEGMENTS, announced, total // ANNOUNCED_WORDS))
        bonus = _bonuses(cands, transcript, host)
        found = pick_boundaries(
            stems, [bonus[a] for a in firsts], n_segments, MIN_SHARE * total / n_segments
        )
        found = [firsts[u] for u in found]
        starts = sorted({0, *_snap(found, cands)})
    segments = []
    for k, first in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(cands)
        part = tuple(cands[first:end])
        opens = first == 0 or cands[first - 1].turn_index != part[0].turn_index
        segments.append(
            Segment(
                first_turn=part[0].turn_index,
                last_turn=part[-1].turn_index,
                heading=headings.get(part[0].turn_index) if opens else None,
                candidates=part,
                opens_turn=opens,
            )
        )
    return segments
