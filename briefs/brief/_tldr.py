"""The TL;DR: a handful of claims that together cover the whole conversation.

Sentences are scored by how much of the conversation's own vocabulary they
carry (content terms weighted by how often the conversation returns to them),
per word, so a long ramble does not win on length alone. Only sentences that
read on their own are eligible: statements, not questions, without an opening
that points back at something unsaid. Answers carry the claims, so in an
interview the host's sentences count for less.

Never a bullet: questions, pieces of an unpunctuated run-on (``_split``),
greetings, housekeeping and promo reads (``_chatter``). A sentence that leans
on the one before it ("That question now has an answer: ...") may come as a
pair with that sentence (``_pairs``).

Coverage: the reader's TL;DR (5-8 bullets) is the thesis, the best sentence
anywhere, then the best of each main segment, largest first, then the best
remaining anywhere. At a fixed word budget (the evaluation) the conversation
is cut into equal stretches instead, as measured best on QMSum train.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence, Set
from functools import lru_cache

from briefs.brief._chatter import is_chatter
from briefs.brief._segments import Segment
from briefs.brief._sentences import Candidate, is_self_contained

__all__ = [
    "MAX_BULLETS",
    "MIN_BULLETS",
    "RESTART",
    "eligible",
    "pick_tldr",
    "score",
    "term_weights",
]

MIN_BULLETS = 5
MAX_BULLETS = 8
WORDS_PER_BULLET = 1200
MIN_WORDS = 7
SHORT_MIN_WORDS = 3
ONCE_WEIGHT = 0.1
MAX_WORDS = 45
HOST_WEIGHT = 0.5
LENGTH_EXPONENT = 0.6
REDUNDANCY = 0.5  # a bullet sharing this share of its terms with a chosen one is a repeat
REGIONS = 3
PRONOUN_DISCOUNT = 0.9
COVERED_WEIGHT = 0.6
RESTART_DISCOUNT = 0.5
PER_TURN = 1
TURN_EXPONENT = 0.1
MIN_SEGMENT_SHARE = 0.05  # a segment with less of the words gets no bullet of its own
REGION_CAP = 1.5  # share of the bullets one region may hold, relative to an even split


_PERSONAL = re.compile(r"(?<![\w'’])(?:i|you|we|me|us|my|your|our)(?![\w])", re.IGNORECASE)


# A function word capitalised mid-sentence, after a word and no punctuation: the
# speaker broke off and started again (ASR transcripts keep these).
RESTART = re.compile(
    r"(?<=[a-z,] )(?:Yeah|Yes|So|And|But|The|It|It's|We|We're|You|There|That|This|That's|"
    r"Given|Well|Oh|Okay|OK|What|If|In|No|Now|Or|Is|Are|Th\w{0,2}|Wh\w{0,2})\b(?!\s*[:—–])"
)


def term_weights(cands: Sequence[Candidate], once: float = 0.0) -> dict[str, float]:
    """Weight of each content term: log of how often the conversation uses it.

    Terms said once are noise for a summary of the whole; they weigh ``once``
    (nothing, except to rank the sentences of a very short exchange).
    """
    counts = Counter(s for c in cands for s in set(c.stems))
    return {t: math.log(n) if n > 1 else once for t, n in counts.items() if n > 1 or once}


def score(
    c: Candidate,
    weights: dict[str, float],
    host: str | None,
    covered: Set[str] = frozenset(),
    min_words: int = MIN_WORDS,
) -> float:
    """How well ``c`` speaks for the conversation; 0 for a sentence a bullet cannot be."""
    if c.question or not c.whole or not (min_words <= c.n_words <= MAX_WORDS):
        return 0.0
    readable = _readability(c.text)
    if not readable:
        return 0.0
    # Terms a chosen bullet already covers count for less: the next bullet
    # should say something new (greedy concept coverage).
    mass = sum(
        weights.get(t, 0.0) * (COVERED_WEIGHT if t in covered else 1.0) for t in set(c.stems)
    )
    # Per word, so length alone does not win; sentences of long turns (where
    # a speaker explains rather than reacts) a little ahead.
    s = mass / (c.n_words**LENGTH_EXPONENT) * max(c.turn_words, 1) ** TURN_EXPONENT
    if host is not None and c.speaker == host:
        s *= HOST_WEIGHT
    return s * readable


@lru_cache(maxsize=8192)
def _readability(text: str) -> float:
    """0 for a text that cannot stand alone, else the discount for how it reads.

    Cached: a sentence is scored again for every bullet picked.
    """
    if not is_self_contained(text):
        return 0.0
    # A restart ("so you Given that Yeah, so") makes a sentence hard to read.
    # "I", "you", "we": talk about the conversation itself rather than its
    # subject; each one makes a sentence a little less of a summary.
    return RESTART_DISCOUNT ** len(RESTART.findall(text)) * PRONOUN_DISCOUNT ** len(
        _PERSONAL.findall(text)
    )


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def eligible(
    cands: Sequence[Candidate], host: str | None, weights: dict[str, float]
) -> list[Candidate]:
    """The sentences that may be bullets: whole statements that read alone, no chatter."""
    return [c for c in cands if score(c, weights, host) > 0 and not _chatter(c)]


def _main_segments(segments: Sequence[Segment], want: int) -> list[Segment]:
    """Segments worth a bullet of their own, largest first (a few-turn greeting is not)."""
    if len(segments) < 2:
        return []
    sized = [(sum(c.n_words for c in s.candidates), s) for s in segments]
    total = sum(n for n, _ in sized) or 1
    big = [(n, s) for n, s in sized if n / total >= MIN_SEGMENT_SHARE]
    big.sort(key=lambda t: (-t[0], t[1].first_turn))
    return [s for _, s in big[: max(want - 1, 1)]]


def _chatter(c: Candidate) -> bool:
    # Both forms: the quote keeps "Thank you" the cleaner may take off.
    return is_chatter(c.quote) or is_chatter(c.text)


def _region(c: Candidate, n: int, regions: int) -> int:
    return min(regions - 1, c.order * regions // max(n, 1))


def pick_tldr(
    segments: Sequence[Segment],
    cands: Sequence[Candidate],
    host: str | None,
    *,
    words: int | None = None,
    extra: Sequence[Candidate] = (),
) -> list[Candidate]:
    """The TL;DR sentences, in transcript order.

    ``extra``: more candidates that are not sentences of ``cands`` (a dangling
    sentence quoted with the one before it, ``_pairs``); they may be bullets
    but do not count in the term weights.

    Without ``words``: between ``MIN_BULLETS`` and ``MAX_BULLETS`` bullets (fewer
    only when the conversation has fewer good sentences). With ``words``: as
    many bullets as fit in that many words.

    Coverage, without ``words``: the thesis, then one bullet from each main
    segment (``_main_segments``). With ``words``: the conversation is cut into
    ``REGIONS`` equal stretches and the best sentence of each is taken first;
    the rest are the best anywhere, at most ``REGION_CAP`` from one stretch.
    (Strict one-per-segment picking scored lower at a budget on QMSum train: a
    meeting's summary dwells on its main topics.)
    """
    weights = term_weights(cands)
    n = len(cands)
    total = sum(c.n_words for c in cands)
    if words is None:
        # Longer conversations get more bullets, within 5-8.
        per_length = max(len(segments), round(total / WORDS_PER_BULLET))
        want = max(MIN_BULLETS, min(MAX_BULLETS, per_length))
    else:
        want = words // MIN_WORDS + 1  # the budget, not a count, is the limit
    regions = max(1, min(REGIONS, want))
    cap = max(1, math.ceil(want * REGION_CAP / regions))
    min_words = MIN_WORDS
    pool = eligible(cands, host, weights) + eligible(extra, host, weights)
    chosen: list[Candidate] = []
    said: set[str] = set()  # the chosen bullets' texts, casefolded
    covered: set[str] = set()
    per_region = [0] * regions
    used_words = 0

    redundancy = REDUNDANCY

    def fits(c: Candidate) -> bool:
        if c.text.casefold() in said:
            return False
        # Never the same words twice (a sentence and the pair that holds it).
        if any(c.start < x.end and x.start < c.end for x in chosen):
            return False
        terms = set(c.stems)
        if any(_overlap(terms, set(x.stems)) >= redundancy for x in chosen):
            return False
        # In an interview an answer makes one point: one bullet per turn (while
        # the overlap limit holds). Meetings are left alone: there a long turn
        # is often where the meeting's main topic is laid out (measured on
        # QMSum train: capping cost 0.004 ROUGE-1).
        if (
            host is not None
            and redundancy <= 1
            and sum(x.turn_index == c.turn_index for x in chosen) >= PER_TURN
        ):
            return False
        return words is None or used_words + c.n_words <= words

    def take_best(region: int | None, within: Segment | None = None) -> bool:
        nonlocal used_words
        best: tuple[float, int] | None = None
        pick: Candidate | None = None
        for c in pool:
            r = _region(c, n, regions)
            if within is not None:
                if not within.first_turn <= c.turn_index <= within.last_turn:
                    continue
            elif (region is not None and r != region) or (
                region is None and per_region[r] >= cap
            ):
                continue
            if not fits(c):
                continue
            key = (score(c, weights, host, covered, min_words), -c.order)
            if best is None or key > best:
                best, pick = key, c
        if pick is None:
            return False
        chosen.append(pick)
        said.add(pick.text.casefold())
        covered.update(pick.stems)
        used_words += pick.n_words
        per_region[_region(pick, n, regions)] += 1
        return True

    main = _main_segments(segments, want) if words is None else []
    if main:
        # The reader's TL;DR: the thesis (the best sentence anywhere), then
        # the best of each main segment, largest first, so every main subject
        # of the conversation gets its bullet.
        take_best(None)
        for seg in main:
            if len(chosen) >= want:
                break
            take_best(None, within=seg)
    else:
        for r in range(regions):
            take_best(r)
    while len(chosen) < want and take_best(None):
        pass
    if words is None and len(chosen) < MIN_BULLETS:
        # A conversation that keeps repeating itself: rather than a one-line
        # TL;DR, accept bullets that overlap (never the same sentence twice).
        redundancy = math.inf
        while len(chosen) < MIN_BULLETS and take_best(None):
            pass
    if words is None and len(chosen) < 2:
        # A short exchange: rather than no TL;DR, its short statements.
        min_words = SHORT_MIN_WORDS
        weights = term_weights(cands, once=ONCE_WEIGHT)
        pool = [
            c for c in cands if score(c, weights, host, min_words=min_words) > 0 and not _chatter(c)
        ]
        while len(chosen) < MIN_BULLETS and take_best(None):
            pass
    return sorted(chosen, key=lambda c: c.order)
