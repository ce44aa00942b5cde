"""Optional abstractive TL;DR from an OpenAI-compatible chat-completions server.

Off unless configured. With ``BRIEFBOT_LLM_BASE_URL`` and ``BRIEFBOT_LLM_MODEL``
set (and ``BRIEFBOT_LLM_API_KEY`` where the server wants one), the TL;DR of a
brief is rewritten by a model: OpenAI (``https://api.openai.com/v1``), Ollama
(``http://localhost:11434/v1``), a llama.cpp server (``http://localhost:8080/v1``)
or vLLM (``http://localhost:8000/v1``) all speak the same ``/chat/completions``.

The model is never trusted. Each bullet must cite passage ids it was shown,
and the cited passage must share a content word with the bullet, or the bullet
is dropped. Any failure (timeout, HTTP error, a reply that is not the JSON
asked for, too few bullets left) keeps the extractive brief, which is always
built first: a brief never depends on a model being up.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

# First: briefs.brief._model and briefs.brief._step import each other, and only
# briefs.brief._model can be imported first.
import briefs.brief._model  # noqa: F401
from briefs.brief._llm_prompt import (
    CheckedBullet,
    build_messages,
    check_bullets,
    parse_reply,
    select_passages,
)
from briefs.brief._model import ENGINE, Brief, BriefItem
from briefs.brief._step import load_brief, save_brief
from briefs.errors import BriefbotError
from briefs.passages import Passage
from briefs.store import Store, utc_stamp
from briefs.transcript import Transcript

if TYPE_CHECKING:
    # Imported where a model is called: a brief without one never loads httpx
    # (a fifth of the engine's import time).
    import httpx

__all__ = [
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "ENV_MODEL",
    "ENV_TIMEOUT",
    "LLMSettings",
    "LLMSettingsError",
    "LLMUpgrade",
    "abstractive_tldr",
    "llm_settings_from_env",
    "upgrade_brief",
]

log = logging.getLogger("briefbot.llm")

ENV_BASE_URL = "BRIEFBOT_LLM_BASE_URL"
ENV_MODEL = "BRIEFBOT_LLM_MODEL"
ENV_API_KEY = "BRIEFBOT_LLM_API_KEY"
ENV_TIMEOUT = "BRIEFBOT_LLM_TIMEOUT"


class LLMSettingsError(BriefbotError):
    """The LLM settings are incomplete or malformed."""


@dataclass(frozen=True, slots=True)
class LLMSettings:
    """Where the chat-completions server is and how to use it."""

    base_url: str
    """Up to and including the API version, e.g. ``http://localhost:11434/v1``."""
    model: str
    api_key: str | None = dataclasses.field(default=None, repr=False)
    timeout: float = 60.0
    min_bullets: int = 3
    """Fewer valid bullets than this and the extractive TL;DR is kept."""
    max_bullets: int = 8
    max_prompt_chars: int = 24_000
    """Passages shown to the model; small local models have small contexts."""
    temperature: float = 0.2

    @property
    def engine(self) -> str:
        return f"llm:{self.model}"


def llm_settings_from_env(environ: Mapping[str, str] | None = None) -> LLMSettings | None:
    """Settings from ``BRIEFBOT_LLM_*``; ``None`` (off) when no base URL is set.

    Raises ``LLMSettingsError`` with a one-line message for a half or bad
    configuration, so it is caught at startup rather than at the first brief.
    """
    env = os.environ if environ is None else environ
    base_url = (env.get(ENV_BASE_URL) or "").strip()
    model = (env.get(ENV_MODEL) or "").strip()
    api_key = (env.get(ENV_API_KEY) or "").strip() or None
    if not base_url:
        if model:
            raise LLMSettingsError(f"{ENV_MODEL} is set but {ENV_BASE_URL} is not: set both")
        return None
    if not base_url.startswith(("http://", "https://")):
        raise LLMSettingsError(
            f"{ENV_BASE_URL} must be an http(s) URL such as http://localhost:11434/v1"
        )
    if not model:
        raise LLMSettingsError(f"{ENV_BASE_URL} is set but {ENV_MODEL} is not: name the model")
    timeout = 60.0
    raw_timeout = (env.get(ENV_TIMEOUT) or "").strip()
    if raw_timeout:
        try:
            timeout = float(raw_timeout)
        except ValueError:
            timeout = -1.0
        if not 0 < timeout <= 600:
            raise LLMSettingsError(f"{ENV_TIMEOUT} must be seconds between 0 and 600")
    return LLMSettings(base_url.rstrip("/"), model, api_key, timeout)


class _Fallback(Exception):
    """The model's answer cannot be used; the message says why."""


