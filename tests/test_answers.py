"""Answers first (briefs/search/_answers.py): a quote search answers, not echoes the question."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from briefs.library import Library
from briefs.search import is_question
from briefs.search._answers import QuestionQueue, answer_excerpt
from briefs.transcript import Transcript, TranscriptBuilder


def _talk(title: str, turns: list[tuple[str, str]]) -> Transcript:
    b = TranscriptBuilder(format="text", source=f"{title}.txt", title=title, date="2026-04-02")
    for speaker, text in turns:
        b.add("speech", text, b.speaker(speaker))
    return b.build()


# Invented dialogue. The question and the later statement hold the same
# three words once each and nothing else that is searchable, so BM25 scores
# them exactly the same.
HARBOUR = _talk("Harbour crane", [
    ("Mia Host", "Harbour crane delayed?"),
    ("Ravi Port", "Nothing arrived this week, sadly."),
    ("Mia Host", "Tell us about the quay."),
    ("Ravi Port", "Harbour crane delayed."),
])
# A question that holds the query's words and an answer that does not.
FERRY = _talk("Ferry timetable", [
    ("Mia Host", "When will the night ferry timetable be published?"),
    ("Ravi Port", "We publish it in stages, starting with the winter weekends."),
    ("Mia Host", "Thanks."),
])


@pytest.fixture
async def lib(tmp_path: Path):
    library = await Library.open(tmp_path / "lib.db")
    for t in (HARBOUR, FERRY):
        assert (await library.ingest_transcript(t, source_key=t.source)).status == "added"
    yield library
    await library.close()


def test_is_question_needs_every_sentence_to_ask() -> None:
    assert is_question("So you mean it's not there yet?")
    assert is_question("Really? Why “now?”")
    assert not is_question("It launched. Why now?")
    assert not is_question("Not a question.")
    assert not is_question("")


async def test_question_only_passage_ranks_below_an_equally_matching_answer(lib: Library
                                                                             ) -> None:
    page = await lib.search("harbour crane delayed in:harbour-crane", page_size=5)
    shown = [(h.speaker, h.excerpt, h.context) for h in page.hits]
    # The statement first; the question's hit is its reply, the question as context.
    assert shown == [
        ("Ravi Port", "Harbour crane delayed.", None),
        ("Ravi Port", "Nothing arrived this week, sadly.", "Harbour crane delayed?"),
    ]
    assert page.hits[0].score == pytest.approx(page.hits[1].score)


async def test_best_match_a_question_shows_the_answer_with_the_question_as_context(
    lib: Library,
) -> None:
    page = await lib.search("night ferry timetable", page_size=5)
    assert len(page.hits) == 1
    hit = page.hits[0]
    text = (await lib.get(hit.transcript_id)).transcript.text
    assert (hit.speaker, hit.excerpt, hit.context, hit.context_speaker) == (
        "Ravi Port",
        "We publish it in stages, starting with the winter weekends.",
        "When will the night ferry timetable be published?",
        "Mia Host",
    )
    assert text[hit.start : hit.end] == hit.excerpt  # the answer is verbatim
    assert hit.context in text


def test_question_queue_releases_only_what_outranks_the_next_match() -> None:
    queue: QuestionQueue[str] = QuestionQueue(weight=0.5)
    queue.hold(10.0, "q10")
    queue.hold(6.0, "q6")
    assert queue.release(5.0) == []  # a tie (10 x 0.5) goes to the answer
    assert queue.release(4.0) == ["q10"]
    assert queue.release(3.0) == []
    assert queue.release(None) == ["q6"]


def test_answer_excerpt_opens_the_reply_when_no_query_word_is_in_it() -> None:
    text = "We publish it in stages. Winter weekends first. Then the rest."
    ex = answer_excerpt(text, 100, ["ferri"], lambda t: 1.0)
    assert ex is not None
    assert (ex.text, ex.start, ex.marks) == (text, 100, ())
    assert answer_excerpt(text, 100, ["ferri"], lambda t: 1.0, shown={100, 125, 148}) is None


def test_search_json_adds_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "cli.db"))
    (tmp_path / "ferry.txt").write_text(
        "Ferry talk\n\nMia: When will the night ferry timetable be published?\n\n"
        "Ravi: We publish it in stages.\n\nMia: And the harbour café?\n\n"
        "Ravi: The ferry café opens in May.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(tmp_path / "ferry.txt")]).exit_code == 0
    result = runner.invoke(main, ["search", "ferry", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(x["speaker"], x["excerpt"], x["context"]) for x in lines] == [
        ("Ravi", "The ferry café opens in May.", None),
        ("Ravi", "We publish it in stages.", "When will the night ferry timetable be published?"),
    ]
    text = runner.invoke(main, ["search", "ferry"]).stdout
    assert "Mia asked: When will the night ferry timetable be published?" in text


async def test_a_reply_never_stands_in_where_the_query_rules_it_out(lib: Library) -> None:
    # speaker:mia asks for what Mia said: her question, not Ravi's reply.
    page = await lib.search("night ferry timetable speaker:mia", page_size=5)
    assert [(h.speaker, h.excerpt, h.context) for h in page.hits] == [
        ("Mia Host", "When will the night ferry timetable be published?", None)]
    # An excluded word in the reply: the question is shown as it is.
    page = await lib.search("night ferry timetable -winter", page_size=5)
    assert [(h.speaker, h.context) for h in page.hits] == [("Mia Host", None)]
