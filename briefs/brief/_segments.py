"""Where a conversation changes subject: segments as runs of speech turns.

A source's own headings are taken as they are. Without headings, boundaries
are found TextTiling-style: the vocabulary of the words just before a gap is
compared with the words just after it, and the deepest dips in that similarity
become boundaries. Two cues that conversations give for free sharpen the
dips: a host's question opens a topic, and a turn that starts with "okay, so"
or "let's move on" often opens one too.

The number of segments grows with the length of the conversation (one per
``WORDS_PER_SEGMENT`` content words, tuned on QMSum train) and is capped, so a
brief stays readable.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from briefs.brief._sentences import Candidate
from briefs.transcript import Transcript

__all__ = ["Segment", "segment"]

WORDS_PER_SEGMENT = 250
MAX_SEGMENTS = 8
WINDOW_WORDS = 120  # content words compared on each side of a gap
CUE_BONUS = 0.05
QUESTION_BONUS = 0.1
_CUE = re.compile(
    r"^\W*(?:(?:u+m+|u+h+)\W+)*(?:ok(?:ay)?|alright|all right|so|now|next|anyway|moving on|"
    r"let's|let us|the next|another thing|the other thing)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Segment:
    """Speech turns ``first_turn``..``last_turn`` (transcript turn indexes, inclusive)."""

    first_turn: int
    last_turn: int
    heading: str | None
    candidates: tuple[Candidate, ...]


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(v * large.get(k, 0) for k, v in small.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def _skips(turn_stems: list[list[str]]) -> tuple[list[int], list[int]]:
    """For each turn, the nearest turn with stems at or after it, and at or before it
    (``len(turn_stems)`` and ``-1`` when there is none)."""
    n = len(turn_stems)
    after, before = [n] * (n + 1), [-1] * n
    for i in range(n - 1, -1, -1):
        after[i] = i if turn_stems[i] else after[i + 1]
    last = -1
    for i in range(n):
        if turn_stems[i]:
            last = i
        before[i] = last
    return after[:n], before


def _block(
    turn_stems: list[list[str]], start: int, step: int, skips: tuple[list[int], list[int]]
) -> Counter[str]:
    """Up to ``WINDOW_WORDS`` stems from turn ``start`` walking by ``step``.

    Turns without stems add nothing, so the walk jumps over them (``skips``):
    a run of thousands of "Yeah." turns must not be walked from every gap.
    """
    out: Counter[str] = Counter()
    n = 0
    nearest = skips[0] if step > 0 else skips[1]
    i = nearest[start] if 0 <= start < len(turn_stems) else start
    while 0 <= i < len(turn_stems) and n < WINDOW_WORDS:
        out.update(turn_stems[i])
        n += len(turn_stems[i])
        i += step
        if 0 <= i < len(turn_stems):
            i = nearest[i]
    return out


def _depths(sims: list[float]) -> list[float]:
    """Per gap, how far the similarity climbs back on both sides (TextTiling's depth).

    The climb from a gap stops where the next value drops; where it stops
    depends only on where it is, so each gap's peak is its neighbour's (one
    pass each way) instead of a walk over every plateau.
    """
    m = len(sims)
    left, right = list(sims), list(sims)
    for i in range(1, m):
        if sims[i - 1] >= sims[i]:
            left[i] = left[i - 1]
    for i in range(m - 2, -1, -1):
        if sims[i + 1] >= sims[i]:
            right[i] = right[i + 1]
    return [(left[g] - s) + (right[g] - s) for g, s in enumerate(sims)]


def _smooth(xs: list[float], width: int) -> list[float]:
    out = []
    for i in range(len(xs)):
        lo, hi = max(0, i - width), min(len(xs), i + width + 1)
        out.append(sum(xs[lo:hi]) / (hi - lo))
    return out


def segment_count(content_words: int, n_turns: int) -> int:
    """How many segments a conversation of this length is split into."""
    wanted = round(content_words / WORDS_PER_SEGMENT)
    return max(1, min(MAX_SEGMENTS, wanted, n_turns // 3 or 1))


def _boundaries(
    turn_stems: list[list[str]], cues: list[bool], questions: list[bool], n_segments: int
) -> list[int]:
    """Positions (into the speech-turn list) where a new segment starts."""
    n = len(turn_stems)
    if n_segments <= 1 or n < 4:
        return []
    skips = _skips(turn_stems)
    sims = [
        _cosine(_block(turn_stems, g - 1, -1, skips), _block(turn_stems, g, 1, skips))
        for g in range(1, n)
    ]
    depth = _smooth(_depths(_smooth(sims, 1)), 1)
    scores = []
    for g in range(1, n):
        score = depth[g - 1]
        if cues[g]:
            score += CUE_BONUS
        if questions[g]:
            score += QUESTION_BONUS
        scores.append((score, g))
    # Deepest first; keep boundaries apart so one topic shift is not drawn twice.
    min_gap = max(3, n // (n_segments * 3))
    chosen: list[int] = []
    for _score, g in sorted(scores, key=lambda x: (-x[0], x[1])):
        if g < min_gap or n - g < min_gap:
            continue
        if all(abs(g - c) >= min_gap for c in chosen):
            chosen.append(g)
        if len(chosen) == n_segments - 1:
            break
    return sorted(chosen)


def segment(
    transcript: Transcript, cands: list[Candidate], host: str | None = None
) -> list[Segment]:
    """The conversation's segments, in order, covering every candidate sentence."""
    by_turn: dict[int, list[Candidate]] = {}
    for c in cands:
        by_turn.setdefault(c.turn_index, []).append(c)
    speech = [t for t in transcript.turns if t.index in by_turn]
    if not speech:
        return []
    # The source's headings: a heading opens a segment at the next speech turn.
    headings: dict[int, str] = {}
    pending: str | None = None
    for t in transcript.turns:
        if t.kind == "heading":
            pending = t.text
        elif t.index in by_turn and pending is not None:
            headings[t.index] = pending
            pending = None
    if headings:
        starts = [0] + [i for i, t in enumerate(speech) if t.index in headings and i > 0]
    else:
        turn_stems = [[s for c in by_turn[t.index] for s in c.stems] for t in speech]
        total = sum(len(s) for s in turn_stems)
        cues = [bool(_CUE.match(t.text)) for t in speech]
        questions = [
            host is not None and t.speaker == host and any(c.question for c in by_turn[t.index])
            for t in speech
        ]
        starts = [0, *_boundaries(turn_stems, cues, questions, segment_count(total, len(speech)))]
    segments = []
    for k, first in enumerate(starts):
        last = starts[k + 1] - 1 if k + 1 < len(starts) else len(speech) - 1
        turns = speech[first : last + 1]
        segments.append(
            Segment(
                first_turn=turns[0].index,
                last_turn=turns[-1].index,
                heading=headings.get(turns[0].index),
                candidates=tuple(c for t in turns for c in by_turn[t.index]),
            )
        )
    return segments
