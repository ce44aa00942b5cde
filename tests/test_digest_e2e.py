"""End to end: subscribe in the chat, a transcript lands in the inbox, cron sends the digest once.

Runs against the telegram-test-api Bot API emulator (tests/e2e/server.js, set
up by tests/e2e/install.sh): the real Application polls it for the /subscribe,
and the real ``briefbot digest send-due`` command, as a separate process,
delivers through it. Skips with a reason when Node.js or the emulator is absent.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.settings import Settings
from bot.telegram_app import build_application
from briefs import digest
from briefs.library import Library

E2E = Path(__file__).resolve().parent / "e2e"
TOKEN = "4242424242:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
USER: dict[str, Any] = {"id": 5150, "is_bot": False, "first_name": "Dee", "username": "dee"}
CHAT: dict[str, Any] = {"id": 5150, "type": "private", "first_name": "Dee"}
MEETING = """Budget sync

Ann: We agreed to move the compute budget to inference next quarter.

Bo: The risk is that training slips by a month if the chips arrive late.

Ann: Then we should order the chips this week.

Bo: Fine, I will place the order today and report back on Friday.
"""

pytestmark = pytest.mark.e2e


@pytest.fixture
def emulator() -> Iterator[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the telegram-test-api emulator cannot run")
    if not (E2E / "node_modules" / "telegram-test-api").is_dir():
        pytest.skip("the emulator is not installed: run tests/e2e/install.sh")
    proc = subprocess.Popen(
        [node, str(E2E / "server.js"), "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening "), line
        yield f"http://127.0.0.1:{line.split()[1]}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def bot_messages(client: httpx.AsyncClient, base: str) -> list[dict[str, Any]]:
    """The bot's messages to the user's chat not read yet (the emulator marks them read)."""
    answer = await client.post(f"{base}/getUpdates", json={"token": TOKEN, "chatId": CHAT["id"]})
    return [update["message"] for update in answer.json()["result"]]


async def wait_for_messages(client: httpx.AsyncClient, base: str) -> list[dict[str, Any]]:
    for _ in range(100):
        found = await bot_messages(client, base)
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("the bot did not answer within 10 s")


@pytest.fixture
async def library(tmp_path: Path) -> AsyncIterator[Library]:
    lib = await Library.open(tmp_path / "e2e.db")
    yield lib
    await lib.close()


def send_due(base: str, db: Path, at: datetime) -> str:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "BRIEFBOT_TELEGRAM_API_URL": f"{base}/bot",
        "BRIEFBOT_DB": str(db),
    }
    briefbot = Path(sys.executable).with_name("briefbot")
    done = subprocess.run(
        [str(briefbot), "digest", "send-due", "--at", at.isoformat()],
        env=env, capture_output=True, text=True, timeout=120, cwd=db.parent,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_subscribe_inbox_send_due_arrives_once(
    emulator: str, library: Library, tmp_path: Path
) -> None:
    from briefs.sources import poll_inbox

    settings = Settings(
        telegram_bot_token=TOKEN, telegram_api_url=f"{emulator}/bot", db=tmp_path / "e2e.db"
    )
    application = build_application(settings, library)
    due_local = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    text = f"/subscribe {due_local:%H:%M} UTC"
    async with httpx.AsyncClient(timeout=10) as client:
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0.2)
            try:
                await client.post(f"{emulator}/sendCommand", json={
                    "botToken": TOKEN, "from": USER, "chat": CHAT, "date": 0, "text": text,
                    "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
                })
                [reply] = await wait_for_messages(client, emulator)
            finally:
                await application.updater.stop()
                await application.stop()
        assert reply["text"].startswith("You are subscribed to the daily digest.")
        sub = await digest.subscription(library, USER["id"])
        assert sub is not None
        assert sub.next_due_at == due_local

        inbox = tmp_path / "inbox"
        inbox.mkdir()
        (inbox / "budget-sync.txt").write_text(MEETING, encoding="utf-8")
        [outcome] = await poll_inbox(library, inbox, settle_seconds=0)
        assert outcome.status == "added"

        early = await asyncio.to_thread(
            send_due, emulator, settings.db, due_local - timedelta(minutes=1)
        )
        assert early.startswith("0 digest(s) delivered")
        first = await asyncio.to_thread(send_due, emulator, settings.db, due_local)
        assert first.startswith("1 digest(s) delivered (1 message(s)), 1 composed")
        [message] = await bot_messages(client, emulator)
        assert "Budget sync" in message["text"]
        assert message["text"].startswith("<b>Your briefbot digest</b> · 1 new transcript")
        again = await asyncio.to_thread(send_due, emulator, settings.db, due_local)
        assert again.startswith("0 digest(s) delivered (0 message(s)), 0 composed")
        assert await bot_messages(client, emulator) == []
