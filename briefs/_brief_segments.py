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

from briefs._brief_sentences import Candidate
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


def _block(turn_stems: list[list[str]], start: int, step: int) -> Counter[str]:
    """Up to ``WINDOW_WORDS`` stems from turn ``start`` walking by ``step``."""
    out: Counter[str] = Counter()
    n = 0
    i = start
    while 0 <= i < len(turn_stems) and n < WINDOW_WORDS:
        out.update(turn_stems[i])
        n += len(turn_stems[i])
        i += step
    return out


def _depths(sims: list[float]) -> list[float]:
    depths = []
    for g, s in enumerate(sims):
        left = s
        i = g
        while i > 0 and sims[i - 1] >= left:
            i -= 1
            left = sims[i]
        right = s
        i = g
        while i < len(sims) - 1 and sims[i + 1] >= right:
            i += 1
            right = sims[i]
        depths.append((left - s) + (right - s))
    return depths


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
    sims = [_cosine(_block(turn_stems, g - 1, -1), _block(turn_stems, g, 1)) for g in range(1, n)]
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
