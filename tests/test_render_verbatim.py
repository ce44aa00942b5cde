"""What the views put in quotation marks is what was said, and where they say it was said.

Every view a user reads — the Telegram chat (HTML), the console chat, the
``briefbot`` command line — is rendered over the bundled samples and two
original ones (a hard-wrapped text without times, an unpunctuated lowercase
ASR subtitle file): every brief view and its buttons, quote searches with
their pages, top quotes, and digests with and without topics. Then:

- every span between quotation marks (“…” or "…") and every block quote is a
  verbatim stretch of a stored transcript's text (runs of whitespace aside:
  a line break in the source shows as a space); a span cut with "…" has each
  kept piece verbatim, in order;
- no view shows a character offset, a passage number or a turn number.
"""

from __future__ import annotations

import asyncio
import html as _html
import json
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.console import html_to_terminal
from bot.core import ChatRef, Conversation, Reply
from briefs import digest
from briefs.library import Library
from briefs.render import html_to_text, position_label

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted((REPO / "briefs" / "samples").iterdir()) + sorted(
    (REPO / "tests" / "data" / "views").iterdir()
)
ADMIN = ChatRef(chat_id=5, user_id=1)

_CURLY = re.compile(r"“([^“”]*)”")
_STRAIGHT = re.compile(r'"([^"\n]*)"')
_BLOCK = re.compile(r"<blockquote[^>]*>(.*?)</blockquote>", re.S)
_BAR = "│ "
# What a user must never read as a position.
_MACHINE = re.compile(r"\bcharacter \d|\bpassage \d|\bturn \d|\[passage", re.IGNORECASE)


def _flat(text: str) -> str:
    return " ".join(text.split())


def not_verbatim(spans: list[str], texts: list[str]) -> list[str]:
    """The spans that are not a verbatim stretch (pieces around "…" in order) of one text."""
    flats = [_flat(t) for t in texts]
    bad = []
    for span in spans:
        pieces = [p.strip() for p in _flat(span).split("…") if p.strip()]
        if not pieces:
            continue
        for flat in flats:
            at = 0
            for piece in pieces:
                found = flat.find(piece, at)
                if found < 0:
                    break
                at = found + len(piece)
            else:
                break
        else:
            bad.append(span)
    return bad


def quoted(text: str) -> list[str]:
    """The spans of plain text a reader sees between quotation marks."""
    return [m.group(1) for m in _CURLY.finditer(text)] + [
        m.group(1) for m in _STRAIGHT.finditer(text)
    ]


def html_quotes(html: str) -> list[str]:
    blocks = [html_to_text(b) for b in _BLOCK.findall(html)]
    return quoted(html_to_text(html)) + blocks


def console_quotes(text: str) -> list[str]:
    """Quotation-marked spans, and each run of "│ " lines (a block quote)."""
    runs: list[list[str]] = []
    previous = False
    for line in text.split("\n"):
        inside = line.startswith(_BAR)
        if inside:
            if not previous:
                runs.append([])
            runs[-1].append(line[len(_BAR) :])
        previous = inside
    return quoted(text) + [" ".join(r) for r in runs]


