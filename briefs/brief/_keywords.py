"""Keywords: the topics a transcript is about, for digests and topic subscriptions.

Candidate phrases are runs of up to three content words between stop words
and punctuation (the RAKE idea), counted by their stems so "data center" and
"data centers" are one topic. A phrase scores by how often it is said and how
widely it is spread over the conversation's segments; words of the title and
the host's questions name the topics on purpose and count extra. A phrase
contained in a better one is not listed twice.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from briefs.brief._segments import Segment
from briefs.brief._text import GLUE
from briefs.tokenize import tokenize

__all__ = ["MAX_KEYWORDS", "is_topic_phrase", "keywords", "segment_phrases", "sentence_phrases"]

MAX_KEYWORDS = 10
_MAX_PHRASE = 3
_CHUNK = re.compile(r"[^.,;:!?()\[\]\"“”—–…]+")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@lru_cache(maxsize=65536)
def _term(word: str) -> str | None:
    terms = [t for t in tokenize(word) if "-" not in t or t == word.lower()]
    if len(terms) != 1:
        return None
    t = terms[0]
    if t in GLUE or len(t) < 2 or t[0].isdigit():
        return None
    return t


@lru_cache(maxsize=4096)
def _phrases(text: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(stem key, surface) of every content phrase and its sub-phrases in ``text``."""
    out: list[tuple[tuple[str, ...], str]] = []
    for chunk in _CHUNK.findall(text):
        run: list[tuple[str, str]] = []
        for m in [*_WORD.finditer(chunk), None]:
            term = _term(m.group()) if m else None
            if term is not None and m is not None:
                run.append((term, m.group()))
                continue
            for n in range(1, _MAX_PHRASE + 1):
                for i in range(len(run) - n + 1):
                    part = run[i : i + n]
                    out.append((tuple(t for t, _ in part), " ".join(w for _, w in part)))
            run = []
    return tuple(out)


# Adverbs and prepositions the stopword list lets through: "especially since",
# "park behind" are not subjects. Most "-ly" words are adverbs; these are not.
_NOT_AN_EDGE = frozenset(
    tokenize(
        """since behind ahead along across despite unless until toward towards upon via
        instead rather already anyway somehow somewhere elsewhere later earlier soon
        often directly especially exactly"""
    )
)
_LY_NOUNS = frozenset(
    {
        "family",
        "supply",
        "assembly",
        "july",
        "italy",
        "reply",
        "rally",
        "ally",
        "anomaly",
        "monopoly",
    }
)


def _edge(stem: str, word: str) -> bool:
    """Whether a phrase may start or end with this word."""
    w = word.lower()
    if stem in _NOT_A_TOPIC or stem in _NOT_AN_EDGE:
        return False
    return not (w.endswith("ly") and len(w) > 4 and w not in _LY_NOUNS)


def is_topic_phrase(text: str) -> bool:
    """Whether a phrase as written can name a topic in a headline (its edge words)."""
    ws = _WORD.findall(text)
    first, last = (_term(ws[0]), _term(ws[-1])) if ws else (None, None)
    return first is not None and last is not None and _edge(first, ws[0]) and _edge(last, ws[-1])


def sentence_phrases(text: str) -> list[tuple[tuple[str, ...], str]]:
    """(stem key, words as written) of the content-word runs of one sentence, for a
    headline; verbs, counts and adverbs that never name a topic are not left at
    either edge."""
    return [(key, surface) for key, surface in _phrases(text) if is_topic_phrase(surface)]


def _display(forms: Counter[str]) -> str:
    # Names keep their capitals ("OpenAI", "Sora"); common words are lowercased
    # unless they are capitalised nearly everywhere they occur.
    best, _n = forms.most_common(1)[0]
    capitalised = sum(k for f, k in forms.items() if f[:1].isupper())
    if capitalised >= 0.8 * sum(forms.values()):
        return best
    return best.lower()