async def _complete(
    settings: LLMSettings, messages: list[dict[str, str]], client: httpx.AsyncClient
) -> str:
    headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
    response = await client.post(
        f"{settings.base_url}/chat/completions",
        json={"model": settings.model, "messages": messages, "temperature": settings.temperature},
        headers=headers,
        timeout=settings.timeout,
    )
    if response.status_code != 200:
        raise _Fallback(f"HTTP {response.status_code} from {settings.base_url}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise _Fallback("the server's answer is not a chat completion") from None
    if not isinstance(content, str):
        raise _Fallback("the chat completion has no text content")
    return content


def _cited_ids(brief: Brief) -> list[int]:
    return [item.passage_id for item in brief.tldr] + [
        point.passage_id for point in brief.turning_points
    ]


async def abstractive_tldr(
    settings: LLMSettings,
    transcript: Transcript,
    passages: list[Passage],
    extractive: Brief,
    *,
    client: httpx.AsyncClient | None = None,
) -> Brief:
    """``extractive`` with its TL;DR rewritten by the model, or ``extractive`` itself.

    Never raises for a model or network failure: it logs one line and keeps
    the extractive brief.
    """
    offered = select_passages(passages, _cited_ids(extractive), settings.max_prompt_chars)
    if not offered:
        return extractive
    messages = build_messages(transcript, offered, settings.min_bullets, settings.max_bullets)
    import httpx

    own_client = client is None
    http = client or httpx.AsyncClient(timeout=settings.timeout)
    try:
        content = await _complete(settings, messages, http)
        bullets = check_bullets(parse_reply(content), offered, transcript)
        if len(bullets) < settings.min_bullets:
            raise _Fallback(
                f"only {len(bullets)} bullets cite a supporting passage "
                f"(at least {settings.min_bullets} wanted)"
            )
    except (_Fallback, ValueError) as err:
        log.warning("LLM TL;DR not used, keeping the extractive one: %s", err)
        return extractive
    except httpx.HTTPError as err:
        log.warning(
            "LLM TL;DR not used, keeping the extractive one: %s (%s)",
            err.__class__.__name__,
            settings.base_url,
        )
        return extractive
    finally:
        if own_client:
            await http.aclose()
    return _with_tldr(extractive, bullets[: settings.max_bullets], settings.engine)


def _with_tldr(extractive: Brief, bullets: list[CheckedBullet], engine: str) -> Brief:
    items = tuple(
        BriefItem(
            text=b.text,
            speaker=b.passage.speaker,
            passage_id=b.passage.id,
            quote=b.quote.text,
            start=b.quote.start,
            end=b.quote.end,
            kind="tldr",
            turn_index=b.passage.turn_index,
            time=b.passage.time,
        )
        for b in bullets
    )
    # Only the TL;DR is the model's: the engine names both, so a reader (and
    # ``briefbot rebuild``) can tell this brief from a purely extractive one.
    return dataclasses.replace(
        extractive,
        tldr=items,
        engine=f"{extractive.engine}+{engine}",
        notes=(*extractive.notes, f"TL;DR written by {engine}; each bullet cites its passage."),
    )


# --- wiring: the stored brief of a transcript ----------------------------------------------


async def upgrade_brief(
    store: Store,
    pk: int,
    settings: LLMSettings,
    *,
    extractive: Brief | None = None,
    client: httpx.AsyncClient | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Brief | None:
    """Give the stored brief of transcript ``pk`` the model's TL;DR; ``None`` when it stays.

    ``extractive`` is the brief to start from (default: the stored one, as
    ingest just saved it). The HTTP call runs outside any transaction, so a
    slow model never holds the database; only an improved brief is written,
    in its own short transaction. Model and network failures keep the stored
    brief (see :func:`abstractive_tldr`); store errors propagate.
    """
    base = extractive if extractive is not None else await load_brief(store, pk)
    if base is None:
        return None
    _info, transcript, passages = await store.transcripts.load(pk)
    brief = await abstractive_tldr(settings, transcript, passages, base, client=client)
    if brief is base:
        return None
    async with store.transaction():
        await save_brief(store, pk, brief, built_at=utc_stamp(clock() if clock else None))
    return brief


@dataclass(frozen=True, slots=True)
class LLMUpgrade:
    """The LLM TL;DR as the upgrade ``rebuild_briefs`` applies (a ``BriefUpgrade``)."""

    settings: LLMSettings
    client: httpx.AsyncClient | None = None

    @property
    def engine(self) -> str:
        return f"{ENGINE}+{self.settings.engine}"

    async def upgrade(self, store: Store, pk: int, extractive: Brief) -> Brief | None:
        return await upgrade_brief(
            store, pk, self.settings, extractive=extractive, client=self.client
        )
