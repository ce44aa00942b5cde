"""Keep secrets (the bot token, the webhook secret, the LLM key) out of every log line.

The token is part of every Bot API URL (``https://api.telegram.org/bot<token>/getUpdates``),
and httpx logs each request's URL at INFO; PTB and tornado put URLs into
exception messages too. A logging *filter* would have to sit on every handler
and every logger; instead this wraps the log-record factory, so every record
from every logger is cleaned once, when it is created, traceback included.

What a command prints goes through :func:`redacted_output`, and its error
line through :func:`redact`: ``bot.cli`` applies all three to every command,
with the secrets of :func:`secrets_from_env`, so no command can forget.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TextIO

__all__ = [
    "REDACTED",
    "SECRET_SETTINGS",
    "redact",
    "redact_secrets",
    "redacted_output",
    "secrets_from_env",
]

REDACTED = "<redacted>"
# The settings that hold credentials: the bot token (bot.settings), the webhook
# secret, and the key for the LLM server (briefs.brief._llm.ENV_API_KEY).
SECRET_SETTINGS = ("TELEGRAM_BOT_TOKEN", "BRIEFBOT_WEBHOOK_SECRET", "BRIEFBOT_LLM_API_KEY")
# Shorter values are not redacted: replacing a 3-letter "secret" everywhere
# would garble ordinary words in every line, and hides next to nothing.
_MIN_LENGTH = 8

_lock = threading.Lock()
_secrets: set[str] = set()
# Longest first, so a whole token goes before its secret half; a tuple, so a
# thread registering a secret never changes what another one is iterating.
_ordered: tuple[str, ...] = ()
_installed: list[Callable[..., logging.LogRecord]] = []


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``<redacted>``."""
    for secret in _ordered:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def secrets_from_env(environ: Mapping[str, str]) -> list[str]:
    """The values of :data:`SECRET_SETTINGS` in ``environ``, as given (even malformed).

    A bot token's secret half (after ``<bot id>:``) counts on its own as well:
    it is the part that must not leak, whatever surrounds it.
    """
    found: list[str] = []
    for name in SECRET_SETTINGS:
        value = (environ.get(name) or "").strip()
        if value:
            found.append(value)
            if name == "TELEGRAM_BOT_TOKEN" and ":" in value:
                found.append(value.split(":", 1)[1])
    return found


def redact_secrets(*secrets: str | None) -> None:
    """Register ``secrets`` (``None``/empty/short ignored) and make sure logging redacts them.

    Safe to call more than once: the record factory is wrapped only the first time.
    """
    global _ordered
    with _lock:
        _secrets.update(s for s in secrets if s and len(s) >= _MIN_LENGTH)
        _ordered = tuple(sorted(_secrets, key=len, reverse=True))
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


class _RedactingWriter:
    """A text stream that redacts each ``write`` and passes everything else through.

    A secret split over two ``write`` calls would slip by; ``click.echo`` and
    ``print`` write a line (and its newline) at once, so in practice it does not.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: Any) -> int:
        if isinstance(text, str):
            self._stream.write(redact(text))
            return len(text)
        # click probes a stream with write(b""); let the real one answer.
        return self._stream.write(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def redacted_output() -> Iterator[None]:
    """While inside, ``sys.stdout`` and ``sys.stderr`` redact every registered secret."""
    saved = sys.stdout, sys.stderr
    sys.stdout = _RedactingWriter(saved[0])  # type: ignore[assignment]
    sys.stderr = _RedactingWriter(saved[1])  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
