"""ASR loops: a short phrase a speech recogniser repeated over and over.

Speech recognisers (Whisper above all) sometimes get stuck and emit one phrase
hundreds of times: "got them got them got them ..." for 221 repetitions where
the speaker said it once. Stored as is, the loop floods the brief, the search
index and every quote taken near it. :func:`collapse_loops` keeps one
occurrence; ``TranscriptBuilder`` calls it on every turn's text as it is added,
so the canonical text and its offsets are laid out from the collapsed text.

What counts as a loop, and why:

- a phrase of 2 to 5 words repeated :data:`MIN_REPEATS` (5) or more times in a
  row. People repeat themselves ("no, no, no"), but a several-word phrase said
  five times running is a recogniser's loop, not speech;
- a single word repeated :data:`MIN_WORD_REPEATS` (15) or more times. One word
  said five times is speech a careful transcriber writes down ("very very very
  very very", "no no no no no", a stutter "the the the ..."), and a quote must
  stay verbatim: QMSum's 108,000 human-transcribed turns hold such runs of up
  to 9 ("No no no no no no no no", "the" 9 times). A recogniser's one-word
  loop runs for dozens of repetitions, so 15 still catches it.

Words are compared case-insensitively and without the punctuation around them
("Got them, got them. got them"), and a phrase must hold a letter or digit (a
row of dashes is layout, not a loop). The occurrence kept is the first one,
ending with the punctuation of the last repetition, so the sentence around it
still reads right: "I got them got them ... got them. Then" -> "I got them. Then".
"""

from __future__ import annotations

import itertools
import re
from typing import Any

__all__ = ["MAX_PHRASE_WORDS", "MIN_REPEATS", "MIN_WORD_REPEATS", "collapse_loops", "shift_marks"]

MAX_PHRASE_WORDS = 5
MIN_REPEATS = 5
MIN_WORD_REPEATS = 15

_TOKEN = re.compile(r"\S+")
_WORDISH = re.compile(r"\w+")
_PUNCT = "\"'`.,;:!?…()[]{}<>«»“”‘’„¿¡-–—/*_~"
_ALL_PUNCT = re.compile("[" + re.escape(_PUNCT) + "]+")
_PUNCT_BYTES = bytes(c for c in _PUNCT.encode("utf-8") if c < 128)
_ID_CHARS = [chr(c) for c in range(0x100, 0xD000)]
# A word back 4 more times, each within 5 words: every loop has one (its first word).
_RECURS = re.compile(rf"(.)(?:.{{0,{MAX_PHRASE_WORDS - 1}}}\1){{{MIN_REPEATS - 1}}}", re.S)
_PERIODIC = re.compile(
    rf"(.)\1{{{MIN_WORD_REPEATS - 1}}}|(.{{2,{MAX_PHRASE_WORDS}}}?)\2{{{MIN_REPEATS - 1}}}", re.S)


def _key(token: str) -> str:
    return token.strip(_PUNCT).casefold()


def collapse_loops(text: str) -> tuple[str, list[tuple[str, int]]]:
    """``text`` with each loop kept once, and each loop collapsed as (phrase, repetitions)."""
    if not _may_loop(text):
        return text, []
    # Words only: a token of bare punctuation (a lone quote or dash) is part of
    # the text between words, not a word of the phrase.
    spans: list[tuple[int, int]] = []
    keys: list[str] = []
    for m in _TOKEN.finditer(text):
        key = _key(m.group())
        if key:
            spans.append(m.span())
            keys.append(key)
    count = len(keys)
    pieces: list[str] = []
    loops: list[tuple[str, int]] = []
    copied = 0  # text[:copied] is settled (in pieces)
    i = 0
    while i < count:
        found = _loop_at(keys, i)
        if found is None:
            i += 1
            continue
        n, reps = found
        last_first = spans[i + n - 1]
        final = text[spans[i + reps * n - 1][0]:spans[i + reps * n - 1][1]]
        # First occurrence, its last word carrying the last repetition's punctuation.
        core = text[last_first[0]:last_first[1]].rstrip(_PUNCT) or text[last_first[0]:last_first[1]]
        trail = final[len(final.rstrip(_PUNCT)):]
        pieces.append(text[copied:last_first[0]])
        pieces.append(core + trail)
        copied = spans[i + reps * n - 1][1]
        loops.append((text[spans[i][0]:last_first[1]].rstrip(_PUNCT), reps))
        i += reps * n
    if not loops:
        return text, []
    pieces.append(text[copied:])
    return "".join(pieces), loops


