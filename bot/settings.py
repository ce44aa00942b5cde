"""briefbot's settings, read from the environment or a ``.env`` file.

Every setting is one field of the frozen :class:`Settings` dataclass; the
field's metadata names its environment variable, so the README table, the
``.env.example`` file and :meth:`Settings.from_env` cannot drift apart
(``tests/test_settings.py`` checks the first two against the fields).

A bad value never gets as far as a traceback: :class:`SettingsError` carries
one line naming the variable, what was wrong and what would work.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from briefs.errors import BriefbotError, StoreError
from briefs.store import DbLocation, parse_db_location

__all__ = [
    "DEFAULT_API_URL", "Settings", "SettingsError", "env_names", "read_environ", "read_setting",
]

DEFAULT_API_URL = "https://api.telegram.org/bot"
# Telegram lets a bot download files of at most 20 MB through the public Bot
# API; transcripts are text, so a few megabytes is already a very long one.
_DEFAULT_MAX_UPLOAD = 5_000_000
# A Bot API token is "<bot id>:<35 url-safe characters>"; the check only
# catches paste accidents (quotes, spaces, a missing half), not revoked tokens.
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SettingsError(BriefbotError):
    """A setting has a value briefbot cannot use; the message names it."""


def _env(name: str) -> dict[str, str]:
    return {"env": name}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything briefbot reads from its environment, validated."""

    telegram_bot_token: str | None = field(
        default=None, metadata=_env("TELEGRAM_BOT_TOKEN"), repr=False
    )
    db: DbLocation = field(default=Path("briefbot.db"), metadata=_env("BRIEFBOT_DB"))
    admin_ids: frozenset[int] = field(default=frozenset(), metadata=_env("BRIEFBOT_ADMIN_IDS"))
    webhook_url: str | None = field(default=None, metadata=_env("BRIEFBOT_WEBHOOK_URL"))
    webhook_listen: str = field(default="0.0.0.0", metadata=_env("BRIEFBOT_WEBHOOK_LISTEN"))
    webhook_port: int = field(default=8443, metadata=_env("BRIEFBOT_WEBHOOK_PORT"))
    webhook_secret: str | None = field(
        default=None, metadata=_env("BRIEFBOT_WEBHOOK_SECRET"), repr=False
    )
    timezone: str = field(default="UTC", metadata=_env("BRIEFBOT_TIMEZONE"))
    digest_time: time = field(default=time(8, 0), metadata=_env("BRIEFBOT_DIGEST_TIME"))
    telegram_api_url: str = field(
        default=DEFAULT_API_URL, metadata=_env("BRIEFBOT_TELEGRAM_API_URL")
    )
    max_upload_bytes: int = field(
        default=_DEFAULT_MAX_UPLOAD, metadata=_env("BRIEFBOT_MAX_UPLOAD_BYTES")
    )
    inbox: Path | None = field(default=None, metadata=_env("BRIEFBOT_INBOX"))
    flood_rate: float = field(default=1.0, metadata=_env("BRIEFBOT_FLOOD_RATE"))
    flood_burst: int = field(default=5, metadata=_env("BRIEFBOT_FLOOD_BURST"))
    # Feeds may make briefbot fetch loopback/private addresses (a home network);
    # off by default because whatever is fetched is published to every user.
    feed_allow_private: bool = field(
        default=False, metadata=_env("BRIEFBOT_FEED_ALLOW_PRIVATE")
    )
    digest_rtt: float = field(default=0.1, metadata=_env("BRIEFBOT_DIGEST_RTT"))

    def __repr__(self) -> str:
        # The token and the webhook secret are credentials: they must not end
        # up in a log line or a traceback that prints the settings.
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        token = "'***'" if self.telegram_bot_token else "None"
        return f"Settings(telegram_bot_token={token}, {shown})"

    __str__ = __repr__

    @property
    def telegram_file_url(self) -> str:
        """The file download base URL that goes with ``telegram_api_url``.

        Telegram serves files under ``/file/bot<token>/`` beside ``/bot<token>/``;
        a self-hosted Bot API server follows the same layout.
        """
        base = self.telegram_api_url
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base.rstrip("/") + "/file/bot"

    @property
    def zone(self) -> ZoneInfo:
        """The default time zone as a ``ZoneInfo``."""
        return ZoneInfo(self.timezone)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, env_file: str | Path | None = ".env"
    ) -> Settings:
        """Read settings from ``environ`` (default: ``os.environ`` over ``.env``).

        With ``environ=None`` the process environment wins over the values of
        ``env_file`` (when that file exists); an explicit mapping is used as
        given, so tests never pick up a developer's ``.env``.
        """
        if environ is None:
            environ = read_environ(env_file)
        raw = {f.name: _get(environ, f.metadata["env"]) for f in fields(cls)}
        values: dict[str, object] = {}
        for f in fields(cls):
            value = raw[f.name]
            if value is None:
                continue
            name = f.metadata["env"]
            values[f.name] = _PARSERS[f.name](name, value)
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.webhook_secret and not settings.webhook_url:
            raise SettingsError(
                "BRIEFBOT_WEBHOOK_SECRET is set but BRIEFBOT_WEBHOOK_URL is not; "
                "set both for webhook mode, or neither for polling"
            )
        return settings


