"""The bot token never reaches a log line, not even through httpx's request URLs."""

from __future__ import annotations

import logging
import sys

import pytest

from bot.redact import REDACTED, redact, redact_secrets, redacted_output, secrets_from_env

TOKEN = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"


def test_httpx_request_urls_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    redact_secrets(TOKEN, None, "")
    with caplog.at_level(logging.INFO, logger="httpx"):
        # httpx's own format: the URL is an argument, interpolated late.
        logging.getLogger("httpx").info(
            'HTTP Request: %s %s "%s"', "POST", f"https://api.telegram.org/bot{TOKEN}/getMe", "200"
        )
    assert caplog.messages == [
        f'HTTP Request: POST https://api.telegram.org/bot{REDACTED}/getMe "200"'
    ]


def test_tracebacks_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    redact_secrets(TOKEN)
    try:
        raise RuntimeError(f"connect failed for https://api.telegram.org/bot{TOKEN}/getUpdates")
    except RuntimeError:
        logging.getLogger("telegram.ext.Updater").exception("polling failed")
    (record,) = caplog.records
    assert TOKEN not in caplog.text
    assert f"bot{REDACTED}/getUpdates" in caplog.text
    assert record.getMessage() == "polling failed"


def test_registering_twice_keeps_one_factory_and_both_secrets() -> None:
    redact_secrets("first-secret")
    factory = logging.getLogRecordFactory()
    redact_secrets("second-secret")
    assert logging.getLogRecordFactory() is factory
    assert redact("a first-secret b second-secret") == f"a {REDACTED} b {REDACTED}"


def test_secrets_from_env_finds_every_credential_and_the_tokens_secret_half() -> None:
    environ = {
        "TELEGRAM_BOT_TOKEN": f" {TOKEN} ",
        "BRIEFBOT_WEBHOOK_SECRET": "webhook-secret-1",
        "BRIEFBOT_LLM_API_KEY": "sk-llm-key-123",
        "BRIEFBOT_DB": "not-a-secret.db",
    }
    assert secrets_from_env(environ) == [
        TOKEN,
        TOKEN.split(":", 1)[1],
        "webhook-secret-1",
        "sk-llm-key-123",
    ]


def test_short_values_are_not_redacted_so_words_stay_readable() -> None:
    redact_secrets("abc", "Error")
    assert redact("Error: abc is not a transcript") == "Error: abc is not a transcript"


def test_the_token_is_redacted_whole_not_only_its_secret_half() -> None:
    redact_secrets(TOKEN, TOKEN.split(":", 1)[1])
    assert redact(f"token {TOKEN}") == f"token {REDACTED}"
    assert redact(f"half {TOKEN.split(':', 1)[1]}") == f"half {REDACTED}"


def test_redacted_output_cleans_stdout_and_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    redact_secrets(TOKEN)
    with redacted_output():
        print(f"stdout {TOKEN}")
        sys.stderr.write(f"stderr {TOKEN}\n")
        assert sys.stdout.encoding  # other attributes come from the real stream
    print(f"after {TOKEN.split(':')[0]}")
    captured = capsys.readouterr()
    assert captured.out == f"stdout {REDACTED}\nafter {TOKEN.split(':')[0]}\n"
    assert captured.err == f"stderr {REDACTED}\n"
