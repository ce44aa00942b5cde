"""Measuring quote search: QMSum turn retrieval and a judged query set.

QMSum (``../shared/eval/qmsum``): each meeting is ingested alone into an
in-memory library; each specific query runs through ``QuoteSearch`` and its
hits map to turn indexes through their passages. A hit is relevant when its
turn falls inside a ``relevant_text_span`` (inclusive). Reported: Hit@5 (a
relevant hit in the top 5), P@5 (relevant share of the top 5) and MRR (first
relevant rank, over the top 100). The baseline, in the same run: rank-bm25's
BM25Okapi over the raw turns, lowercased words with stopwords removed.

Judged set (``eval/interview_queries.json``): a query passes when one of its
``expect`` strings (case-insensitive, quotes and dashes normalised) appears in
one of the top-3 excerpts: Success@3.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

from briefs.errors import BriefbotError
from briefs.library import Library
from briefs.readers import read_path
from briefs.search import QuoteSearch
from briefs.store import Store
from briefs.tokenize import STOPWORDS, normalize_text

__all__ = [
    "DEFAULT_QMSUM",
    "INTERVIEW",
    "JUDGED_QUERIES",
    "JudgedResult",
    "Metrics",
    "QmsumResult",
    "baseline_tokens",
    "evaluate_judged",
    "evaluate_search_qmsum",
    "format_report",
    "report_data",
    "report_json",
]

MRR_DEPTH = 100
SHARED = Path(__file__).resolve().parents[3] / "shared"
"""``../shared`` beside the checkout."""
DEFAULT_QMSUM = SHARED / "eval" / "qmsum" / "val"
INTERVIEW = SHARED / "corpus" / "interview-brockman-bigtech-2026.txt"
JUDGED_QUERIES = Path(__file__).resolve().parents[2] / "eval" / "interview_queries.json"


@dataclass
class Metrics:
    hit5: float = 0.0
    p5: float = 0.0
    mrr: float = 0.0


@dataclass
class QmsumResult:
    folder: str
    meetings: int
    queries: int
    ours: Metrics
    baseline: Metrics


@dataclass
class JudgedResult:
    path: str
    queries: int
    success3: float
    failures: list[str] = field(default_factory=list)


_WORD = re.compile(r"\w+")


def baseline_tokens(text: str) -> list[str]:
    """The baseline's analysis: lowercased words, stopwords removed, no stemming."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def _relevant(spans: list[list[str]]) -> set[int]:
    out: set[int] = set()
    for start, end in spans:
        out.update(range(int(start), int(end) + 1))
    return out


def _score(ranked_turns: list[int], relevant: set[int], acc: list[tuple[float, float, float]]
           ) -> None:
    top = ranked_turns[:5]
    hit = float(any(t in relevant for t in top))
    p5 = sum(t in relevant for t in top) / 5
    rr = next((1 / (i + 1) for i, t in enumerate(ranked_turns[:MRR_DEPTH]) if t in relevant), 0.0)
    acc.append((hit, p5, rr))


def _mean(rows: list[tuple[float, float, float]]) -> Metrics:
    if not rows:
        return Metrics()
    a = np.asarray(rows).mean(axis=0)
    return Metrics(round(float(a[0]), 3), round(float(a[1]), 3), round(float(a[2]), 3))


async def _meeting_library(path: Path) -> tuple[Library, dict[int, int]]:
    store = await Store.open(":memory:")
    search = await QuoteSearch.load(store)
    lib = Library(store, [search.step], search)
    transcript = read_path(path)
    outcome = await lib.ingest_transcript(transcript, source_key=str(path))
    if outcome.transcript_id is None:
        await lib.close()
        raise BriefbotError(f"{path.name}: {outcome.message}")
    stored = await lib.get(outcome.transcript_id)
    return lib, {p.id: p.turn_index for p in stored.passages}


async def evaluate_search_qmsum(
    folder: Path, *, limit: int | None = None, progress: Callable[[str], None] | None = None
) -> QmsumResult:
    files = sorted(folder.glob("*.json"))[:limit]
    if not files:
        raise BriefbotError(f"no QMSum meeting files (*.json) in {folder}")
    ours: list[tuple[float, float, float]] = []
    base: list[tuple[float, float, float]] = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        turns = [t.get("content", "") for t in data["meeting_transcripts"]]
        baseline = BM25Okapi([baseline_tokens(t) for t in turns])
        lib, turn_of = await _meeting_library(path)
        try:
            for item in data.get("specific_query_list", []):
                relevant = _relevant(item["relevant_text_span"])
                scores = baseline.get_scores(baseline_tokens(item["query"]))
                order = sorted(range(len(turns)), key=lambda i: (-scores[i], i))
                _score(order, relevant, base)
                ranked: list[int] = []
                for page in (1, 2):
                    res = await lib.search(item["query"], page=page, page_size=50)
                    ranked.extend(turn_of[h.passage_id] for h in res.hits)
                    if not res.has_more:
                        break
                _score(ranked, relevant, ours)
        finally:
            await lib.close()
        if progress:
            progress(path.name)
    return QmsumResult(str(folder), len(files), len(ours), _mean(ours), _mean(base))


def _fold(text: str) -> str:
    return " ".join(normalize_text(text).casefold().split())


async def evaluate_judged(queries_path: Path, transcript_path: Path) -> JudgedResult:
    spec = json.loads(queries_path.read_text(encoding="utf-8"))
    store = await Store.open(":memory:")
    search = await QuoteSearch.load(store)
    lib = Library(store, [search.step], search)
    try:
        await lib.ingest_transcript(read_path(transcript_path), source_key=str(transcript_path))
        passed, failures = 0, []
        for item in spec["queries"]:
            page = await lib.search(item["q"], page_size=3)
            excerpts = [_fold(h.excerpt) for h in page.hits[:3]]
            if any(_fold(e) in x for e in item["expect"] for x in excerpts):
                passed += 1
            else:
                failures.append(item["q"])
    finally:
        await lib.close()
    n = len(spec["queries"])
    return JudgedResult(str(queries_path), n, round(passed / n, 3) if n else 0.0, failures)


def format_report(qmsum: QmsumResult | None, judged: JudgedResult | None) -> str:
    lines: list[str] = []
    if qmsum:
        lines += [
            f"QMSum specific queries: {qmsum.queries} queries over {qmsum.meetings} meetings"
            f" ({qmsum.folder})",
            f"  {'':28} {'Hit@5':>6} {'P@5':>6} {'MRR':>6}",
        ]
        for name, m in (("briefbot quote search", qmsum.ours),
                        ("baseline rank-bm25 turns", qmsum.baseline)):
            lines.append(f"  {name:28} {m.hit5:6.3f} {m.p5:6.3f} {m.mrr:6.3f}")
    if judged:
        lines.append(f"Judged interview queries: Success@3 {judged.success3:.3f}"
                     f" ({judged.queries} queries, {judged.path})")
        lines += [f"  missed: {q}" for q in judged.failures]
    return "\n".join(lines)


def report_data(qmsum: QmsumResult | None, judged: JudgedResult | None) -> dict[str, Any]:
    return {"qmsum": asdict(qmsum) if qmsum else None,
            "judged": asdict(judged) if judged else None}


def report_json(qmsum: QmsumResult | None, judged: JudgedResult | None) -> str:
    return json.dumps(report_data(qmsum, judged))
