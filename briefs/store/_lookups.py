"""Small reads of a stored transcript that the chat front ends make per message."""

from __future__ import annotations

from briefs.store._repository import Repository

__all__ = ["LookupRows"]


class LookupRows(Repository):
    """Single-column reads of ``transcripts`` and ``turns``, cheaper than loading a transcript."""

    serialized = False  # reads only

    async def text_length(self, transcript_id: str) -> int | None:
        """The length of the transcript's text, ``None`` if there is no such transcript."""
        cur = await self._db.execute(
            "SELECT length(text) FROM transcripts WHERE id = ?", (transcript_id,)
        )
        row = await cur.fetchone()
        return None if row is None else int(row[0])

    async def turn_start_times(self, transcript_id: str) -> list[tuple[int, object]]:
        """``(turn index, time_start)`` for the turns that have a start time.

        The time is returned as stored (it may be text, NaN or infinity in an old
        or hand-edited database): the caller validates it.
        """
        cur = await self._db.execute(
            "SELECT t.idx, t.time_start FROM turns t JOIN transcripts r"
            " ON r.pk = t.transcript_pk WHERE r.id = ? AND t.time_start IS NOT NULL",
            (transcript_id,),
        )
        return [(int(r[0]), r[1]) for r in await cur.fetchall()]

    async def headings(self, transcript_id: str) -> list[tuple[int, str]]:
        """``(offset, text)`` of the source's own section headings, in order.

        Views name the section of a quote from a source without times.
        """
        cur = await self._db.execute(
            # CAST: PostgreSQL's substr takes integers, and the offsets are bigint there.
            "SELECT t.start, substr(r.text, CAST(t.start + 1 AS INTEGER),"
            " CAST(t.\"end\" - t.start AS INTEGER)) FROM turns t"
            " JOIN transcripts r ON r.pk = t.transcript_pk"
            " WHERE r.id = ? AND t.kind = 'heading' ORDER BY t.idx",
            (transcript_id,),
        )
        return [(int(r[0]), str(r[1])) for r in await cur.fetchall()]