_MIN_LOOP_WORDS = min(2 * MIN_REPEATS, MIN_WORD_REPEATS)


def _may_loop(text: str) -> bool:
    """A necessary condition for a loop, checked at C speed.

    With all punctuation removed and case folded, a loop of phrase length n is
    a stretch where every word equals the one n places on. Words equal for
    :func:`_loop_at` are equal here, so a ``False`` is exact; the check costs
    QMSum's 108,000 turns about a tenth of their reading time, where the
    word-by-word scan took 40%.
    """
    # The shortest loop is a 2-word phrase said MIN_REPEATS times (one word needs
    # MIN_WORD_REPEATS): most turns are shorter than that and need no more look.
    if text.count(" ") + text.count("\n") < _MIN_LOOP_WORDS - 1:
        return False
    if text.isascii():  # bytes.translate is several times faster than a regex
        bare: list[Any] = text.encode("ascii").translate(None, _PUNCT_BYTES).lower().split()
    else:
        bare = _ALL_PUNCT.sub("", text.casefold()).split()
    if len(bare) - len(set(bare)) < MIN_REPEATS - 1:
        return False
    # One character per distinct word (a rare collision only lets a turn through
    # to the exact scan), so C-speed regexes can look for the repetition.
    seen: dict[Any, str] = {}
    ids = "".join(map(seen.setdefault, bare, itertools.cycle(_ID_CHARS)))
    return _RECURS.search(ids) is not None and _PERIODIC.search(ids) is not None


def _loop_at(keys: list[str], i: int) -> tuple[int, int] | None:
    """(phrase length, repetitions) of a loop starting at word ``i``, shortest phrase first."""
    count = len(keys)
    for n in range(1, MAX_PHRASE_WORDS + 1):
        need = MIN_WORD_REPEATS if n == 1 else MIN_REPEATS
        if i + need * n > count or keys[i] != keys[i + n]:
            continue
        phrase = keys[i:i + n]
        if not any(_WORDISH.search(k) for k in phrase) or _power(phrase):
            continue
        reps = 1
        while i + (reps + 1) * n <= count and keys[i + reps * n:i + (reps + 1) * n] == phrase:
            reps += 1
        if reps >= need:
            return n, reps
    return None


def _power(phrase: list[str]) -> bool:
    # "uh uh" x 7 is "uh" x 14: judged as the one word (and its threshold), not a pair.
    n = len(phrase)
    return any(n % d == 0 and phrase == phrase[:d] * (n // d) for d in range(1, n))


def shift_marks(
    before: str, after: str, marks: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """Cue marks (offsets into ``before``) moved to where their words are in ``after``.

    ``after`` is ``before`` with loops collapsed: the text before the first change
    and after the last one is unchanged, so marks there keep (or shift by the
    removed length to) their words; a mark inside a collapsed stretch is dropped.
    """
    if before == after:
        return marks
    n = min(len(before), len(after))
    head = next((i for i in range(n) if before[i] != after[i]), n)
    tail = next((i for i in range(n - head) if before[-1 - i] != after[-1 - i]), n - head)
    delta = len(after) - len(before)
    return [(at, s) for at, s in marks if at < head] + [
        (at + delta, s) for at, s in marks if at >= len(before) - tail and at + delta >= head
    ]
