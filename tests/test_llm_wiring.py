"""The LLM TL;DR end to end: ingest upgrades the stored brief, rebuild keeps and redoes it.

A real OpenAI-compatible server on 127.0.0.1 (``test_llm._FakeOpenAI``)
answers with bullets built from the passages it was shown, the way a model
would: each one names the speaker and cites the passage it paraphrases.
"""

from __future__ import annotations

import json
import re
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from test_llm import _FakeOpenAI, fake_openai_server

import briefs.brief._llm as llm
from bot.cli import main
from briefs.brief import Brief, LLMSettings, build_brief
from briefs.library import Library

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "briefs" / "samples" / "2026-03-12-cold-storage-heatwave.txt"
MODEL = "fake-model"
_PASSAGE_LINE = re.compile(r"^\[(\d+)\] ([^:\n]+): (.+)$", re.MULTILINE)


def paraphrase(body: dict[str, Any]) -> list[tuple[str, int]]:
    """Four bullets, each the start of a long passage it was shown, citing that passage."""
    prompt = body["messages"][-1]["content"]
    out: list[tuple[str, int]] = []
    for pid, speaker, text in _PASSAGE_LINE.findall(prompt):
        words = text.split()
        if len(words) >= 10 and len(out) < 4:
            out.append((f"{speaker} says {' '.join(words[:12]).rstrip('.,;:')}.", int(pid)))
    return out


class FakeModel:
    """The server's answers; ``db`` set: checks no write transaction is open meanwhile."""

    def __init__(self, db: Path | None = None) -> None:
        self.db = db
        self.sent: list[list[tuple[str, int]]] = []
        self.db_was_free: list[bool] = []

    def __call__(self, body: dict[str, Any]) -> tuple[int, str]:
        if self.db is not None:
            self.db_was_free.append(_writable_now(self.db))
        bullets = paraphrase(body)
        self.sent.append(bullets)
        return 200, json.dumps({"bullets": [{"text": t, "cite": [pid]} for t, pid in bullets]})


def _writable_now(db: Path) -> bool:
    # timeout=0: fails at once if the ingest still holds its write transaction.
    con = sqlite3.connect(db, timeout=0)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.rollback()
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


@pytest.fixture
def model(tmp_path: Path) -> Iterator[tuple[str, FakeModel]]:
    fake = FakeModel(tmp_path / "llm.db")
    with fake_openai_server(fake) as url:
        yield url, fake


def _closed_port_url() -> str:
    with socket.socket() as probe:  # free a moment ago: nobody listens there
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/v1"


async def _stored(lib: Library, transcript_id: str) -> tuple[Brief, Any]:
    return await lib.brief(transcript_id), await lib.get(transcript_id)


def _assert_cites_its_passages(brief: Brief, stored: Any) -> None:
    by_id = {p.id: p for p in stored.passages}
    for item in brief.tldr:
        passage = by_id[item.passage_id]
        assert stored.transcript.text[item.start : item.end] == item.quote
        assert passage.start <= item.start < item.end <= passage.end
        assert item.speaker == passage.speaker


# --- ingest ---------------------------------------------------------------------------------


async def test_ingest_with_an_llm_stores_its_cited_tldr(
    tmp_path: Path, model: tuple[str, FakeModel]
) -> None:
    url, fake = model
    settings = LLMSettings(url, MODEL, timeout=5)
    async with await Library.open(tmp_path / "llm.db", llm=settings) as lib:
        outcome = await lib.ingest_path(SAMPLE)
        assert (outcome.status, outcome.warnings) == ("added", ())
        assert outcome.transcript_id is not None
        brief, stored = await _stored(lib, outcome.transcript_id)

    assert brief.engine == f"extractive+llm:{MODEL}"
    [sent] = fake.sent
    assert [(i.text, i.passage_id) for i in brief.tldr] == sent
    _assert_cites_its_passages(brief, stored)
    # Everything but the TL;DR is the extractive brief's.
    extractive = build_brief(stored.transcript, stored.passages)
    assert brief.turning_points == extractive.turning_points
    assert brief.risks == extractive.risks
    # The transcript was committed, and no write transaction held, during the call.
    assert fake.db_was_free == [True]


