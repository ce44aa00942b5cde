"""No ``briefbot`` command prints or logs a secret: the token, the webhook secret, the LLM key.

The secrets are set in the environment the way an operator sets them, the Bot
API (a loopback server) refuses every call with 401 as for a revoked token, and
every argument a command takes holds the token too, so commands that echo what
they were given (``no transcript matches ...``) would show it. The guard is
``bot.cli``'s boundary around every command, so a command added later is in
this test's parametrisation, and covered, without anybody remembering.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from loopback_bot_api import LoopbackBotAPI, loopback_bot_api

from bot.cli import main
from bot.redact import REDACTED


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


COMMANDS = list(_commands(main))


class Secrets:
    """Secrets unique to one test, so no other test's registration hides a leak."""

    def __init__(self, label: str) -> None:
        def digest(kind: str) -> str:
            return hashlib.sha256(f"{label}/{kind}".encode()).hexdigest()

        self.token_secret = "AA" + digest("token")[:33]
        self.token = f"{int(digest('bot')[:8], 16) % 10**9 + 10**9}:{self.token_secret}"
        self.webhook = "hook_" + digest("webhook")[:30]
        self.llm_key = "sk-" + digest("llm")[:40]

    def all(self) -> tuple[str, ...]:
        return (self.token, self.token_secret, self.webhook, self.llm_key)


@pytest.fixture
def refusing_api() -> Iterator[LoopbackBotAPI]:
    with loopback_bot_api() as api:
        yield api


def _set_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, secrets: Secrets, api: LoopbackBotAPI
) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    for name in ("BRIEFBOT_INBOX", "BRIEFBOT_WEBHOOK_LISTEN", "BRIEFBOT_WEBHOOK_PORT"):
        monkeypatch.delenv(name, raising=False)
    origin = api.base_url.removesuffix("/bot")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", secrets.token)
    monkeypatch.setenv("BRIEFBOT_TELEGRAM_API_URL", api.base_url)
    monkeypatch.setenv("BRIEFBOT_WEBHOOK_URL", f"{origin}/telegram")
    monkeypatch.setenv("BRIEFBOT_WEBHOOK_SECRET", secrets.webhook)
    monkeypatch.setenv("BRIEFBOT_LLM_BASE_URL", f"{origin}/v1")
    monkeypatch.setenv("BRIEFBOT_LLM_MODEL", "test-model")
    monkeypatch.setenv("BRIEFBOT_LLM_API_KEY", secrets.llm_key)
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "secrets.db"))


def _assert_nothing_leaked(
    result: Result, caplog: pytest.LogCaptureFixture, secrets: Secrets
) -> None:
    # A traceback would be an uncaught exception: the boundary turns every one into a line.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    shown = result.output + result.stderr + caplog.text + "\n".join(caplog.messages)
    for secret in secrets.all():
        assert secret not in shown, f"{secret!r} leaked in:\n{shown}"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_command_shows_a_secret(
    command: tuple[str, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    refusing_api: LoopbackBotAPI,
) -> None:
    secrets = Secrets(" ".join(command))
    _set_env(monkeypatch, tmp_path, secrets, refusing_api)
    target = main
    for name in command:
        target = target.commands[name]  # type: ignore[attr-defined]
    # Every argument (ids, paths, queries, URLs) holds the token: what a command
    # echoes back must be redacted too.
    probe = str(tmp_path / f"no-such-{secrets.token}")
    args = [probe for param in target.params if isinstance(param, click.Argument)]
    with caplog.at_level(logging.DEBUG):
        result = CliRunner().invoke(
            main, [*command, *args], input=f"/show {secrets.token}\n/search {probe}\n/quit\n"
        )
    _assert_nothing_leaked(result, caplog, secrets)


def test_send_due_with_a_refused_token_is_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    refusing_api: LoopbackBotAPI,
) -> None:
    # The reported defect: PTB's InvalidToken message quotes the whole token.
    secrets = Secrets("send-due")
    _set_env(monkeypatch, tmp_path, secrets, refusing_api)
    with caplog.at_level(logging.DEBUG):
        result = CliRunner().invoke(main, ["digest", "send-due"])
    assert result.exit_code == 1
    assert result.output == "Error: Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather\n"
    assert [method for method, _ in refusing_api.calls] == ["getMe"]
    _assert_nothing_leaked(result, caplog, secrets)


def test_an_echoed_secret_shows_as_redacted(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    refusing_api: LoopbackBotAPI,
) -> None:
    secrets = Secrets("show")
    _set_env(monkeypatch, tmp_path, secrets, refusing_api)
    result = CliRunner().invoke(main, ["show", secrets.token])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no transcript matches '{REDACTED}'; \"briefbot list\" shows the ids\n"
    )


def test_a_command_added_later_is_covered_by_the_boundary(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    refusing_api: LoopbackBotAPI,
) -> None:
    # A careless command: prints the token, logs it, then fails with it in an
    # exception nobody catches.
    secrets = Secrets("careless")
    _set_env(monkeypatch, tmp_path, secrets, refusing_api)

    @main.command("careless-test-command")
    def careless() -> None:
        click.echo(f"using {secrets.token}")
        click.echo(f"key {secrets.llm_key}", err=True)
        logging.getLogger("careless").warning("token is %s", secrets.token)
        raise RuntimeError(f"failed with {secrets.webhook}")

    try:
        with caplog.at_level(logging.DEBUG):
            result = CliRunner().invoke(main, ["careless-test-command"])
    finally:
        del main.commands["careless-test-command"]
    assert result.exit_code == 1
    assert result.stdout == f"using {REDACTED}\n"
    assert result.stderr == (
        f"key {REDACTED}\nError: unexpected error (RuntimeError: failed with {REDACTED})\n"
    )
    assert f"token is {REDACTED}" in caplog.messages
    _assert_nothing_leaked(result, caplog, secrets)
