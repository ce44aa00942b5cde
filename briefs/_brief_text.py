"""Content words for the brief engine: lowercase tokens, stop words out, stems.

The brief scores sentences by the content words they share with the rest of
the conversation, so what counts as "content" matters more here than for
search: conversational glue ("yeah", "gonna", "stuff") is dropped as well as
the usual function words.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

__all__ = ["STOPWORDS", "content_stems", "content_tokens", "stem", "words"]

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")

# Function words plus the glue of spoken English: a word here never makes a
# sentence about something.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each either else even ever every few for from further get
    gets getting got gotta gonna had hadn't has hasn't have haven't having he he'd he'll he's her
    here here's hers herself him himself his how how's however i i'd i'll i'm i've if in into is
    isn't it it's its itself just let let's like may maybe me might mine more most much must my
    myself no nor not now of off on once one ones only or other others our ours ourselves out
    over own per quite rather re really same say said says see seem seems shall she she'd she'll
    she's should shouldn't so some such than that that's the their theirs them themselves then
    there there's these they they'd they'll they're they've this those though through thus to
    too under until up upon us use used using very via want wanted wants was wasn't we we'd we'll
    we're we've well were weren't what what's whatever when when's where where's whether which
    while who who's whom whose why why's will with within without won't would wouldn't yes yet
    you you'd you'll you're you've your yours yourself yourselves
    yeah yep yup okay ok oh uh um umm uhm hmm mm mmm hm huh ah eh er erm ooh wow alright right
    sure know knows knew think thought thinks mean means meant guess kind sort thing things stuff
    something anything everything nothing somebody someone anybody anyone everybody everyone
    lot lots bit actually basically probably definitely certainly honestly literally totally
    pretty sort of gonna wanna gotta go goes going went gone come comes coming came make makes
    making made take takes taking took look looks looking looked put puts say saying tell told
    talk talking talked way ways good great fine yes no thank thanks please cool nice okay
    another around back first second next last still already always never often sometimes
    many several whole part parts able maybe perhaps quite enough big little new old
    two three four five six seven eight nine ten also etc
    """.split()
)

_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of a lowercase word (cached: conversations repeat words)."""
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """Lowercase word tokens, apostrophes normalised (``don’t`` -> ``don't``)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def content_tokens(text: str) -> list[str]:
    """Lowercase words that are not stop words, numbers alone or single letters."""
    return [
        w for w in words(text) if w not in STOPWORDS and len(w) > 1 and not w.isdigit()
    ]


def content_stems(text: str) -> list[str]:
    """Stems of ``content_tokens(text)``, in order, repeats kept."""
    return [stem(w) for w in content_tokens(text)]
