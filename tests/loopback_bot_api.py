"""A Bot API on a loopback port (http.server in a thread), for tests that run real commands.

``ptb_fakes.RecordingRequest`` replaces PTB's transport inside the process;
this one sits behind a real URL, so a command that builds its own bot (``briefbot
run``, ``briefbot digest send-due``) reaches it through BRIEFBOT_TELEGRAM_API_URL.
By default every method answers 401 Unauthorized, as Telegram does for a revoked
token; ``answers`` gives some methods a successful result instead.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["LoopbackBotAPI", "loopback_bot_api"]

UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}


@dataclass
class LoopbackBotAPI:
    """What the server saw (``calls``: method and form fields) and where it listens."""

    base_url: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def sent(self, method: str) -> list[dict[str, str]]:
        return [data for name, data in self.calls if name == method]


@contextmanager
def loopback_bot_api(answers: dict[str, Any] | None = None) -> Iterator[LoopbackBotAPI]:
    """Serve a Bot API on 127.0.0.1; ``answers`` maps a method to its ``result``."""
    api = LoopbackBotAPI(answers=dict(answers or {}))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", "replace")
            method = self.path.rsplit("/", 1)[-1]
            kind = self.headers.get("Content-Type", "")
            data = dict(parse_qsl(raw)) if kind.startswith("application/x-www") else {}
            api.calls.append((method, data))
            if method in api.answers:
                status, body = 200, {"ok": True, "result": api.answers[method]}
            else:
                status, body = 401, UNAUTHORIZED
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}/bot"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
