"""Quote search: BM25-ranked excerpts across the library.

``QuoteSearch`` owns the in-memory ``BM25Index`` over the passages of current
transcripts. It loads from the store's ``search_*`` rows at start-up (no
re-tokenizing), stays current through its ingest step (``stage`` writes rows
in the ingest transaction, ``committed`` updates memory after commit, and a
new revision retires the one it supersedes), and answers queries with
excerpts: the best sentence window of each passage, matched words marked,
each sentence shown once, paged.

Bad queries never raise: ``SearchPage.note`` says what went wrong and what
to try.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import NamedTuple

from briefs.links import Kind, moment_link, transcript_link
from briefs.passages import time_at
from briefs.search._answers import (
    QuestionQueue,
    answer_excerpt,
    is_question,
    load_replies,
    one_line,
    reply_allowed,
)
from briefs.search._excerpt import find_phrase, make_excerpt
from briefs.search._filter import Where, row_filter
from briefs.search._index import BM25Index, Match, encode_docs
from briefs.search._query import Query, parse_query
from briefs.search._step import SearchStep
from briefs.store import DRIVER_ERRORS, SearchPassage, Store
from briefs.tokenize import tokenize

__all__ = ["Hit", "QuoteSearch", "SearchPage", "SearchStep", "parse_query"]

MAX_PAGE_SIZE = 50
_EXAMPLE = 'try a topic word, e.g. compute, or a phrase in quotes: "super app"'


class Hit(NamedTuple):
    """One quote: ``excerpt == transcript.text[start:end]``; ``marks`` are
    (start, end) spans of matched words relative to ``excerpt``."""

    transcript_id: str
    title: str
    date: str | None
    speaker: str
    excerpt: str
    marks: tuple[tuple[int, int], ...]
    score: float
    passage_id: int
    start: int
    end: int
    time: float | None
    context: str | None = None
    """The question this quote answers, on one line, when the best match was
    the question (the excerpt is then the reply, by someone else); else None."""
    context_speaker: str | None = None
    """Who asked ``context``."""
    link: str | None = None
    """The address of this moment in the transcript's audio, video or page
    (``briefs.links.moment_link``), when it came with a link and has a time."""


class SearchPage(NamedTuple):
    hits: tuple[Hit, ...]
    page: int
    has_more: bool
    total_estimate: int
    """Matching passages (before de-duplicating overlapping excerpts): exact
    for filtered queries and for rare words; for an unfiltered query of
    frequent words, an estimate from each word's passage count (the words
    taken as independent), never below the passages already ranked."""
    note: str | None = None
    """A helpful message for empty, unsearchable or filtered-out queries."""


class _Doc(NamedTuple):
    id: str
    title: str
    date: str | None
    link: tuple[str, Kind] | None = None


class _Seen:
    """What a search has shown so far: sentences (per transcript) and passages."""

    def __init__(self) -> None:
        self.sentences: dict[int, set[int]] = {}
        self.passages: set[int] = set()


class QuoteSearch:
    """The search index plus the store it reads excerpts from."""

    exact_count_max = 20_000
    """Query postings up to which an unfiltered search scores every match
    (``BM25Index.ranked``: exact count, as cheap as top-k there); above it,
    ``BM25Index.top_k`` prunes and the count is estimated."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = BM25Index()
        self.docs: dict[int, _Doc] = {}
        self.indexed: set[int] = set()
        """Transcripts (pk) whose passages are in ``index``."""
        self.speakers: dict[str, int] = {}
        self._speaker_terms: dict[str, set[str]] = {}
        self.step = SearchStep(self)
        # Others' ingests: checked every search on SQLite, at most 1/s on PostgreSQL (a round trip).
        self.sync_interval = 1.0 if getattr(store, "dialect", "sqlite") == "postgres" else 0.0
        self._synced_at = time.monotonic()

    @staticmethod
    def doc_entry(transcript_id: str, title: str, date: str | None,
                  metadata: Mapping[str, object] | None = None) -> _Doc:
        """What a hit shows of its transcript (the ingest step records it after commit)."""
        return _Doc(transcript_id, title, date, transcript_link(metadata))

    def speaker_tag(self, name: str) -> int:
        return self.speakers.setdefault(name, len(self.speakers))

    @classmethod
    async def load(cls, store: Store) -> QuoteSearch:
        """Load the index from the store, tokenizing only transcripts that have
        no index rows yet (ingested before search existed, or an old tokenizer)."""
        self = cls(store)
        stale = await store.index.stale_transcripts()
        if stale:
            await self._write_rows(stale)
        await self._load_memory()
        return self

    async def reindex(self) -> int:
        """Re-tokenize every current transcript and reload; returns passages indexed."""
        async with self.store.transaction():  # waits out another writer
            # Term ids keep their meaning (another process may hold them in
            # memory); only the passages' rows are rebuilt.
            await self.store.index.clear_docs()
        await self._write_rows([t.pk for t in await self.store.index.load_transcripts()])
        await self._load_memory()
        return len(self.index)

    async def _write_rows(self, pks: list[int]) -> None:
        rows = self.store.index
        vocab = await rows.load_vocab()
        async with self.store.transaction():  # waits out another writer
            for pk in pks:
                passages = await rows.passage_rows([pk])
                docs = [tokenize(p.text) for p in passages]
                new = await rows.assign_term_ids({t for d in docs for t in d}, vocab)
                vocab.update(new)
                enc = encode_docs(docs, vocab)
                await rows.write_docs(pk, [p.id for p in passages], enc)

    async def _load_memory(self) -> None:
        self.index = BM25Index()
        self.indexed = set()
        await self._load_rows(None)
        self.index.compact()

    async def _load_rows(self, only: set[int] | None) -> None:
        rows = self.store.index
        vocab = await rows.load_vocab()
        self.index.add_terms({t: i for t, i in vocab.items() if t not in self.index.vocab})
        self.docs = {t.pk: self.doc_entry(t.id, t.title, t.date, t.metadata)
                     for t in await rows.load_transcripts()}
        speakers = dict(await rows.passage_speakers())
        for doc in await rows.load_docs(only):
            pids = doc.passage_ids
            tags = [self.speaker_tag(speakers.get(int(p), "")) for p in pids]
            self.index.add_encoded(pids, doc.enc, group=doc.transcript_pk, tags=tags)
            self.indexed.add(doc.transcript_pk)

    async def sync(self) -> None:
        """Catch up with another process's ingests and revisions (``briefbot ingest``): load
        their rows, retire what they superseded; one query when nothing changed."""
        on_disk = await self.store.index.indexed_transcripts()
        if on_disk == self.indexed:
            return
        for pk in self.indexed - on_disk:
            self.index.remove_group(pk)
            self.indexed.discard(pk)
        if on_disk - self.indexed:
            await self._load_rows(on_disk - self.indexed)

    # -- searching -------------------------------------------------------------
    async def search(self, query: str, *, page: int = 1, page_size: int = 5) -> SearchPage:
        """One page of quotes for ``query``; never raises on bad input.

        Candidates come ranked from the index, a few more than the page needs
        (overlapping passages may repeat a shown sentence and are skipped),
        fetching more until the page and one hit past it (``has_more``) are
        found. Unfiltered queries of frequent words use the pruned
        ``top_k``; ``in:`` and date filters score only their transcripts;
        other filters score every match. Each gives the same page.
        """
        page = max(1, int(page))
        page_size = min(MAX_PAGE_SIZE, max(1, int(page_size)))
        q = parse_query(query or "")
        notes = list(q.notes)

        def done(hits: list[Hit] = (), more: bool = False, total: int = 0,  # type: ignore[assignment]
                 why: str | None = None) -> SearchPage:
            msg = " ".join([*notes, why] if why else notes) or None
            return SearchPage(tuple(hits), page, more, total, msg)

        if not (query or "").strip():
            return done(why=f"Type what to search for; {_EXAMPLE}.")
        if time.monotonic() - self._synced_at >= self.sync_interval:
            with suppress(*DRIVER_ERRORS):  # a busy or locked store: search what we have
                await self.sync()
                self._synced_at = time.monotonic()
        if len(self.index) == 0:
            return done(why="The library has no transcripts to search yet: ingest some first.")
        full = q.terms
        q.terms = self._drop_speaker_names(full)
        if not q.terms:
            shown = " ".join(q.words)[:60] or query.strip()[:60]
            return done(why=f"Nothing searchable in {shown!r}: common words and punctuation"
                        f" are ignored; {_EXAMPLE}.")
        where, groups, why = self._filters(q)
        if why:
            return done(why=why)
        need = page * page_size + 1
        seen = _Seen()
        hits, total = await self._collect(q, q.terms, where, groups, need, seen)
        if len(hits) < need and q.terms != full:
            # Top up with the speaker names put back ("marketing strategy"
            # may be a topic even where Marketing is a speaker).
            more, more_total = await self._collect(
                q, full, where, groups, need - len(hits), seen)
            hits += more
            total = max(total, more_total)
        if not hits and total == 0:
            # A tiny library (a few passages) can push rank-bm25's idf floor
            # below zero, so real matches score <= 0 and are dropped; show
            # them anyway, in transcript order, rather than "no quotes".
            fallback = self.index.rows_with(full)
            if where is not None and len(fallback):
                fallback = fallback[where(fallback)]
            pids = sorted(int(p) for p in self.index.passage_ids(fallback))
            hits = await self._hits(q, full, [Match(p, 0.0) for p in pids], need, seen,
                                    final=True)
            total = len(pids)
        if not hits:
            return done(total=0, why=f"No quotes match {' '.join(q.words)[:80]!r}; try fewer or"
                        " different words" + (", or drop a filter." if q.has_filters else "."))
        first = (page - 1) * page_size
        chunk = hits[first : first + page_size]
        if not chunk:
            return done(total=total, why=f"There is no page {page}: the results end on page"
                        f" {max(1, -(-len(hits) // page_size))}.")
        return done(chunk, len(hits) > first + page_size, total)

    def _drop_speaker_names(self, terms: list[str]) -> list[str]:
        """People rarely say their own name: in "what did Brockman say about
        compute" the name picks the speaker, not the words. Speaker-name terms
        are dropped while other terms remain."""
        if len(self._speaker_terms) != len(self.speakers):
            self._speaker_terms = {n: set(tokenize(n)) for n in self.speakers}
        names = set().union(*self._speaker_terms.values()) if self._speaker_terms else set()
        rest = [t for t in terms if t not in names]
        # ... unless nothing else matches (the name may be the topic).
        return rest if any(self.index.doc_freq(t) for t in rest) else terms

    def _filters(self, q: Query) -> tuple[Where | None, set[int] | None, str | None]:
        """See ``briefs.search._filter.row_filter``."""
        return row_filter(q, self.index, self.docs, self.speakers)

    async def _collect(
        self, q: Query, terms: list[str], where: Where | None, groups: set[int] | None,
        need: int, seen: _Seen,
    ) -> tuple[list[Hit], int]:
        """Up to ``need`` new hits for ``terms``, fetching more candidates as
        de-duplication and phrase checks use them up, and the number of
        matching passages (see ``SearchPage.total_estimate``)."""
        k = max(4 * need, 20)
        dfs = [self.index.doc_freq(t) for t in dict.fromkeys(terms)]
        # top_k and ranked return the same matches in the same order; ranked
        # also counts every match, which costs a pass over all postings.
        fast = where is None and sum(dfs) > self.exact_count_max
        while True:
            if fast:
                matches = self.index.top_k(terms, k)
                # Fewer than k means every positive match is here: exact.
                total = len(matches) if len(matches) < k else _union_estimate(
                    dfs, len(self.index), k)
            else:
                matches, total = self.index.ranked(terms, k, where=where, groups=groups)
            mark = ({k: set(v) for k, v in seen.sentences.items()}, set(seen.passages))
            hits = await self._hits(q, terms, matches, need, seen, final=len(matches) < k)
            if len(hits) >= need or len(matches) < k:
                return hits, total
            seen.sentences, seen.passages = mark
            k *= 4

    async def _hits(
        self, q: Query, terms_list: list[str], matches: list[Match], need: int, seen: _Seen,
        *, final: bool,
    ) -> list[Hit]:
        """Up to ``need`` hits from ``matches`` (best first); bare questions
        are held back (``QuestionQueue``). ``final``: ``matches`` holds every
        match, so questions still held at the end are placed too."""
        terms = set(terms_list)
        idf = {t: self.index.idf(t) for t in terms}

        def weight(term: str) -> float:
            # Rare words pick the sentence; a matched word always counts a little.
            return max(idf.get(term, 0.0), 1e-3)

        hits: list[Hit] = []
        held: QuestionQueue[tuple[Match, SearchPassage]] = QuestionQueue()
        replies: dict[int, SearchPassage] = {}

        async def place(items: list[tuple[Match, SearchPassage]]) -> bool:
            questions = [row for _, row in items if "?" in row.text or "？" in row.text]
            await load_replies(self.store, questions, replies)
            for m, row in items:
                if (m.passage_id not in seen.passages
                        and self._add_hit(q, terms_list, weight, m, row, hits, seen, replies)
                        and len(hits) >= need):
                    return True
            return False

        # Texts are read a few more than still needed at a time: each row
        # reads its transcript's text, and most candidates are never shown.
        at, batch = 0, need + 4
        while at < len(matches) and len(hits) < need:
            chunk = [m for m in matches[at : at + batch] if m.passage_id not in seen.passages]
            at, batch = at + batch, 2 * batch
            texts = await self.store.index.passages_text([m.passage_id for m in chunk])
            for m in chunk:
                row = texts.get(m.passage_id)
                if row is None or m.passage_id in seen.passages:
                    continue
                if is_question(row.text):
                    held.hold(m.score, (m, row))
                    continue
                if await place([*held.release(m.score), (m, row)]):
                    return hits
        if final and len(hits) < need:
            await place(held.release(None))
        return hits

    def _add_hit(
        self, q: Query, terms_list: list[str], weight: Callable[[str], float], m: Match,
        row: SearchPassage, hits: list[Hit], seen: _Seen, replies: dict[int, SearchPassage],
    ) -> bool:
        """Append the excerpt of ``row`` unless a phrase rules it out or its
        matching sentences were all shown; True when appended. An excerpt that
        is only a question shows its reply instead, the question as context."""
        text = row.text
        if any(not find_phrase(text, p) for p in q.phrases):
            return False
        if any(find_phrase(text, p) for p in q.exclude_phrases):
            return False
        sentences = seen.sentences.setdefault(row.transcript_pk, set())
        ex = make_excerpt(text, row.start, terms_list, weight, q.phrases, sentences)
        if ex is None:
            return False
        doc = self.docs.get(row.transcript_pk) or _Doc("?", "?", None)
        reply = replies.get(row.id) if is_question(ex.text) else None
        if reply is not None and reply_allowed(q, reply.text):
            answer = answer_excerpt(reply.text, reply.start, terms_list, weight, sentences)
            if answer is None or reply.id in seen.passages:
                # The reply was shown already: the question alone would echo it.
                seen.passages.add(row.id)
                sentences.update(ex.sentences)
                return False
            sentences.update(ex.sentences)
            sentences.update(answer.sentences)
            seen.passages.update((row.id, reply.id))
            when = time_at(reply.marks, answer.start, reply.time)
            hits.append(Hit(doc.id, doc.title, doc.date, reply.speaker, answer.text,
                            answer.marks, m.score, reply.id, answer.start, answer.end, when,
                            one_line(ex.text), row.speaker, moment_link(doc.link, when)))
            return True
        sentences.update(ex.sentences)
        seen.passages.add(row.id)
        when = time_at(row.marks, ex.start, row.time)
        hits.append(Hit(doc.id, doc.title, doc.date, row.speaker, ex.text, ex.marks,
                        m.score, row.id, ex.start, ex.end, when,
                        link=moment_link(doc.link, when)))
        return True


def _union_estimate(dfs: list[int], n: int, at_least: int) -> int:
    """Passages holding any of the words, were the words independent."""
    miss = 1.0
    for df in dfs:
        miss *= 1.0 - min(df, n) / n
    return max(at_least, max(dfs), min(sum(dfs), round(n * (1.0 - miss))))

