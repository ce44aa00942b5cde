"""``briefbot run``: start the Telegram bot, or the console chat without a token."""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any
from urllib.parse import urlsplit

import click

from bot.commands._common import db_option, one_line_error
from bot.redact import redact, redact_secrets
from bot.settings import Settings, SettingsError, read_environ
from briefs.brief import LLMSettings, LLMSettingsError, llm_settings_from_env
from briefs.store import DbLocation, shown

__all__ = ["run", "webhook_options"]

log = logging.getLogger("briefbot")

# getUpdates long-poll: Telegram holds the request open until an update arrives
# or this many seconds pass, so an idle bot makes one request per half minute.
_POLL_TIMEOUT = 30


@click.command()
@db_option
@click.option(
    "--poll-interval",
    type=float,
    default=0.0,
    show_default=True,
    help="Seconds to wait between getUpdates calls (for Bot API servers that do not long-poll).",
)
@click.pass_context
def run(ctx: click.Context, db_path: DbLocation | None, poll_interval: float) -> None:
    """Run the bot: polling by default, a webhook when BRIEFBOT_WEBHOOK_URL is set.

    Settings come from the environment or a .env file (see README, "Settings"),
    TELEGRAM_BOT_TOKEN first. Without it, this opens the console chat instead.

    \b
    Example:
      briefbot run --db /data/briefbot.db
    """
    try:
        settings = Settings.from_env()
        llm = llm_settings_from_env(read_environ())
    except (SettingsError, LLMSettingsError) as err:
        raise click.ClickException(str(err)) from None
    if db_path is None:
        db_path = settings.db
    if not settings.telegram_bot_token:
        click.echo("No TELEGRAM_BOT_TOKEN is set, so here is the console chat instead of Telegram.")
        from bot.commands.chat import chat

        ctx.invoke(chat, db_path=db_path)
        return
    _configure_logging(settings)
    mode = "webhook at " + settings.webhook_url if settings.webhook_url else "polling"
    log.info("starting briefbot (%s), database %s", mode, shown(db_path))
    if llm is not None:
        log.info("abstractive TL;DR by %s at %s", llm.model, llm.base_url)
    _serve(settings, db_path, poll_interval, llm)


def webhook_options(settings: Settings) -> dict[str, Any]:
    """``run_webhook``/``start_webhook`` arguments for ``settings`` (webhook mode).

    There is always a secret: without ``BRIEFBOT_WEBHOOK_SECRET`` anybody who
    finds the URL could post an update claiming to come from an admin. A
    generated one is registered with ``setWebhook`` at every start, so it needs
    no storing; it is redacted from logs like a configured one.
    """
    from telegram import Update

    assert settings.webhook_url is not None
    # 32 random bytes as URL-safe base64: 43 characters of A-Z a-z 0-9 _ -,
    # within Telegram's rule for secret_token (1-256 of those).
    secret = settings.webhook_secret
    if not secret:
        secret = secrets.token_urlsafe(32)
        log.info("no BRIEFBOT_WEBHOOK_SECRET is set: this run uses a random one")
    redact_secrets(secret)
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": secret,
        "allowed_updates": Update.ALL_TYPES,
    }


def _configure_logging(settings: Settings) -> None:
    redact_secrets(settings.telegram_bot_token, settings.webhook_secret)
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    # httpx logs every getUpdates call at INFO: noise, and the URL holds the token
    # (redacted anyway, see bot.redact).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("telegram.ext").addFilter(_no_refused_token_traceback)


def _no_refused_token_traceback(record: logging.LogRecord) -> bool:
    # PTB logs a refused token with a 40-line traceback before raising it, and
    # _serve reports it in one line that says what to do: keep only that line.
    from telegram.error import InvalidToken

    return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


def _serve(
    settings: Settings, db_path: DbLocation, poll_interval: float, llm: LLMSettings | None
) -> None:
    from telegram import Update
    from telegram.error import InvalidToken, NetworkError

    from bot.telegram_app import build_application
    from briefs.library import Library

    # The library's database connection belongs to one event loop: open it on
    # the loop PTB will run on, and close it there after PTB stops.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        library = loop.run_until_complete(Library.open(db_path, llm=llm))
    except Exception as err:
        loop.close()
        raise click.ClickException(one_line_error(err)) from None
    try:
        application = build_application(settings, library)
        if settings.webhook_url:
            application.run_webhook(**webhook_options(settings), close_loop=False)
        else:
            application.run_polling(
                poll_interval=poll_interval,
                timeout=_POLL_TIMEOUT,
                allowed_updates=Update.ALL_TYPES,
                close_loop=False,
            )
    except InvalidToken:
        raise click.ClickException(
            "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather"
        ) from None
    except NetworkError as err:
        # Only start-up gets here: once running, PTB retries network errors itself.
        raise click.ClickException(
            f"cannot reach the Bot API at {settings.telegram_api_url}: {redact(str(err))}"
        ) from None
    finally:
        loop.run_until_complete(library.close())
        loop.close()
