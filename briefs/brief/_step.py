"""Briefs in the store: built at ingest (``BriefStep``), loaded, and rebuilt.

A brief is stored whole, as JSON, in ``briefs`` (migration ``0002``), beside
the engine and version that built it: serving a brief is one row read, and
``rebuild_briefs`` can find the briefs an engine change made stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from briefs.brief._model import ENGINE, ENGINE_VERSION, Brief, BriefItem, build_brief
from briefs.passages import Passage
from briefs.store import Store, StoredBrief, StoredRef, utc_stamp
from briefs.transcript import Transcript

__all__ = [
    "BriefStep",
    "BriefUpgrade",
    "RebuildReport",
    "base_engine",
    "load_brief",
    "rebuild_briefs",
    "save_brief",
    "with_passage_ids",
]

Clock = Callable[[], datetime]


def _now(clock: Clock | None) -> str:
    return utc_stamp(clock() if clock is not None else None)


async def save_brief(store: Store, transcript_pk: int, brief: Brief, *, built_at: str) -> None:
    """Write (or replace) the brief of a transcript; the caller owns the transaction."""
    await store.briefs.save(
        StoredBrief(
            transcript_pk=transcript_pk,
            engine=brief.engine,
            engine_version=brief.engine_version,
            built_at=built_at,
            json=brief.to_json(),
        )
    )


async def load_brief(store: Store, transcript_pk: int) -> Brief | None:
    """The stored brief of a transcript, or ``None`` if none was built."""
    stored = await store.briefs.get(transcript_pk)
    return Brief.from_json(stored.json) if stored is not None else None


class BriefStep:
    """The ingest step that builds and stores a transcript's brief.

    The brief is built in ``prepare`` (a worker thread, before the write
    transaction: it is most of an ingest's CPU time) and written inside the
    ingest transaction, so a transcript is never stored without one; there is
    no in-memory state to update after.
    """

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock

    def prepare(self, transcript: Transcript, passages: list[Passage]) -> Brief:
        return build_brief(transcript, passages)

    async def stage(
        self,
        store: Store,
        stored: StoredRef,
        transcript: Transcript,
        passages: list[Passage],
        prepared: Brief,
    ) -> None:
        # Built before the passages had ids: each cites its passage by seq.
        brief = with_passage_ids(prepared, {p.seq: p.id for p in passages})
        await save_brief(store, stored.pk, brief, built_at=_now(self._clock))

    def committed(self, stored: StoredRef, transcript: Transcript, passages: list[Passage]) -> None:
        return None


def with_passage_ids(brief: Brief, ids: Mapping[int, int]) -> Brief:
    """``brief`` with every cited passage id ``i`` replaced by ``ids[i]``."""

    def item(i: BriefItem) -> BriefItem:
        mitigation = item(i.mitigation) if i.mitigation is not None else None
        return replace(i, passage_id=ids[i.passage_id], mitigation=mitigation)

    return replace(
        brief,
        tldr=tuple(item(i) for i in brief.tldr),
        turning_points=tuple(
            replace(t, passage_id=ids[t.passage_id], changes=tuple(item(c) for c in t.changes))
            for t in brief.turning_points
        ),
        risks=tuple(item(i) for i in brief.risks),
        risks_more=tuple(item(i) for i in brief.risks_more),
    )


def base_engine(engine: str) -> str:
    """The extractive engine a stored brief started from: ``extractive+llm:m`` -> ``extractive``.

    An upgrade (the optional LLM TL;DR) appends ``+<its engine>``; the part
    before the first ``+`` is what decides whether the brief is stale.
    """
    return engine.split("+", 1)[0]


class BriefUpgrade(Protocol):
    """Something that improves a freshly built extractive brief (``briefs.brief._llm.LLMUpgrade``).

    A protocol rather than an import: ``briefs.brief._llm`` imports this package's
    ``Brief``, so the dependency points that way only.
    """

    @property
    def engine(self) -> str:
        """The engine an upgraded brief records, e.g. ``extractive+llm:llama3.1``."""
        ...

    async def upgrade(self, store: Store, pk: int, extractive: Brief) -> Brief | None:
        """Save and return the upgraded brief, or ``None`` when ``extractive`` stays."""
        ...


@dataclass(frozen=True, slots=True)
class RebuildReport:
    rebuilt: int
    unchanged: int
    total: int
    upgraded: int = 0
    """Briefs the upgrade improved (and saved), among the rebuilt ones."""


def _stale(engine: str | None, version: str | None, upgrade: BriefUpgrade | None) -> bool:
    if engine is None or base_engine(engine) != ENGINE or version != ENGINE_VERSION:
        return True
    # A current extractive base: stale only when an upgrade is configured and
    # this brief does not carry it (it failed at ingest, or another model wrote it).
    return upgrade is not None and engine != upgrade.engine


async def rebuild_briefs(
    store: Store,
    *,
    everything: bool = False,
    clock: Clock | None = None,
    upgrade: BriefUpgrade | None = None,
) -> RebuildReport:
    """Rebuild every stale brief (all with ``everything``), then apply ``upgrade`` to it.

    Stale: no brief at all (stored before briefs existed), or one whose
    extractive base (the engine before any ``+``) or version differs from the
    current one. An upgraded brief (``extractive+llm:<model>``) on a current
    base is not stale: a plain rebuild keeps it. With ``upgrade`` given, a
    brief that lacks that exact upgrade is stale too.

    Each brief is written in its own transaction, and the upgrade (an HTTP
    call) runs outside any, so an interrupted rebuild keeps what it finished
    and the next run picks up the rest. A brief whose base was current keeps
    its stored version when the upgrade fails; a stale one gets the fresh
    extractive brief.
    """
    rows = await store.briefs.stamps()
    stale = [
        (r.transcript_pk, r.engine, r.engine_version)
        for r in rows
        if everything or _stale(r.engine, r.engine_version, upgrade)
    ]
    rebuilt = upgraded = 0
    for pk, engine, version in stale:
        _info, transcript, passages = await store.transcripts.load(pk)
        # Off the event loop, like at ingest: a bot may be answering meanwhile.
        brief = await asyncio.to_thread(build_brief, transcript, passages)
        only_upgrade = not everything and not _stale(engine, version, None)
        if not only_upgrade:
            async with store.transaction():
                await save_brief(store, pk, brief, built_at=_now(clock))
        improved = upgrade is not None and await upgrade.upgrade(store, pk, brief) is not None
        upgraded += improved
        rebuilt += improved or not only_upgrade
    return RebuildReport(
        rebuilt=rebuilt, unchanged=len(rows) - rebuilt, total=len(rows), upgraded=upgraded
    )
