"""A transcript's top quotes: its most quotable passages about what it is about.

"Most quotable" is a definition here, not a guess: the passages that best
match the brief's keywords by BM25 inside the one transcript (an ``in:<id>``
quote search for the keywords' words), so a passage dense in the
conversation's main topics ranks first, with the same excerpts quote search
shows. They are deduplicated against each other: quote search never repeats
a sentence of a transcript, and an excerpt whose words were already shown,
or that holds all of one shown (a sentence said twice), is dropped.
Questions are left out: they quote what was asked, and the answer is the
quotable part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from briefs.search._quotes import MAX_PAGE_SIZE, Hit

__all__ = ["TOP_QUOTES", "QuoteSource", "keyword_query", "top_quotes"]

TOP_QUOTES = 20
"""At most this many: past twenty, a quote is no longer a top one."""


class QuoteSource(Protocol):
    """What picking needs: ``briefs.library._facade.Library.search``."""

    async def search(self, query: str, *, page: int = 1, page_size: int = 5) -> Any: ...


def keyword_query(transcript_id: str, keywords: Sequence[str]) -> str:
    """The search query: ``in:<id>`` and the keywords' words, each once.

    Only word characters go in, so a keyword can never read as a filter, a
    phrase that must match verbatim, or an exclusion.
    """
    words = dict.fromkeys(w.casefold() for k in keywords for w in re.findall(r"\w+", k))
    return " ".join([f"in:{transcript_id}", *words])


async def top_quotes(
    source: QuoteSource, transcript_id: str, keywords: Sequence[str], *, limit: int = TOP_QUOTES
) -> list[Hit]:
    """Up to ``limit`` top quotes of ``transcript_id``, best first (none without keywords)."""
    if not any(re.search(r"\w", k) for k in keywords):
        return []
    # One page of the most candidates search gives: questions and repeats
    # are dropped below, and what is left is ranked already.
    page = await source.search(
        keyword_query(transcript_id, keywords), page=1, page_size=MAX_PAGE_SIZE
    )
    quotes: list[Hit] = []
    shown: list[str] = []
    for hit in page.hits:
        words = re.findall(r"\w+", hit.excerpt.casefold())
        folded = f" {' '.join(words)} "  # padded: containment is whole words only
        if hit.excerpt.rstrip().endswith("?") or not words:
            continue
        if any(folded in seen or seen in folded for seen in shown):
            continue
        shown.append(folded)
        quotes.append(hit)
        if len(quotes) >= limit:
            break
    return quotes
