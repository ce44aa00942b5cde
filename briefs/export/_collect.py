"""What an export holds, gathered through the library: info, brief, quotes, times."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefs.brief import Brief
from briefs.library import Library, TranscriptInfo
from briefs.links import Kind, moment_link, transcript_link
from briefs.passages import time_at
from briefs.search import Hit, top_quotes
from briefs.transcript import Transcript

__all__ = ["ExportData", "gather"]


@dataclass(frozen=True)
class ExportData:
    """One transcript's brief with what citing its quotes needs."""

    info: TranscriptInfo
    brief: Brief
    transcript: Transcript
    quotes: tuple[Hit, ...]
    link: tuple[str, Kind] | None

    @property
    def length(self) -> int:
        return len(self.transcript.text)

    def quote_time(self, item: Any) -> float | None:
        """When an item's quote was said: the time of the words at its start.

        A turning point's own ``time`` is where its segment starts, so every
        quote is timed from its turn's marks instead."""
        start = getattr(item, "start", None)
        for turn in self.transcript.turns:
            if start is not None and turn.start <= start < max(turn.end, turn.start + 1):
                return time_at(turn.marks, start, turn.time_start)
        return getattr(item, "time", None)

    def moment(self, seconds: float | None) -> str | None:
        return moment_link(self.link, seconds)


async def gather(library: Library, transcript_id: str) -> ExportData:
    """Everything an export of ``transcript_id`` shows (raises ``NotFound``)."""
    stored = await library.get(transcript_id)
    brief = await library.brief(transcript_id)
    quotes = await top_quotes(library, transcript_id, list(brief.keywords))
    link = transcript_link(stored.info.metadata)
    return ExportData(stored.info, brief, stored.transcript, tuple(quotes), link)
