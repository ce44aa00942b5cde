"""Extractive baselines for the TL;DR evaluation: sumy LexRank and Luhn.

sumy's own parsers tokenize with nltk's punkt model, whose data cannot be
downloaded here. We never need them: the baselines must rank *the same
sentences* our brief builder sees, so we hand sumy a ready-made document model
built from those sentences, with a regex word tokenizer and sumy's bundled
English stopword list (plain files inside the package, no nltk data).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["BASELINES", "RegexTokenizer", "summarize_baseline"]

BASELINES = ("lexrank", "luhn")


class RegexTokenizer:
    """The two calls sumy's document model makes of a tokenizer, without nltk data."""

    language = "english"
    _SENTENCE = re.compile(r"(?<=[.!?])\s+")
    _WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s for s in self._SENTENCE.split(paragraph.strip()) if s)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self._WORD.findall(sentence))


_TOKENIZER = RegexTokenizer()


def _summarizer(name: str) -> Any:
    # Imported lazily: sumy is an eval extra, not a runtime dependency.
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.utils import get_stop_words

    classes = {"lexrank": LexRankSummarizer, "luhn": LuhnSummarizer}
    if name not in classes:
        raise ValueError(f"unknown baseline {name!r}; choose one of {', '.join(BASELINES)}")
    summarizer = classes[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def _word_budget(budget: int) -> Callable[[Sequence[Any]], list[Any]]:
    """A sumy ``sentences_count`` that takes best-rated sentences up to ``budget`` words.

    sumy calls it with the sentence infos sorted best first; taking whole
    sentences until the budget is reached (the last one may overshoot and is
    cut by the caller) keeps every system at the same summary length.
    """

    def take(infos: Sequence[Any]) -> list[Any]:
        chosen: list[Any] = []
        words = 0
        for info in infos:
            if words >= budget:
                break
            chosen.append(info)
            words += len(info.sentence.words)
        return chosen

    return take


def summarize_baseline(name: str, sentences: Sequence[str], budget: int) -> str:
    """Run baseline ``name`` over ``sentences`` and return about ``budget`` words.

    Sentences come back in document order. Duplicate sentence texts are kept
    once (sumy keys its ratings by text).
    """
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    unique = list(dict.fromkeys(s.strip() for s in sentences if s.strip()))
    if not unique or budget <= 0:
        return ""
    document = ObjectDocumentModel([Paragraph([Sentence(s, _TOKENIZER) for s in unique])])
    picked = _summarizer(name)(document, _word_budget(budget))
    return " ".join(str(s) for s in picked)
