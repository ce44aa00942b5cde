"""Headlines that read: what a turning point is about, in words a person would write.

In order of preference: the source's own heading; the host's question that
opens the segment, when it names a subject (not "What do you think?"); the
subject a speaker announces ("Now let's turn to the heat" -> "The heat");
the segment's distinctive multi-word key phrases ("Night bus and shift
workers"); a noun phrase of its key sentence. Never a comma list of single
words: "Percent, panels, questions" tells a reader nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from briefs.brief._keywords import is_topic_phrase, sentence_phrases
from briefs.brief._segments import Segment, announces
from briefs.brief._sentences import Candidate, clean
from briefs.brief._text import content_stems

__all__ = ["HEADLINE_WORDS", "headline", "shorten"]

HEADLINE_WORDS = 12
SUBJECT_WORDS = 7  # an announced subject longer than this is a sentence, not a name
OPENING = 12  # sentences at a segment's start where its question or announcement is looked for

# What follows an announcement is its subject: "let's turn to <the heat>", "the third
# announcement is about <school meals>", "finally, <transport at night>".
_SUBJECT = re.compile(
    r"(?:\b(?:turn|move|go|come|talk|look|start|get)\s+(?:on\s+|back\s+|over\s+)?"
    r"(?:to|about|at|with)(?:\s+talk(?:ing)?\s+about)?(?:\s+(?:is|are|will be))?"
    r"|\b(?:is|are|concerns|will be)\s+(?:about\s+|on\s+)?"
    r"|^\W*(?:(?:and|so|okay|ok|now|right)[,\s]+)*(?:finally|lastly|next|moving on|"
    r"last but not least|turning (?:now )?to|on (?:to )?)[,:\s]+)"
    r"\s*(?P<subject>[^,.;:!?—–()]+)",
    re.IGNORECASE,
)
_SUBJECT_END = re.compile(r"\s+(?:which|that|because|where|when|who|and then|so)\b.*$", re.I)
# "The other thing is to just take ...": a clause, not the name of a subject.
_NOT_A_NAME = frozenset(
    {
        "to",
        "that",
        "how",
        "what",
        "why",
        "whether",
        "if",
        "we",
        "i",
        "you",
        "they",
        "it",
        "he",
        "she",
        "there",
        "just",
        "not",
        "going",
        "gonna",
        "kind",
        "sort",
        "like",
        "really",
        "very",
        "so",
        "also",
        "still",
        "quite",
        "done",
    }
)
_LEADING = re.compile(r"^(?:a|an|some|this|these|our|my)\s+", re.IGNORECASE)


def shorten(text: str, limit: int = HEADLINE_WORDS) -> str:
    """At most ``limit`` words, an ellipsis marking the cut."""
    ws = text.split()
    if len(ws) <= limit:
        return text
    return " ".join(ws[:limit]).rstrip(",;:—–-") + "…"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _question(seg: Segment, host: str | None) -> str | None:
    """The host's opening question, when it names a subject of its own."""
    if host is None:
        return None
    for c in seg.candidates[:OPENING]:
        if c.speaker == host and c.question:
            # Only the question that opens it: a later one asks about a detail.
            q = clean(c.quote)
            specific = len(q.split()) >= 4 and content_stems(q)
            return shorten(q) if specific else None
    return None


def _announced(seg: Segment) -> str | None:
    """The subject a speaker names when announcing it, from the segment's opening."""
    for c in seg.candidates[:OPENING]:
        if not announces(c.quote):
            continue
        m = _SUBJECT.search(c.quote)
        if m is None:
            continue
        subject = _SUBJECT_END.sub("", m.group("subject")).strip()
        subject = _LEADING.sub("", subject)
        first = subject.split()[0].lower() if subject else ""
        if first in _NOT_A_NAME or not 1 <= len(subject.split()) <= SUBJECT_WORDS:
            continue
        if content_stems(subject):
            return _capital(subject)
    return None


def _key_phrase(
    seg: Segment, phrases: Sequence[str], key: Candidate | None, weights: dict[str, float]
) -> str:
    """A noun phrase of the key sentence, else the segment's best multi-word phrases.

    The key sentence is the one that carries most of what sets the segment
    apart, so its own multi-word run with the most distinctive weight names
    the subject in the words the speaker used ("the domestic panels"). A run
    said again elsewhere in the segment comes first: a subject is repeated,
    a verb caught at a run's edge ("gardens grow") rarely is.
    """
    if key is not None:
        said: Counter[tuple[str, ...]] = Counter()
        for c in seg.candidates:
            said.update({stems for stems, _text in sentence_phrases(c.text)})
        runs = [r for r in sentence_phrases(key.text) if len(r[0]) >= 2]
        scored = [
            (said[stems] > 1, sum(weights.get(t, 0.0) for t in stems), len(stems), text, stems)
            for stems, text in runs
        ]
        best = max(scored, default=None)
        if best is not None and best[1] > 0 and all(weights.get(t, 0.0) > 0 for t in best[4]):
            return _capital(best[3])
    multi = [p for p in phrases if " " in p and is_topic_phrase(p)]
    if len(multi) >= 2:
        return _capital(f"{multi[0]} and {multi[1]}")
    if multi:
        return _capital(multi[0])
    single = [p for p in phrases if is_topic_phrase(p)]
    return _capital(single[0]) if single else "Opening"


def headline(
    seg: Segment,
    weights: dict[str, float],
    host: str | None,
    phrases: Sequence[str] = (),
    key: Candidate | None = None,
) -> str:
    """A short title for the segment (see the module docstring for the order)."""
    if seg.heading:
        return seg.heading
    return _question(seg, host) or _announced(seg) or _key_phrase(seg, phrases, key, weights)
