"""A podcast site on 127.0.0.1 for the feed tests: routes, feeds and sample transcripts.

Shared by the engine's feed tests (``test_feeds``) and the chat's ``/feed`` tests
(``test_feeds_chat``); test modules import the ``site`` fixture from here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

__all__ = ["SAMPLES", "Site", "item", "rss", "serve_samples", "site"]

SAMPLES = Path(__file__).resolve().parents[1] / "briefs" / "samples"


class Site:
    """Routes path -> (status, content type, body); records requests; can hang a route."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.hang = threading.Event()  # set at teardown to release hung handlers
        self.hanging: set[str] = set()
        self.trickling: set[str] = set()  # send a byte at a time until released
        self.url = ""


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, dict(self.headers)))
            if self.path in state.hanging:
                state.hang.wait(10)
                return
            if self.path in state.trickling:
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                while not state.hang.wait(0.05):
                    try:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                    except OSError:
                        return
                return
            status, ctype, body = state.routes.get(self.path, (404, "text/plain", b"nope"))
            if status == 200 and self.headers.get("If-None-Match") == '"v1"':
                status, body = 304, b""
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if self.path.endswith(".xml"):
                self.send_header("ETag", '"v1"')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        state.hang.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def rss(title: str, items: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">'
        f"<channel><title>{title}</title><link>http://example.invalid/</link>"
        + "".join(items) + "</channel></rss>"
    ).encode()


def item(guid: str, title: str, *transcripts: tuple[str, str], date: str = "") -> str:
    links = "".join(f'<podcast:transcript url="{u}" type="{t}" />' for u, t in transcripts)
    pub = f"<pubDate>{date}</pubDate>" if date else ""
    return f"<item><title>{title}</title><guid>{guid}</guid>{pub}{links}</item>"


def serve_samples(site: Site) -> None:
    site.routes["/call.vtt"] = (200, "text/vtt",
                                (SAMPLES / "2026-05-07-solar-earnings-call.vtt").read_bytes())
    site.routes["/board.json"] = (200, "application/json",
                                  (SAMPLES / "2026-06-18-water-board-lead-pipes.json").read_bytes())
    site.routes["/bakery.html"] = (200, "text/html", (
        b"<html><body><p><b>Jonah:</b> Good morning, Ines.</p>"
        b"<p><b>Ines:</b> Good morning. The ovens are hot.</p>"
        b"<p><b>Jonah:</b> Then let's bake.</p></body></html>"))
