"""``/remove <id>`` in the Telegram app (real PTB Application over the recording
Bot API, ``tg_harness``) and in the console chat: admins only, a confirmation
button, and what chats see afterwards."""

# The fixtures ``chat`` and ``library`` come from tg_harness; tests name them as arguments.
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tg_harness import ADMIN, USER, Chat, button_rows, chat, library  # noqa: F401

from bot.cli import main
from briefs.library import Library
from briefs.render import html_to_text


def lines(text: str) -> list[str]:
    return html_to_text(text).splitlines()


async def test_an_admin_removes_a_transcript_after_confirming(
    chat: Chat, library: Library
) -> None:
    (asked,) = await chat.say("/remove compute-talk", user=ADMIN)
    assert lines(asked) == [
        "Remove compute-talk (Compute talk, 8 turns)?",
        "",
        "Its brief and quotes go too; this cannot be undone.",
    ]
    (sent,) = chat.request.sent()
    assert button_rows(sent) == [[("Remove it", "rm:y:compute-talk"), ("Keep it", "rm:n")]]
    assert [i.id for i in await library.list_transcripts()] == ["budget-meeting", "compute-talk"]
    calls = await chat.press(sent, "Remove it", user=ADMIN)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert lines(calls[1].data["text"]) == [
        "Removed compute-talk (Compute talk): 8 turns, 8 passages.",
        "",
        "Search and digests no longer include it.",
    ]
    assert [i.id for i in await library.list_transcripts()] == ["budget-meeting"]
    (found,) = await chat.say("/quote compute", user=USER)
    assert "Compute talk" not in html_to_text(found)
    (brief,) = await chat.say("/brief compute-talk", user=USER)
    assert "No transcript matches" in html_to_text(brief)
    # Pressing the old button again: one clear line, nothing breaks.
    again = await chat.press(sent, "Remove it", user=ADMIN)
    assert "is not in the library" in html_to_text(again[1].data["text"])


async def test_keep_it_removes_nothing(chat: Chat, library: Library) -> None:
    await chat.say("/remove compute-talk", user=ADMIN)
    (sent,) = chat.request.sent()
    calls = await chat.press(sent, "Keep it", user=ADMIN)
    assert lines(calls[1].data["text"]) == ["Kept: nothing was removed."]
    assert len(await library.list_transcripts()) == 2


async def test_a_non_admin_can_neither_ask_nor_press(chat: Chat, library: Library) -> None:
    (refused,) = await chat.say("/remove compute-talk", user=USER)
    assert lines(refused) == ["Sorry, /remove is only for the bot's admins."]
    await chat.say("/remove compute-talk", user=ADMIN)
    sent = chat.request.sent()[-1]
    calls = await chat.press(sent, "Remove it", user=USER)  # a forwarded confirmation
    texts = [lines(str(c.data["text"])) for c in calls if "text" in c.data]
    assert texts == [["Sorry, only the bot's admins can remove transcripts."]]
    assert len(await library.list_transcripts()) == 2


async def test_an_unknown_or_inexact_id_is_one_line(chat: Chat, library: Library) -> None:
    (near,) = await chat.say("/remove compute", user=ADMIN)
    assert lines(near) == [
        "⚠️ No transcript has the id “compute”.",
        "",
        "Did you mean compute-talk? /list shows the transcripts with their ids; "
        "/remove needs the exact id.",
    ]
    (bare,) = await chat.say("/remove", user=ADMIN)
    assert lines(bare)[0] == "Which transcript? Send /remove followed by its id."
    assert len(await library.list_transcripts()) == 2


async def test_the_admin_menu_lists_remove(chat: Chat) -> None:
    conv = chat.app.bot_data["briefbot"].conversation
    assert ("remove", "Remove a transcript: /remove <id> (admins)") in conv.commands(admin=True)
    assert "remove" not in dict(conv.commands(admin=False))


def test_the_console_chat_removes_too(tmp_path: Path) -> None:
    db = tmp_path / "console.db"
    talk = tmp_path / "talk.txt"
    talk.write_text("Talk\n\nAnn: Compute is scarce.\n\nBo: Chips are late.\n")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(talk), "--db", str(db)]).exit_code == 0
    result = runner.invoke(main, ["chat", "--db", str(db)], input="/remove talk\n1\n/list\n")
    assert result.exit_code == 0, result.output
    assert "Remove talk (Talk, 2 turns)?" in result.output
    assert "Removed talk (Talk): 2 turns, 2 passages." in result.output
    assert runner.invoke(main, ["list", "--db", str(db)]).stdout.startswith("No transcripts yet")
