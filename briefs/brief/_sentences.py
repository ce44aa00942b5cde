"""Sentences a brief can quote, and their cleaned, readable form.

A brief item shows two things: the verbatim ``quote`` (checkable against the
stored text, offsets and all) and a ``text`` a reader can take in at a glance.
``clean`` turns the first into the second: it drops fillers ("um", "you know"),
stutters ("I I", "the the"), false starts ("wh- what") and the openers that
only make sense inside the conversation ("So", "Yes", "That's why", "I think"),
then restores a capital and a full stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from briefs.brief._text import content_stems, words
from briefs.passages import Passage, split_sentences, time_at
from briefs.transcript import Transcript

__all__ = ["CHANGE", "Candidate", "candidates", "clean", "is_self_contained", "short_name"]

# Transcription markup some sources keep inline ({disfmarker}, [laughter], (inaudible)).
_MARKUP = re.compile(
    r"\{[a-z_]+\}|\[(?:laughter|laughs|applause|music|crosstalk|inaudible|pause|silence|noise)\]"
    r"|\((?:laughter|laughs|inaudible|crosstalk|pause)\)",
    re.IGNORECASE,
)
# Fillers that never carry meaning, wherever they stand.
_FILLER = re.compile(
    r"(?<![\w'-])(?:u+m+|u+h+|uhm|erm|er|eh|ah|hmm+|mm+|mhm|mm-hmm|uh-huh)(?![\w'-])[,.]?",
    re.IGNORECASE,
)
# Fillers that are only fillers between commas or at a clause start: "you know
# what" and "I mean it" are real speech, ", you know," is not.
_SOFT_FILLER = re.compile(
    r"(?:(?<=^)|(?<=[,;—–-]))\s*(?:you know|i mean|like|you see|sort of|kind of|i guess)\s*,",
    re.IGNORECASE,
)
_SOFT_FILLER_MID = re.compile(
    r",\s*(?:you know|i mean|you see|i guess|like)\s*(?=[,.;!?—–]|$)"
    r"|(?<![\w'])(?:you know|i mean),\s*",
    re.IGNORECASE,
)
# Hedges and intensifiers of speech that a written summary leaves out.
_HEDGE = re.compile(
    # Not after a negation: "not just", "no longer really" keep their meaning.
    r"(?<![\w'’])(?<!not )(?<!n't )(?<!n’t )(?<!longer )(?<!never )"
    r"(?:i think|i guess|i mean|you know|sort of|kind of|actually|basically|"
    r"really|just|probably|i would say)(?![\w'’])(?:,\s*|\s+(?=\w))",
    re.IGNORECASE,
)
_TAIL_HEDGE = re.compile(
    r",\s*(?:i think|i guess|i mean|you know|i would say|basically|probably)(?=[.!?…]*$)",
    re.IGNORECASE,
)
# A cut-off word: "wh- what", "th- the", "inter- interface".
_FALSE_START = re.compile(r"(?<![\w-])[A-Za-z]{1,12}-\s+(?=[A-Za-z])")
# A stutter: the same one or two words said twice or more ("I I", "it's it's").
_STUTTER = re.compile(r"\b(\w+(?:['’]\w+)?(?:\s+\w+)?)(?:[\s,]+\1\b)+", re.IGNORECASE)

# Openers that tie a sentence to what came before; removed one after another
# ("So, yes, I think ..."). "So" before much/many/far/that is not an opener.
_OPENER = re.compile(
    r"^(?:"
    r"so(?!\s+(?:much|many|far|long|few|little)\b|\s+that\b(?!['’]s))|yes|yeah|yep|yup|well(?=[\s,.!])|and|but|"
    r"okay|ok|oh|alright|all right|right(?=[,.!])|now(?=,)|also|actually|basically|anyway|anyhow|"
    r"plus|honestly|sure|no(?=,)|of course|again|then(?=,)|look(?=,)|listen(?=,)|see(?=,)|"
    r"(?:i think|i guess|i believe)(?: that(?=\s+(?:we|i|you|they|it|he|she|the|a|an|there|this|"
    r"these|those|our|my|your|their|its|most|many|some|all|every|no|to|in|if|when|for|as|"
    r"with|once|because)\b))?|"
    r"i feel like|i'd say|i would say|"
    r"i mean|you know|like(?=,)|that's why|that is why|that's because|which is why|"
    r"that's right|exactly|absolutely|indeed|true|correct|good question|great question|"
    r"to be honest|in fact|in other words|as i said|as you said|like i said"
    r")(?:[\s,.!:;—–-]+|$)",
    re.IGNORECASE,
)
# Starts that point back at something unsaid: a reader of the bullet alone
# cannot resolve them.
_ANAPHORIC = re.compile(
    r"^(?:(?:first|second|third|fourth|secondly|thirdly|finally|lastly)\b[,:]?|"
    r"this|that|these|those|it|they|he|she|there|which|because|here|then|"
    r"the same|the other|the latter|the former|other|both|such)\b",
    re.IGNORECASE,
)
# An end that trails off: "so it's.", "that's.", "and the."
_TRAILING = re.compile(
    r"\b(?:that's|it's|there's|so|and|but|or|the|a|an|of|to|with|is|are|was|if|because|like)"
    r"[.…]*$",
    re.IGNORECASE,
)
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
_ENDS = ".!?…。！？"
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")
_REPEATED_PUNCT = re.compile(r"([,;:])(?:\s*[,;:])+")


def _drop_fragments(text: str) -> str:
    out: list[str] = []
    tokens = text.split(" ")
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        bare, nbare = tok.lower(), nxt.lower().strip(",.;:!?")
        # A lone lowercase letter is a cut-off word ("t some"), not a word.
        if len(tok) == 1 and tok.islower() and tok != "a" and nxt[:1].isalpha():
            continue
        # "th the", "wi with": a cut-off start of the very next word.
        if (
            1 <= len(bare) <= 3
            and bare.isalpha()
            and len(nbare) > len(bare)
            and nbare.startswith(bare)
            and bare
            not in {
                "a",
                "i",
                "an",
                "in",
                "on",
                "to",
                "at",
                "be",
                "we",
                "he",
                "no",
                "so",
                "do",
                "go",
                "is",
                "it",
                "or",
                "us",
                "as",
                "by",
                "of",
                "up",
                "my",
                "me",
                "the",
                "and",
                "for",
                "all",
                "not",
                "can",
                "our",
                "any",
                "she",
                "her",
                "his",
                "you",
                "was",
                "but",
                "how",
                "who",
                "one",
                "two",
                "out",
                "way",
                "new",
                "now",
                "use",
                "see",
                "get",
                "say",
                "too",
                "its",
                "let",
            }
        ):
            continue
        out.append(tok)
    return " ".join(out)


def _strip_quotes(s: str) -> str:
    # A quotation mark left alone at either end (its partner was in another
    # sentence) is dropped; a balanced pair is kept.
    if s.startswith("“") and "”" not in s:
        s = s[1:].lstrip()
    if s.endswith("”") and "“" not in s:
        s = s[:-1].rstrip()
    if s.count("“") > s.count("”"):
        i = s.rindex("“")
        s = s[:i] + s[i + 1 :]
    if s.count('"') % 2 == 1:
        s = s[1:].lstrip() if s.startswith('"') else s[:-1].rstrip() if s.endswith('"') else s
    return s


def _strip_openers(s: str) -> str:
    for _ in range(6):
        m = _OPENER.match(s)
        if not m or m.end() == 0:
            break
        s = s[m.end() :].lstrip(" ,;:—–-")
    return s


def clean(text: str) -> str:
    """A readable, self-standing version of a spoken sentence ("" if nothing is left)."""
    s = _MARKUP.sub(" ", text.replace("\n", " "))
    s = _FILLER.sub(" ", s)
    s = _SPACES.sub(" ", s).strip()
    s = _FALSE_START.sub("", s)
    s = _SOFT_FILLER_MID.sub("", s)
    s = _SOFT_FILLER.sub("", s)
    s = _STUTTER.sub(r"\1", s)
    s = _STUTTER.sub(r"\1", _drop_fragments(s))
    s = _SPACE_BEFORE_PUNCT.sub(r"\1", s)
    s = _REPEATED_PUNCT.sub(r"\1", s)
    s = _SPACES.sub(" ", s).strip(" ,;:—–-")
    s = _strip_openers(s)
    s = _strip_openers(_TAIL_HEDGE.sub("", _HEDGE.sub("", s)))
    s = _strip_quotes(s.strip(" ,;:—–-"))
    if not s:
        return ""
    if s[0].islower():
        s = s[0].upper() + s[1:]
    if s[-1] not in _ENDS and not (s[-1] in '”"’)」' and s[-2:-1] in _ENDS):
        s = s.rstrip(" ,;:") + "."
    return s


def is_self_contained(text: str) -> bool:
    """False for a cleaned sentence that leans on what came before or trails off."""
    return (
        bool(text)
        and not _OPENER.match(text)
        and not _ANAPHORIC.match(text)
        and not _TRAILING.search(text)
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
        for s in split_sentences(turn.text, turn.start):
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
                )
            )
    return out
