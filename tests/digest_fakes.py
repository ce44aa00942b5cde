"""Doubles for digest tests and ``bench/digest.py``: a library with briefs, a scripted Sender.

The library is the real one (real store, migrations, ingest, watermarks);
only the brief loader is a small deterministic stand-in, so the delivery tests
do not depend on the brief engine's choices (``test_digest.py`` has one test
over the real brief builder).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from briefs.digest import Button
from briefs.library import Library
from briefs.store import Store, StoredRef
from briefs.transcript import Transcript, TranscriptBuilder

__all__ = [
    "FakeSender",
    "Sent",
    "SimulatedCrash",
    "Sleeps",
    "brief_loader",
    "ingest",
    "make_transcript",
    "open_library",
]


class Sleeps:
    """An injected sleep: records how long the engine asked to wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class SimulatedCrash(BaseException):
    """The process dies here: not an Exception, so nothing in the engine catches it."""


def make_transcript(title: str, *lines: str, date: str | None = "2026-11-20") -> Transcript:
    """``"Name: words"`` lines become speech turns."""
    b = TranscriptBuilder(format="text", source=f"{title}.txt", title=title, date=date)
    for line in lines:
        label, text = line.split(": ", 1)
        b.add("speech", text, b.speaker(label))
    return b.build()


async def brief_loader(store: Any, ref: StoredRef) -> Any:
    # Deterministic stand-in for the brief engine: the first passages of the
    # transcript as TL;DR, the fourth as turning point, the fifth as risk.
    cur = await store.db.execute(
        'SELECT p.speaker, p.start, p."end", t.text, t.title FROM passages p'
        " JOIN transcripts t ON t.pk = p.transcript_pk WHERE p.transcript_pk = ? ORDER BY p.seq",
        (ref.pk,),
    )
    rows = await cur.fetchall()

    def item(row: Any, label: str) -> SimpleNamespace:
        quote = row[3][row[1] : row[2]]
        return SimpleNamespace(
            text=f"{label}: {quote[:60]}", quote=quote, speaker=row[0], start=row[1], time=None
        )

    items = [item(r, "Point") for r in rows]
    title_words = rows[0][4].lower().split() if rows else []
    return SimpleNamespace(
        tldr=items[:3],
        turning_points=[item(r, "Turn") for r in rows[3:4]],
        risks=[item(r, "Risk") for r in rows[4:5]],
        keywords=title_words,
        length=len(rows[0][3]) if rows else None,
    )


async def open_library(path: Path) -> Library:
    store = await Store.open(path)
    return Library(store, briefs=brief_loader)


_counter = itertools.count(1)


async def ingest(library: Library, title: str, *lines: str) -> str:
    """Ingest a small transcript; returns its id."""
    if not lines:
        n = next(_counter)
        lines = tuple(
            f"{'Ada' if i % 2 else 'Bo'}: Sentence {i} of transcript {n} about {title.lower()}."
            for i in range(1, 7)
        )
    outcome = await library.ingest_transcript(
        make_transcript(title, *lines), source_key=f"test/{title}"
    )
    assert outcome.status in ("added", "revised"), outcome.message
    assert outcome.transcript_id is not None
    return outcome.transcript_id


@dataclass(frozen=True)
class Sent:
    chat_id: int
    html: str
    buttons: tuple[Button, ...]


@dataclass
class FakeSender:
    """A Sender that records what the chat received and fails on a script.

    ``script[chat_id]`` is a queue of outcomes for that chat's next calls:
    an engine error to raise (nothing delivered), ``"crash-before"`` (the
    process dies before the service accepted the message) or ``"crash-after"``
    (the service accepted it, then the process died: the unavoidable window).
    """

    delivered: list[Sent] = field(default_factory=list)
    calls: int = 0
    script: dict[int, deque[Any]] = field(default_factory=dict)

    def on(self, chat_id: int, *outcomes: Any) -> None:
        self.script.setdefault(chat_id, deque()).extend(outcomes)

    async def send(self, chat_id: int, html: str, buttons: Sequence[Button]) -> None:
        self.calls += 1
        queued = self.script.get(chat_id)
        outcome = queued.popleft() if queued else None
        if outcome == "crash-before":
            raise SimulatedCrash(f"crash before chat {chat_id} got the message")
        if isinstance(outcome, BaseException) and not isinstance(outcome, SimulatedCrash):
            raise outcome
        self.delivered.append(Sent(chat_id, html, tuple(buttons)))
        if outcome == "crash-after":
            raise SimulatedCrash(f"crash after chat {chat_id} got the message")

    def to(self, chat_id: int) -> list[str]:
        return [s.html for s in self.delivered if s.chat_id == chat_id]