def _failing(body: dict[str, Any]) -> tuple[int, str]:
    return 500, ""


@pytest.mark.parametrize("down", ["http-500", "closed-port"])
async def test_a_failing_llm_keeps_the_extractive_brief_and_the_ingest(
    tmp_path: Path, down: str
) -> None:
    with fake_openai_server(_failing) as url:
        base_url = url if down == "http-500" else _closed_port_url()
        settings = LLMSettings(base_url, MODEL, timeout=5)
        async with await Library.open(tmp_path / "down.db", llm=settings) as lib:
            outcome = await lib.ingest_path(SAMPLE)
            assert outcome.transcript_id is not None
            brief, stored = await _stored(lib, outcome.transcript_id)
        calls = len(_FakeOpenAI.requests)

    assert outcome.status == "added"
    assert outcome.warnings == (
        f"extractive TL;DR kept: llm:{MODEL} gave no usable answer (see the log)",
    )
    assert brief == build_brief(stored.transcript, stored.passages)
    assert calls == (1 if down == "http-500" else 0)


async def test_a_store_error_while_upgrading_is_a_warning_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("briefs.library._facade.upgrade_brief", broken)
    settings = LLMSettings(_closed_port_url(), MODEL, timeout=5)
    async with await Library.open(tmp_path / "err.db", llm=settings) as lib:
        outcome = await lib.ingest_path(SAMPLE)
        assert outcome.transcript_id is not None
        brief = await lib.brief(outcome.transcript_id)
    assert (outcome.status, outcome.warnings) == (
        "added",
        ("extractive TL;DR kept: the database refused it: disk I/O error",),
    )
    assert brief.engine == "extractive"


async def test_without_an_llm_nothing_is_asked(
    tmp_path: Path, model: tuple[str, FakeModel]
) -> None:
    async with await Library.open(tmp_path / "off.db", llm=None) as lib:
        assert lib.llm is None
        outcome = await lib.ingest_path(SAMPLE)
        assert outcome.transcript_id is not None
        assert (await lib.brief(outcome.transcript_id)).engine == "extractive"
    assert _FakeOpenAI.requests == []


async def test_library_open_reads_the_llm_settings_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(llm.ENV_BASE_URL, "http://localhost:11434/v1")
    monkeypatch.setenv(llm.ENV_MODEL, "llama3.1")
    async with await Library.open(tmp_path / "env.db") as lib:
        assert lib.llm == LLMSettings("http://localhost:11434/v1", "llama3.1")
    monkeypatch.delenv(llm.ENV_BASE_URL)
    with pytest.raises(llm.LLMSettingsError, match="BRIEFBOT_LLM_MODEL is set but"):
        await Library.open(tmp_path / "env.db")


# --- CLI: brief --json, rebuild ---------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: tuple[str, FakeModel]) -> CliRunner:
    url, _fake = model
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "llm.db"))
    monkeypatch.setenv(llm.ENV_BASE_URL, url)
    monkeypatch.setenv(llm.ENV_MODEL, MODEL)
    return CliRunner()


def _run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def _engine(runner: CliRunner) -> str:
    result = _run(runner, "brief", "cold", "--json")
    assert result.exit_code == 0
    engine: str = json.loads(result.stdout)["engine"]
    return engine


