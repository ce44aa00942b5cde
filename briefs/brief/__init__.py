"""The brief: TL;DR, turning points, risk views and keywords, each item citing a quote.

Produces :class:`Brief` from a ``Transcript`` and its passages (:func:`build_brief`),
keeps it in the store at ingest (:class:`BriefStep`), and optionally rewrites the
TL;DR through an OpenAI-compatible server (:func:`upgrade_brief`).

May import: ``briefs.transcript``, ``briefs.passages``, ``briefs.tokenize``,
``briefs.store``, ``briefs.errors``.
"""

from __future__ import annotations

from briefs.brief._llm import (
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_MODEL,
    ENV_TIMEOUT,
    LLMSettings,
    LLMSettingsError,
    LLMUpgrade,
    abstractive_tldr,
    llm_settings_from_env,
    upgrade_brief,
)
from briefs.brief._model import (
    ENGINE,
    ENGINE_VERSION,
    MAX_RISKS,
    NO_RISK_NOTE,
    RISK_KINDS,
    SOURCE_SUMMARY_LABEL,
    Brief,
    BriefItem,
    TurningPoint,
    build_brief,
)
from briefs.brief._risks import is_risk_statement
from briefs.brief._step import (
    BriefStep,
    BriefUpgrade,
    RebuildReport,
    base_engine,
    load_brief,
    rebuild_briefs,
    save_brief,
    with_passage_ids,
)

__all__ = [
    "ENGINE",
    "ENGINE_VERSION",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "ENV_MODEL",
    "ENV_TIMEOUT",
    "MAX_RISKS",
    "NO_RISK_NOTE",
    "RISK_KINDS",
    "SOURCE_SUMMARY_LABEL",
    "Brief",
    "BriefItem",
    "BriefStep",
    "BriefUpgrade",
    "LLMSettings",
    "LLMSettingsError",
    "LLMUpgrade",
    "RebuildReport",
    "TurningPoint",
    "abstractive_tldr",
    "base_engine",
    "build_brief",
    "is_risk_statement",
    "llm_settings_from_env",
    "load_brief",
    "rebuild_briefs",
    "save_brief",
    "upgrade_brief",
    "with_passage_ids",
]
