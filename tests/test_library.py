"""The library façade: ingest (duplicates, revisions, the transaction), listing, lookup."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

from briefs import library as library_module
from briefs.errors import BriefbotError, EmptySource, NotFound, UnsupportedFormat
from briefs.library import IngestOutcome, Library, TranscriptInfo
from briefs.passages import Passage
from briefs.store import Store, StoredRef
from briefs.transcript import Transcript, TranscriptBuilder

CLOCK = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def make_transcript(title: str, *lines: str, source: str = "test") -> Transcript:
    """``"Name: words"`` lines become speech turns, ``"## x"`` headings, ``"Note: x"`` notes."""
    b = TranscriptBuilder(format="text", source=source, title=title)
    for line in lines:
        if line.startswith("## "):
            b.add("heading", line[3:])
        elif line.startswith("Note: "):
            b.add("note", line[6:])
        else:
            label, text = line.split(": ", 1)
            b.add("speech", text, b.speaker(label))
    return b.build()


def shim_read_path(path: Path) -> Transcript:
    # A stand-in for briefs.readers while they land: "Name: words" lines only.
    data = path.read_bytes()
    if b"\x00" in data:
        raise UnsupportedFormat(f"{path.name} looks like a binary file, not a transcript")
    lines = [ln for ln in data.decode("utf-8").splitlines() if ln.strip()]
    if not lines:
        raise EmptySource(f"{path.name} is empty")
    return make_transcript(lines[0], *lines[1:], source=path.name)


def shim_read_bytes(name: str, data: bytes) -> Transcript:
    lines = [ln for ln in data.decode("utf-8").splitlines() if ln.strip()]
    if not lines:
        raise EmptySource(f"{name} is empty")
    return make_transcript(lines[0], *lines[1:], source=name)


@pytest.fixture(autouse=True)
def _shim_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_module, "_read_path", shim_read_path)
    monkeypatch.setattr(library_module, "_read_bytes", shim_read_bytes)


@pytest.fixture
async def lib(tmp_path: Path) -> AsyncIterator[Library]:
    store = await Store.open(tmp_path / "lib.db")
    library = Library(store, clock=lambda: CLOCK)
    yield library
    await library.close()


async def _counts(lib: Library) -> dict[str, int]:
    return await lib.stats()


EMPTY = {"transcripts": 0, "revisions": 0, "turns": 0, "passages": 0, "words": 0}


class RecordingStep:
    """An ingest step that writes a row of its own and records what it was told."""

    def __init__(self, fail_in_stage: bool = False, fail_in_committed: bool = False) -> None:
        self.fail_in_stage = fail_in_stage
        self.fail_in_committed = fail_in_committed
        self.staged: list[tuple[StoredRef, list[int]]] = []
        self.committed_refs: list[StoredRef] = []

    async def stage(
        self,
        db: aiosqlite.Connection,
        stored: StoredRef,
        transcript: Transcript,
        passages: list[Passage],
    ) -> None:
        await db.execute("CREATE TABLE IF NOT EXISTS step_rows (transcript_pk INTEGER)")
        await db.execute("INSERT INTO step_rows VALUES (?)", (stored.pk,))
        self.staged.append((stored, [p.id for p in passages]))
        if self.fail_in_stage:
            raise RuntimeError("index exploded\nwith a second line")

    def committed(self, stored: StoredRef, transcript: Transcript, passages: list[Passage]) -> None:
        if self.fail_in_committed:
            raise ValueError("cache full")
        self.committed_refs.append(stored)


async def test_ingest_adds_and_get_rebuilds_the_transcript(lib: Library) -> None:
    t = make_transcript(
        "Compute and Sora",
        "Alex (host): Why shut Sora? Tell us.",
        "Note: Recorded in March.",
        "Greg: Compute. We needed it back.",
    )
    outcome = await lib.ingest_transcript(t, source_key="/x/a.txt", label="a.txt")
    assert outcome == IngestOutcome(
        "a.txt", "added", "compute-and-sora", "added as compute-and-sora (3 turns, 10 words)", ()
    )
    stored = await lib.get("compute-and-sora")
    assert stored.transcript == t
    assert stored.info == TranscriptInfo(
        id="compute-and-sora",
        seq=1,
        title="Compute and Sora",
        date=None,
        speakers={"Alex": "host", "Greg": None},
        turn_count=3,
        word_count=10,
        format="text",
        source="test",
        ingested_at="2026-03-02T09:30:00Z",
        revision=1,
        source_summary=None,
        current=True,
        supersedes=None,
    )
    assert [p.text for p in stored.passages] == [
        "Why shut Sora? Tell us.",
        "Compute. We needed it back.",
    ]
    assert all(p.id > 0 and t.text[p.start : p.end] == p.text for p in stored.passages)


async def test_reingesting_identical_content_is_a_duplicate_no_op(
    lib: Library, tmp_path: Path
) -> None:
    f = tmp_path / "talk.txt"
    f.write_text("Budget talk\nAnn: We spend too much.\nBo: Agreed.\n")
    first = await lib.ingest_path(f)
    before = await _counts(lib)
    again = await lib.ingest_path(f)
    assert (first.status, again.status) == ("added", "duplicate")
    assert again.transcript_id == first.transcript_id == "budget-talk"
    assert again.message == "already stored as budget-talk"
    assert await _counts(lib) == before
    # The same content under another name is the same transcript too.
    other = await lib.ingest_bytes("copy.txt", f.read_bytes())
    assert (other.status, other.transcript_id) == ("duplicate", "budget-talk")


async def test_changed_source_becomes_a_new_revision(lib: Library, tmp_path: Path) -> None:
    f = tmp_path / "talk.txt"
    f.write_text("Budget talk\nAnn: We spend too much.\n")
    await lib.ingest_path(f)
    f.write_text("Budget talk\nAnn: We spend too much.\nBo: Cut the travel.\n")
    second = await lib.ingest_path(f)
    f.write_text("Budget talk\nAnn: We spend far too much.\n")
    third = await lib.ingest_path(f)

    assert (second.status, second.transcript_id) == ("revised", "budget-talk-r2")
    assert (
        second.message == "revision 2 of budget-talk, stored as budget-talk-r2 (2 turns, 7 words)"
    )
    assert (third.status, third.transcript_id) == ("revised", "budget-talk-r3")
    listed = await lib.list_transcripts()
    assert [(i.id, i.revision, i.supersedes, i.current) for i in listed] == [
        ("budget-talk-r3", 3, "budget-talk-r2", True)
    ]
    old = await lib.get("budget-talk")  # superseded, still readable
    assert (old.info.current, old.info.revision, old.transcript.speech_turns[0].text) == (
        False,
        1,
        "We spend too much.",
    )
    assert await lib.count_transcripts() == 1
    assert (await lib.stats())["revisions"] == 3


async def test_slugs_are_readable_unique_and_short(lib: Library) -> None:
    ids = []
    for title in ["Café Économie: Q&A!", "Café économie — Q&A", "", "x" * 10 + " " + "word " * 20]:
        t = make_transcript(title, f"Ann: {title or 'nothing'} said once {len(ids)}.")
        ids.append((await lib.ingest_transcript(t, source_key=f"k{len(ids)}")).transcript_id)
    assert ids == [
        "cafe-economie-q-a",
        "cafe-economie-q-a-2",
        "untitled-transcript",
        "xxxxxxxxxx-word-word-word-word-word-word-word",
    ]
    assert all(len(i) <= 48 for i in ids)


async def test_a_step_failing_half_way_leaves_nothing_behind(lib: Library) -> None:
    good, bad = RecordingStep(), RecordingStep(fail_in_stage=True)
    lib.steps = [good, bad]
    t = make_transcript("Doomed", "Ann: This will not be stored.")
    outcome = await lib.ingest_transcript(t, source_key="k", label="doomed.txt")

    assert outcome == IngestOutcome(
        "doomed.txt",
        "failed",
        None,
        "unexpected error (RuntimeError: index exploded with a second line)",
        (),
    )
    assert len(good.staged) == len(bad.staged) == 1  # both ran inside the transaction...
    assert good.committed_refs == bad.committed_refs == []  # ...and neither saw a commit
    assert await _counts(lib) == EMPTY
    cur = await lib.store.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'step_rows'")
    assert (await cur.fetchone())[0] == 0  # even the step's own table rolled back

    lib.steps = [good]
    after = await lib.ingest_transcript(make_transcript("Fine", "Ann: Stored."), source_key="k2")
    assert after.status == "added"
    info = await lib.resolve("fine")
    assert info is not None and info.seq == 1  # the failed ingest consumed no visible seq


async def test_steps_see_stored_passage_ids_and_commit_after(lib: Library) -> None:
    step = RecordingStep()
    lib.steps = [step]
    await lib.ingest_transcript(
        make_transcript("T", "Ann: One. Two.", "Bo: Three."), source_key="k"
    )
    stored = await lib.get("t")
    assert step.staged == [(step.committed_refs[0], [p.id for p in stored.passages])]
    assert step.committed_refs == [StoredRef(1, "t", 1, None)]


async def test_a_step_failing_after_commit_keeps_the_transcript_with_a_warning(
    lib: Library,
) -> None:
    lib.steps = [RecordingStep(fail_in_committed=True)]
    outcome = await lib.ingest_transcript(make_transcript("T", "Ann: Hi."), source_key="k")
    assert (outcome.status, outcome.warnings) == (
        "added",
        ("RecordingStep not updated: unexpected error (ValueError: cache full)",),
    )
    assert await lib.count_transcripts() == 1


async def test_bad_inputs_fail_with_one_line_and_leave_the_store_untouched(
    lib: Library, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    report = await lib.ingest_paths(
        [
            str(tmp_path / "missing.txt"),
            str(tmp_path / "empty.txt"),
            str(tmp_path / "blob.bin"),
            str(tmp_path / "*.nothing"),
        ]
    )
    assert [(Path(o.path).name, o.status, o.message) for o in report.outcomes] == [
        ("missing.txt", "failed", "no such file or folder"),
        ("*.nothing", "failed", "no files match this pattern"),
        ("empty.txt", "failed", "empty.txt is empty"),
        ("blob.bin", "failed", "blob.bin looks like a binary file, not a transcript"),
    ]
    assert (report.failed, report.ok) == (4, False)
    assert await _counts(lib) == EMPTY
    cur = await lib.store.db.execute("SELECT count(*) FROM schema_migrations")
    assert (await cur.fetchone())[0] >= 1


async def test_a_folder_mixing_good_and_bad_files(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "a.txt").write_text("Alpha\nAnn: First.\n")
    (folder / "sub" / "b.txt").write_text("Beta\nBo: Second.\n")
    (folder / "sub" / "broken.txt").write_bytes(b"\x00\xff")
    (folder / "empty.txt").write_text("  \n")
    (folder / ".hidden" / "c.txt").write_text("Gamma\nCy: Never read.\n")
    seen: list[tuple[int, int, str]] = []
    report = await lib.ingest_paths(
        [str(folder)], progress=lambda d, n, o: seen.append((d, n, o.status))
    )

    by_name = {Path(o.path).name: (o.status, o.transcript_id) for o in report.outcomes}
    assert by_name == {
        "a.txt": ("added", "alpha"),
        "b.txt": ("added", "beta"),
        "broken.txt": ("failed", None),
        "empty.txt": ("failed", None),
    }
    assert report.summary() == "added 2, duplicate 0, revised 0, failed 2"
    assert seen == [(1, 4, "added"), (2, 4, "failed"), (3, 4, "added"), (4, 4, "failed")]
    assert [i.id for i in await lib.list_transcripts()] == ["beta", "alpha"]


async def test_globs_expand_and_each_file_counts_once(lib: Library, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alpha\nAnn: First.\n")
    (tmp_path / "b.txt").write_text("Beta\nBo: Second.\n")
    report = await lib.ingest_paths([str(tmp_path / "*.txt"), str(tmp_path / "a.txt")])
    assert [(Path(o.path).name, o.status) for o in report.outcomes] == [
        ("a.txt", "added"),
        ("b.txt", "added"),
    ]


async def test_uploads_revise_by_name(lib: Library) -> None:
    first = await lib.ingest_bytes("call.txt", b"Call\nAnn: Hello.\n")
    second = await lib.ingest_bytes("call.txt", b"Call\nAnn: Hello again.\n")
    assert [(o.status, o.transcript_id) for o in (first, second)] == [
        ("added", "call"),
        ("revised", "call-r2"),
    ]


async def test_listing_paging_and_since(lib: Library) -> None:
    for n in range(5):
        await lib.ingest_transcript(
            make_transcript(f"Meeting {n}", f"Ann: Point {n}."), source_key=f"k{n}"
        )
    assert [i.id for i in await lib.list_transcripts(limit=2)] == ["meeting-4", "meeting-3"]
    assert [i.id for i in await lib.list_transcripts(limit=2, offset=2)] == [
        "meeting-2",
        "meeting-1",
    ]
    assert [(i.id, i.seq) for i in await lib.transcripts_since(3)] == [
        ("meeting-3", 4),
        ("meeting-4", 5),
    ]
    assert await lib.count_transcripts() == 5
    assert await lib.stats() == {
        "transcripts": 5,
        "revisions": 5,
        "turns": 5,
        "passages": 5,
        "words": 10,
    }


async def test_resolve_by_id_prefix_and_title_words(lib: Library) -> None:
    for title in ["Greg Brockman on compute", "Quarterly budget review", "Budget planning 2027"]:
        await lib.ingest_transcript(make_transcript(title, f"Ann: {title}."), source_key=title)

    async def resolved(q: str) -> str | None:
        info = await lib.resolve(q)
        return info.id if info else None

    assert await resolved("quarterly-budget-review") == "quarterly-budget-review"
    assert await resolved("greg") == "greg-brockman-on-compute"  # unique id prefix
    assert await resolved("brockman compute") == "greg-brockman-on-compute"
    assert await resolved("budget review") == "quarterly-budget-review"
    assert await resolved("budget") == "budget-planning-2027"  # tie: the newest wins
    assert await resolved("plann") == "budget-planning-2027"  # word prefix
    assert await resolved("weather") is None
    assert await resolved("  ") is None


async def test_unknown_ids_raise_not_found(lib: Library) -> None:
    with pytest.raises(NotFound, match="no transcript with id 'nope'"):
        await lib.get("nope")
    with pytest.raises(NotFound):
        await lib.brief("nope")


async def test_brief_and_search_say_so_when_not_wired(lib: Library) -> None:
    await lib.ingest_transcript(make_transcript("T", "Ann: Hi."), source_key="k")
    with pytest.raises(BriefbotError, match="briefs are not available"):
        await lib.brief("t")
    with pytest.raises(BriefbotError, match="search is not available"):
        await lib.search("hi")


async def test_open_creates_the_database_and_folder(tmp_path: Path) -> None:
    lib = await Library.open(tmp_path / "deep" / "x.db")
    async with lib:
        assert await lib.count_transcripts() == 0
    assert (tmp_path / "deep" / "x.db").exists()