def test_rebuild_keeps_llm_briefs_and_all_redoes_them(
    cli: CliRunner, model: tuple[str, FakeModel], monkeypatch: pytest.MonkeyPatch
) -> None:
    _url, fake = model
    assert _run(cli, "ingest", str(SAMPLE)).stdout.startswith("added ")
    assert _engine(cli) == f"extractive+llm:{MODEL}"
    data = json.loads(_run(cli, "brief", "cold", "--json").stdout)
    assert [(i["text"], i["passage_id"]) for i in data["tldr"]] == fake.sent[0]

    # Not stale: the extractive base is current.
    assert (
        _run(cli, "rebuild").stdout == "0 brief(s) rebuilt, 1 already current (1 transcript(s))\n"
    )
    assert (len(fake.sent), _engine(cli)) == (1, f"extractive+llm:{MODEL}")

    out = _run(cli, "rebuild", "--all").stdout
    assert out == "1 brief(s) rebuilt, 1 with the LLM TL;DR, 0 already current (1 transcript(s))\n"
    assert (len(fake.sent), _engine(cli)) == (2, f"extractive+llm:{MODEL}")

    out = _run(cli, "rebuild", "--all", "--no-llm").stdout
    assert out == "1 brief(s) rebuilt, 0 already current (1 transcript(s))\n"
    assert (len(fake.sent), _engine(cli)) == (2, "extractive")

    # With the LLM configured, a brief without its TL;DR is stale.
    out = _run(cli, "rebuild").stdout
    assert out == "1 brief(s) rebuilt, 1 with the LLM TL;DR, 0 already current (1 transcript(s))\n"
    assert (len(fake.sent), _engine(cli)) == (3, f"extractive+llm:{MODEL}")

    # Without it, an LLM brief is kept as it is.
    monkeypatch.delenv(llm.ENV_BASE_URL)
    monkeypatch.delenv(llm.ENV_MODEL)
    assert (
        _run(cli, "rebuild").stdout == "0 brief(s) rebuilt, 1 already current (1 transcript(s))\n"
    )
    assert (len(fake.sent), _engine(cli)) == (3, f"extractive+llm:{MODEL}")


def test_rebuild_redoes_an_llm_brief_whose_extractive_base_changed(
    cli: CliRunner, tmp_path: Path
) -> None:
    _run(cli, "ingest", str(SAMPLE))
    with sqlite3.connect(tmp_path / "llm.db") as con:  # as an older engine version left it
        con.execute("UPDATE briefs SET engine_version = '0'")
    out = _run(cli, "rebuild", "--no-llm").stdout
    assert out == "1 brief(s) rebuilt, 0 already current (1 transcript(s))\n"
    assert _engine(cli) == "extractive"


def test_a_bad_llm_setting_is_one_line_and_no_llm_gets_past_it(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(llm.ENV_TIMEOUT, "soon")
    result = _run(cli, "rebuild")
    assert (result.exit_code, result.output) == (
        1,
        "Error: BRIEFBOT_LLM_TIMEOUT must be seconds between 0 and 600\n",
    )
    result = _run(cli, "rebuild", "--no-llm")
    assert (result.exit_code, result.output) == (
        0,
        "0 brief(s) rebuilt, 0 already current (0 transcript(s))\n",
    )


# --- documentation ----------------------------------------------------------------------------

LLM_ENV = [llm.ENV_BASE_URL, llm.ENV_MODEL, llm.ENV_API_KEY, llm.ENV_TIMEOUT]


def test_every_llm_setting_is_in_the_readme_and_env_example() -> None:
    # briefs.brief._llm reads these (bot.settings.Settings does not), so the settings
    # tests, which go by Settings' fields, do not see them.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    assert [env for env in LLM_ENV if f"| `{env}` |" not in section] == []
    example = (REPO / "deploy" / ".env.example").read_text(encoding="utf-8")
    listed = {line.removeprefix("#").strip().split("=", 1)[0] for line in example.splitlines()}
    assert [env for env in LLM_ENV if env not in listed] == []


# --- briefbot run: the Telegram bot reads them from .env as well ------------------------------

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_run_takes_the_llm_settings_from_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.commands import run as run_module

    served: list[object] = []
    monkeypatch.setattr(run_module, "_serve", lambda *args: served.append(args[-1]))
    monkeypatch.setattr(run_module, "_configure_logging", lambda settings: None)
    monkeypatch.chdir(tmp_path)
    for name in (*LLM_ENV, "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nBRIEFBOT_LLM_BASE_URL=http://localhost:11434/v1\n"
        "BRIEFBOT_LLM_MODEL=llama3.1\n",
        encoding="utf-8",
    )
    assert _run(CliRunner(), "run").exit_code == 0
    assert served == [LLMSettings("http://localhost:11434/v1", "llama3.1")]

    env_file.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nBRIEFBOT_LLM_MODEL=llama3.1\n")
    result = _run(CliRunner(), "run")
    assert (result.exit_code, result.output) == (
        1,
        "Error: BRIEFBOT_LLM_MODEL is set but BRIEFBOT_LLM_BASE_URL is not: set both\n",
    )
    assert len(served) == 1
