"""Chat-level state kept in the store: per-chat settings and short callback keys.

Telegram caps callback data at 64 bytes. Transcript ids and queries usually
fit and then travel as they are (``b:t:greg-brockman-ai``); one that does not is
replaced by ``~`` plus a hash of it, stored in ``callback_keys``. The key is a
function of the value, so storing it twice is harmless, and it survives
restarts, so buttons in old messages keep working.

Reads are served from memory after the first lookup: the conversation core
asks for them on every message, and the bench wants p99 under 50 ms.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

from briefs.store import Store

__all__ = ["MAX_CALLBACK_BYTES", "ChatState", "fits"]

MAX_CALLBACK_BYTES = 64
_KEY_MARK = "~"
_CACHE_LIMIT = 10_000


def fits(data: str) -> bool:
    """Whether ``data`` is valid Telegram callback data (1-64 bytes of UTF-8)."""
    return 0 < len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES


def _key_for(value: str) -> str:
    digest = hashlib.blake2b(value.encode("utf-8"), digest_size=10).digest()
    return _KEY_MARK + base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ChatState:
    """Settings per chat and the callback key table, over the library's store."""

    def __init__(self, store: Store, *, now: Callable[[], datetime] = _utcnow) -> None:
        self._store = store
        self._now = now
        self._values: dict[str, str] = {}
        self._settings: dict[int, dict[str, object]] = {}

    # -- callback data -------------------------------------------------------------

    async def pack(self, prefix: str, value: str) -> str:
        """``prefix + value`` as callback data, with ``value`` keyed if it would not fit.

        ``value`` must come last in the data: it may itself contain ``:``.
        """
        data = prefix + value
        if fits(data) and not value.startswith(_KEY_MARK):
            return data
        key = _key_for(value)
        if key not in self._values:
            async with self._store.transaction():
                await self._store.chats.add_callback_key(key, value, self._stamp())
            self._remember(key, value)
        data = prefix + key
        if not fits(data):
            raise ValueError(f"callback prefix too long: {prefix!r}")
        return data

    async def unpack(self, ref: str) -> str | None:
        """The value behind ``ref`` (itself unless it is a key); ``None`` if unknown."""
        if not ref:
            return None
        if not ref.startswith(_KEY_MARK):
            return ref
        if ref in self._values:
            return self._values[ref]
        value = await self._store.chats.callback_value(ref)
        if value is None:
            return None
        self._remember(ref, value)
        return value

    def _remember(self, key: str, value: str) -> None:
        if len(self._values) >= _CACHE_LIMIT:
            self._values.pop(next(iter(self._values)))
        self._values[key] = value

    # -- per-chat settings -------------------------------------------------------

    async def settings(self, chat_id: int) -> dict[str, object]:
        """This chat's stored settings (only those it has set)."""
        # On PostgreSQL other replicas answer this chat too and may have changed
        # its settings: read them each time (one primary-key lookup).
        if chat_id not in self._settings or self._store.dialect == "postgres":
            per_page = await self._store.chats.results_per_page(chat_id)
            found: dict[str, object] = {}
            if per_page is not None:
                found["results_per_page"] = per_page
            self._settings[chat_id] = found
        return dict(self._settings[chat_id])

    async def set_results_per_page(
        self, chat_id: int, value: int, *, chat_type: str = "private", title: str | None = None
    ) -> None:
        stamp = self._stamp()
        async with self._store.transaction():
            await self._store.chats.set_results_per_page(
                chat_id, value, chat_type=chat_type, title=title, stamp=stamp
            )
        self._settings.setdefault(chat_id, {})["results_per_page"] = value

    def _stamp(self) -> str:
        return self._now().astimezone(UTC).isoformat(timespec="seconds")
