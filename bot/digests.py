"""Digest commands for the conversation core: /subscribe, /unsubscribe, /pause, /resume, /digest.

Front-end agnostic: the handlers talk to ``briefs.digest`` and answer with
core replies; the Telegram specifics (the Sender, the minute tick, channel
posts, asking Telegram who administers a group) are in ``bot._tg_digests``.

Who may change a chat's subscription: anyone in a private chat; in a group
or channel, the chat's administrators (the front end sets
``ChatRef.is_chat_admin``) and the bot's own admins. ``/settings`` shows the
subscription to everyone.

``/digest`` goes through the same outbox as the schedule, with the front
end's Sender when it has one (Telegram). Without one (the console), the
digest is collected as replies, which the console prints at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.core import Button as CoreButton
from bot.core import ChatRef, Conversation, Reply
from briefs import digest
from briefs.digest import Button, Sender, Sleep, Subscriber

__all__ = ["COMMANDS", "CollectingSender", "DigestCommands", "describe", "install"]

COMMANDS = ("subscribe", "unsubscribe", "pause", "resume", "digest")
"""The commands that change a chat's subscription (a group needs an admin for them)."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class CollectingSender:
    """A Sender for front ends that show replies themselves: it keeps the messages."""

    messages: list[tuple[str, tuple[Button, ...]]] = field(default_factory=list)

    async def send(self, chat_id: int, html: str, buttons: Sequence[Button]) -> None:
        self.messages.append((html, tuple(buttons)))


def describe(sub: Subscriber) -> list[str]:
    """The subscription in a few plain lines (``/settings``, ``briefbot digest list``)."""
    zone = ZoneInfo(sub.zone)
    when = f"Every day at {sub.at:%H:%M} {sub.zone}"
    if not sub.active:
        blocked = (sub.inactive_reason or "").startswith("blocked")
        return ["Off" + (" (the chat blocked the bot)" if blocked else "")
                + ": /subscribe starts it again."]
    lines = [when]
    if sub.paused:
        lines.append("Paused: /resume to get digests again.")
    else:
        lines.append(f"Next digest: {_local(sub.next_due_at, zone)}")
    lines.append("Topics: " + (", ".join(sub.topics) if sub.topics else "everything new"))
    if sub.last_digest_at is not None:
        lines.append(f"Last digest: {_local(sub.last_digest_at, zone)}")
    return lines


def _local(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a %d %b, %H:%M} {local.tzname()}"


