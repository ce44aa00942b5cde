"""The library façade: ingest (duplicates, revisions, the transaction), listing, lookup."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefs.errors import BriefbotError, NotFound
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


def talk(title: str, *lines: str) -> str:
    """A plain-text transcript: a title line, then one paragraph per line."""
    return "\n\n".join([title, *lines]) + "\n"


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

    def prepare(self, transcript: Transcript, passages: list[Passage]) -> int:
        return len(passages)

    async def stage(
        self,
        store: Store,
        stored: StoredRef,
        transcript: Transcript,
        passages: list[Passage],
        prepared: int,
    ) -> None:
        assert prepared == len(passages)
        db = store.db  # a test step: its own table, written on the ingest's connection
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
    f.write_text(talk("Budget talk", "Ann: We spend too much.", "Bo: Agreed."))
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
    f.write_text(talk("Budget talk", "Ann: We spend too much.", "Bo: Agreed."))
    await lib.ingest_path(f)
    f.write_text(talk("Budget talk", "Ann: We spend too much.", "Bo: Cut the travel."))
    second = await lib.ingest_path(f)
    f.write_text(talk("Budget talk", "Ann: We spend far too much.", "Bo: Agreed."))
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


BAD_INPUTS = {
    "empty.txt": (b"", "the file is empty"),
    "blank.md": (b"   \n\n  \n", "the file is empty"),
    "blob.txt": (bytes(range(256)) * 40, "looks like a binary file"),
    "song.mp3": (b"ID3\x04\x00", "unsupported file type '.mp3'"),
    "broken.srt": (b"1\n00:00:01,000 --> nonsense\nhi\n", "not valid SRT"),
    "broken.vtt": (b"WEBVTT\n\n00:01.000 --> garbage\nhello\n", "not valid WebVTT"),
    "broken.json": (b'{"segments": [', "not valid JSON"),
    "other.json": (b'{"hello": 1}', "JSON holds no transcript"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
async def test_a_bad_input_fails_with_one_line_and_leaves_the_store_untouched(
    lib: Library, tmp_path: Path, name: str
) -> None:
    data, reason = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    outcome = await lib.ingest_path(path)
    assert (outcome.status, outcome.transcript_id) == ("failed", None)
    assert reason in outcome.message and "\n" not in outcome.message
    assert outcome.message.startswith(str(path))  # names the file
    upload = await lib.ingest_bytes(name, data)
    assert (upload.status, reason in upload.message) == ("failed", True)
    assert await _counts(lib) == EMPTY


async def test_a_huge_file_is_refused_before_it_is_read(lib: Library, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)
    outcome = await lib.ingest_path(huge)
    assert (outcome.status, outcome.message) == (
        "failed",
        f"{huge}: too large (50.0 MB; the limit is 25.0 MB)",
    )
    assert await _counts(lib) == EMPTY


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8-sig"])
async def test_other_encodings_are_read(lib: Library, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(talk("Café talk", "Ann: Café crème — good.", "Bo: Indeed.").encode(encoding))
    outcome = await lib.ingest_path(path)
    assert (outcome.status, outcome.transcript_id) == ("added", "cafe-talk")
    stored = await lib.get("cafe-talk")
    assert [t.text for t in stored.transcript.turns] == ["Café crème — good.", "Indeed."]


async def test_text_without_speakers_is_stored_as_a_monologue_with_a_warning(
    lib: Library, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Some thoughts about the budget. We spend too much on travel.\n")
    outcome = await lib.ingest_path(path)
    assert outcome.status == "added"
    assert len(outcome.warnings) == 1 and "no speaker labels" in outcome.warnings[0]
    stored = await lib.get(outcome.transcript_id or "")
    assert len(stored.info.speakers) == 1
    assert stored.transcript.warnings == outcome.warnings


async def test_missing_paths_and_empty_globs_fail_without_touching_the_store(
    lib: Library, tmp_path: Path
) -> None:
    (tmp_path / "empty-folder").mkdir()
    report = await lib.ingest_paths(
        [str(tmp_path / "missing.txt"), str(tmp_path / "*.nothing"), str(tmp_path / "empty-folder")]
    )
    assert [(Path(o.path).name, o.status, o.message) for o in report.outcomes] == [
        ("missing.txt", "failed", "no such file or folder"),
        ("*.nothing", "failed", "no files match this pattern"),
        ("empty-folder", "failed", "the folder holds no files"),
    ]
    assert (report.failed, report.ok) == (3, False)
    assert await _counts(lib) == EMPTY


async def test_a_folder_mixing_good_and_bad_files(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    (folder / "a.txt").write_text(talk("Alpha", "Ann: First.", "Bo: Yes."))
    (folder / "sub" / "b.txt").write_text(talk("Beta", "Bo: Second.", "Ann: No."))
    (folder / "sub" / "broken.txt").write_bytes(b"\x00\xff")
    (folder / "empty.txt").write_text("  \n")
    (folder / ".hidden" / "c.txt").write_text(talk("Gamma", "Cy: Never read.", "Di: Ok."))
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
    (tmp_path / "a.txt").write_text(talk("Alpha", "Ann: First.", "Bo: Yes."))
    (tmp_path / "b.txt").write_text(talk("Beta", "Bo: Second.", "Ann: No."))
    report = await lib.ingest_paths([str(tmp_path / "*.txt"), str(tmp_path / "a.txt")])
    assert [(Path(o.path).name, o.status) for o in report.outcomes] == [
        ("a.txt", "added"),
        ("b.txt", "added"),
        ("a.txt", "duplicate"),  # named again: its own line, ingested once
    ]
    assert report.outcomes[-1].message == "named more than once; ingested once"
    assert len(await lib.list_transcripts()) == 2


async def test_uploads_revise_by_name(lib: Library) -> None:
    first = await lib.ingest_bytes("call.txt", talk("Call", "Ann: Hello.", "Bo: Hi.").encode())
    again = talk("Call", "Ann: Hello again.", "Bo: Hi.").encode()
    second = await lib.ingest_bytes("call.txt", again)
    assert [(o.status, o.transcript_id) for o in (first, second)] == [
        ("added", "call"),
        ("revised", "call-r2"),
    ]
    # Another sender's upload of the same name is its own source, not a revision.
    mine = talk("Call", "Ann: Something else entirely.", "Bo: Hi.").encode()
    third = await lib.ingest_bytes("call.txt", mine, source_key="tg:42/call.txt")
    assert (third.status, third.transcript_id) == ("added", "call-2")
    assert [i.id for i in await lib.list_transcripts()] == ["call-2", "call-r2"]


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


@pytest.mark.slow
async def test_every_qmsum_meeting_ingests_with_all_its_turns(
    lib: Library, qmsum_dir: Path
) -> None:
    files = sorted(qmsum_dir.glob("*/*.json"))
    assert len(files) == 197
    report = await lib.ingest_paths([str(qmsum_dir / "train"), str(qmsum_dir / "val")])
    assert [o for o in report.outcomes if o.status != "added"] == []
    assert report.added == 197

    infos = await lib.list_transcripts(limit=-1)
    assert sorted(i.seq for i in infos) == list(range(1, 198))
    assert len({i.id for i in infos}) == 197
    by_source = {Path(i.source).name: i for i in infos}
    source_turns = {f.name: len(json.loads(f.read_bytes())["meeting_transcripts"]) for f in files}
    assert {name: i.turn_count for name, i in by_source.items()} == source_turns


async def test_concurrent_ingests_serialise_on_the_one_connection(lib: Library) -> None:
    same = make_transcript("Same", "Ann: Identical words.", "Bo: Indeed.")
    others = [make_transcript(f"Other {n}", f"Ann: Point {n}.", "Bo: Ok.") for n in range(4)]
    outcomes = await asyncio.gather(
        lib.ingest_transcript(same, source_key="a"),
        lib.ingest_transcript(same, source_key="b"),
        *(lib.ingest_transcript(t, source_key=f"o{n}") for n, t in enumerate(others)),
    )
    assert sorted(o.status for o in outcomes[:2]) == ["added", "duplicate"]
    assert {o.status for o in outcomes[2:]} == {"added"}
    infos = await lib.list_transcripts()
    assert sorted(i.seq for i in infos) == [1, 2, 3, 4, 5]
