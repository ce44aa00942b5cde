"""The bot token never reaches a log line, not even through httpx's request URLs."""

from __future__ import annotations

import logging

import pytest

from bot.redact import REDACTED, redact, redact_secrets

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