# Verbs, adjectives and counts common in any talk: inside a phrase they may
# belong to a topic ("mental health care"), at its edge or alone they never name one.
_NOT_A_TOPIC = frozenset(
    tokenize(
        """understand change changes start started build building built work working help
        feel keep happen happened become create give find try begin continue move bring call
        allow include seen different important real better best large small high low hard
        easy clear possible likely true whole key entire simple specific general interesting
        problem problems question questions answer idea ideas example case cases level
        stage side area areas form forms sense reason result results process place number
        exactly whatever us else fact terms kinds type types bunch give ask half mr mrs ms
        eleven twelve thirteen fifteen twenty thirty forty fifty hundred thousand million
        yesterday tomorrow morning afternoon minute minutes hour hours"""
    )
)


def keywords(
    segments: Sequence[Segment],
    title: str,
    host: str | None,
    headings: Sequence[str] = (),
) -> list[str]:
    """Up to ``MAX_KEYWORDS`` topics, most important first.

    Words of the title and of the source's headings name its topics on purpose
    and count extra, as do the words of the host's questions.
    """
    counts: Counter[tuple[str, ...]] = Counter()
    spread: dict[tuple[str, ...], set[int]] = {}
    forms: dict[tuple[str, ...], Counter[str]] = {}
    asked: set[str] = set()
    for k, seg in enumerate(segments):
        for c in seg.candidates:
            for key, surface in _phrases(c.text):
                counts[key] += 1
                spread.setdefault(key, set()).add(k)
                forms.setdefault(key, Counter())[surface] += 1
            if host is not None and c.speaker == host and c.question:
                asked.update(c.stems)
    named = {t for text in (title, *headings) for w in _WORD.findall(text) if (t := _term(w))}
    scored: list[tuple[float, tuple[str, ...]]] = []
    for key, n in counts.items():
        if n < 2 or key[0] in _NOT_A_TOPIC or key[-1] in _NOT_A_TOPIC:
            continue
        s = n * (1 + 1.0 * (len(key) - 1)) * (1 + math.log(len(spread[key])))
        if any(t in named for t in key):
            s *= 1.5
        if any(t in asked for t in key):
            s *= 1.2
        scored.append((s, key))
    scored.sort(key=lambda x: (-x[0], x[1]))
    chosen: list[tuple[str, ...]] = []

    def repeats(key: tuple[str, ...], other: tuple[str, ...]) -> bool:
        # "app" beside "super app" says nothing new when "app" is mostly said
        # as part of it; "model" beside "world model" does when it is not.
        short, long_ = (key, other) if len(key) <= len(other) else (other, key)
        return set(short) <= set(long_) and counts[short] <= 1.5 * counts[long_]

    for _s, key in scored:
        if any(repeats(key, other) for other in chosen):
            continue
        chosen.append(key)
        if len(chosen) == MAX_KEYWORDS:
            break
    return [_display(forms[key]) for key in chosen]


def _distinct(scored: list[tuple[float, tuple[str, ...]]], limit: int) -> list[tuple[str, ...]]:
    chosen: list[tuple[str, ...]] = []
    for _s, key in sorted(scored, key=lambda x: (-x[0], x[1])):
        if any(set(key) <= set(other) or set(other) <= set(key) for other in chosen):
            continue
        chosen.append(key)
        if len(chosen) == limit:
            break
    return chosen


def segment_phrases(segments: Sequence[Segment], limit: int = 3) -> list[list[str]]:
    """Per segment, the phrases that set it apart from the other segments (for headlines)."""
    counts: list[Counter[tuple[str, ...]]] = []
    forms: dict[tuple[str, ...], Counter[str]] = {}
    for seg in segments:
        seg_counts: Counter[tuple[str, ...]] = Counter()
        for c in seg.candidates:
            for key, surface in _phrases(c.text):
                seg_counts[key] += 1
                forms.setdefault(key, Counter())[surface] += 1
        counts.append(seg_counts)
    df: Counter[tuple[str, ...]] = Counter()
    for seg_counts in counts:
        df.update(seg_counts.keys())
    n = len(segments)
    out = []
    for seg_counts in counts:
        scored = [
            (k * (1 + 1.0 * (len(key) - 1)) * math.log(1 + n / df[key]), key)
            for key, k in seg_counts.items()
            if k >= 2
        ]
        out.append([_display(forms[key]) for key in _distinct(scored, limit)])
    return out
