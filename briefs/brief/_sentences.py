"""Sentences a brief can quote, and their cleaned, readable form.

A brief item shows two things: the verbatim ``quote`` (checkable against the
stored text, offsets and all) and a ``text`` a reader can take in at a glance.
``clean`` (in ``_clean``) turns the first into the second, removing only
fillers, stutters, false starts and opening discourse markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from briefs.brief._clean import clean, is_self_contained, leans_back
from briefs.brief._split import brief_sentences
from briefs.brief._text import content_stems, words
from briefs.passages import Passage, time_at
from briefs.transcript import Transcript

__all__ = [
    "CHANGE",
    "Candidate",
    "candidates",
    "clean",
    "is_self_contained",
    "leans_back",
    "short_name",
]

# Phrases by which a speaker marks a change. Each is a strong, explicit signal;
# vaguer ones ("different", "new") would flag half of any conversation.
CHANGE = re.compile(
    r"\bfrom (?:about |around |roughly |only )?\d[\d.,]*\s?(?:%|percent)"
    r".{0,40}?\bto (?:about |around |roughly )?\d[\d.,]*\s?(?:%|percent)"
    r"|\bfor the first time\b|\bturning point\b|\binflection(?: point)?\b"
    r"|\b(?:shut|shutting|shuts) (?:it |this |that )?down\b|\bpivot(?:ed|ing|s)?\b"
    r"|\bno longer\b|\bnot anymore\b|\bany ?more\b(?=[.!?,])|\bused to\b"
    r"|\b(?:shift|shifted|shifting|switch|switched|switching|moved|moving|transition(?:ed|ing)?)"
    r" (?:\w+ ){0,3}from\b.{1,60}?\bto\b"
    r"|\bbreakthrough\b|\bgame[- ]changer\b|\btipping point\b|\bstep change\b"
    r"|\b(?:we|they|I) (?:decided|stopped|abandoned|dropped|cancelled|canceled|killed)\b"
    r"|\bchanged (?:everything|the game|our|my|the way)\b",
    re.IGNORECASE,
)


def short_name(speaker: str) -> str:
    """How a bullet attributes a speaker: "Greg Brockman" -> "Brockman", "Grad E" stays."""
    parts = speaker.split()
    if 2 <= len(parts) <= 3 and all(p[:1].isupper() and len(p) > 2 for p in parts):
        return parts[-1]
    return speaker


@dataclass(slots=True)
class Candidate:
    """A sentence of a speech turn, placed in the transcript and in a passage."""

    order: int
    turn_index: int
    speaker: str
    quote: str
    start: int
    end: int
    passage_id: int
    time: float | None
    text: str
    stems: list[str] = field(default_factory=list)
    n_words: int = 0
    question: bool = False
    turn_words: int = 0
    """Words in the whole turn: long turns are where speakers explain."""
    whole: bool = True
    """Starts and ends where the sentence does (False for a piece of a run-on)."""


def _passage_for(passages: list[Passage], start: int, end: int) -> Passage | None:
    for p in passages:
        if p.start <= start and end <= p.end:
            return p
    return None


def _in_order(passages: list[Passage]) -> bool:
    return all(a.start <= b.start and a.end <= b.end for a, b in pairwise(passages))


class _Homes:
    """``_passage_for`` over one turn's sentences, in order, in linear time.

    A turn of one long monologue has thousands of passages; scanning them all
    for each sentence was quadratic. When the passages run in order (their
    starts and ends never go back, as ``make_passages`` cuts them) the first
    one holding a sentence never moves back either, so a cursor finds it; any
    other list (or a sentence out of order) falls back to the scan.
    """

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.ordered = _in_order(passages)
        self.at = 0
        self.last_end = -1

    def find(self, start: int, end: int) -> Passage | None:
        ps = self.passages
        if not self.ordered or end < self.last_end:
            return _passage_for(ps, start, end)
        self.last_end = end
        # Passages ending before this sentence cannot hold it, nor any later one.
        while self.at < len(ps) and ps[self.at].end < end:
            self.at += 1
        if self.at < len(ps) and ps[self.at].start <= start:
            return ps[self.at]
        # Every later passage starts after this one, every earlier one ends too soon.
        return None


def candidates(transcript: Transcript, passages: list[Passage]) -> list[Candidate]:
    """Every sentence of every speech turn, in order, with its passage and clean text.

    Sentences that no passage contains (none, when passages come from
    ``make_passages``) are left out: a brief item must cite a passage.
    """
    by_turn: dict[int, list[Passage]] = {}
    for p in passages:
        by_turn.setdefault(p.turn_index, []).append(p)
    out: list[Candidate] = []
    for turn in transcript.turns:
        if turn.kind != "speech" or turn.speaker is None or turn.index not in by_turn:
            continue
        homes = _Homes(by_turn[turn.index])
        turn_words = len(words(turn.text))
        for s in brief_sentences(turn.text, turn.start):
            home = homes.find(s.start, s.end)
            if home is None:
                continue
            text = clean(s.text)
            out.append(
                Candidate(
                    order=len(out),
                    turn_index=turn.index,
                    speaker=turn.speaker,
                    quote=s.text,
                    start=s.start,
                    end=s.end,
                    passage_id=home.id,
                    time=time_at(turn.marks, s.start, turn.time_start),
                    text=text,
                    stems=content_stems(text),
                    n_words=len(words(text)),
                    question=s.text.rstrip("\"'”’)] ").endswith("?"),
                    turn_words=turn_words,
                    whole=s.whole,
                )
            )
    return out
