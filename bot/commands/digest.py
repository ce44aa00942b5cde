"""``briefbot digest send-due`` and ``briefbot digest list``: digests without the long-running bot.

``send-due`` is the cron-friendly twin of the bot's minute tick: the same
``briefs.digest.send_due`` over the same outbox, so running it twice (or
next to the bot) sends nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from bot.commands._common import db_option, run_with_library
from bot.settings import Settings, SettingsError
from briefs import digest as engine
from briefs.library import Library

__all__ = ["digest", "list_command", "send_due"]


@click.group()
def digest() -> None:
    """Daily digests: send the ones due, list subscribers and the outbox.

    Subscriptions are made in the chat (/subscribe); the bot sends digests by
    itself every minute. These commands are for operators who prefer cron, or
    want to see what is going on.

    \b
    Example:
      briefbot digest send-due
      briefbot digest list
    """


def _parse_at(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        return engine.parse_iso(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time such as 2026-11-26T08:00 (UTC) "
            "or 2026-11-26T08:00+01:00",
            param_hint="--at",
        ) from None


def _make_bot(settings: Settings) -> Any:
    """A PTB bot with Telegram's rate limits (30 messages/s overall, 20/min per group)."""
    from telegram.ext import AIORateLimiter, ExtBot

    assert settings.telegram_bot_token is not None
    return ExtBot(
        settings.telegram_bot_token,
        base_url=settings.telegram_api_url,
        base_file_url=settings.telegram_file_url,
        rate_limiter=AIORateLimiter(),
    )


@digest.command("send-due")
@click.option(
    "--at",
    "at",
    metavar="ISO-TIME",
    default=None,
    help="Act as if it were this moment (default: now). A time without offset is UTC.",
)
@db_option
def send_due(at: str | None, db_path: Path | None) -> None:
    """Send every digest due now (or at --at), then exit.

    Composes the digests that are due, sends them and every digest still
    waiting in the outbox (after a crash, or a Telegram outage), and prints one
    summary line. Uses TELEGRAM_BOT_TOKEN and BRIEFBOT_TELEGRAM_API_URL like
    `briefbot run`, and BRIEFBOT_DIGEST_RTT to size the sends in flight. Safe to
    run from cron every minute, and next to the bot.

    \b
    Example:
      briefbot digest send-due
      briefbot digest send-due --at 2026-11-26T08:00+01:00
    """
    moment = _parse_at(at)
    try:
        settings = Settings.from_env()
    except SettingsError as err:
        raise click.ClickException(str(err)) from None
    if not settings.telegram_bot_token:
        raise click.ClickException(
            "TELEGRAM_BOT_TOKEN is not set: send-due delivers digests through Telegram"
        )
    from telegram.error import InvalidToken

    from bot._tg_digests import TelegramSender
    from bot.core import Conversation

    async def run(lib: Library) -> engine.DeliveryReport:
        bot = _make_bot(settings)
        try:
            await bot.initialize()
        except InvalidToken:
            await bot.shutdown()
            # PTB's own message quotes the token; say what to do instead.
            raise click.ClickException(
                "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather"
            ) from None
        async with bot:  # initialized already: this shuts it down on the way out
            sender = TelegramSender(bot, Conversation(lib))
            return await engine.send_due(lib, sender, now=moment, rtt=settings.digest_rtt)

    report = run_with_library(db_path if db_path is not None else settings.db, run)
    click.echo(report.summary())
    for line in report.errors:
        click.echo(f"error: {line}", err=True)


@digest.command("list")
@click.option(
    "--outbox", is_flag=True,
    help="Also list the latest outbox rows: status (failed ones with their reason) and parts"
    " in doubt after a crash.",
)
@db_option
def list_command(outbox: bool, db_path: Path | None) -> None:
    """List digest subscribers (time, zone, topics, state, next digest).

    \b
    Example:
      briefbot digest list --outbox
    """

    bad_subs: list[tuple[int, str]] = []
    bad_rows: list[tuple[int, str]] = []

    async def run(lib: Library) -> tuple[list[engine.Subscriber], list[engine.OutboxRow]]:
        subs = await engine.list_subscribers(lib.store, unreadable=bad_subs)
        rows = await engine.list_outbox(lib.store, limit=20, unreadable=bad_rows) if outbox else []
        return subs, rows

    subs, rows = run_with_library(db_path, run)
    for chat_id, reason in bad_subs:  # listed, not fatal: this is where an operator looks
        click.echo(f"{chat_id:>15} unreadable subscription: {reason}")
    if not subs and not bad_subs:
        click.echo("No digest subscribers yet (chats subscribe with /subscribe).")
    for sub in subs:
        state = "paused" if sub.paused else "active" if sub.active else (
            sub.inactive_reason or "off"
        )
        topics = ", ".join(sub.topics) or "everything"
        last = f"{sub.last_digest_at:%Y-%m-%d %H:%M}Z" if sub.last_digest_at else "never"
        click.echo(
            f"{sub.chat_id:>15} {sub.chat_type:<10} {sub.at:%H:%M} {sub.zone:<20} {state:<8}"
            f" next {sub.next_due_at:%Y-%m-%d %H:%M}Z  last {last}  seq>{sub.watermark}"
            f"  topics: {topics}"
        )
    if outbox:
        click.echo("")
        click.echo(f"Outbox ({len(rows)} latest):" if rows or bad_rows else "Outbox: empty.")
        for row_id, reason in bad_rows:
            click.echo(f"#{row_id:<6} unreadable outbox row: {reason}")
        for row in rows:
            click.echo(
                f"#{row.id:<6} chat {row.chat_id:>15} {row.status:<9} {row.kind:<9}"
                f" parts {row.parts_sent}/{len(row.parts)}  seq {row.from_seq + 1}-{row.to_seq}"
                f"  attempts {row.attempts}" + _doubt(row)
                + (f"  error: {row.last_error}" if row.last_error else "")
            )


def _doubt(row: engine.OutboxRow) -> str:
    """The "sending part k" mark: a part a crash left in doubt, and parts resent so."""
    text = f"  sending part {row.sending_part} (in doubt)" if row.in_doubt else ""
    if row.doubted:
        text += f"  resent {row.doubted} part(s) in doubt"
    return text
