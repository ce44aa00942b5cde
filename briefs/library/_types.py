"""The value types of the library façade (re-exported by ``briefs.library._facade``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

from briefs.passages import Passage
from briefs.store import Store, StoredRef, TranscriptInfo
from briefs.transcript import Transcript

__all__ = [
    "IngestOutcome",
    "IngestReport",
    "IngestStatus",
    "IngestStep",
    "StoredTranscript",
    "TranscriptInfo",
]

IngestStatus = Literal["added", "duplicate", "revised", "failed"]


class IngestOutcome(NamedTuple):
    path: str
    status: IngestStatus
    transcript_id: str | None
    message: str
    """One line, fit to show the operator."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class IngestReport:
    outcomes: tuple[IngestOutcome, ...] = ()

    def _count(self, status: IngestStatus) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def added(self) -> int:
        return self._count("added")

    @property
    def duplicates(self) -> int:
        return self._count("duplicate")

    @property
    def revised(self) -> int:
        return self._count("revised")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        return (
            f"added {self.added}, duplicate {self.duplicates}, "
            f"revised {self.revised}, failed {self.failed}"
        )


@dataclass(frozen=True)
class StoredTranscript:
    info: TranscriptInfo
    transcript: Transcript
    passages: list[Passage] = field(default_factory=list)


class IngestStep(Protocol):
    """A stage of ingest that writes its own rows (the brief, the search index).

    ``prepare`` does the step's CPU work in a worker thread before the write
    transaction opens; ``stage`` only writes what it built, so the event loop
    keeps answering and the write lock is held for the writes alone.
    """

    def prepare(self, transcript: Transcript, passages: list[Passage]) -> Any:
        """Off the event loop, before the transaction: build what ``stage`` writes.

        The passages are not stored yet (each one's ``id`` is its ``seq``);
        touch neither the store nor state the event loop uses.
        """

    async def stage(
        self,
        store: Store,
        stored: StoredRef,
        transcript: Transcript,
        passages: list[Passage],
        prepared: Any,
    ) -> None:
        """Write this stage's rows through ``store`` inside the ingest transaction.

        ``passages`` carry their stored ids; ``prepared`` is what ``prepare`` returned.
        """

    def committed(self, stored: StoredRef, transcript: Transcript, passages: list[Passage]) -> None:
        """After commit only: update in-memory state (the search index)."""
