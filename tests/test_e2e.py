"""End to end: `briefbot run` polling a Bot API emulator, driven like a person would.

The emulator is the npm package telegram-test-api (pinned in tests/e2e/,
patched for PTB 22 in tests/e2e/server.js). This test starts it on a free
loopback port, starts the real bot as a subprocess pointed at it through
BRIEFBOT_TELEGRAM_API_URL, and plays a user: /start, /list, /brief with a
button press, a quote query with "More" and /export (a document). It skips only where Node.js is
absent; a missing node_modules is installed with tests/e2e/install.sh.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from briefs.library import Library

pytestmark = pytest.mark.e2e

E2E = Path(__file__).resolve().parent / "e2e"
REPO = E2E.parents[1]
USER = {"id": 4242, "is_bot": False, "first_name": "Ada", "username": "ada"}
CHAT = {"id": 4242, "type": "private", "first_name": "Ada"}
WAIT = 20.0  # seconds: generous for a shared 2-core machine; only failures wait this long

COMPUTE = "\n\n".join(
    [
        "Alex: Welcome back. Today we talk about compute, chips and the money behind them.",
        "Greg: Compute is the bottleneck. We turned down products for lack of compute.",
        "Alex: What worries you most about the next two years?",
        "Greg: The risk is that demand outruns supply, a real concern about reliability.",
        "Alex: Let us turn to pricing. How do you price access to the models?",
        "Greg: Pricing follows the cost of compute. As chips get cheaper, prices fall.",
    ]
)
BUDGET = "\n\n".join(
    f"{'Ann' if n % 2 else 'Bob'}: Budget item {n}: the budget for part {n} needs a review."
    for n in range(12)
)


def _wait_for_line(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        raise AssertionError(f"the emulator printed nothing in {timeout} s")
    return proc.stdout.readline()


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    """The patched telegram-test-api on a free loopback port; yields its base URL."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the end-to-end test runs telegram-test-api on it")
    installed = E2E / "node_modules" / "telegram-test-api"
    if not installed.is_dir():
        subprocess.run(["bash", str(E2E / "install.sh")], check=True, timeout=600)
        assert installed.is_dir(), "tests/e2e/install.sh did not install telegram-test-api (npm?)"
    proc = subprocess.Popen(
        [node, str(E2E / "server.js"), "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = _wait_for_line(proc, WAIT)
        assert line.startswith("listening "), (line, proc.stderr.read() if proc.stderr else "")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def _make_library(path: Path) -> None:
    library = await Library.open(path)
    try:
        for name, text in (("compute-talk.txt", COMPUTE), ("budget-review.txt", BUDGET)):
            outcome = await library.ingest_bytes(name, text.encode())
            assert outcome.status == "added", outcome
    finally:
        await library.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["polling", "webhook"])
def bot(request: pytest.FixtureRequest, emulator: str, tmp_path: Path) -> Iterator[Bot]:
    """`briefbot run` against the emulator, polling or behind a webhook."""
    db = tmp_path / "e2e.db"
    asyncio.run(_make_library(db))
    # One token per mode: the emulator keeps a token's webhook after its bot stops.
    token = f"{5555555 + len(request.param)}:E2EtokenE2EtokenE2EtokenE2Etoken"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": token,
        "BRIEFBOT_TELEGRAM_API_URL": f"{emulator}/bot",
        "BRIEFBOT_DB": str(db),
        "PYTHONPATH": str(REPO),
        # A scripted user is quicker than a person: over a webhook the whole
        # conversation takes half a second, past the default burst of 5.
        "BRIEFBOT_FLOOD_BURST": "20",
    }
    if request.param == "webhook":
        port = _free_port()
        env |= {
            "BRIEFBOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
            "BRIEFBOT_WEBHOOK_LISTEN": "127.0.0.1",
            "BRIEFBOT_WEBHOOK_PORT": str(port),
        }
    log_path = tmp_path / "bot.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        # The emulator answers getUpdates at once: pause between polls (patch 5).
        [sys.executable, "-c", "from bot.cli import main; main()", "run", "--poll-interval", "0.2"],
        cwd=tmp_path,  # no developer .env is picked up
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield Bot(proc, token, log_path, env.get("BRIEFBOT_WEBHOOK_URL"))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        output = log_path.read_text(errors="replace")
        print(output)  # shown by pytest when the test fails
        assert token not in output
        assert token.split(":")[1] not in output


@dataclass
class Bot:
    proc: subprocess.Popen[bytes]
    token: str
    log: Path
    webhook: str | None


