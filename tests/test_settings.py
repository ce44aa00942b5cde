"""Settings: read from the environment, validated, documented, never leaking the token."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.settings import DEFAULT_API_URL, Settings, SettingsError, env_names

REPO = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_defaults_when_nothing_is_set() -> None:
    settings = Settings.from_env({})
    assert settings == Settings(
        telegram_bot_token=None,
        db=Path("briefbot.db"),
        admin_ids=frozenset(),
        webhook_url=None,
        webhook_listen="0.0.0.0",
        webhook_port=8443,
        webhook_secret=None,
        timezone="UTC",
        digest_time=time(8, 0),
        telegram_api_url=DEFAULT_API_URL,
        max_upload_bytes=5_000_000,
        inbox=None,
        flood_rate=1.0,
        flood_burst=5,
    )
    assert settings.telegram_file_url == "https://api.telegram.org/file/bot"


def test_every_variable_is_parsed() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "BRIEFBOT_DB": "/data/briefbot.db",
            "BRIEFBOT_ADMIN_IDS": " 42, 7 ,",
            "BRIEFBOT_WEBHOOK_URL": "https://bot.example.org/hook",
            "BRIEFBOT_WEBHOOK_LISTEN": "127.0.0.1",
            "BRIEFBOT_WEBHOOK_PORT": "8080",
            "BRIEFBOT_WEBHOOK_SECRET": "s3cret_-x",
            "BRIEFBOT_TIMEZONE": "Europe/Berlin",
            "BRIEFBOT_DIGEST_TIME": "7:30",
            "BRIEFBOT_TELEGRAM_API_URL": "http://127.0.0.1:8081/bot",
            "BRIEFBOT_MAX_UPLOAD_BYTES": "1_000_000",
            "BRIEFBOT_INBOX": "/data/inbox",
            "BRIEFBOT_FLOOD_RATE": "0.5",
            "BRIEFBOT_FLOOD_BURST": "3",
        }
    )
    assert settings == Settings(
        telegram_bot_token=TOKEN,
        db=Path("/data/briefbot.db"),
        admin_ids=frozenset({42, 7}),
        webhook_url="https://bot.example.org/hook",
        webhook_listen="127.0.0.1",
        webhook_port=8080,
        webhook_secret="s3cret_-x",
        timezone="Europe/Berlin",
        digest_time=time(7, 30),
        telegram_api_url="http://127.0.0.1:8081/bot",
        max_upload_bytes=1_000_000,
        inbox=Path("/data/inbox"),
        flood_rate=0.5,
        flood_burst=3,
    )
    assert settings.telegram_file_url == "http://127.0.0.1:8081/file/bot"
    assert str(settings.zone) == "Europe/Berlin"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TELEGRAM_BOT_TOKEN", "'123:abc'", " does not look like a bot token"),
        ("BRIEFBOT_ADMIN_IDS", "42,alice", ": 'alice' is not a Telegram user id"),
        ("BRIEFBOT_WEBHOOK_URL", "http://bot.example.org", " must start with https://"),
        ("BRIEFBOT_WEBHOOK_PORT", "70000", " must be between 1 and 65535, not 70000"),
        ("BRIEFBOT_TIMEZONE", "Mars/Olympus", ": 'Mars/Olympus' is not an IANA time zone"),
        ("BRIEFBOT_DIGEST_TIME", "25:00", ": '25:00' is not a time of day as HH:MM"),
        ("BRIEFBOT_TELEGRAM_API_URL", "localhost:8081", ": 'localhost:8081' is not an http(s) URL"),
        ("BRIEFBOT_MAX_UPLOAD_BYTES", "lots", ": 'lots' is not a whole number"),
        ("BRIEFBOT_FLOOD_RATE", "-1", " must be a positive number"),
        ("BRIEFBOT_FLOOD_BURST", "0", " must be between 1 and 10000, not 0"),
    ],
)
def test_bad_values_give_one_line_messages(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({name: value})
    # The message starts with the variable's name, so the operator knows what to fix.
    assert str(caught.value).startswith(name + message)
    assert "\n" not in str(caught.value)


def test_plain_http_webhooks_only_on_loopback() -> None:
    local = Settings.from_env({"BRIEFBOT_WEBHOOK_URL": "http://127.0.0.1:8443/hook"})
    assert local.webhook_url == "http://127.0.0.1:8443/hook"
    with pytest.raises(SettingsError, match="must start with https://"):
        Settings.from_env({"BRIEFBOT_WEBHOOK_URL": "http://10.0.0.5:8443/hook"})


def test_secret_without_webhook_is_refused() -> None:
    with pytest.raises(SettingsError, match="BRIEFBOT_WEBHOOK_SECRET is set but"):
        Settings.from_env({"BRIEFBOT_WEBHOOK_SECRET": "abc"})


def test_empty_values_mean_unset() -> None:
    assert Settings.from_env({"BRIEFBOT_INBOX": "", "BRIEFBOT_ADMIN_IDS": "  "}) == Settings()


def test_repr_never_shows_the_token_or_secret() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "BRIEFBOT_WEBHOOK_URL": "https://bot.example.org/hook",
            "BRIEFBOT_WEBHOOK_SECRET": "hush-hush",
        }
    )
    for text in (repr(settings), str(settings), f"{settings}"):
        assert TOKEN not in text
        assert TOKEN.split(":")[1] not in text
        assert "hush-hush" not in text
        assert "telegram_bot_token='***'" in text


def test_env_file_is_read_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nBRIEFBOT_DB=from-file.db\nBRIEFBOT_TIMEZONE=Asia/Tokyo\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BRIEFBOT_DB", "from-env.db")
    monkeypatch.delenv("BRIEFBOT_TIMEZONE", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    settings = Settings.from_env(env_file=env_file)
    assert (settings.telegram_bot_token, settings.db, settings.timezone) == (
        TOKEN,
        Path("from-env.db"),
        "Asia/Tokyo",
    )


def test_every_setting_is_documented_in_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    missing = [env for env in env_names().values() if f"| `{env}` |" not in section]
    assert missing == []


def test_every_setting_is_listed_in_env_example() -> None:
    example = (REPO / "deploy" / ".env.example").read_text(encoding="utf-8")
    # Lines are "NAME=value", or "# NAME=value" for an optional setting left unset.
    listed = {
        line.removeprefix("#").strip().split("=", 1)[0]
        for line in example.splitlines()
        if "=" in line
    }
    assert [env for env in env_names().values() if env not in listed] == []
