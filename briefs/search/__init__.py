"""Quote search: BM25-ranked excerpts across the library.

Produces :class:`Hit` pages from a query (:class:`QuoteSearch`), over an in-memory
BM25Okapi index (:class:`BM25Index`, exact to rank-bm25) that the ingest step
(:class:`SearchStep`) keeps current.

May import: ``briefs.transcript``, ``briefs.passages``, ``briefs.tokenize``,
``briefs.store``, ``briefs.errors``.
"""

from __future__ import annotations

from briefs.search._answers import QUESTION_WEIGHT, is_question
from briefs.search._index import (
    EPSILON,
    K1,
    B,
    BM25Index,
    Encoded,
    Match,
    encode_docs,
)
from briefs.search._query import (
    FILTERS,
    MAX_QUERY_TERMS,
    QUERY_NOISE,
    Query,
)
from briefs.search._quotes import (
    Hit,
    QuoteSearch,
    SearchPage,
    SearchStep,
    parse_query,
)
from briefs.search._top_quotes import (
    TOP_QUOTES,
    QuoteSource,
    keyword_query,
    top_quotes,
)

__all__ = [
    "EPSILON",
    "FILTERS",
    "K1",
    "MAX_QUERY_TERMS",
    "QUERY_NOISE",
    "QUESTION_WEIGHT",
    "TOP_QUOTES",
    "B",
    "BM25Index",
    "Encoded",
    "Hit",
    "Match",
    "Query",
    "QuoteSearch",
    "QuoteSource",
    "SearchPage",
    "SearchStep",
    "encode_docs",
    "is_question",
    "keyword_query",
    "parse_query",
    "top_quotes",
]
