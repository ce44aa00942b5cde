"""Offline doubles for python-telegram-bot: a recording Bot API and update factories.

PTB's own test-suite fakes the network the same way: a ``BaseRequest`` whose
``do_request`` answers from memory. Everything above it (``Bot``, the
``Application``, ``AIORateLimiter``, PTB's error classes) is the real code, so
a 403 answered here raises the real ``Forbidden`` and a 429 the real
``RetryAfter``. ``bench/bot.py`` uses the same fake, so it lives in an
importable module rather than in ``conftest.py``.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram.request import BaseRequest, RequestData

__all__ = [
    "BOT_USER",
    "TOKEN",
    "Call",
    "RecordingRequest",
    "UpdateFactory",
]

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Briefbot",
    "username": "briefbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}


@dataclass(frozen=True)
class Call:
    """One Bot API call the application made: the method and its decoded parameters."""

    method: str
    data: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Uploaded files (sendDocument ...): part name -> (file name, bytes)."""


@dataclass
class _Failure:
    status: int = 0
    description: str = ""
    retry_after: int | None = None
    exception: BaseException | None = None


@dataclass
class RecordingRequest(BaseRequest):
    """A Bot API in memory: records every call and answers like Telegram would.

    ``files`` maps a ``file_id`` to the bytes ``getFile`` + download return.
    ``fail(method, ...)`` queues an error for the next call of ``method``:
    an HTTP status with Telegram's error body, or an exception to raise.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _failures: dict[str, deque[_Failure]] = field(default_factory=dict)
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    # -- the BaseRequest interface -------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            # A file download: ``.../file/bot<token>/<file_path>``.
            file_path = url.split("/file/bot", 1)[1].split("/", 1)[1]
            self.calls.append(Call("download", {"file_path": file_path}))
            return 200, self.files[file_path.removeprefix("documents/")]
        api_method = url.rsplit("/", 1)[1]
        data = dict(request_data.parameters) if request_data is not None else {}
        files = {
            name: (str(part[0]), part[1] if isinstance(part[1], bytes) else part[1].read())
            for name, part in (request_data.multipart_data if request_data else {}).items()
        }
        self.calls.append(Call(api_method, data, files))
        queued = self._failures.get(api_method)
        if queued:
            failure = queued.popleft()
            if failure.exception is not None:
                raise failure.exception
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.status,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return failure.status, json.dumps(body).encode()
        result = self._answer(api_method, data)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # -- scripting errors ----------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int = 400,
        description: str = "Bad Request",
        retry_after: int | None = None,
        exception: BaseException | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail."""
        failure = _Failure(status, description, retry_after, exception)
        self._failures.setdefault(method, deque()).extend([failure] * times)

    # -- reading what happened -----------------------------------------------------------

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        """The parameters of every call of ``method``, in order."""
        return [call.data for call in self.calls if call.method == method]

    def texts(self, method: str = "sendMessage") -> list[str]:
        """The ``text`` of every call of ``method``: what users saw."""
        return [str(data["text"]) for data in self.sent(method)]

    def clear(self) -> None:
        self.calls.clear()

    # -- canned answers ------------------------------------------------------------------

    def _message(self, data: dict[str, Any], message_id: int | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": message_id if message_id is not None else next(self._message_ids),
            # Telegram dates are seconds (the emulator's milliseconds break PTB).
            "date": int(time.time()),
            "chat": {"id": int(data.get("chat_id", 1)), "type": "private"},
            "from": BOT_USER,
        }
        if "text" in data:
            message["text"] = data["text"]
        if "reply_markup" in data:
            message["reply_markup"] = data["reply_markup"]
        return message

    def _answer(self, method: str, data: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "sendDocument"):
            return self._message(data)
        if method in ("editMessageText", "editMessageReplyMarkup"):
            if "inline_message_id" in data:
                return True
            return self._message(data, int(data["message_id"]))
        if method == "getFile":
            file_id = str(data["file_id"])
            return {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"documents/{file_id}",
            }
        if method == "getUpdates":
            return []
        # answerCallbackQuery, answerInlineQuery, setMyCommands, sendChatAction,
        # deleteWebhook, setWebhook, deleteMessage ...: Telegram answers ``true``.
        return True


class UpdateFactory:
    """Builds the updates Telegram would send, bound to ``bot``.

    Each update gets a fresh ``update_id``; users are plain ints (private chats
    have ``chat id == user id``, as on Telegram).
    """

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    @staticmethod
    def user(user_id: int) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "language_code": "en",
        }

    def _update(self, **payload: Any) -> Update:
        update = Update.de_json({"update_id": next(self._ids), **payload}, self.bot)
        assert update is not None
        return update

    def _message(self, user_id: int, chat_id: int | None, **fields: Any) -> dict[str, Any]:
        chat_id = user_id if chat_id is None else chat_id
        chat_type = "private" if chat_id == user_id else "group"
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, "title": None},
            "from": self.user(user_id),
            **fields,
        }

    def text(
        self,
        text: str,
        *,
        user_id: int = 42,
        chat_id: int | None = None,
        reply_to: dict[str, Any] | None = None,
        edited: bool = False,
    ) -> Update:
        """A text message; a leading ``/command`` gets its bot_command entity.

        ``reply_to``: the message (a dict as Telegram sends it) this one replies
        to; ``edited``: the update is the user editing an earlier message.
        """
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            fields["reply_to_message"] = reply_to
        if edited:
            fields["edit_date"] = int(time.time())
            return self._update(edited_message=self._message(user_id, chat_id, **fields))
        return self._update(message=self._message(user_id, chat_id, **fields))

    def document(
        self,
        file_name: str,
        file_id: str,
        *,
        size: int,
        user_id: int = 42,
        chat_id: int | None = None,
        mime_type: str = "text/plain",
    ) -> Update:
        """A file sent as a document (how people send transcripts)."""
        document = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": size,
        }
        return self._update(message=self._message(user_id, chat_id, document=document))

    def callback(
        self,
        data: str,
        *,
        message: dict[str, Any] | None = None,
        user_id: int = 42,
        message_id: int = 1000,
    ) -> Update:
        """A button press on one of the bot's messages (``message`` as recorded, if given)."""
        shown = message or {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": BOT_USER,
            "text": "…",
        }
        query = {
            "id": f"cb{next(self._ids)}",
            "from": self.user(user_id),
            "chat_instance": f"ci{user_id}",
            "message": shown,
            "data": data,
        }
        return self._update(callback_query=query)

    def inline(self, query: str, *, user_id: int = 42, offset: str = "") -> Update:
        """An inline query: the user typed ``@bot <query>`` in some chat."""
        inline = {
            "id": f"iq{next(self._ids)}",
            "from": self.user(user_id),
            "query": query,
            "offset": offset,
        }
        return self._update(inline_query=inline)
