"""The optional abstractive TL;DR: cited bullets kept, anything doubtful dropped or refused."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest

from briefs.brief import (
    Brief,
    BriefItem,
    LLMSettings,
    LLMSettingsError,
    abstractive_tldr,
    llm_settings_from_env,
)
from briefs.brief._llm_prompt import parse_reply, select_passages
from briefs.passages import Passage, make_passages
from briefs.transcript import Transcript, TranscriptBuilder

SETTINGS = LLMSettings("http://llm.test/v1", "test-model", api_key="sk-test", timeout=5)


def _transcript() -> Transcript:
    b = TranscriptBuilder(format="text", source="test", title="Compute and jobs")
    host, guest = b.speaker("Dana (host)"), b.speaker("Sam Lee")
    b.add("speech", "Why did the lab stop training video models this spring?", host)
    b.add("speech", "Compute is scarce, so video models lost out to reasoning models.", guest)
    b.add("speech", "What happens to office jobs when agents write most reports?", host)
    b.add("speech", "Office jobs shift toward checking the reports that agents draft.", guest)
    b.add("speech", "Is the new data center in Ohio finished?", host)
    b.add("speech", "The Ohio data center opens in March with twice the power.", guest)
    return b.build()


TRANSCRIPT = _transcript()
PASSAGES = make_passages(TRANSCRIPT)


def _extractive() -> Brief:
    p = PASSAGES[1]
    item = BriefItem(p.text, p.speaker, p.id, p.text, p.start, p.end, "tldr", p.turn_index)
    return Brief(tldr=(item,), turning_points=(), risks=(), source_summary=None, keywords=())


def _completion(content: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


def _bullets(*items: tuple[str, list[Any]]) -> str:
    return json.dumps({"bullets": [{"text": t, "cite": c} for t, c in items]})


GOOD = (
    ("Sam Lee says scarce compute pushed video models aside for reasoning models.", [1]),
    ("Office jobs will move toward checking reports drafted by agents.", [3]),
    ("A new Ohio data center with twice the power opens in March.", [5]),
)


def _mock(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_bullets_citing_supporting_passages_replace_the_tldr() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=_completion(_bullets(*GOOD)))

    async with _mock(handler) as client:
        brief = await abstractive_tldr(SETTINGS, TRANSCRIPT, PASSAGES, _extractive(), client=client)

    assert [(i.text, i.passage_id, i.speaker) for i in brief.tldr] == [
        (GOOD[0][0], 1, "Sam Lee"),
        (GOOD[1][0], 3, "Sam Lee"),
        (GOOD[2][0], 5, "Sam Lee"),
    ]
    for item in brief.tldr:
        assert TRANSCRIPT.text[item.start : item.end] == item.quote
        assert item.quote in PASSAGES[item.passage_id].text
    assert brief.engine == "extractive+llm:test-model"
    assert brief.notes[-1] == "TL;DR written by llm:test-model; each bullet cites its passage."
    [request] = seen
    assert request.url == "http://llm.test/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    body = json.loads(request.content)
    assert body["model"] == "test-model"
    prompt = body["messages"][-1]["content"]
    assert "[1] Sam Lee: Compute is scarce" in prompt
    assert "[4] Dana: Is the new data center in Ohio finished?" in prompt


async def test_a_bullet_citing_a_passage_it_was_not_shown_is_dropped() -> None:
    reply = _bullets(*GOOD, ("Sam Lee expects robots in every home by 2030.", [99]))
    async with _mock(lambda r: httpx.Response(200, json=_completion(reply))) as client:
        brief = await abstractive_tldr(SETTINGS, TRANSCRIPT, PASSAGES, _extractive(), client=client)
    assert [i.text for i in brief.tldr] == [t for t, _ in GOOD]


async def test_a_bullet_sharing_no_content_word_with_its_passage_is_dropped() -> None:
    unsupported = ("Bananas grow quickly in tropical weather.", [1])
    reply = _bullets(GOOD[0], unsupported, GOOD[1], GOOD[2])
    async with _mock(lambda r: httpx.Response(200, json=_completion(reply))) as client:
        brief = await abstractive_tldr(SETTINGS, TRANSCRIPT, PASSAGES, _extractive(), client=client)
    assert [i.text for i in brief.tldr] == [t for t, _ in GOOD]


async def test_a_bullet_is_kept_on_its_first_supporting_citation() -> None:
    reply = _bullets(
        ("Compute is scarce, Sam Lee says.", [0, 99, 1]), GOOD[1], GOOD[2]
    )  # passage 0 is the host's question, which shares no content word with the bullet
    async with _mock(lambda r: httpx.Response(200, json=_completion(reply))) as client:
        brief = await abstractive_tldr(SETTINGS, TRANSCRIPT, PASSAGES, _extractive(), client=client)
    assert [i.passage_id for i in brief.tldr] == [1, 3, 5]


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


@pytest.mark.parametrize(
    ("handler", "logged"),
    [
        (lambda r: httpx.Response(500, text="boom"), "HTTP 500 from http://llm.test/v1"),
        (_timeout, "ReadTimeout (http://llm.test/v1)"),
        (_refused, "ConnectError (http://llm.test/v1)"),
        (lambda r: httpx.Response(200, text="<html>not json</html>"), "not a chat completion"),
        (lambda r: httpx.Response(200, json={"choices": []}), "not a chat completion"),
        (
            lambda r: httpx.Response(200, json=_completion("Sorry, I cannot do that.")),
            "no JSON object",
        ),
        (
            lambda r: httpx.Response(200, json=_completion('{"bullets": "none"}')),
            'no "bullets" list',
        ),
        (
            lambda r: httpx.Response(200, json=_completion(_bullets(GOOD[0], GOOD[1]))),
            "only 2 bullets cite a supporting passage (at least 3 wanted)",
        ),
    ],
    ids=["500", "timeout", "refused", "html", "no-choices", "prose", "bad-shape", "too-few"],
)
async def test_any_failure_keeps_the_extractive_brief(
    handler: Callable[[httpx.Request], httpx.Response],
    logged: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    extractive = _extractive()
    with caplog.at_level(logging.WARNING, logger="briefbot.llm"):
        async with _mock(handler) as client:
            brief = await abstractive_tldr(
                SETTINGS, TRANSCRIPT, PASSAGES, extractive, client=client
            )
    assert brief is extractive
    [record] = caplog.records
    assert record.getMessage().startswith("LLM TL;DR not used, keeping the extractive one: ")
    assert logged in record.getMessage()


class _FakeOpenAI(BaseHTTPRequestHandler):
    """A minimal OpenAI-compatible server: answers /v1/chat/completions with GOOD.

    ``answer`` (when set) replaces GOOD: it gets the request body and returns
    the status and the completion's content (tests/test_llm_wiring.py).
    """

    requests: ClassVar[list[dict[str, Any]]] = []
    answer: ClassVar[Callable[[dict[str, Any]], tuple[int, str]] | None] = None

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        if self.path != "/v1/chat/completions":
            self.send_error(404)
            return
        answer = type(self).answer
        status, content = answer(body) if answer is not None else (200, _bullets(*GOOD))
        if status != 200:
            self.send_error(status)
            return
        data = json.dumps(_completion(content)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output clean


@contextmanager
def fake_openai_server(
    answer: Callable[[dict[str, Any]], tuple[int, str]] | None = None,
) -> Iterator[str]:
    """Serve ``_FakeOpenAI`` on a free loopback port; yields its ``.../v1`` base URL."""
    _FakeOpenAI.requests = []
    _FakeOpenAI.answer = answer
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        _FakeOpenAI.answer = None


@pytest.fixture
def loopback_server() -> Iterator[str]:
    with fake_openai_server() as url:
        yield url


async def test_a_real_loopback_server_without_a_key(loopback_server: str) -> None:
    settings = llm_settings_from_env(
        {"BRIEFBOT_LLM_BASE_URL": loopback_server + "/", "BRIEFBOT_LLM_MODEL": "llama3.2"}
    )
    assert settings is not None
    brief = await abstractive_tldr(settings, TRANSCRIPT, PASSAGES, _extractive())
    assert [i.text for i in brief.tldr] == [t for t, _ in GOOD]
    assert brief.engine == "extractive+llm:llama3.2"
    [request] = _FakeOpenAI.requests
    assert (request["path"], request["auth"], request["body"]["model"]) == (
        "/v1/chat/completions",
        None,
        "llama3.2",
    )


async def test_a_closed_port_falls_back() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = LLMSettings(f"http://127.0.0.1:{port}/v1", "m", timeout=2)
    extractive = _extractive()
    assert await abstractive_tldr(settings, TRANSCRIPT, PASSAGES, extractive) is extractive


# --- settings -------------------------------------------------------------------------------


def test_settings_are_off_unless_configured() -> None:
    assert llm_settings_from_env({}) is None
    assert llm_settings_from_env({"BRIEFBOT_LLM_API_KEY": "sk-x"}) is None


def test_settings_from_env_read_every_variable_and_hide_the_key() -> None:
    settings = llm_settings_from_env(
        {
            "BRIEFBOT_LLM_BASE_URL": " https://api.openai.com/v1/ ",
            "BRIEFBOT_LLM_MODEL": "gpt-4o-mini",
            "BRIEFBOT_LLM_API_KEY": "sk-secret",
            "BRIEFBOT_LLM_TIMEOUT": "12.5",
        }
    )
    assert settings == LLMSettings("https://api.openai.com/v1", "gpt-4o-mini", "sk-secret", 12.5)
    assert "sk-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BRIEFBOT_LLM_MODEL": "m"}, "BRIEFBOT_LLM_MODEL is set but BRIEFBOT_LLM_BASE_URL is not"),
        ({"BRIEFBOT_LLM_BASE_URL": "http://x/v1"}, "BRIEFBOT_LLM_MODEL is not: name the model"),
        (
            {"BRIEFBOT_LLM_BASE_URL": "localhost:11434", "BRIEFBOT_LLM_MODEL": "m"},
            "must be an http(s) URL",
        ),
        (
            {
                "BRIEFBOT_LLM_BASE_URL": "http://x/v1",
                "BRIEFBOT_LLM_MODEL": "m",
                "BRIEFBOT_LLM_TIMEOUT": "soon",
            },
            "BRIEFBOT_LLM_TIMEOUT must be seconds between 0 and 600",
        ),
    ],
)
def test_half_or_bad_settings_get_a_one_line_reason(env: dict[str, str], message: str) -> None:
    with pytest.raises(LLMSettingsError) as err:
        llm_settings_from_env(env)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


# --- prompt parts -----------------------------------------------------------------------------


def test_parse_reply_tolerates_fences_prose_and_id_spellings() -> None:
    content = (
        'Here you go:\n```json\n{"bullets": [{"text": "A b.", "cite": ["P12", "3"]},'
        ' {"text": "C d.", "cite": 4}, {"cite": [1]}]}\n```'
    )
    assert parse_reply(content) == [("A b.", [12, 3]), ("C d.", [4])]


def test_select_passages_puts_cited_ones_first_and_spreads_the_rest() -> None:
    passages = [
        Passage(
            seq=i, turn_index=i, speaker="S", text="x" * 88, start=i * 100, end=i * 100 + 88, id=i
        )
        for i in range(20)
    ]
    chosen = select_passages(passages, [17], max_chars=4 * 101)
    ids = [p.id for p in chosen]
    assert 17 in ids
    assert len(ids) == 4
    assert ids == sorted(ids)
    # Besides the cited one: the start, the middle and a quarter of the way.
    assert ids == [0, 4, 9, 17]
