"""Top quotes: BM25 inside one transcript for its keywords, each said once, no questions."""

from __future__ import annotations

from pathlib import Path

from briefs.library import Library
from briefs.search import keyword_query, top_quotes
from briefs.transcript import TranscriptBuilder


def test_keywords_become_plain_words_never_filters_or_phrases() -> None:
    query = keyword_query("chips-talk", ["Compute", 'speaker:ada "super app"', "-risk", "compute"])
    assert query == "in:chips-talk compute speaker ada super app risk"


async def test_repeats_and_questions_are_left_out(tmp_path: Path) -> None:
    b = TranscriptBuilder(format="text", source="chips.txt", title="Chips talk")
    ada, bo = b.speaker("Ada"), b.speaker("Bo")
    b.add("speech", "Is compute the bottleneck for the chips team?", ada)
    b.add("speech", "Compute is the bottleneck for the chips team.", bo)
    b.add("speech", "Compute is the bottleneck for the chips team.", ada)
    b.add("speech", "Chips cost more every quarter, so compute budgets grow.", bo)
    b.add("speech", "Lunch is at noon.", ada)
    library = await Library.open(tmp_path / "top.db")
    try:
        outcome = await library.ingest_transcript(b.build(), source_key="chips")
        assert outcome.transcript_id == "chips-talk"
        quotes = await top_quotes(library, "chips-talk", ["compute", "chips"])
        assert sorted((q.speaker, q.excerpt) for q in quotes) == [
            ("Bo", "Chips cost more every quarter, so compute budgets grow."),
            ("Bo", "Compute is the bottleneck for the chips team."),
        ]
        assert await top_quotes(library, "chips-talk", []) == []
        assert await top_quotes(library, "chips-talk", ["compute", "chips"], limit=1) == quotes[:1]
    finally:
        await library.close()
