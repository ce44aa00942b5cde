"""The brief's own sentence splitter: whole sentences, whatever the line breaks.

``briefs.passages.split_sentences`` ends a sentence at every line break, which
suits search (a line is a fine excerpt) but not a brief: in a hard-wrapped
transcript a line break falls mid-sentence, and a bullet quoting from it starts
mid-sentence ("General, endorsed term limits ..."). Here a line break is only
a space, unless the line before it ends a sentence or the next line starts a
list item. A sentence ends at ``. ! ? …`` (and closing quotes or brackets)
followed by a space and a word, a number or an opening quote (lowercase too:
speech recognisers seldom capitalise), never after a known abbreviation or an
initial ("Mr. Smith", "J. Smith", "U.S. policy", "e.g. this"). Chinese and
Japanese enders end a sentence with no space after them.

Unpunctuated speech (ASR without punctuation) gives run-ons of hundreds of
words. They are cut into readable pieces before words that open a clause in
speech ("so", "and then", "but", ...), and each piece is flagged as *not*
whole: its ends are guesses, so the TL;DR prefers real sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["RUN_ON_WORDS", "Piece", "brief_sentences"]

RUN_ON_WORDS = 60
"""Longer than this with no sentence end: a run-on of unpunctuated speech."""
_PIECE_WORDS = 25

_ABBREV_WORDS = (
    "mr mrs ms dr prof sr jr st vs etc e.g i.e inc ltd co corp no vol fig approx u.s "
    "u.k a.m p.m gen gov sen rep lt col sgt capt rev hon mt ft ave est dept "
)
_ABBREV = frozenset(_ABBREV_WORDS.split())
_ENDERS = ".!?…"
_CJK_ENDERS = "。！？｡"
_CLOSERS = "\"'”’)]」』）》〉】〕"
# A sentence end: an ender run, its closing marks, then space or the text's end.
_CLOSE = f"[{re.escape(_CLOSERS)}]*"
_END = re.compile(rf"[{_ENDERS}]+{_CLOSE}(?=\s|$)|[{_CJK_ENDERS}]+{_CLOSE}")
# A new line that starts a list item or a labelled line is its own sentence.
_LIST_ITEM = re.compile(r"\n(?=\s*(?:[-*•–—]\s|\d+[.)]\s))")
# What may open a sentence after an end mark and a space: a word, a number, a quote.
_OPENS = re.compile(r"[\"'“‘(\[¿¡]*\w")
# Words that open a clause in unpunctuated speech: where a run-on is cut.
_CLAUSE = re.compile(
    r"\s(?=(?:so|and then|and so|but|because|okay|now|then|well|which means|"
    r"the thing is|what we|we're|we are|we have|i think|you know what)\s)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Piece:
    """A sentence with offsets into the text it came from; ``whole`` if both ends are real."""

    text: str
    start: int
    end: int
    whole: bool = True


def _is_abbreviation(text: str, end_mark: int) -> bool:
    """True when the ``.`` at ``end_mark`` closes an abbreviation or an initial."""
    if text[end_mark] != ".":
        return False
    i = end_mark
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in "(\"“":
        i -= 1
    word = text[i:end_mark].casefold()
    if word in _ABBREV:
        return True
    # "J." (an initial), "U.S." (letters and dots): not a sentence end.
    token = text[i:end_mark]
    return (len(token) == 1 and token.isalpha() and token.isupper()) or bool(
        re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token)
    )


def _ends(text: str) -> list[int]:
    """Offsets just after each sentence end in ``text``."""
    out: list[int] = []
    for m in _END.finditer(text):
        end = m.end()
        if m.group(0)[0] in _CJK_ENDERS:
            out.append(end)
            continue
        if _is_abbreviation(text, m.start()):
            continue
        rest = text[end:].lstrip()
        if not rest:
            out.append(end)
            continue
        # Speech recognisers seldom capitalise ("warm. then one night"), so the
        # next word may be lowercase; it must still be a word, a number or a quote.
        if _OPENS.match(rest):
            out.append(end)
    for m in _LIST_ITEM.finditer(text):
        out.append(m.start())
    return sorted(set(out))


def _run_on(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an unpunctuated stretch into pieces of about ``_PIECE_WORDS`` words."""
    cuts = [start]
    words_since = 0
    pos = start
    for m in _CLAUSE.finditer(text, start, end):
        words_since += len(text[pos : m.start()].split())
        pos = m.start()
        if words_since >= _PIECE_WORDS * 0.5:
            cuts.append(m.end())
            words_since = 0
    out: list[tuple[int, int]] = []
    for a, b in zip(cuts, [*cuts[1:], end], strict=True):
        # A piece still too long (no clause word in it) is cut by word count.
        tokens = list(re.finditer(r"\S+", text[a:b]))
        for k in range(0, len(tokens), RUN_ON_WORDS):
            chunk = tokens[k : k + RUN_ON_WORDS]
            out.append((a + chunk[0].start(), a + chunk[-1].end()))
    return out


def brief_sentences(text: str, offset: int = 0) -> list[Piece]:
    """The sentences of one turn's ``text``; offsets shifted by ``offset``."""
    out: list[Piece] = []
    start = 0
    for end in [*_ends(text), len(text)]:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            a = start + len(chunk) - len(chunk.lstrip())
            b = a + len(stripped)
            if len(stripped.split()) > RUN_ON_WORDS:
                pieces = _run_on(text, a, b)
                for k, (pa, pb) in enumerate(pieces):
                    # The first piece starts where the sentence does, the last
                    # ends where it does; the cuts between them are guesses.
                    whole = len(pieces) == 1
                    out.append(Piece(text[pa:pb], pa + offset, pb + offset, whole and k == 0))
            else:
                out.append(Piece(stripped, a + offset, b + offset))
        start = end
    return out
