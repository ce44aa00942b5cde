"""Webhook mode always carries a secret: a forged POST gets 403 and runs nothing.

The app's own webhook server (PTB's ``updater.start_webhook`` with the options
``briefbot run`` passes) listens on a loopback port; Bot API calls go to the
recording fake of ``ptb_fakes``, so ``setWebhook`` is seen as Telegram would.
"""

# The fixture ``library`` comes from tg_harness; tests name it as an argument.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from loopback_bot_api import loopback_bot_api
from ptb_fakes import BOT_USER, TOKEN, RecordingRequest, UpdateFactory
from tg_harness import ADMIN, USER, bot_settings, library  # noqa: F401

from bot.cli import main
from bot.commands.run import webhook_options
from bot.redact import REDACTED, redact
from bot.telegram_app import build_application
from briefs.library import Library

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(url: str, update: dict[str, object], secret: str | None) -> int:
    """POST ``update`` as Telegram would; the HTTP status the webhook answered."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def test_a_secret_is_generated_when_none_is_configured() -> None:
    settings = bot_settings(webhook_url="https://bot.example.org/telegram")
    first = webhook_options(settings)["secret_token"]
    second = webhook_options(settings)["secret_token"]
    # Telegram's rule for secret_token, and fresh for every start.
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,256}", first)
    assert len(first) >= 32
    assert first != second
    assert redact(f"token {first} and {second}") == f"token {REDACTED} and {REDACTED}"


def test_a_configured_secret_is_used_as_given() -> None:
    settings = bot_settings(
        webhook_url="https://bot.example.org/telegram", webhook_secret="configured_secret-42"
    )
    options = webhook_options(settings)
    assert options["secret_token"] == "configured_secret-42"
    assert options["url_path"] == "telegram"
    assert options["webhook_url"] == "https://bot.example.org/telegram"


async def test_only_updates_with_the_secret_are_processed(library: Library) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    settings = bot_settings(webhook_url=url, webhook_listen="127.0.0.1", webhook_port=port)
    assert settings.webhook_secret is None
    request = RecordingRequest()
    app = build_application(settings, library, request=request)
    options = webhook_options(settings)
    updates = UpdateFactory(app.bot)
    # What a forger would send: an admin's user id running an admin command.
    forged = updates.text("/stats", user_id=ADMIN).to_dict()
    genuine = updates.text("/list", user_id=USER).to_dict()
    async with app:
        await app.updater.start_webhook(**options)  # type: ignore[union-attr]
        await app.start()
        try:
            missing = await asyncio.to_thread(_post, url, forged, None)
            wrong = await asyncio.to_thread(_post, url, forged, "not-the-secret")
            right = await asyncio.to_thread(_post, url, genuine, options["secret_token"])
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()  # processes what the webhook accepted before returning
    assert (missing, wrong, right) == (403, 403, 200)
    (registered,) = request.sent("setWebhook")
    assert registered["url"] == url
    assert registered["secret_token"] == options["secret_token"]
    replies = request.sent("sendMessage")
    assert [int(r["chat_id"]) for r in replies] == [USER]
    assert "compute-talk" in str(replies[0]["text"])


def test_briefbot_run_registers_a_generated_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The Bot API knows the bot but refuses setWebhook, so `run` stops right
    # after registering the webhook, with what it sent recorded.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFBOT_WEBHOOK_SECRET", raising=False)
    port = _free_port()
    with loopback_bot_api({"getMe": BOT_USER, "deleteWebhook": True}) as api:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("BRIEFBOT_TELEGRAM_API_URL", api.base_url)
        monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "run.db"))
        monkeypatch.setenv("BRIEFBOT_WEBHOOK_URL", f"http://127.0.0.1:{port}/telegram")
        monkeypatch.setenv("BRIEFBOT_WEBHOOK_LISTEN", "127.0.0.1")
        monkeypatch.setenv("BRIEFBOT_WEBHOOK_PORT", str(port))
        with caplog.at_level(logging.DEBUG):
            result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 1
    assert result.output == "Error: Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather\n"
    (registered,) = api.sent("setWebhook")
    secret = registered["secret_token"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,256}", secret)
    logged = "\n".join(caplog.messages) + caplog.text
    assert "this run uses a random one" in logged
    for hidden in (secret, TOKEN):
        assert hidden not in logged
        assert hidden not in result.output
