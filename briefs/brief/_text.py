"""Content words for the brief engine: the search tokenizer's terms minus talk glue.

Terms come from ``briefs.tokenize`` (one tokenizer for the project: stems,
stopwords, normalisation). The brief scores sentences by the content words
they share with the rest of the conversation, so it drops more than search
does: the glue of spoken English ("yeah", "gonna", "stuff", "think") says
nothing about what a conversation is about, though a searcher may still want
to find it.
"""

from __future__ import annotations

import re

from briefs.tokenize import tokenize

__all__ = ["GLUE", "content_stems", "words"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

_GLUE_WORDS = """
yeah yep yup okay ok oh uh um umm uhm hmm mm mmm hm huh ah eh er erm ooh wow alright right
sure know knows knew think thought thinks mean means meant guess kind sort thing things stuff
something anything everything nothing somebody someone anybody anyone everybody everyone
lot lots bit actually basically probably definitely certainly honestly literally totally
pretty gonna wanna gotta go goes going went gone come comes coming came get gets getting got
make makes making made take takes taking took look looks looking looked put puts say says
saying said tell told talk talking talked way ways good great fine yes thank thanks please
cool nice another around back first second next last still already always never often
sometimes many several whole part parts able maybe perhaps quite enough big little new old
one ones two three four five six seven eight nine ten also etc just like really well even
ever every much may might must now use used using want wanted wants see seem seems
however though rather within without whether yet upon truly need needs needed
people person today time times year years day days week weeks point points yes okay
"""
GLUE = frozenset(tokenize(_GLUE_WORDS))
"""Stems of talk glue: never counted as content in a brief."""


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


def words(text: str) -> list[str]:
    """Word tokens as a reader counts them (for word budgets).

    Chinese and Japanese are written without spaces: a run of their characters
    counts as one word per two characters (about the length of a word there).
    """
    out: list[str] = []
    for w in _WORD.findall(text):
        if _CJK.search(w):
            out.extend(w[i : i + 2] for i in range(0, len(w), 2))
        else:
            out.append(w)
    return out


def content_stems(text: str) -> list[str]:
    """Stemmed content terms of ``text``, in order, repeats kept."""
    return [
        t
        for t in tokenize(text)
        if t not in GLUE and len(t) > 1 and not t[0].isdigit() and "-" not in t
    ]
