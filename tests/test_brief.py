"""The brief: grounded items, readable bullets, coverage, risk views, storage, CLI."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import main
from briefs.brief import (
    ENGINE,
    ENGINE_VERSION,
    NO_RISK_NOTE,
    Brief,
    BriefItem,
    TurningPoint,
    build_brief,
    load_brief,
    rebuild_briefs,
)
from briefs.library import Library
from briefs.passages import Passage, make_passages
from briefs.transcript import Transcript, TranscriptBuilder

# --- transcripts written for these tests -------------------------------------------

# Six topics of a made-up interview; each answer sentence is spoken with the
# fillers, stutters and openers a real transcript has.
TOPICS = [
    ("batteries", "battery", ["cells", "charging", "lithium supply", "battery packs"]),
    ("the harbour", "harbour", ["ferries", "cargo cranes", "the harbour dock", "tides"]),
    ("school meals", "lunch", ["school kitchens", "lunch menus", "fresh vegetables", "cooks"]),
    ("the orchestra", "orchestra", ["violin section", "concert hall", "rehearsals", "conductor"]),
    ("bicycle lanes", "bicycle", ["bike lanes", "commuters", "cycling routes", "road paint"]),
    ("the library", "library", ["reading rooms", "book loans", "library cards", "archives"]),
]
OPENERS = ["So, um, ", "Yes, ", "Well, ", "I think ", "That's why ", "And, uh, ", "", ""]
VERBS = ["shapes", "depends on", "changed", "improves", "slows down", "pays for"]


def _answer(topic: int, turn: int) -> str:
    _name, word, things = TOPICS[topic]
    sentences = []
    for k in range(5):
        a, b = things[(turn + k) % 4], things[(turn + k + 1) % 4]
        opener = OPENERS[(topic + turn + k) % len(OPENERS)]
        verb = VERBS[(turn * 3 + k) % len(VERBS)]
        filler = ", you know," if k % 2 else ""
        sentences.append(f"{opener}the {word} plan for {a}{filler} {verb} the the way {b} work.")
    return " ".join(sentences)


def interview(*, risky: bool = False, headings: bool = False, hello: bool = False) -> Transcript:
    b = TranscriptBuilder(format="text", source="test", title="Town plans in six topics")
    host, guest = b.speaker("Dana Reyes (Host)"), b.speaker("Sam Okafor (Mayor)")
    if hello:
        b.add("speech", "Welcome to the show, Sam, and thanks for coming in today.", host)
        b.add("speech", "Thanks for having me, it is a pleasure to be here with you.", guest)
    for topic, (name, word, _things) in enumerate(TOPICS):
        if headings:
            b.add("heading", f"Plans for {name}")
        b.add("speech", f"Tell me about {name}: what is the {word} plan this year?", host)
        for turn in range(3):
            b.add("speech", _answer(topic, turn), guest)
            if turn < 2:
                b.add("speech", f"And how does the {word} plan reach people?", host)
        if risky and topic == 2:
            b.add(
                "speech",
                "Are you worried that the lunch plan carries a real risk of food poisoning?",
                host,
            )
            b.add(
                "speech",
                "The biggest risk is food safety in old school kitchens, so every cook "
                "now trains on hygiene before the new lunch menus start.",
                guest,
            )
    return b.build()


def short_talk() -> Transcript:
    b = TranscriptBuilder(format="text", source="test", title="A short chat")
    a, c = b.speaker("Ann"), b.speaker("Bo")
    b.add("speech", "The garden needs new tomato plants before the summer festival.", a)
    b.add("speech", "Bo will buy the tomato plants at the market on Saturday morning.", c)
    return b.build()


def brief_of(t: Transcript, **kw: int) -> tuple[Brief, list[Passage]]:
    passages = make_passages(t)
    return build_brief(t, passages, **kw), passages


def check_grounded(t: Transcript, brief: Brief, passages: list[Passage]) -> None:
    by_id = {p.id: p for p in passages}
    for item in brief.items():
        assert t.text[item.start : item.end] == item.quote, item
        p = by_id[item.passage_id]
        assert p.start <= item.start and item.end <= p.end, item
        assert p.text[item.start - p.start : item.end - p.start] == item.quote
        assert item.speaker == p.speaker


# The rules a bullet must meet to read on its own.
DANGLING = re.compile(r"^(?:so|yes|yeah|well|and|but|that's why|i think|okay|um|uh)\b", re.I)
FILLER = re.compile(r"\b(?:um|uh|you know|i mean)\b|\b(\w+) \1\b", re.I)


# --- grounding and readability -------------------------------------------------------


@pytest.mark.parametrize("t", [interview(), interview(risky=True, headings=True), short_talk()])
def test_every_item_cites_a_passage_holding_its_quote_at_its_offsets(t: Transcript) -> None:
    brief, passages = brief_of(t)
    assert list(brief.items())
    check_grounded(t, brief, passages)


def test_bullets_are_distinct_self_contained_sentences_without_fillers() -> None:
    brief, _ = brief_of(interview(risky=True))
    texts = [b.text for b in brief.tldr]
    assert len(set(texts)) == len(texts)
    for text in texts:
        assert not DANGLING.match(text), text
        assert not FILLER.search(text), text
        assert text[0].isupper() and text[-1] in ".!?", text


@pytest.mark.parametrize(
    ("spoken", "cleaned"),
    [
        ("So, um, I think the the plan works, you know, most days.",
         "I think the plan works most days."),
        ("Yes, that's why we shut down the app.", "We shut down the app."),
        ("Well, uh, wh- what matters is compute", "What matters is compute."),
        ("So many people use it.", "So many people use it."),
        ("It is not just a model problem.", "It is not just a model problem."),
        ("I think that claim ignores something.", "I think that claim ignores something."),
        ("I think that to get there, we must act.", "I think that to get there, we must act."),
        ("Um.", ""),
    ],
)
def test_clean_trims_fillers_and_openers_but_keeps_meaning(spoken: str, cleaned: str) -> None:
    from briefs.brief._sentences import clean

    assert clean(spoken) == cleaned


@pytest.mark.parametrize(
    "text",
    ["That claim ignores something.", "Second, an AI that solves problems.", "It works, so it's."],
)
def test_sentences_leaning_on_context_are_not_self_contained(text: str) -> None:
    from briefs.brief._sentences import is_self_contained

    assert not is_self_contained(text)
    assert is_self_contained("The ferry plan works every day.")


def test_bullets_are_attributed_to_their_speaker() -> None:
    brief, _ = brief_of(interview())
    assert {b.speaker for b in brief.tldr} == {"Sam Okafor"}
    assert all(b.attributed == f"Okafor: {b.text}" for b in brief.tldr)


# --- the TL;DR's size and coverage ---------------------------------------------------


def test_a_long_transcript_gets_five_to_eight_bullets_spread_over_it() -> None:
    t = interview()
    brief, _ = brief_of(t)
    assert 5 <= len(brief.tldr) <= 8
    last = t.turns[-1].index
    thirds = {min(2, 3 * b.turn_index // (last + 1)) for b in brief.tldr}
    assert thirds == {0, 1, 2}
    assert [b.start for b in brief.tldr] == sorted(b.start for b in brief.tldr)


def test_a_word_budget_caps_the_tldr() -> None:
    brief, _ = brief_of(interview(), tldr_words=60)
    words = sum(len(b.text.split()) for b in brief.tldr)
    assert 0 < words <= 60


def test_a_short_transcript_says_why_its_tldr_is_short() -> None:
    brief, _ = brief_of(short_talk())
    assert len(brief.tldr) < 5
    assert any("short" in note for note in brief.notes)


# --- turning points ------------------------------------------------------------------


@pytest.mark.parametrize("hello", [False, True])
def test_source_headings_become_the_turning_points_in_order(hello: bool) -> None:
    t = interview(headings=True, hello=hello)
    brief, _ = brief_of(t)
    headings = [turn for turn in t.turns if turn.kind == "heading"]
    if hello:  # the hellos before the first heading: labelled, not a topic
        intro = brief.turning_points[0]
        assert (intro.kind, intro.headline, intro.turn_index) == ("introduction", "Introduction", 0)
        brief = Brief(brief.tldr, brief.turning_points[1:], (), None, ())
    assert {tp.kind for tp in brief.turning_points} == {"segment"}
    assert [tp.headline for tp in brief.turning_points] == [h.text for h in headings]
    # A segment starts at the speech turn right after its heading.
    assert [tp.turn_index for tp in brief.turning_points] == [h.index + 1 for h in headings]
    for tp, nxt in zip(brief.turning_points, [*brief.turning_points[1:], None], strict=True):
        assert tp.turn_index <= tp.quote_turn_index
        assert nxt is None or tp.quote_turn_index < nxt.turn_index


def test_without_headings_segments_open_at_host_questions() -> None:
    t = interview()
    brief, _ = brief_of(t)
    assert 2 <= len(brief.turning_points) <= 8
    asks = {turn.index for turn in t.turns if turn.speaker == "Dana Reyes"}
    assert all(tp.turn_index in asks for tp in brief.turning_points[1:])
    assert all(tp.headline for tp in brief.turning_points)


def test_marked_changes_are_listed_under_their_segment() -> None:
    b = TranscriptBuilder(format="text", source="test", title="Ferry news")
    host, guest = b.speaker("Lee (Host)"), b.speaker("Kim")
    b.add("speech", "What happened to the old ferry route across the bay this spring?", host)
    b.add(
        "speech",
        "Ridership on the ferry route across the bay went from 20% to 80% of commuters. "
        "For the first time the ferry company runs boats every ten minutes. "
        "The ferry crews are proud of the new timetable for the bay.",
        guest,
    )
    t = b.build()
    brief, passages = brief_of(t)
    changes = [c for tp in brief.turning_points for c in tp.changes]
    assert [c.kind for c in changes] == ["change", "change"]
    assert "from 20% to 80%" in changes[0].quote
    assert "For the first time" in changes[1].quote
    check_grounded(t, brief, passages)


# --- risk views ----------------------------------------------------------------------


def test_no_risk_talk_gives_an_empty_risk_view_and_says_so() -> None:
    brief, _ = brief_of(interview())
    assert brief.risks == ()
    assert NO_RISK_NOTE in brief.notes
    assert brief.to_dict()["risks"] == []


def test_risk_talk_is_grouped_by_speaker_with_the_hosts_concern_first() -> None:
    t = interview(risky=True)
    brief, passages = brief_of(t)
    groups = brief.risks_by_speaker()
    assert list(groups) == ["Dana Reyes", "Sam Okafor"]
    assert [(i.kind, i.quote[:28]) for i in groups["Dana Reyes"]] == [
        ("concern", "Are you worried that the lun")
    ]
    assert [(i.kind, i.quote[:28]) for i in groups["Sam Okafor"]] == [
        ("answer", "The biggest risk is food saf")
    ]
    assert NO_RISK_NOTE not in brief.notes
    check_grounded(t, brief, passages)


# --- determinism, JSON ---------------------------------------------------------------


def test_the_same_transcript_always_gives_the_same_brief() -> None:
    t = interview(risky=True)
    assert brief_of(t)[0].to_json() == brief_of(t)[0].to_json()


def test_json_has_the_documented_shape_and_round_trips() -> None:
    brief, _ = brief_of(interview(risky=True))
    data = json.loads(brief.to_json())
    assert set(data) == {
        "tldr",
        "turning_points",
        "risks",
        "risks_more",
        "source_summary",
        "keywords",
        "engine",
        "engine_version",
        "notes",
    }
    item_keys = {"text", "speaker", "passage_id", "quote", "start", "end", "kind", "turn_index"}
    for item in [*data["tldr"], *data["risks"], *data["turning_points"]]:
        assert item_keys <= set(item)
    # Risk items add how bad they are and what is done about them; other items do not.
    for item in data["risks"]:
        assert {"severity", "mitigation"} <= set(item) and 0 <= item["severity"] <= 1
    assert not {"severity", "mitigation"} & set(data["tldr"][0])
    assert {"headline", "time", "changes"} <= set(data["turning_points"][0])
    assert (data["engine"], data["engine_version"]) == (ENGINE, ENGINE_VERSION)
    assert Brief.from_json(brief.to_json()) == brief


def test_keywords_name_the_topics() -> None:
    brief, _ = brief_of(interview())
    assert 3 <= len(brief.keywords) <= 10
    words = " ".join(brief.keywords)
    assert sum(topic[1] in words for topic in TOPICS) >= 3


def test_a_transcript_without_speech_gets_an_empty_brief() -> None:
    b = TranscriptBuilder(format="text", source="test", title="Notes only")
    b.add("note", "Nothing was said.")
    brief, _ = brief_of(b.build())
    assert (brief.tldr, brief.turning_points, brief.risks) == ((), (), ())
    assert NO_RISK_NOTE in brief.notes


# --- the real interview --------------------------------------------------------------


def test_real_interview_keeps_the_sources_summary_apart(interview_path: Path) -> None:
    from briefs.readers import read_path

    t = read_path(interview_path)
    brief, passages = brief_of(t)
    check_grounded(t, brief, passages)
    assert t.source_summary and brief.source_summary == t.source_summary
    assert brief.to_dict()["source_summary"]["text"] == t.source_summary
    for bullet in brief.tldr:
        assert bullet.quote not in t.source_summary
        assert bullet.text.rstrip(".") not in t.source_summary
    assert 5 <= len(brief.tldr) <= 8
    # The greeting, then the source's four headings.
    assert [(tp.kind, tp.headline) for tp in brief.turning_points][:1] == [
        ("introduction", "Introduction")
    ]
    assert [tp.headline for tp in brief.turning_points][1:] == [
        "Why shut down Sora? Not enough compute",
        "Betting on GPT, not world models: choosing the path to AGI",
        "Early stage of AI “takeoff”",
        "Key inflection: from 20% to 80% of work being taken over",
    ]
    assert any("20% to 80%" in c.quote for tp in brief.turning_points for c in tp.changes)
    assert {"Alex", "Greg Brockman"} == set(brief.risks_by_speaker())


# --- storage and the command line ----------------------------------------------------


@pytest.fixture
async def lib(tmp_path: Path) -> AsyncIterator[Library]:
    library = await Library.open(tmp_path / "b.db")
    yield library
    await library.close()


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "plans.txt"
    lines = ["Town plans"]
    for turn in interview(risky=True).turns:
        lines.append(f"{turn.speaker}: {turn.text}")
    path.write_text("\n\n".join(lines), encoding="utf-8")
    return path


async def test_ingest_stores_the_brief_and_the_library_serves_it(
    lib: Library, tmp_path: Path
) -> None:
    outcome = await lib.ingest_path(_write(tmp_path))
    assert outcome.status == "added" and outcome.transcript_id
    stored = await lib.get(outcome.transcript_id)
    served = await lib.brief(outcome.transcript_id)
    assert served == build_brief(stored.transcript, stored.passages)
    check_grounded(stored.transcript, served, stored.passages)
    assert all(i.passage_id in {p.id for p in stored.passages} for i in served.items())


async def test_rebuild_redoes_only_stale_briefs(lib: Library, tmp_path: Path) -> None:
    outcome = await lib.ingest_path(_write(tmp_path))
    assert outcome.transcript_id
    report = await rebuild_briefs(lib.store)
    assert (report.rebuilt, report.unchanged, report.total) == (0, 1, 1)
    await lib.store.db.execute("UPDATE briefs SET engine_version = 'old'")
    await lib.store.db.commit()
    report = await rebuild_briefs(lib.store)
    assert (report.rebuilt, report.unchanged) == (1, 0)
    cur = await lib.store.db.execute("SELECT transcript_pk FROM briefs")
    (pk,) = await cur.fetchone()  # type: ignore[misc]
    rebuilt = await load_brief(lib.store, pk)
    assert rebuilt is not None and rebuilt.engine_version == ENGINE_VERSION
    assert (await rebuild_briefs(lib.store, everything=True)).rebuilt == 1
    assert await load_brief(lib.store, pk + 99) is None


def test_cli_prints_the_brief_as_text_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    assert runner.invoke(main, ["ingest", str(_write(tmp_path)), "--db", db]).exit_code == 0
    text = runner.invoke(main, ["brief", "town plans", "--db", db])
    assert text.exit_code == 0, text.output
    for section in ("TL;DR", "Turning points", "Risk views", "Keywords:"):
        assert section in text.output
    assert "Okafor: " in text.output
    as_json = runner.invoke(main, ["brief", "town", "--json", "--db", db])
    data = json.loads(as_json.output)
    assert data["tldr"] and data["risks"][0]["kind"] == "concern"
    missing = runner.invoke(main, ["brief", "nothing-like-this", "--db", db])
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: no transcript matches")
    rebuilt = runner.invoke(main, ["rebuild", "--all", "--db", db])
    assert rebuilt.output == "1 brief(s) rebuilt, 0 already current (1 transcript(s))\n"


def test_items_are_brief_items_or_turning_points() -> None:
    brief, _ = brief_of(interview(risky=True))
    kinds = {type(i) for i in brief.items()}
    assert kinds == {BriefItem, TurningPoint}


# --- any transcript ------------------------------------------------------------------

VOCAB = [
    "um",
    "uh",
    "so",
    "yes",
    "well",
    "I",
    "think",
    "you",
    "know",
    "the",
    "the",
    "plan",
    "risk",
    "safety",
    "worried",
    "battery",
    "harbour",
    "from",
    "20%",
    "to",
    "80%",
    "for the first time",
    "no longer",
    "shut down",
    "电池",
    "café",
    "GPT-5",
    "wh-",
    "—",
    ",",
    ".",
    "?",
    "!",
    "“",
    "”",
    "\n",
]
words_st = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=60).map(" ".join)
turns_st = st.lists(
    st.tuples(st.sampled_from(["Ann (Host)", "Bo", "Cy", None]), words_st), max_size=25
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=turns_st, budget=st.sampled_from([None, 20, 110]))
def test_any_transcript_gets_a_grounded_brief(
    turns: list[tuple[str | None, str]], budget: int | None
) -> None:
    b = TranscriptBuilder(format="text", source="test", title="Random talk")
    for label, text in turns:
        if label is None:
            b.add("heading", text.replace("\n", " "))
        else:
            b.add("speech", text, b.speaker(label))
    t = b.build()
    brief, passages = brief_of(t) if budget is None else brief_of(t, tldr_words=budget)
    check_grounded(t, brief, passages)
    assert Brief.from_json(brief.to_json()) == brief
    assert len(brief.tldr) <= 8 or budget is not None
    for item in brief.tldr:
        assert item.text and not DANGLING.match(item.text), item.text


def test_a_two_line_exchange_still_gets_a_tldr_without_its_greeting() -> None:
    b = TranscriptBuilder(format="text", source="test", title="Quarter")
    b.add("speech", "Good morning and welcome.", b.speaker("Alex (Host)"))
    b.add("speech", "Thanks, Alex. Revenue grew nine percent.", b.speaker("Dana Park"))
    t = b.build()
    brief, passages = brief_of(t)
    assert [i.attributed for i in brief.tldr] == ["Park: Revenue grew nine percent."]
    assert brief.notes[0] == "The TL;DR has 1 bullet: the transcript is short."
    check_grounded(t, brief, passages)


def test_brief_quotes_in_a_long_timed_turn_carry_their_own_times() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_passages import _long_turn_vtt

    from briefs.readers import read_bytes

    transcript = read_bytes("council.vtt", _long_turn_vtt().encode())
    brief = build_brief(transcript, make_passages(transcript))
    topics = ["harbour", "ferry", "bridge", "tram", "cycle", "bus", "parking", "road",
              "street", "canal", "rail", "taxi"]
    quoted = [i for i in brief.tldr if i.quote]
    assert quoted
    # Each quote is a caption's sentence: it was said in the minute of its topic.
    assert [(i.time, i.quote.split()[0]) for i in quoted] == [
        (60.0 * topics.index(i.quote.split()[0]), i.quote.split()[0]) for i in quoted
    ]
