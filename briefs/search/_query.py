"""Parsing a search query the way a user would type it.

``speaker:brockman compute -sora "super app" after:2026-01-01 in:greg-brockman``

- bare words are ranked by BM25;
- ``"quoted phrases"`` must appear verbatim (their words also count for ranking);
- ``-word`` / ``-"a phrase"`` excludes passages holding it;
- ``speaker:NAME``, ``in:TRANSCRIPT_ID``, ``after:YYYY-MM-DD``, ``before:YYYY-MM-DD``
  filter (a value may be quoted: ``speaker:"greg brockman"``).

Parsing never fails: unknown filters, bad dates and an unbalanced quote
become notes, and the rest of the query still runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from briefs.tokenize import normalize_text, tokenize

__all__ = ["FILTERS", "MAX_QUERY_TERMS", "QUERY_NOISE", "Query", "parse_query"]

FILTERS = ("speaker", "in", "after", "before")
MAX_QUERY_TERMS = 32
"""A query longer than this is cut: nobody types 32 topic words on purpose."""

# Words that say "find me quotes" rather than what about: dropped from the
# ranked words unless nothing else is left ("what did Brockman say about compute").
# "discuss" stays a ranked word: in meetings it marks where a topic is taken up
# (measured on QMSum train and val, see docs/quality.md).
QUERY_NOISE = frozenset(
    tokenize(
        "summarize summarise summary talk talked "
        "talking say said says mention mentioned opinion opinions think thought thoughts "
        "view views quote quotes explain explained describe described"
    )
)

_PIECE = re.compile(
    r"""(?P<neg>-)?(?:(?P<key>[A-Za-z]+):)?(?:"(?P<quoted>[^"]*)(?P<close>"?)|(?P<bare>[^\s"]+))"""
)


@dataclass
class Query:
    """A parsed query; ``terms`` are the ranked index terms, in order."""

    text: str
    terms: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    exclude_terms: list[str] = field(default_factory=list)
    exclude_phrases: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    transcripts: list[str] = field(default_factory=list)
    after: date | None = None
    before: date | None = None
    notes: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    """What the user typed as search words (for messages)."""

    @property
    def has_filters(self) -> bool:
        return bool(self.speakers or self.transcripts or self.after or self.before)


def _parse_date(key: str, value: str, q: Query) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        q.notes.append(f"{key}: wants a date like 2026-03-31, not {value[:40]!r}; ignored it.")
        return None


def parse_query(text: str) -> Query:
    q = Query(text=text)
    normal = normalize_text(text)
    if normal.count('"') % 2:
        q.notes.append("An unbalanced quote mark was ignored.")
    ranked: list[str] = []
    for m in _PIECE.finditer(normal):
        neg, key, quoted, bare = m.group("neg"), m.group("key"), m.group("quoted"), m.group("bare")
        unbalanced = quoted is not None and not m.group("close")
        value = bare if bare is not None else quoted or ""
        if key and key.lower() in FILTERS:
            _apply_filter(key.lower(), value, q)
            continue
        if key:
            if key.lower() in ("http", "https") or bare is None or not value:
                value = f"{key}:{value}"
            else:
                q.notes.append(
                    f"Unknown filter {key}: (filters are speaker:, in:, after:, before:);"
                    " searched its words instead."
                )
                value = f"{key} {value}"
        if quoted is not None and not unbalanced and not key:
            phrase = " ".join(value.split())
            if not phrase:
                continue
            if neg:
                q.exclude_phrases.append(phrase)
            else:
                q.phrases.append(phrase)
                q.words.append(f'"{phrase}"')
                ranked.extend(tokenize(phrase))
            continue
        if neg and bare is not None:
            q.exclude_terms.extend(tokenize(value))
            continue
        q.words.append(value)
        ranked.extend(tokenize(value))
    content = [t for t in ranked if t not in QUERY_NOISE]
    ranked = content or ranked
    if len(ranked) > MAX_QUERY_TERMS:
        q.notes.append(f"That query is long: searched its first {MAX_QUERY_TERMS} words.")
        ranked = ranked[:MAX_QUERY_TERMS]
    q.terms = ranked
    return q


def _apply_filter(key: str, value: str, q: Query) -> None:
    value = " ".join(value.split())
    if not value:
        q.notes.append(f"{key}: needs a value, e.g. {key}:{_EXAMPLES[key]}; ignored it.")
        return
    if key == "speaker":
        q.speakers.append(value)
    elif key == "in":
        q.transcripts.append(value)
    elif key == "after":
        q.after = _parse_date(key, value, q) or q.after
    else:
        q.before = _parse_date(key, value, q) or q.before


_EXAMPLES = {"speaker": "brockman", "in": "greg-brockman", "after": "2026-01-01",
             "before": "2026-12-31"}
