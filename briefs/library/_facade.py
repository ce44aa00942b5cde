"""The library: the one façade every front end calls (CLI, chats, digests).

Ingest runs read -> passages and each :class:`IngestStep`'s ``prepare`` (the
brief, the search tokens) in a worker thread, then one SQLite transaction that
only writes: the transcript, its turns and passages and every step's rows. Any
exception rolls all of it back, so a transcript is stored whole or not at all;
only after the commit does each step's ``committed`` update its in-memory state.

Identity: the SHA-256 of the canonical text. Identical content is a duplicate
(a no-op); changed content from a source already stored (same resolved path or
uploaded name) becomes a new revision ``<slug>-r2`` that supersedes the old
one, which stays readable by its id but leaves listings.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefs import readers
from briefs.brief import (
    Brief,
    BriefStep,
    LLMSettings,
    LLMUpgrade,
    RebuildReport,
    llm_settings_from_env,
    load_brief,
    rebuild_briefs,
    upgrade_brief,
)
from briefs.errors import BriefbotError, EmptySource, NotFound
from briefs.library._paths import ascii_words, expand_paths, fit_slug, slugify
from briefs.library._prepare import content_hash, prepare
from briefs.library._remove import Removal, remove_transcript
from briefs.library._types import (
    IngestOutcome,
    IngestReport,
    IngestStatus,
    IngestStep,
    StoredTranscript,
    TranscriptInfo,
)
from briefs.passages import Passage
from briefs.search import QuoteSearch
from briefs.store import DRIVER_ERRORS, Store, StoredRef, default_db_path, utc_stamp
from briefs.transcript import Transcript

__all__ = [
    "IngestOutcome",
    "IngestReport",
    "IngestStatus",
    "IngestStep",
    "Library",
    "ProgressFn",
    "Removal",
    "StoredTranscript",
    "TranscriptInfo",
    "expand_paths",
    "slugify",
]

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, IngestOutcome], None]
"""``progress(done, total, outcome)``, called after each file of ``ingest_paths``."""
BriefLoader = Callable[[Store, StoredRef], Awaitable[Any]]


class _FromEnv:
    """The default of ``Library.open(llm=...)``: read ``BRIEFBOT_LLM_*``."""


_FROM_ENV = _FromEnv()


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _duplicate(label: str, existing: StoredRef, warnings: tuple[str, ...]) -> IngestOutcome:
    return IngestOutcome(label, "duplicate", existing.id, f"already stored as {existing.id}",
                         warnings)


def _failure_message(err: BaseException) -> str:
    if isinstance(err, BriefbotError):
        return _one_line(str(err)) or type(err).__name__
    if isinstance(err, OSError) and err.strerror:
        return _one_line(f"cannot read it: {err.strerror}")
    if isinstance(err, DRIVER_ERRORS):
        return _one_line(f"the database refused it: {err}")
    return _one_line(f"unexpected error ({type(err).__name__}: {err})")


async def _default_steps(store: Store) -> list[IngestStep]:
    """The ingest steps of a library opened with :meth:`Library.open`, in order.

    The brief builder runs here; the search index adds its own step in
    :meth:`Library.open`, once it has loaded.
    """
    return [BriefStep()]


async def _load_brief(store: Store, ref: StoredRef) -> Brief | None:
    return await load_brief(store, ref.pk)


class Library:
    """Transcripts in, briefs and quotes out; see docs/architecture.md."""

    def __init__(
        self,
        store: Store,
        steps: Sequence[IngestStep] = (),
        search: Any = None,
        *,
        briefs: BriefLoader | None = None,
        clock: Callable[[], datetime] | None = None,
        llm: LLMSettings | None = None,
    ) -> None:
        self.store = store
        self.steps: list[IngestStep] = list(steps)
        self.search_engine = search
        """An object with ``.search(query, page=, page_size=) -> SearchPage``."""
        self.brief_loader = briefs
        self._clock = clock or (lambda: datetime.now(UTC))
        self.llm = llm
        """The optional LLM TL;DR (``briefs.brief._llm``); ``None``: extractive briefs only."""

    @classmethod
    async def open(
        cls, db_path: str | Path | None = None, *, llm: LLMSettings | _FromEnv | None = _FROM_ENV
    ) -> Library:
        """Open (creating and migrating) the database and wire the default steps.

        ``llm`` defaults to ``llm_settings_from_env()``: off unless
        ``BRIEFBOT_LLM_BASE_URL`` is set, and a half or bad configuration
        raises ``LLMSettingsError`` here, before anything is stored.
        """
        settings = llm_settings_from_env() if isinstance(llm, _FromEnv) else llm
        store = await Store.open(db_path if db_path is not None else default_db_path())
        try:
            steps = await _default_steps(store)
            # Quote search: loads its index from the store, then stays current
            # through its ingest step.
            search = await QuoteSearch.load(store)
            return cls(store, [*steps, search.step], search, briefs=_load_brief, llm=settings)
        except BaseException:
            await store.close()
            raise

    async def close(self) -> None:
        await self.store.close()

    async def __aenter__(self) -> Library:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- ingest --------------------------------------------------------------------

    async def ingest_path(self, path: str | Path) -> IngestOutcome:
        label = str(path)
        try:
            p = Path(path).expanduser()
            source_key = str(p.resolve())
            transcript = await asyncio.to_thread(readers.read_path, p)
        except Exception as err:
            log.debug("reading %s failed", label, exc_info=True)
            return IngestOutcome(label, "failed", None, _failure_message(err))
        return await self.ingest_transcript(transcript, source_key=source_key, label=label)

    async def ingest_bytes(
        self, name: str, data: bytes, *, source_key: str | None = None
    ) -> IngestOutcome:
        """Ingest an upload. Revisions follow ``source_key`` (default: ``name``);
        a front end with many users passes its own, e.g. ``f"tg:{chat_id}/{name}"``."""
        try:
            transcript = await asyncio.to_thread(readers.read_bytes, name, data)
        except Exception as err:
            log.debug("reading %s failed", name, exc_info=True)
            return IngestOutcome(name, "failed", None, _failure_message(err))
        key = source_key if source_key is not None else name
        return await self.ingest_transcript(transcript, source_key=key, label=name)

    async def ingest_paths(
        self, paths: Sequence[str | Path], progress: ProgressFn | None = None
    ) -> IngestReport:
        """Ingest files, folders (recursively) and globs; one outcome per file and
        per bad path (a ``failed`` outcome with its reason: nothing raises)."""
        files, problems, repeats = expand_paths(paths)
        outcomes = [IngestOutcome(p, "failed", None, reason) for p, reason in problems]
        total = len(files)
        for done, path in enumerate(files, 1):
            outcome = await self.ingest_path(path)
            outcomes.append(outcome)
            if progress is not None:
                progress(done, total, outcome)
        again = "named more than once; ingested once"
        outcomes += [IngestOutcome(p, "duplicate", None, again) for p in repeats]
        return IngestReport(tuple(outcomes))

    async def ingest_transcript(
        self, transcript: Transcript, *, source_key: str, label: str | None = None
    ) -> IngestOutcome:
        """Store an already-read transcript (and run every step) in one transaction."""
        label = label if label is not None else source_key
        warnings = tuple(transcript.warnings)
        steps = tuple(self.steps)
        try:
            if not transcript.turns:
                raise EmptySource("it holds no turns to store")
            digest = await asyncio.to_thread(content_hash, transcript)
            if (existing := await self.store.transcripts.ref_by_hash(digest)) is not None:
                return _duplicate(label, existing, warnings)  # before the costly work
            # The CPU work, off the event loop and before the write lock is taken.
            prepared = await asyncio.to_thread(prepare, transcript, steps)
            async with self.store.transaction():
                # Again under the lock: another ingest may have stored it meanwhile.
                if (existing := await self.store.transcripts.ref_by_hash(digest)) is not None:
                    return _duplicate(label, existing, warnings)
                prior = await self.store.transcripts.current_for_source(source_key)
                if prior is None:
                    revision, supersedes = 1, None
                    transcript_id = await self._unique_id(slugify(transcript.title))
                else:
                    revision, supersedes = prior[1] + 1, prior[0]
                    root = await self.store.transcripts.first_revision_id(source_key) or prior[0].id
                    transcript_id = await self._unique_id(fit_slug(root, f"-r{revision}"))
                ref, stored = await self.store.transcripts.insert(
                    transcript,
                    prepared.passages,
                    transcript_id=transcript_id,
                    source_key=source_key,
                    content_hash=digest,
                    ingested_at=utc_stamp(self._clock()),
                    revision=revision,
                    supersedes_pk=supersedes.pk if supersedes else None,
                )
                for step, work in zip(steps, prepared.work, strict=True):
                    await step.stage(self.store, ref, transcript, stored, work)
        except Exception as err:
            log.debug("ingesting %s failed", label, exc_info=True)
            return IngestOutcome(label, "failed", None, _failure_message(err), warnings)
        warnings += self._after_commit(steps, ref, transcript, stored)
        warnings += await self._upgrade_brief(ref)
        size = f"{_plural(len(transcript.turns), 'turn')}, {_plural(transcript.word_count, 'word')}"
        if supersedes is None:
            return IngestOutcome(label, "added", ref.id, f"added as {ref.id} ({size})", warnings)
        message = f"revision {revision} of {supersedes.id}, stored as {ref.id} ({size})"
        return IngestOutcome(label, "revised", ref.id, message, warnings)

    def _after_commit(
        self, steps: Sequence[IngestStep], ref: StoredRef, transcript: Transcript,
        passages: list[Passage],
    ) -> tuple[str, ...]:
        # The rows are committed: a step that fails here must not turn the
        # ingest into a failure, but the operator should hear about it.
        problems: list[str] = []
        for step in steps:
            try:
                step.committed(ref, transcript, passages)
            except Exception as err:
                log.warning("%s.committed failed for %s: %s", type(step).__name__, ref.id, err)
                problems.append(f"{type(step).__name__} not updated: {_failure_message(err)}")
        return tuple(problems)

    async def _upgrade_brief(self, ref: StoredRef) -> tuple[str, ...]:
        # After the commit and outside any transaction: the model may take a
        # minute, and the transcript is already stored with its extractive
        # brief, which stays whatever happens here.
        if self.llm is None:
            return ()
        try:
            upgraded = await upgrade_brief(self.store, ref.pk, self.llm, clock=self._clock)
        except Exception as err:
            log.warning("LLM TL;DR for %s failed: %s", ref.id, err)
            return (f"extractive TL;DR kept: {_failure_message(err)}",)
        if upgraded is None:
            return (
                f"extractive TL;DR kept: {self.llm.engine} gave no usable answer (see the log)",
            )
        return ()

    async def rebuild_briefs(self, *, everything: bool = False, llm: bool = True) -> RebuildReport:
        """Rebuild stale briefs (all with ``everything``); see ``briefs.brief.rebuild_briefs``.

        With an LLM configured (and ``llm``), every rebuilt brief gets the
        model's TL;DR again, and a brief without it is stale.
        """
        upgrade = LLMUpgrade(self.llm) if llm and self.llm is not None else None
        return await rebuild_briefs(self.store, everything=everything, upgrade=upgrade)

    async def remove(self, transcript_id: str) -> Removal:
        """Remove a transcript (exact id) with all its rows; raises NotFound (``_remove``)."""
        return await remove_transcript(self, transcript_id, now=self._clock())

    async def _unique_id(self, base: str) -> str:
        taken = await self.store.transcripts.ids_like(base)
        candidate, n = base, 1
        while candidate in taken or candidate in await self.store.transcripts.ids_like(candidate):
            n += 1
            candidate = fit_slug(base, f"-{n}")
        return candidate

    # -- reading ---------------------------------------------------------------------

    async def list_transcripts(self, *, limit: int = 20, offset: int = 0) -> list[TranscriptInfo]:
        """Current revisions, newest first."""
        return await self.store.transcripts.current(limit=limit, offset=offset)

    async def count_transcripts(self) -> int:
        return await self.store.transcripts.count_current()

    async def transcripts_since(self, seq: int) -> list[TranscriptInfo]:
        """Current revisions ingested after ``seq``, oldest first."""
        return await self.store.transcripts.current(after_seq=seq)

    async def get(self, transcript_id: str) -> StoredTranscript:
        """Any revision by its exact id; raises NotFound."""
        ref = await self._ref(transcript_id)
        info, transcript, passages = await self.store.transcripts.load(ref.pk)
        return StoredTranscript(info, transcript, passages)

    async def resolve(self, id_or_words: str) -> TranscriptInfo | None:
        """Exact id, then a unique id prefix, then the best title (or speaker) word match."""
        query = id_or_words.strip()
        if not query:
            return None
        exact = await self.store.transcripts.info(id=query)
        if exact is not None:
            return exact
        current = await self.store.transcripts.current()
        prefixed = [i for i in current if i.id.startswith(query.lower())]
        if len(prefixed) == 1:
            return prefixed[0]
        words = ascii_words(query)
        if not words:
            return None
        need = max(1, math.ceil(len(words) / 2))
        best: tuple[int, int, TranscriptInfo] | None = None
        for info in current:  # newest first: ties keep the newest
            # Speaker names count too: "show brockman" finds the Brockman interview.
            title_words = ascii_words(" ".join([info.title, *info.speakers]))
            score = sum(
                1
                for w in words
                if any(t == w or (len(w) >= 3 and t.startswith(w)) for t in title_words)
            )
            if score >= need and (best is None or score > best[0]):
                best = (score, info.seq, info)
        return best[2] if best else None

    async def brief(self, transcript_id: str) -> Any:
        """The stored brief of a transcript; raises NotFound."""
        ref = await self._ref(transcript_id)
        if self.brief_loader is None:
            raise BriefbotError("briefs are not available in this build")
        brief = await self.brief_loader(self.store, ref)
        if brief is None:
            raise NotFound(f"{ref.id} has no brief yet: run `briefbot rebuild`")
        return brief

    async def search(self, query: str, *, page: int = 1, page_size: int = 5) -> Any:
        """BM25-ranked quote excerpts (a ``briefs.search._quotes.SearchPage``)."""
        if self.search_engine is None:
            raise BriefbotError("quote search is not available in this build")
        result = self.search_engine.search(query, page=page, page_size=page_size)
        return await result if inspect.isawaitable(result) else result

    async def stats(self) -> dict[str, int]:
        """Counts of what the library holds (``transcripts``, ``revisions``, ``turns``, ...)."""
        return await self.store.transcripts.totals()

    async def _ref(self, transcript_id: str) -> StoredRef:
        ref = await self.store.transcripts.ref_by_id(transcript_id.strip())
        if ref is None:
            raise NotFound(f"no transcript with id {transcript_id.strip()!r}")
        return ref
