"""``/export <id>`` and the brief's "Export" button (bot/_export_cmd.py): the Telegram
app over the recording Bot API (``tg_harness``) sends a document; the console chat
writes the file."""

# The fixtures ``chat`` and ``library`` come from tg_harness; tests name them as arguments.
# ruff: noqa: F811

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from tg_harness import USER, Chat, button_data, chat, library  # noqa: F401

from bot.cli import main
from briefs.library import Library
from briefs.render import html_to_text


def _document(chat: Chat) -> tuple[dict, str, str]:
    [call] = [c for c in chat.request.calls if c.method == "sendDocument"]
    [(name, data)] = call.files.values()
    return call.data, name, data.decode("utf-8")


async def test_export_sends_the_markdown_as_a_document(chat: Chat, library: Library) -> None:
    assert await chat.say("/export compute", user=USER) == []  # no text message: a document
    sent, name, md = _document(chat)
    assert name == "compute-talk.md"
    assert int(sent["chat_id"]) == USER
    assert html_to_text(str(sent["caption"])) == (
        "Compute talk\nThe brief as Markdown, with every quote, speaker and time.")
    head, body = md[4:].split("\n---\n", 1)
    front = yaml.safe_load(head)
    assert (front["title"], front["briefbot_id"], front["speakers"]) == (
        "Compute talk", "compute-talk", ["Alex", "Greg"])
    brief = await library.brief("compute-talk")
    assert brief.tldr and all(f"“{item.quote}”" in body for item in brief.tldr)


async def test_the_briefs_export_button_sends_it_too(chat: Chat) -> None:
    await chat.say("/brief compute-talk")
    [sent] = chat.request.sent()
    assert re.fullmatch(r"x:.+", button_data(sent, "Export"))
    chat.request.clear()
    calls = await chat.press(sent, "Export")
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendDocument"]
    assert _document(chat)[1] == "compute-talk.md"


async def test_export_of_nothing_is_one_clear_line(chat: Chat) -> None:
    (asked,) = await chat.say("/export")
    assert html_to_text(asked).startswith("Which transcript? Send /export followed by its id")
    (missing,) = await chat.say("/export no-such-talk")
    assert html_to_text(missing) == (
        "⚠️ No transcript matches “no-such-talk”.\n\n/list shows the transcripts with their ids.")
    assert chat.request.sent("sendDocument") == []


def test_the_console_chat_writes_the_file_and_prints_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "console.db"
    talk = tmp_path / "talk.txt"
    talk.write_text("Talk\n\nAnn: Compute is scarce this year.\n\nBo: Chips are late again.\n")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(talk), "--db", str(db)]).exit_code == 0
    here = tmp_path / "notes"
    here.mkdir()
    monkeypatch.chdir(here)
    result = runner.invoke(main, ["chat", "--db", str(db)], input="/export talk\n")
    assert result.exit_code == 0, result.output
    assert "Wrote talk.md" in result.output.splitlines()
    written = (here / "talk.md").read_text(encoding="utf-8")
    exported = runner.invoke(main, ["export", "talk", "--db", str(db)]).stdout
    assert written == exported