class User:
    """A person in a private chat with the bot, talking through the emulator's client API."""

    def __init__(self, base: str, bot: Bot) -> None:
        self.http = httpx.Client(base_url=base, timeout=10)
        self.bot = bot
        self.token = bot.token

    def _post(self, path: str, payload: dict[str, Any]) -> Any:
        response = self.http.post(path, json=payload)
        response.raise_for_status()
        return response.json()["result"]

    def _until(self, what: str, probe: Any) -> Any:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.bot.proc.poll() is None, self.bot.log.read_text(errors="replace")
            found = probe()
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def menu(self) -> list[dict[str, str]]:
        """The command menu, once the bot has registered it at start-up."""
        return self._until(  # type: ignore[no-any-return]
            "setMyCommands", lambda: self._post("/getMyCommands", {"token": self.token})
        )

    def webhook(self) -> str:
        """The bot's webhook URL, once it has set one."""

        def probe() -> str:
            info = self.http.post(f"/bot{self.token}/getWebhookInfo").json()["result"]
            return str(info["url"])

        return self._until("setWebhook", probe)  # type: ignore[no-any-return]

    def say(self, text: str) -> None:
        payload: dict[str, Any] = {"botToken": self.token, "from": USER, "chat": CHAT}
        payload |= {"date": int(time.time()), "text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            payload["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            self._post("/sendCommand", payload)
        else:
            self._post("/sendMessage", payload)

    def press(self, reply: dict[str, Any], label: str) -> None:
        rows = reply["message"]["reply_markup"]["inline_keyboard"]
        (data,) = [b["callback_data"] for row in rows for b in row if b["text"].startswith(label)]
        message = {"message_id": reply["messageId"], "date": int(time.time()), "chat": CHAT}
        payload = {"botToken": self.token, "from": USER, "message": message, "data": data}
        self._post("/sendCallback", payload)

    def replies(self) -> list[dict[str, Any]]:
        """The bot's new messages in this chat (waits for at least one)."""
        unread = {"token": self.token, "chatId": CHAT["id"]}
        return self._until("a reply", lambda: self._post("/getUpdates", unread))  # type: ignore[no-any-return]

    def edited(self, message_id: int, contains: str) -> dict[str, Any]:
        """The bot's message ``message_id`` once an edit put ``contains`` into it."""

        def probe() -> dict[str, Any] | None:
            for item in self._post("/getUpdatesHistory", {"token": self.token}):
                if item.get("messageId") == message_id and contains in item["message"]["text"]:
                    return item  # type: ignore[no-any-return]
            return None

        return self._until(f"an edit with {contains!r}", probe)  # type: ignore[no-any-return]


def _labels(reply: dict[str, Any]) -> list[str]:
    markup = reply["message"].get("reply_markup") or {"inline_keyboard": []}
    return [b["text"] for row in markup["inline_keyboard"] for b in row]


def test_a_user_talks_to_the_bot_through_the_bot_api(emulator: str, bot: Bot) -> None:
    user = User(emulator, bot)
    menu = [c["command"] for c in user.menu()]
    assert menu[:3] == ["help", "list", "brief"]
    if bot.webhook:
        assert user.webhook() == bot.webhook

    user.say("/start")
    (welcome,) = user.replies()
    assert welcome["message"]["text"].startswith("<b>Welcome to briefbot.</b>")
    assert welcome["message"]["parse_mode"] == "HTML"
    assert _labels(welcome) == ["Recent transcripts"]

    user.say("/list")
    (listing,) = user.replies()
    assert "Compute talk" in listing["message"]["text"]
    assert "Budget review" in listing["message"]["text"]

    user.say("/brief compute talk")
    (brief,) = user.replies()
    assert "<b>TL;DR</b>" in brief["message"]["text"]
    assert _labels(brief)[:2] == ["Turning points", "Risks"]
    user.press(brief, "Risks")
    edited = user.edited(brief["messageId"], "<b>Risks</b>")
    assert "demand outruns supply" in edited["message"]["text"]
    assert _labels(edited)[0] == "« TL;DR"

    user.say("budget review")
    (quotes,) = user.replies()
    assert quotes["message"]["text"].startswith("<b>Quotes for “budget review”</b>")
    assert "More ›" in _labels(quotes)
    user.press(quotes, "More")
    (more,) = user.replies()
    assert more["message"]["text"].startswith("<b>Quotes for “budget review”</b> · page 2")

    user.say("/export compute talk")
    (exported,) = user.replies()
    document = exported["message"]["document"]
    assert document["file_name"] == "compute-talk.md"
    assert document["content"].startswith("---\ntitle: Compute talk\n")
    assert "briefbot_id: compute-talk" in document["content"]
    assert exported["message"]["text"].startswith("<b>Compute talk</b>")
