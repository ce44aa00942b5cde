"""One tokenizer for passages and queries, so both sides meet on the same terms.

``tokenize(text)`` returns the index terms of a text, in order, as strings:

- Unicode-aware words (any script), NFKC-normalised, case-folded, accents folded
  (``café`` matches ``cafe``); curly quotes and dashes normalised first.
- English stopwords dropped; alphabetic ASCII words stemmed with the Snowball
  English stemmer (PyStemmer), so ``computing`` finds ``compute``.
- Hyphenated terms and numbers stay searchable: ``GPT-5`` yields ``gpt-5`` and
  its parts ``gpt`` and ``5``; ``20%`` yields ``20%`` and ``20``; ``1,000``
  yields ``1000``. The whole term rewards an exact match, the parts keep
  ``GPT 5`` and ``speech to speech`` finding it.
- CJK runs (Han, kana, Hangul) become overlapping character bigrams, so mixed
  language transcripts are searchable without a dictionary.

``token_spans(text)`` gives the same terms with their character offsets in
``text``: the search layer uses them to mark matched words in excerpts.
Tokenizing, indexing and retrieving are separate steps (as in bm25s): the index
never sees raw text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import NamedTuple

import Stemmer

from briefs._stopwords import STOPWORDS

__all__ = ["STOPWORDS", "Span", "is_stopword", "normalize_text", "token_spans", "tokenize"]


class Span(NamedTuple):
    """One index term and the characters of the source text it came from."""

    term: str
    start: int
    end: int


# Length-preserving translation (one character for one), so offsets found in
# the translated text are offsets in the original.
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u02bc": "'", "\uff07": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"',
        "\u00bb": '"', "\uff02": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
        "\ufe63": "-", "\uff0d": "-",
        # An em dash separates clauses ("Sure—GPT-5"): it never joins words.
        "\u2014": " ", "\u2015": " ",
        "\uff05": "%",
    }
)

# A raw token: letters/digits (any script, no underscore) joined by inner
# hyphens or apostrophes, or by a dot/comma between digits, with an optional
# trailing percent sign.
_RAW = re.compile(r"[^\W_]+(?:(?:[-'](?=[^\W_])|(?<=\d)[.,](?=\d))[^\W_]+)*%?")
_CJK = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31f0-\u31ff"
    r"\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+"
)
_MAX_TERM = 48  # longer "words" are URLs, hashes or junk: not worth indexing
# One stemmer per thread: PyStemmer's objects are not thread-safe, and ingest
# tokenizes in a worker thread while the event loop tokenizes queries.
_STEMMERS = threading.local()
# Where the stemmer merges different senses that searches must keep apart:
# "compute" (capacity) is not "computer" (the machine).
_STEM_EXCEPTIONS = {
    "computer": "computer", "computers": "computer",
    "university": "university", "universities": "university",
}
_CACHE_LIMIT = 200_000
# raw token -> ((term, start, end), ...) with offsets relative to the token.
_cache: dict[str, tuple[tuple[str, int, int], ...]] = {}


def normalize_text(text: str) -> str:
    """Quotes and dashes normalised, one character for one (offsets survive)."""
    return text.translate(_TRANSLATE)


def is_stopword(word: str) -> bool:
    return _fold(normalize_text(word)) in STOPWORDS


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).casefold()
    if not word.isascii():
        decomposed = unicodedata.normalize("NFKD", word)
        word = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
        )
    return word


def _word_term(part: str) -> str | None:
    """The index term of one hyphen-free word, or None when it is not indexed."""
    word = _fold(part)
    if word in STOPWORDS:
        return None
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if not word or word in STOPWORDS or len(word) > _MAX_TERM:
        return None
    if word[0].isdigit() or word[-1] == "%":
        # Numbers: "1,000" and "1000" are the same number.
        return word.replace(",", "")
    if word.isascii() and word.isalpha():
        return _STEM_EXCEPTIONS.get(word) or _stem(word)
    return word


def _stem(word: str) -> str:
    stemmer = getattr(_STEMMERS, "stemmer", None)
    if stemmer is None:
        stemmer = _STEMMERS.stemmer = Stemmer.Stemmer("english")
    return str(stemmer.stemWord(word))


def _analyse_plain(raw: str, base: int, out: list[tuple[str, int, int]]) -> None:
    """Terms of a non-CJK raw token: the whole hyphenated term, then its parts."""
    pieces = [(m.group(), m.start()) for m in re.finditer(r"[^-]+", raw)]
    if len(pieces) > 1:
        whole = _fold(raw)
        whole = (whole[:-2] if whole.endswith("'s") else whole).replace("'", "")
        if len(whole) <= _MAX_TERM:
            out.append((whole, base, base + len(raw)))
    for piece, at in pieces:
        if piece.endswith("%") and len(piece) > 1:
            term = _word_term(piece)
            if term:
                out.append((term, base + at, base + at + len(piece)))
                out.append((term[:-1], base + at, base + at + len(piece) - 1))
            continue
        term = _word_term(piece)
        if term:
            out.append((term, base + at, base + at + len(piece)))


def _analyse(raw: str) -> tuple[tuple[str, int, int], ...]:
    out: list[tuple[str, int, int]] = []
    if not _CJK.search(raw):
        _analyse_plain(raw, 0, out)
        return tuple(out)
    pos = 0
    for m in _CJK.finditer(raw):
        if m.start() > pos:
            _analyse_plain_chunk(raw[pos : m.start()], pos, out)
        run = m.group()
        if len(run) == 1:
            out.append((_fold(run), m.start(), m.end()))
        for i in range(len(run) - 1):
            out.append((_fold(run[i : i + 2]), m.start() + i, m.start() + i + 2))
        pos = m.end()
    if pos < len(raw):
        _analyse_plain_chunk(raw[pos:], pos, out)
    return tuple(out)


def _analyse_plain_chunk(chunk: str, base: int, out: list[tuple[str, int, int]]) -> None:
    # A chunk between CJK runs may start or end with a joiner ("GPT-5模型").
    for m in _RAW.finditer(chunk):
        _analyse_plain(m.group(), base + m.start(), out)


def _terms_of(raw: str) -> tuple[tuple[str, int, int], ...]:
    hit = _cache.get(raw)
    if hit is None:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        hit = _cache[raw] = _analyse(raw)
    return hit


def tokenize(text: str) -> list[str]:
    """The index terms of ``text``, in order (duplicates kept: they are counts)."""
    terms: list[str] = []
    for raw in _RAW.findall(text.translate(_TRANSLATE)):
        terms.extend(t[0] for t in _terms_of(raw))
    return terms


def token_spans(text: str) -> list[Span]:
    """The terms of ``text`` with their offsets in ``text`` (``tokenize`` order)."""
    spans: list[Span] = []
    for m in _RAW.finditer(text.translate(_TRANSLATE)):
        base = m.start()
        spans.extend(Span(t, base + s, base + e) for t, s, e in _terms_of(m.group()))
    return spans
