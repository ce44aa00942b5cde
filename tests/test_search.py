"""Quote search through a real Library and Store: syntax, excerpts, paging, bad input."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

import briefs.search._filter
import briefs.search._index
import briefs.search._quotes
from briefs.library import Library
from briefs.passages import make_passages
from briefs.search import Hit, QuoteSearch, SearchPage
from briefs.tokenize import tokenize
from briefs.transcript import Transcript, TranscriptBuilder

FILLER = [
    "The weather was grey and the train ran late again this morning.",
    "Our neighbours planted a row of beans along the old stone wall.",
    "Nobody remembered who had borrowed the blue ladder last spring.",
    "The bakery on the corner sells bread until noon on most days.",
    "A cyclist stopped to fix a chain outside the library steps today.",
    "The river rose after the storm but stayed below the footpath.",
    "Someone left a folded map of the city on the bench by the gate.",
    "Children raced paper boats down the gutter after the long rain.",
]


def _transcript(title: str, date: str | None, turns: list[tuple[str, str]]) -> Transcript:
    b = TranscriptBuilder(format="text", source=f"{title}.txt", title=title, date=date)
    for speaker, text in turns:
        b.add("speech", text, b.speaker(speaker))
    return b.build()


AI_TALK = _transcript(
    "Compute and the super app",
    "2026-03-01",
    [
        ("Alice Host", "Why did you shut down the video project? Many people loved it."),
        ("Greg Brockman", "We shut it down because compute is scarce. Every new model wants more"
         " compute than we have. So we chose the assistant path and the super app."),
        ("Alice Host", "What happened with GPT-5 when it launched?"),
        ("Greg Brockman", "GPT-5 handles about 20% of the work today. Speech-to-speech models"
         " are next, and the launch reaction surprised us."),
    ],
)
GARDEN_TALK = _transcript(
    "Gardening hour",
    "2025-06-10",
    [
        ("Bob Green", "Tomatoes need sun. My greenhouse heater needs less compute than my phone."),
        ("Carol Stone", "Plant beans early and keep the slugs away with copper tape."),
    ],
)


@pytest.fixture
async def lib(tmp_path: Path):
    library = await Library.open(tmp_path / "lib.db")
    for t in (AI_TALK, GARDEN_TALK):
        outcome = await library.ingest_transcript(t, source_key=t.source)
        assert outcome.status == "added"
    yield library
    await library.close()


async def _texts(library: Library) -> dict[str, str]:
    out = {}
    for info in await library.list_transcripts(limit=100):
        out[info.id] = (await library.get(info.id)).transcript.text
    return out


def _check_offsets(hits: tuple[Hit, ...], texts: dict[str, str]) -> None:
    for h in hits:
        assert texts[h.transcript_id][h.start : h.end] == h.excerpt
        assert len(h.excerpt) <= 300
        for s, e in h.marks:
            assert 0 <= s < e <= len(h.excerpt)


async def test_search_returns_ranked_quotes_with_marks_and_context(lib: Library) -> None:
    page = await lib.search("compute")
    texts = await _texts(lib)
    _check_offsets(page.hits, texts)
    assert [(h.title, h.speaker, h.date) for h in page.hits] == [
        ("Compute and the super app", "Greg Brockman", "2026-03-01"),
        ("Gardening hour", "Bob Green", "2025-06-10"),
    ]
    top = page.hits[0]
    assert top.excerpt.startswith("We shut it down because compute is scarce.")
    assert [top.excerpt[s:e] for s, e in top.marks] == ["compute", "compute"]
    assert (page.page, page.has_more, page.total_estimate, page.note) == (1, False, 2, None)
    assert top.score > page.hits[1].score > 0


async def test_morphological_variants_and_hyphenated_terms_match(lib: Library) -> None:
    launched = await lib.search("launches")
    # "What happened with GPT-5 when it launched?" is a bare question: its reply
    # (the "launch" answer) is shown instead, once.
    assert [h.excerpt[s:e] for h in launched.hits for s, e in h.marks] == ["launch"]
    for q in ("GPT-5", "gpt 5", "speech to speech", "20%", "20 percent"):
        page = await lib.search(q)
        assert any("GPT-5 handles about 20%" in h.excerpt for h in page.hits), q
    gpt = await lib.search("GPT-5")
    # The question that also says GPT-5 leads to the same reply: shown once.
    assert [[h.excerpt[s:e] for s, e in h.marks] for h in gpt.hits] == [["GPT-5"]]


async def test_speaker_filter(lib: Library) -> None:
    page = await lib.search("speaker:alice shut")
    assert [h.speaker for h in page.hits] == ["Alice Host"]
    page = await lib.search('speaker:"greg brockman" shut')
    assert [h.speaker for h in page.hits] == ["Greg Brockman"]
    page = await lib.search("speaker:nobody compute")
    assert page.hits == () and page.note == "No speaker matches 'nobody'."


async def test_in_and_date_filters(lib: Library) -> None:
    garden_id = next(i.id for i in await lib.list_transcripts() if i.title == "Gardening hour")
    page = await lib.search(f"in:{garden_id} compute")
    assert [h.transcript_id for h in page.hits] == [garden_id]
    page = await lib.search(f"in:{garden_id[:5]} compute")  # an id prefix is enough
    assert [h.transcript_id for h in page.hits] == [garden_id]
    assert [h.title for h in (await lib.search("compute after:2026-01-01")).hits] == [
        "Compute and the super app"
    ]
    assert [h.title for h in (await lib.search("compute before:2025-12-31")).hits] == [
        "Gardening hour"
    ]
    page = await lib.search("in:no-such-thing compute")
    assert page.hits == () and "no-such-thing" in (page.note or "")


async def test_quoted_phrase_must_appear_verbatim(lib: Library) -> None:
    page = await lib.search('"super app"')
    assert len(page.hits) == 1
    assert [page.hits[0].excerpt[s:e] for s, e in page.hits[0].marks] == ["super app"]
    # both words present but not as the phrase: no match
    page = await lib.search('"app super"')
    assert page.hits == () and page.note and page.note.startswith("No quotes match")


async def test_excluded_words_drop_passages(lib: Library) -> None:
    page = await lib.search("compute -tomatoes")
    assert [h.speaker for h in page.hits] == ["Greg Brockman"]
    page = await lib.search('compute -"assistant path"')
    assert [h.speaker for h in page.hits] == ["Bob Green"]


async def test_unknown_filter_is_searched_as_words_with_a_note(lib: Library) -> None:
    page = await lib.search("colour:green tomatoes")
    assert [h.speaker for h in page.hits] == ["Bob Green"]
    assert page.note and page.note.startswith("Unknown filter colour:")


async def test_a_sentence_from_overlapping_passages_appears_once(tmp_path: Path) -> None:
    # One long turn: passages overlap by one sentence; the only mention of the
    # word sits in the sentence two windows share.
    zeppelin = "A silver zeppelin drifted over the harbour at dawn."
    for at in range(16):  # find the place where two windows share the sentence
        sentences = [*FILLER, *FILLER]
        sentences.insert(at, zeppelin)
        talk = _transcript("Long walk", None, [("Dana", " ".join(sentences))])
        if sum(zeppelin in p.text for p in make_passages(talk)) == 2:
            break
    async with await Library.open(tmp_path / "l.db") as library:
        await library.ingest_transcript(talk, source_key="walk.txt")
        for t in (AI_TALK, GARDEN_TALK):
            await library.ingest_transcript(t, source_key=t.source)
        stored = await library.get(next(i.id for i in await library.list_transcripts()
                                        if i.title == "Long walk"))
        holding = [p for p in stored.passages if "zeppelin" in p.text]
        assert len(holding) == 2  # the premise: two overlapping passages match
        page = await library.search("zeppelin")
        assert len(page.hits) == 1 and page.total_estimate == 2
        assert page.hits[0].excerpt.count("zeppelin") == 1


async def test_tiny_library_still_shows_matches_bm25_scores_at_zero(tmp_path: Path) -> None:
    # Three passages, the word in two: rank-bm25's idf floor is negative here.
    turns = [("Ann", "Zeppelins are quiet."), ("Ben", "I like zeppelins."), ("Ann", "Me too.")]
    async with await Library.open(tmp_path / "l.db") as library:
        await library.ingest_transcript(_transcript("Tiny", None, turns), source_key="t")
        page = await library.search("zeppelin")
    assert [(h.excerpt, h.score) for h in page.hits] == [
        ("Zeppelins are quiet.", 0.0), ("I like zeppelins.", 0.0)
    ]


async def test_long_sentence_is_cut_at_word_boundaries(tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(60))
    sentence = f"{words} the quasar appeared {words} and then it faded."
    talk = _transcript("Sky", None, [("Eve", sentence)])
    async with await Library.open(tmp_path / "l.db") as library:
        await library.ingest_transcript(talk, source_key="sky.txt")
        hit = (await library.search("quasar")).hits[0]
        text = (await library.get(hit.transcript_id)).transcript.text
        assert text[hit.start : hit.end] == hit.excerpt and len(hit.excerpt) <= 300
        assert text[hit.start - 1] == " " and text[hit.end] == " "
        assert [hit.excerpt[s:e] for s, e in hit.marks] == ["quasar"]


async def test_pages_do_not_overlap_and_say_when_more_follow(tmp_path: Path) -> None:
    turns = [("Fay" if i % 2 else "Gus", f"Battery note {i}: {FILLER[i % 8]}") for i in range(12)]
    async with await Library.open(tmp_path / "l.db") as library:
        await library.ingest_transcript(_transcript("Batteries", None, turns), source_key="b")
        pages = [await library.search("battery", page=n, page_size=5) for n in (1, 2, 3)]
        assert [(len(p.hits), p.has_more, p.page) for p in pages] == [
            (5, True, 1), (5, True, 2), (2, False, 3)
        ]
        ids = [h.passage_id for p in pages for h in p.hits]
        assert len(set(ids)) == 12
        beyond = await library.search("battery", page=4, page_size=5)
        assert beyond.hits == () and beyond.note == (
            "There is no page 4: the results end on page 3."
        )


BAD_QUERIES = [
    "",
    "   ",
    "the of and what is it",
    "?!... ,,, ---",
    "compute " * 1250,
    "x" * 10_000,
    '"unbalanced quote',
    'compute "',
    "colour:red",
    "(a|b)* .* [^x] \\d+ OR 1=1; DROP TABLE passages; --",
    "%_ ' \" \\ ; --",
    "🙂🚀🔥",
    "שלום مرحبا",
    "speaker:",
    "after:yesterday compute",
    "before:2026-13-45",
    "in: -",
    "-compute",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
async def test_bad_input_gets_a_note_never_an_exception(lib: Library, query: str) -> None:
    before = await lib.stats()
    page = await lib.search(query)
    assert isinstance(page, SearchPage)
    if not page.hits:
        assert page.note and len(page.note.splitlines()) == 1
    assert await lib.stats() == before


async def test_bad_input_notes_say_what_to_try(lib: Library) -> None:
    notes = {q: (await lib.search(q)).note for q in ("", "the of", "zzzyzx", "compute " * 1250)}
    assert notes[""] == (
        'Type what to search for; try a topic word, e.g. compute, or a phrase in quotes:'
        ' "super app".'
    )
    assert (notes["the of"] or "").startswith("Nothing searchable in 'the of'")
    assert notes["zzzyzx"] == "No quotes match 'zzzyzx'; try fewer or different words."
    assert notes["compute " * 1250] == "That query is long: searched its first 32 words."


async def test_empty_library_says_so(tmp_path: Path) -> None:
    async with await Library.open(tmp_path / "l.db") as library:
        page = await library.search("compute")
    assert page == SearchPage((), 1, False, 0,
                              "The library has no transcripts to search yet: ingest some first.")


async def test_index_survives_a_restart_without_retokenizing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lib.db"
    async with await Library.open(path) as library:
        for t in (AI_TALK, GARDEN_TALK):
            await library.ingest_transcript(t, source_key=t.source)
        first = await library.search("compute super app")

    def no_tokenize(text: str) -> list[str]:
        raise AssertionError("start-up must not re-tokenize")

    monkeypatch.setattr(briefs.search._quotes, "tokenize", no_tokenize)
    async with await Library.open(path) as library:
        engine = library.search_engine
        monkeypatch.undo()
        assert await library.search("compute super app") == first
        # and the reloaded index still scores exactly like rank-bm25
        passages = [p for i in await library.list_transcripts()
                    for p in (await library.get(i.id)).passages]
        passages.sort(key=lambda p: p.id)
        oracle = BM25Okapi([tokenize(p.text) for p in passages])
        q = tokenize("compute super app")
        ids, scores = engine.index.scores(q)
        expected = dict(zip([p.id for p in passages], oracle.get_scores(q), strict=True))
        np.testing.assert_allclose(scores, [expected[int(i)] for i in ids], rtol=0, atol=1e-9)


async def test_a_new_revision_replaces_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    revised = _transcript("Compute and the super app", "2026-03-01",
                          [("Greg Brockman", "Compute is plentiful now, thanks to the new dam.")])
    async with await Library.open(path) as library:
        await library.ingest_transcript(AI_TALK, source_key="talk.txt")
        outcome = await library.ingest_transcript(revised, source_key="talk.txt")
        assert outcome.status == "revised"
        assert (await library.search("scarce")).hits == ()
        assert [h.transcript_id for h in (await library.search("compute")).hits] == [
            outcome.transcript_id
        ]
    async with await Library.open(path) as library:
        assert (await library.search("scarce")).hits == ()
        assert [h.transcript_id for h in (await library.search("dam")).hits] == [
            outcome.transcript_id
        ]


async def test_load_indexes_transcripts_stored_without_the_search_step(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    async with await Library.open(path) as library:
        bare = Library(library.store)  # no steps: as if ingested before search existed
        await bare.ingest_transcript(GARDEN_TALK, source_key="g.txt")
        assert (await library.search("tomatoes")).hits == ()
        reloaded = await QuoteSearch.load(library.store)
        assert [h.speaker for h in (await reloaded.search("tomatoes")).hits] == ["Bob Green"]


async def test_reindex_rebuilds_the_same_results(lib: Library) -> None:
    before = await lib.search("compute")
    engine: QuoteSearch = lib.search_engine
    assert await engine.reindex() == len(engine.index) == 6
    assert await lib.search("compute") == before


async def test_speaker_names_pick_the_speaker_not_the_words(tmp_path: Path) -> None:
    talk = _transcript("Names", None, [
        ("Alice Host", "Today Greg Brockman joins us. Welcome to the show."),
        ("Greg Brockman", "Thanks. Compute is the bottleneck for every lab."),
        ("Alice Host", "Tell me about the weather."),
        ("Greg Brockman", "It rained all week."),
    ])
    async with await Library.open(tmp_path / "l.db") as library:
        await library.ingest_transcript(talk, source_key="n")
        filler = [("Dana" if i % 2 else "Eli", line) for i, line in enumerate(FILLER)]
        await library.ingest_transcript(_transcript("Town", None, filler), source_key="t")
        await library.ingest_transcript(GARDEN_TALK, source_key=GARDEN_TALK.source)
        page = await library.search("what did Brockman say about compute")
        # "brockman" is dropped from the ranked words; the page is topped up
        # with it put back, so Alice's mention still shows, after the answer.
        assert [h.excerpt for h in page.hits] == [
            "Thanks. Compute is the bottleneck for every lab.",
            "Tomatoes need sun. My greenhouse heater needs less compute than my phone.",
            "Today Greg Brockman joins us. Welcome to the show.",
        ]
        # a name alone is still searched
        assert [h.speaker for h in (await library.search("brockman")).hits] == ["Alice Host"]


async def test_ingests_by_another_process_are_picked_up(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    async with await Library.open(path) as bot, await Library.open(path) as cli:
        await bot.ingest_transcript(AI_TALK, source_key="talk.txt")
        assert (await bot.search("tomatoes")).hits == ()
        # the command line, another connection, ingests and then revises
        await cli.ingest_transcript(GARDEN_TALK, source_key="garden.txt")
        assert [h.speaker for h in (await bot.search("tomatoes")).hits] == ["Bob Green"]
        revised = _transcript("Gardening hour", "2025-06-10",
                              [("Bob Green", "Cucumbers want shade and water.")])
        outcome = await cli.ingest_transcript(revised, source_key="garden.txt")
        assert outcome.status == "revised"
        assert (await bot.search("tomatoes")).hits == ()
        assert [h.transcript_id for h in (await bot.search("cucumbers")).hits] == [
            outcome.transcript_id
        ]
        # and the bot's own ingests still line up with the shared vocabulary
        more = _transcript("Late", None, [("Zoe", "Cucumbers and compute, together at last.")])
        await bot.ingest_transcript(more, source_key="late.txt")
        assert len((await bot.search("cucumbers")).hits) == 2


# Made-up words (no stop words, stems of their own): topics are rare, so a
# passage's excerpt is often its one topic sentence, which an overlapping
# window holds too (then de-duplication drops that window's hit).
_TOPICS = [a + b for a in ("bar", "cor") for b in ("mon", "tis", "vek", "dun")]
_FILLER = [a + b for a in ("lum", "pra", "sol", "tur", "wex") for b in ("ka", "ro", "zi")]


def _random_talk(rng: random.Random, n: int) -> Transcript:
    def sentence() -> str:
        words = [rng.choice(_FILLER) for _ in range(rng.randint(10, 16))]
        if rng.random() < 0.3:
            words[rng.randrange(len(words))] = rng.choice(_TOPICS)
        return " ".join(words).capitalize() + "."

    # long turns: windows of up to 90 words overlap by a sentence
    turns = [(f"Speaker {i % 3}", " ".join(sentence() for _ in range(rng.randint(5, 12))))
             for i in range(20)]
    return _transcript(f"Random talk {n}", f"2026-01-{n + 1:02d}", turns)


async def test_the_pruned_path_pages_exactly_like_scoring_every_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    async with await Library.open(tmp_path / "r.db") as library:
        for n in range(5):
            await library.ingest_transcript(_random_talk(rng, n), source_key=f"r{n}.txt")
        engine = library.search_engine
        assert isinstance(engine, QuoteSearch)
        # Prune even tiny queries, so the impact tiers are what is compared.
        monkeypatch.setattr(briefs.search._index, "_DENSE_MAX", 0)
        short_pages = 0
        for _ in range(100):
            query = " ".join(rng.sample(_TOPICS, rng.randint(1, 3)))
            size = rng.randint(1, 5)
            page = rng.randint(1, 12)
            engine.exact_count_max = 10**12  # every match scored and counted
            full = await library.search(query, page=page, page_size=size)
            engine.exact_count_max = 0  # top_k, count estimated
            fast = await library.search(query, page=page, page_size=size)
            assert (fast.hits, fast.page, fast.has_more, fast.note) == (
                full.hits, full.page, full.has_more, full.note
            ), (query, page, size)
            dfs = [engine.index.doc_freq(t) for t in set(tokenize(query))]
            assert max(dfs) <= fast.total_estimate <= sum(dfs)
            assert max(dfs) <= full.total_estimate <= sum(dfs)
            # de-duplication dropped passages before this page's end
            short_pages += full.total_estimate > page * size and not full.has_more
        assert short_pages  # some pages ran past what de-duplication left


async def test_scoring_only_the_in_transcripts_pages_like_filtering_every_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(11)
    async with await Library.open(tmp_path / "r.db") as library:
        ids = []
        for n in range(5):
            outcome = await library.ingest_transcript(_random_talk(rng, n), source_key=f"r{n}")
            ids.append(outcome.transcript_id)
        shown = 0
        for _ in range(60):
            words = " ".join(rng.sample(_TOPICS, rng.randint(1, 2)))
            filters = rng.choice([
                f"in:{rng.choice(ids)}",
                f"in:{rng.choice(ids)} in:{rng.choice(ids)} speaker:{rng.randint(0, 2)}",
                "after:2026-01-03", f"before:2026-01-02 -{rng.choice(_TOPICS)}",
            ])
            query, size, page = f"{words} {filters}", rng.randint(1, 5), rng.randint(1, 8)
            monkeypatch.setattr(briefs.search._filter, "FEW_GROUPS", 0)  # filter every match
            full = await library.search(query, page=page, page_size=size)
            monkeypatch.undo()
            fast = await library.search(query, page=page, page_size=size)
            assert fast == full, query
            shown += len(fast.hits)
        assert shown > 60  # most filtered pages hold quotes



async def test_a_hit_deep_in_a_long_timed_turn_shows_when_its_words_were_said(
    tmp_path: Path,
) -> None:
    # One speaker, twelve one-minute captions; "canal locks" is said at 9:00, not 0:00.
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_passages import _long_turn_vtt

    from briefs.library import Library
    from briefs.readers import read_bytes

    async with await Library.open(tmp_path / "b.db", llm=None) as lib:
        outcome = await lib.ingest_bytes("council.vtt", _long_turn_vtt().encode())
        stored = await lib.get(outcome.transcript_id or "")
        assert stored.transcript == read_bytes("council.vtt", _long_turn_vtt().encode())
        page = await lib.search("canal locks")
        assert page.hits and {h.time for h in page.hits[:1]} == {540.0}
