"""``Library.remove``: a transcript goes with all its rows, in one transaction,
and search, listings, briefs, revisions and digests behave as if it never came.

The library is the real one (``Library.open``: brief and search steps); the
clock is injected.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from digest_fakes import FakeSender
from rank_bm25 import BM25Okapi

from briefs import digest
from briefs.digest import parse_subscribe_args
from briefs.errors import NotFound
from briefs.library import Library
from briefs.tokenize import tokenize

T0 = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)

ALPHA = "Alpha\n\nAnn: The budget for travel is too high.\n\nBo: We cut compute spending first.\n"
BETA = "Beta\n\nCy: Compute prices fall every quarter.\n\nDi: Travel is booked for March.\n"
GAMMA = "Gamma\n\nEd: Hiring slows down in spring.\n\nFi: Compute is our largest cost.\n"
ALPHA_V2 = "Alpha\n\nAnn: The budget for hardware doubled.\n\nBo: Quantum chips are late.\n"


async def open_lib(path: Path) -> Library:
    return await Library.open(path, llm=None)


@pytest.fixture
async def lib(tmp_path: Path) -> AsyncIterator[Library]:
    library = await open_lib(tmp_path / "lib.db")
    yield library
    await library.close()


async def add(lib: Library, name: str, text: str) -> str:
    outcome = await lib.ingest_bytes(name, text.encode())
    assert outcome.status in ("added", "revised"), outcome.message
    assert outcome.transcript_id is not None
    return outcome.transcript_id


async def rows_of(lib: Library, pk: int) -> dict[str, int]:
    counts = {}
    for table, column in [("turns", "transcript_pk"), ("passages", "transcript_pk"),
                          ("briefs", "transcript_pk"), ("search_docs", "transcript_pk"),
                          ("transcripts", "pk")]:
        cur = await lib.store.db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", (pk,))
        row = await cur.fetchone()
        counts[table] = row[0] if row else 0
    return counts


async def quotes(lib: Library, query: str) -> list[tuple[str, str, float]]:
    page = await lib.search(query, page_size=20)
    return [(h.transcript_id, h.excerpt, h.score) for h in page.hits]


async def test_remove_takes_every_row_and_leaves_the_others(lib: Library) -> None:
    await add(lib, "alpha.txt", ALPHA)
    await add(lib, "beta.txt", BETA)
    beta = await lib.store.transcripts.ref_by_id("beta")
    assert beta is not None and (await rows_of(lib, beta.pk))["search_docs"] == 1
    removal = await lib.remove("beta")
    assert (removal.id, removal.title, removal.turns, removal.restored) == ("beta", "Beta", 2, None)
    assert await rows_of(lib, beta.pk) == {
        "turns": 0, "passages": 0, "briefs": 0, "search_docs": 0, "transcripts": 0}
    assert [i.id for i in await lib.list_transcripts()] == ["alpha"]
    assert await lib.count_transcripts() == 1
    with pytest.raises(NotFound, match="no transcript with id 'beta'"):
        await lib.get("beta")
    with pytest.raises(NotFound):
        await lib.brief("beta")
    assert await lib.resolve("beta") is None
    assert [q[0] for q in await quotes(lib, "compute travel")] == ["alpha", "alpha"]
    assert (await lib.brief("alpha")).tldr  # the other transcript is whole


async def test_unknown_id_raises_and_changes_nothing(lib: Library) -> None:
    await add(lib, "alpha.txt", ALPHA)
    before = await lib.stats()
    with pytest.raises(NotFound, match="no transcript with id 'alp'"):
        await lib.remove("alp")  # a prefix is not an id: removal needs the exact one
    assert await lib.stats() == before


async def test_search_after_removal_scores_as_if_it_was_never_added(tmp_path: Path) -> None:
    removed = await open_lib(tmp_path / "removed.db")
    never = await open_lib(tmp_path / "never.db")
    try:
        for name, text in [("alpha.txt", ALPHA), ("beta.txt", BETA), ("gamma.txt", GAMMA)]:
            await add(removed, name, text)
            if name != "beta.txt":
                await add(never, name, text)
        await removed.remove("beta")
        for query in ["compute", "travel budget", "compute compute cost", "march"]:
            assert await quotes(removed, query) == await quotes(never, query)
        # ... and those are rank-bm25's scores over the passages that remain.
        got = await quotes(removed, "compute cost")
        passages = [p.text for t in ("alpha", "gamma") for p in (await removed.get(t)).passages]
        oracle = BM25Okapi([tokenize(p) for p in passages]).get_scores(tokenize("compute cost"))
        by_text = {p: s for p, s in zip(passages, oracle, strict=True)}
        assert got and all(score == pytest.approx(by_text[ex], rel=1e-12) for _, ex, score in got)
    finally:
        await removed.close()
        await never.close()


async def test_removing_the_current_revision_makes_the_older_one_current_again(
    tmp_path: Path,
) -> None:
    lib = await open_lib(tmp_path / "lib.db")
    await add(lib, "alpha.txt", ALPHA)
    assert await add(lib, "alpha.txt", ALPHA_V2) == "alpha-r2"
    assert [h[0] for h in await quotes(lib, "quantum")] == ["alpha-r2"]
    removal = await lib.remove("alpha-r2")
    assert removal.restored is not None and removal.restored.id == "alpha"
    infos = await lib.list_transcripts()
    assert [(i.id, i.current) for i in infos] == [("alpha", True)]
    assert (await lib.search("quantum")).hits == ()
    assert [h[0] for h in await quotes(lib, "travel")] == ["alpha"]
    assert (await lib.brief("alpha")).tldr
    await lib.close()
    # A restart loads the same index from the rows written in the removal.
    lib = await open_lib(tmp_path / "lib.db")
    try:
        assert await lib.store.index.stale_transcripts() == []
        assert [h[0] for h in await quotes(lib, "travel")] == ["alpha"]
        # The next change of the file is revision 2 again, of alpha.
        outcome = await lib.ingest_bytes("alpha.txt", ALPHA_V2.encode())
        assert (outcome.status, outcome.transcript_id) == ("revised", "alpha-r2-2")
    finally:
        await lib.close()


async def test_removing_an_older_revision_keeps_the_current_one(lib: Library) -> None:
    await add(lib, "alpha.txt", ALPHA)
    await add(lib, "alpha.txt", ALPHA_V2)
    removal = await lib.remove("alpha")
    assert removal.restored is None
    stored = await lib.get("alpha-r2")
    assert (stored.info.current, stored.info.supersedes) == (True, None)
    assert [h[0] for h in await quotes(lib, "quantum")] == ["alpha-r2"]
    third = "Alpha\n\nAnn: The budget is final.\n\nBo: Hardware arrives in May.\n"
    assert await add(lib, "alpha.txt", third) == "alpha-r3"  # the root id is still alpha
    assert (await lib.get("alpha-r3")).info.supersedes == "alpha-r2"
    await lib.remove("alpha-r2")
    assert (await lib.get("alpha-r3")).info.supersedes is None
    await lib.remove("alpha-r3")  # the chain is intact: no foreign key left dangling
    assert await lib.stats() == {
        "transcripts": 0, "revisions": 0, "turns": 0, "passages": 0, "words": 0}
    cur = await lib.store.db.execute("PRAGMA foreign_key_check")
    assert await cur.fetchall() == []


async def test_ids_and_seqs_of_removed_transcripts_are_never_reused(lib: Library) -> None:
    await add(lib, "alpha.txt", ALPHA)
    await add(lib, "beta.txt", BETA)
    gone = await lib.remove("beta")
    again = await add(lib, "beta.txt", BETA)  # the same file again is welcome, under a new id
    assert again == "beta-2"
    info = (await lib.get(again)).info
    ref = await lib.store.transcripts.ref_by_id(again)
    assert ref is not None and ref.pk > gone.pk and info.seq > gone.seq


async def test_a_second_process_sees_the_removal_in_its_search(tmp_path: Path) -> None:
    bot = await open_lib(tmp_path / "lib.db")
    cli = await open_lib(tmp_path / "lib.db")
    try:
        await add(cli, "alpha.txt", ALPHA)
        await add(cli, "alpha.txt", ALPHA_V2)
        assert [h[0] for h in await quotes(bot, "quantum")] == ["alpha-r2"]
        await cli.remove("alpha-r2")
        assert await quotes(bot, "quantum") == []
        assert [h[0] for h in await quotes(bot, "travel")] == ["alpha"]
    finally:
        await bot.close()
        await cli.close()


async def test_a_failing_step_rolls_the_removal_back(lib: Library) -> None:
    await add(lib, "alpha.txt", ALPHA)

    class Broken:
        async def unstage(self, db: object, removal: object) -> None:
            raise sqlite3.OperationalError("disk I/O error")

    lib.steps.append(Broken())
    with pytest.raises(sqlite3.OperationalError):
        await lib.remove("alpha")
    lib.steps.pop()
    assert [i.id for i in await lib.list_transcripts()] == ["alpha"]
    assert [h[0] for h in await quotes(lib, "travel")] == ["alpha"]


# -- digests ----------------------------------------------------------------------------


async def subscribe(lib: Library, chat_id: int) -> None:
    await digest.subscribe(lib, chat_id, parse_subscribe_args("08:00 UTC"), now=T0,
                           default_time=time(8, 0), default_zone=ZoneInfo("UTC"))


async def test_a_pending_digest_no_longer_includes_it(lib: Library) -> None:
    await subscribe(lib, 1)
    await add(lib, "alpha.txt", ALPHA)
    await add(lib, "beta.txt", BETA)
    await lib.remove("beta")
    titles = [e.info.title for e in (await digest.preview(lib, 1)).entries]
    assert titles == ["Alpha"]


async def test_a_composed_unsent_digest_is_composed_again_without_it(lib: Library) -> None:
    await subscribe(lib, 1)
    await add(lib, "alpha.txt", ALPHA)
    await add(lib, "beta.txt", BETA)
    due = T0 + timedelta(hours=2)
    assert (await digest.compose_due(lib, now=due)).composed == 1  # composed, not yet sent
    removal = await lib.remove("beta")
    assert removal.digests_recomposed == 1
    sender = FakeSender()
    report = await digest.send_due(lib, sender, now=due + timedelta(minutes=1))
    assert report.delivered == 1
    html = " ".join(s.html for s in sender.delivered)
    assert "Alpha" in html and "Beta" not in html
    # ... and the digest after it still comes the next day, with what is new then.
    await add(lib, "gamma.txt", GAMMA)
    later = await digest.send_due(lib, sender, now=due + timedelta(days=1))
    assert later.delivered == 1 and "Gamma" in sender.delivered[-1].html


async def test_a_digest_already_sent_is_left_alone(lib: Library) -> None:
    await subscribe(lib, 1)
    await add(lib, "beta.txt", BETA)
    sender = FakeSender()
    assert (await digest.send_due(lib, sender, now=T0 + timedelta(hours=2))).delivered == 1
    removal = await lib.remove("beta")
    assert removal.digests_recomposed == 0
    rows = await digest.list_outbox(lib.store, chat_id=1)
    assert [(r.status, r.transcripts) for r in rows] == [("delivered", 1)]


async def test_a_removal_while_a_digest_is_composed_is_not_sent(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefs.digest._due as _digest_due

    await subscribe(lib, 1)
    await add(lib, "alpha.txt", ALPHA)
    await add(lib, "beta.txt", BETA)
    real_compose = _digest_due.compose

    async def compose_then_remove(*args: object, **kwargs: object) -> object:
        composed = await real_compose(*args, **kwargs)  # type: ignore[arg-type]
        if await lib.store.transcripts.ref_by_id("beta") is not None:
            await lib.remove("beta")  # /remove lands between composing and recording
        return composed

    monkeypatch.setattr(_digest_due, "compose", compose_then_remove)
    due = T0 + timedelta(hours=2)
    sender = FakeSender()
    first = await digest.send_due(lib, sender, now=due)
    assert (first.composed, first.delivered) == (0, 0)  # still due: composed again next run
    second = await digest.send_due(lib, sender, now=due + timedelta(minutes=1))
    assert second.delivered == 1
    html = " ".join(s.html for s in sender.delivered)
    assert "Alpha" in html and "Beta" not in html