def read_environ(env_file: str | Path | None = ".env") -> dict[str, str]:
    """``os.environ`` over the values of ``env_file`` (when it exists).

    Also what ``briefbot run`` gives ``briefs.brief._llm.llm_settings_from_env``: the
    ``BRIEFBOT_LLM_*`` settings belong to the engine, not to :class:`Settings`,
    but a ``.env`` file must configure them the same way.
    """
    merged: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    merged.update(os.environ)
    return merged


def read_setting(name: str, environ: Mapping[str, str] | None = None) -> object:
    """One field of :class:`Settings` (by field name), parsed, or its default when unset.

    For commands that need a single setting (``briefbot feed poll`` from cron):
    an unrelated bad value elsewhere in the environment must not stop them.
    Raises ``SettingsError`` for a bad value of this one.
    """
    if environ is None:
        environ = read_environ()
    [f] = [f for f in fields(Settings) if f.name == name]
    value = _get(environ, f.metadata["env"])
    if value is None:
        return f.default
    return _PARSERS[name](f.metadata["env"], value)


def env_names() -> dict[str, str]:
    """Field name -> environment variable, in declaration order."""
    return {f.name: f.metadata["env"] for f in fields(Settings)}


def _get(environ: Mapping[str, str], name: str) -> str | None:
    # An empty value (``BRIEFBOT_INBOX=`` in a .env file) means "not set".
    value = environ.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def _token(name: str, value: str) -> str:
    if not _TOKEN_RE.match(value):
        raise SettingsError(
            f"{name} does not look like a bot token (expected digits, a colon and "
            "the secret part, as @BotFather gives it)"
        )
    return value


def _path(name: str, value: str) -> Path:
    return Path(value).expanduser()


def _db(name: str, value: str) -> DbLocation:
    # A file path or a postgresql:// URL; any other URL is refused, never a path.
    try:
        return parse_db_location(value)
    except StoreError as err:
        raise SettingsError(f"{name}: {err}") from None


def _admin_ids(name: str, value: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"-?\d{1,20}", part):
            raise SettingsError(
                f"{name}: {part!r} is not a Telegram user id; "
                "use comma-separated numbers such as 12345,67890"
            )
        ids.add(int(part))
    return frozenset(ids)


def _url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name}: {value!r} is not an http(s) URL")
    return value


def _webhook_url(name: str, value: str) -> str:
    value = _url(name, value)
    # Telegram only delivers webhooks over HTTPS; plain http is left for a Bot
    # API server on this machine (a self-hosted one, or the test emulator).
    loopback = urlsplit(value).hostname in ("127.0.0.1", "localhost", "::1")
    if not value.startswith("https://") and not loopback:
        raise SettingsError(f"{name} must start with https:// (Telegram only calls HTTPS webhooks)")
    return value


def _host(name: str, value: str) -> str:
    if any(c.isspace() for c in value) or "/" in value:
        raise SettingsError(f"{name}: {value!r} is not a host name or IP address")
    return value


def _int_in(low: int, high: int):  # type: ignore[no-untyped-def]
    def parse(name: str, value: str) -> int:
        try:
            number = int(value.replace("_", ""))
        except ValueError:
            raise SettingsError(f"{name}: {value!r} is not a whole number") from None
        if not low <= number <= high:
            raise SettingsError(f"{name} must be between {low} and {high}, not {number}")
        return number

    return parse


def _positive_float(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name}: {value!r} is not a number") from None
    if not 0 < number < 1e6:
        raise SettingsError(f"{name} must be a positive number of messages per second")
    return number


def _round_trip(name: str, value: str) -> float:
    # Sizes how many digests are sent at once (ceil(30/s x rtt) + 1): bounded so
    # a typo cannot open thousands of sends in flight.
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name}: {value!r} is not a number of seconds (e.g. 0.1)") from None
    if not 0.001 <= number <= 10:
        raise SettingsError(f"{name} must be a round trip in seconds from 0.001 to 10 (e.g. 0.1)")
    return number


def _secret(name: str, value: str) -> str:
    if not _SECRET_RE.match(value):
        # Telegram's own rule for secret_token.
        raise SettingsError(f"{name} may only hold 1-256 characters A-Z, a-z, 0-9, _ and -")
    return value


def _flag(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}: {value!r} is not a yes/no value; use 1 or 0")


def _timezone(name: str, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"{name}: {value!r} is not an IANA time zone (e.g. Europe/Berlin, UTC)"
        ) from None
    return value


def _clock_time(name: str, value: str) -> time:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise SettingsError(f"{name}: {value!r} is not a time of day as HH:MM (e.g. 08:00)")
    return time(int(match[1]), int(match[2]))


_PARSERS = {
    "telegram_bot_token": _token,
    "db": _db,
    "admin_ids": _admin_ids,
    "webhook_url": _webhook_url,
    "webhook_listen": _host,
    "webhook_port": _int_in(1, 65535),
    "webhook_secret": _secret,
    "timezone": _timezone,
    "digest_time": _clock_time,
    "telegram_api_url": _url,
    "max_upload_bytes": _int_in(1, 2_000_000_000),
    "inbox": _path,
    "flood_rate": _positive_float,
    "flood_burst": _int_in(1, 10_000),
    "feed_allow_private": _flag,
    "digest_rtt": _round_trip,
}