@dataclass
class DigestCommands:
    """The digest handlers, bound to their defaults, clock and (optional) Sender."""

    default_time: time = time(8, 0)
    default_zone: str = "UTC"
    sender: Sender | None = None
    now: Callable[[], datetime] = _utcnow
    sleep: Sleep = asyncio.sleep
    rtt: float = 0.1
    """Bot API round trip (``BRIEFBOT_DIGEST_RTT``): sizes the sends in flight."""

    def install(self, conv: Conversation) -> None:
        conv.register(
            "subscribe",
            self.subscribe,
            description="Daily digest: /subscribe [HH:MM] [time zone] [topics: a, b]",
        )
        conv.register("unsubscribe", self.unsubscribe, description="Stop the daily digest")
        conv.register("pause", self.pause, description="Pause the daily digest")
        conv.register("resume", self.resume, description="Resume the daily digest")
        conv.register("digest", self.digest_now, description="Your digest now: what is new")
        conv.register_callback("dg", self.on_button)
        conv.register_settings(self.settings_section)

    # -- commands ---------------------------------------------------------------------

    async def subscribe(self, conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
        if refused := self._refuse(conv, chat):
            return refused
        request = digest.parse_subscribe_args(args)
        sub = await digest.subscribe(
            conv.library, chat.chat_id, request, now=self.now(),
            default_time=self.default_time, default_zone=ZoneInfo(self.default_zone),
            chat_type=chat.chat_type,
        )
        who = "This chat is" if chat.chat_type != "private" else "You are"
        return self._note(
            conv, f"{who} subscribed to the daily digest.", sub,
            hint="Change it with /subscribe HH:MM Area/City topics: a, b; stop with /unsubscribe.",
        )

    async def unsubscribe(self, conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
        if refused := self._refuse(conv, chat):
            return refused
        await digest.unsubscribe(conv.library, chat.chat_id, now=self.now())
        return conv.message("Unsubscribed: no more digests.", hint="/subscribe starts them again.")

    async def pause(self, conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
        if refused := self._refuse(conv, chat):
            return refused
        await digest.pause(conv.library, chat.chat_id, now=self.now())
        return conv.message(
            "Paused: no digests until you /resume.",
            hint="You keep your place: the first digest after /resume holds everything since "
            "the last one.",
        )

    async def resume(self, conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
        if refused := self._refuse(conv, chat):
            return refused
        sub = await digest.resume(conv.library, chat.chat_id, now=self.now())
        return self._note(conv, "Resumed.", sub)

    async def digest_now(self, conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
        if refused := self._refuse(conv, chat):
            return refused
        sender = self.sender or CollectingSender()
        report = await digest.digest_now(
            conv.library, sender, chat.chat_id, now=self.now(), sleep=self.sleep
        )
        if report.nothing_new:
            return conv.message(
                "Nothing new since your last digest.",
                hint="New transcripts show up here as soon as they are added.",
            )
        if isinstance(sender, CollectingSender):
            return [
                Reply(html, [[await self._core_button(conv, b)] for b in buttons])
                for html, buttons in sender.messages
            ]
        if report.delivered:
            return []  # the digest itself is the answer
        # Telegram refused or timed out: the digest stays in the outbox.
        return conv.message(
            "I could not send your digest just now; it will follow as soon as Telegram lets me."
        )

    async def on_button(self, conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
        action = data.partition(":")[2]
        handlers = {"p": self.pause, "r": self.resume, "u": self.unsubscribe, "s": self.subscribe}
        handler = handlers.get(action)
        if handler is None:
            return conv.message("That button no longer works.", hint="Send /settings.")
        return await handler(conv, chat, "")

    async def settings_section(
        self, conv: Conversation, chat: ChatRef
    ) -> tuple[str, list[str | Markup], list[list[CoreButton]]]:
        sub = await digest.subscription(conv.library, chat.chat_id)
        if sub is None or not sub.active:
            lines: list[str | Markup] = [
                "Off. /subscribe for a daily digest of new transcripts "
                f"(default {self.default_time:%H:%M} {self.default_zone})."
            ]
            return "Daily digest", lines, [[CoreButton("Subscribe", "dg:s")]]
        toggle = CoreButton("Resume", "dg:r") if sub.paused else CoreButton("Pause", "dg:p")
        return (
            "Daily digest",
            list(describe(sub)),
            [[toggle, CoreButton("Unsubscribe", "dg:u")]],
        )

    # -- helpers ----------------------------------------------------------------------

    def _refuse(self, conv: Conversation, chat: ChatRef) -> list[Reply] | None:
        if chat.chat_type == "private" or chat.is_chat_admin or conv.is_admin(chat):
            return None
        return conv.message(
            "Only this chat's administrators can change its digest subscription.",
            hint="Ask an admin, or message me privately for your own digest.",
        )

    def _note(
        self, conv: Conversation, first: str, sub: Subscriber, *, hint: str = ""
    ) -> list[Reply]:
        html = "\n".join(str(escape(line)) for line in [first, *describe(sub)])
        if hint:
            html += f"\n\n<i>{escape(hint)}</i>"
        return conv.reply(html)

    async def _core_button(self, conv: Conversation, button: Button) -> CoreButton:
        return await conv.button(button.text, "o:", button.transcript_id)


def install(
    conv: Conversation,
    *,
    default_time: time = time(8, 0),
    default_zone: str = "UTC",
    sender: Sender | None = None,
    now: Callable[[], datetime] = _utcnow,
    sleep: Sleep = asyncio.sleep,
) -> DigestCommands:
    """Register the digest commands, buttons and /settings section on ``conv``."""
    commands = DigestCommands(default_time, default_zone, sender, now, sleep)
    commands.install(conv)
    return commands
