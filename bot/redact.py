"""Keep secrets (the bot token, the webhook secret) out of every log line.

The token is part of every Bot API URL (``https://api.telegram.org/bot<token>/getUpdates``),
and httpx logs each request's URL at INFO; PTB and tornado put URLs into
exception messages too. A logging *filter* would have to sit on every handler
and every logger; instead this wraps the log-record factory, so every record
from every logger is cleaned once, when it is created, traceback included.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["REDACTED", "redact", "redact_secrets"]

REDACTED = "<redacted>"

_lock = threading.Lock()
_secrets: set[str] = set()
_installed: list[Callable[..., logging.LogRecord]] = []


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``<redacted>``."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_secrets(*secrets: str | None) -> None:
    """Register ``secrets`` (``None``/empty ignored) and make sure logging redacts them.

    Safe to call more than once: the record factory is wrapped only the first time.
    """
    with _lock:
        _secrets.update(s for s in secrets if s)
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if _secrets:
                _clean(record)
            return record

        _installed.append(previous)
        logging.setLogRecordFactory(factory)


def _clean(record: logging.LogRecord) -> None:
    message = record.getMessage()
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        # Formatter uses exc_text when set: format the traceback now, cleaned.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