def _ingest_folder(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in SOURCES:
        shutil.copy(path, folder / path.name)
    db = str(tmp_path / "views.db")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 0, result.output
    return folder, db


@pytest.fixture
async def library(tmp_path: Path) -> AsyncIterator[Library]:
    lib = await Library.open(tmp_path / "chat.db")
    for path in SOURCES:
        assert (await lib.ingest_path(path)).status == "added"
    yield lib
    await lib.close()


async def _texts(lib: Library) -> tuple[list[str], list[str], list[list[str]]]:
    infos = await lib.list_transcripts(limit=50)
    assert len(infos) == len(SOURCES)
    texts = [(await lib.get(i.id)).transcript.text for i in infos]
    keywords = [list((await lib.brief(i.id)).keywords)[:2] for i in infos]
    return [i.id for i in infos], texts, keywords


async def _press_all(conv: Conversation, replies: list[Reply], seen: set[str]) -> list[Reply]:
    """Every view reachable from ``replies`` by their buttons (views, pages, briefs)."""
    out = list(replies)
    for reply in replies:
        for row in reply.buttons:
            for button in row:
                if button.data in seen or button.data.startswith(("set:", "l:")):
                    continue
                seen.add(button.data)
                out += await _press_all(
                    conv, await conv.handle(ADMIN, callback=button.data), seen
                )
    return out


async def chat_views(lib: Library) -> tuple[list[str], set[str]]:
    """The HTML of every brief view, search page and digest, and the queries searched."""
    ids, _, keywords = await _texts(lib)
    conv = Conversation(lib, admin_ids={1})
    seen: set[str] = set()
    replies: list[Reply] = []
    queries = {w for words in keywords for w in words}
    for transcript_id in ids:
        opened = await conv.handle(ADMIN, text=f"/brief {transcript_id}")
        replies += await _press_all(conv, opened, seen)
    for query in sorted(queries):
        replies += await _press_all(conv, await conv.handle(ADMIN, text=f"/quote {query}"), seen)
    parts = list((await digest.compose(digest.ComposeCache(lib), watermark=0)).parts)
    topical = await digest.compose(digest.ComposeCache(lib), watermark=0, topics=sorted(queries))
    parts += topical.parts
    assert topical.entries and any(e.quotes for e in topical.entries)
    return [r.html for r in replies] + parts, queries


def _echoes(spans: list[str], queries: set[str]) -> list[str]:
    # "Quotes for “compute”" repeats the user's own words, not a transcript's.
    return [s for s in spans if s not in queries]


async def test_every_quote_in_the_chat_and_the_console_is_verbatim(library: Library) -> None:
    _ids, texts, _kw = await _texts(library)
    views, queries = await chat_views(library)
    assert len(views) > 60
    html_spans = [s for v in views for s in _echoes(html_quotes(v), queries)]
    console = [html_to_terminal(v) for v in views]
    console_spans = [s for c in console for s in _echoes(console_quotes(c), queries)]
    assert len(html_spans) > 100 and len(console_spans) > 100
    assert not_verbatim(html_spans, texts) == []
    assert not_verbatim(console_spans, texts) == []


async def test_no_chat_or_console_view_shows_an_offset_or_a_passage(library: Library) -> None:
    views, _queries = await chat_views(library)
    shown = [html_to_text(v) for v in views]
    assert [line for v in shown for line in v.splitlines() if _MACHINE.search(line)] == []
    # Sources with times say when; the others how far in, under their heading if any.
    joined = "\n".join(shown)
    assert re.search(r"· at \d+:\d\d", joined)
    assert re.search(r"· \d{1,3}% in", joined)
    assert re.search(r"· [A-Z][^·\n]*, \d{1,3}% in", joined)


def _cli(args: list[str], db: str) -> str:
    result = CliRunner().invoke(main, [*args, "--db", db])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_quote_the_command_line_prints_is_verbatim_and_placed(tmp_path: Path) -> None:
    _folder, db = _ingest_folder(tmp_path)
    ids = [row["id"] for row in json.loads(_cli(["list", "--json"], db))]
    assert len(ids) == len(SOURCES)
    briefs = [json.loads(_cli(["brief", i, "--json"], db)) for i in ids]
    texts = []
    for transcript_id in ids:
        shown = _cli(["brief", transcript_id], db)
        texts.append(shown)
    queries = sorted({w for b in briefs for w in b["keywords"][:2]})
    found = [_cli(["search", q], db) for q in queries]
    async def stored() -> list[str]:
        lib = await Library.open(Path(db))
        try:
            return [(await lib.get(i)).transcript.text for i in ids]
        finally:
            await lib.close()

    originals = asyncio.run(stored())
    spans = [s for out in texts + found for s in quoted(_html.unescape(out))]
    assert not_verbatim(spans, originals) == []
    assert len(spans) > 50
    lines = [line for out in texts + found for line in out.splitlines()]
    assert [line for line in lines if _MACHINE.search(line)] == []
    # --json keeps start/end and adds position: the quote's start / the text's length.
    for data, text in zip(briefs, originals, strict=True):
        items = [*data["tldr"], *data["risks"]]
        for tp in data["turning_points"]:
            items += [tp, *tp["changes"]]
        assert items
        assert [i["position"] for i in items] == [round(i["start"] / len(text), 4) for i in items]
    by_id = dict(zip(ids, originals, strict=True))
    hits = [
        json.loads(line)
        for q in queries
        for line in _cli(["search", q, "--json"], db).splitlines()
    ]
    assert hits
    assert [h["position"] for h in hits] == [
        round(h["start"] / len(by_id[h["transcript_id"]]), 4) for h in hits
    ]


def test_the_checker_catches_a_cleaned_quote_and_a_bad_piece() -> None:
    said = "So, um, I think the plan, you know, probably works."
    assert not_verbatim(["I think the plan probably works."], [said]) == [
        "I think the plan probably works."
    ]
    assert not_verbatim(["I think the plan, …probably works."], [said]) == []
    assert not_verbatim(["probably works… I think"], [said]) == ["probably works… I think"]
    assert console_quotes("a\n│ one\n│ two\nb “x”") == ["x", "one two"]
    assert position_label(10, None, 100) == "10% in"
