"""Quote-search filters (``in:``, ``after:``/``before:``, ``speaker:``,
phrases, ``-word``) as a row filter for ``BM25Index``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Protocol

import numpy as np

from briefs.search._index import BM25Index
from briefs.search._query import Query
from briefs.tokenize import tokenize

__all__ = ["FEW_GROUPS", "Doc", "Where", "row_filter"]

FEW_GROUPS = 64
"""Transcripts up to which scoring only theirs beats filtering every match."""
Where = Callable[[np.ndarray], np.ndarray]


class Doc(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def date(self) -> str | None: ...


def row_filter(
    q: Query, index: BM25Index, docs: Mapping[int, Doc], speakers: Mapping[str, int],
) -> tuple[Where | None, set[int] | None, str | None]:
    """A row filter for the index (None when the query has no filters) and,
    for a few transcripts (``in:``, a date range), their pks so only their
    passages are scored; or a message when the filters exclude everything.
    ``docs`` maps transcript pk to its id and date; ``speakers`` speaker
    name to tag."""
    groups: set[int] | None = None
    if q.transcripts:
        groups = set()
        for want in q.transcripts:
            w = want.casefold()
            exact = {pk for pk, d in docs.items() if d.id == w}
            groups |= exact or {pk for pk, d in docs.items() if d.id.startswith(w)}
        if not groups:
            return None, None, f"No transcript has the id {q.transcripts[0]!r}; see the list."
    if q.after or q.before:
        dated = {pk for pk, d in docs.items() if _in_range(d.date, q.after, q.before)}
        groups = dated if groups is None else groups & dated
        if not groups:
            return None, None, "No dated transcript falls in that date range."
    tags: set[int] | None = None
    if q.speakers:
        tags = {
            tag for name, tag in speakers.items()
            if any(_speaker_matches(name, s) for s in q.speakers)
        }
        if not tags:
            return None, None, f"No speaker matches {q.speakers[0]!r}."
    excluded = index.rows_with(q.exclude_terms) if q.exclude_terms else None
    required = [t for p in q.phrases for t in dict.fromkeys(tokenize(p))]
    need_rows = None
    for term in required:
        have = index.rows_with([term])
        need_rows = have if need_rows is None else np.intersect1d(need_rows, have)
    if groups is None and tags is None and excluded is None and need_rows is None:
        return None, None, None  # unfiltered: top_k may prune
    group_arr = np.fromiter(groups, np.int64) if groups is not None else None
    tag_arr = np.fromiter(tags, np.int64) if tags is not None else None

    def where(r: np.ndarray) -> np.ndarray:
        keep = np.ones(len(r), dtype=np.bool_)
        if group_arr is not None:
            keep &= np.isin(index.groups(r), group_arr)
        if tag_arr is not None:
            keep &= np.isin(index.tags(r), tag_arr)
        if excluded is not None and len(excluded):
            keep &= ~np.isin(r, excluded)
        if need_rows is not None:
            keep &= np.isin(r, need_rows)
        return keep

    return where, groups if groups is not None and len(groups) <= FEW_GROUPS else None, None


def _in_range(value: str | None, after: date | None, before: date | None) -> bool:
    if not value:
        return False
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return False
    return (after is None or d >= after) and (before is None or d <= before)


def _speaker_matches(name: str, want: str) -> bool:
    n, w = name.casefold(), want.casefold().strip()
    return n == w or w in n.split() or (len(w) >= 3 and n.startswith(w)) or w in n
