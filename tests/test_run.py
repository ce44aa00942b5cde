"""`briefbot run`: the console chat without a token, one-line errors for bad settings."""

from __future__ import annotations

import http.server
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no developer .env
    for name in ("TELEGRAM_BOT_TOKEN", "BRIEFBOT_WEBHOOK_URL", "BRIEFBOT_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "run.db"))
    return CliRunner()


def test_without_a_token_it_opens_the_console_chat(runner: CliRunner) -> None:
    result = runner.invoke(main, ["run"], input="/list\n/quit\n")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        lines[0] == "No TELEGRAM_BOT_TOKEN is set, so here is the console chat instead of Telegram."
    )
    assert "The library is empty: no transcripts yet." in result.output


def test_a_bad_setting_is_one_line_and_exit_code_1(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFBOT_TIMEZONE", "Atlantis/Capital")
    result = runner.invoke(main, ["run"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: BRIEFBOT_TIMEZONE: 'Atlantis/Capital' is not an IANA time zone "
        "(e.g. Europe/Berlin, UTC)\n"
    )


def test_a_token_in_dotenv_is_used_and_never_printed(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A .env in the working folder is read; a malformed token there is reported
    # by name without echoing the value.
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=not a token\n", encoding="utf-8")
    result = runner.invoke(main, ["run"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: TELEGRAM_BOT_TOKEN does not look like a bot token")
    assert "not a token" not in result.output


TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"


@pytest.fixture
def refusing_api() -> Iterator[str]:
    """A Bot API on loopback that answers every call 401 Unauthorized, as for a revoked token."""

    class Refuse(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = b'{"ok": false, "error_code": 401, "description": "Unauthorized"}'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    server.shutdown()
    server.server_close()


def test_a_refused_token_is_one_line(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    refusing_api: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BRIEFBOT_TELEGRAM_API_URL", refusing_api)
    with caplog.at_level(logging.INFO):
        result = runner.invoke(main, ["run"])
    assert result.exit_code == 1
    assert result.output == "Error: Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather\n"
    # PTB's 40-line traceback for the refused token is not logged on top of that line.
    loud = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in loud] == []
    assert "Traceback" not in caplog.text
    assert TOKEN not in caplog.text


def test_an_unreachable_bot_api_is_one_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BRIEFBOT_TELEGRAM_API_URL", f"http://127.0.0.1:{port}/bot")
    result = runner.invoke(main, ["run"])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith(f"Error: cannot reach the Bot API at http://127.0.0.1:{port}/bot: ")
    assert TOKEN not in result.output
