"""Measuring risk views: a judged sentence set, and the size of QMSum risk views.

Judged set (``eval/risks.json``): sentences labelled by hand "a risk" or "not a
risk" (decoys). Each detector says yes or no to each sentence; reported are
precision, recall and F1 for briefbot's statement reader
(``briefs.brief.is_risk_statement``) beside today's keyword detector
(``_risk_baseline.keyword_risk``), in the same run, for the ``tune`` part (seen
while the rules and the classifier were written), the ``heldout2`` part
(labelled blind, frozen before any run; its errors later read), ``heldout3``
(labelled blind and frozen before the rules tuned on heldout2's errors), ``heldout4``
(when present: the next blind part, never trained on by ``eval/train_risks.py``),
any other part the file names, and all. Own samples
keep their text; third-party sentences (the interview, QMSum, under
``../shared``) are found again by a locator: their file, first words and a
short hash. When ``../shared`` is absent those are
skipped and counted, never failed.

QMSum (``../shared/eval/qmsum/val``): every meeting is briefed; reported are the
share of briefs with a risk view (ours, and the keyword detector's: any
sentence it takes), the most and mean items a view shows, and ``risks_more``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefs.brief import MAX_RISKS, build_brief, is_risk_statement
from briefs.errors import BriefbotError
from briefs.eval._risk_baseline import keyword_risk
from briefs.passages import make_passages, split_sentences
from briefs.readers import read_path
from briefs.transcript import Transcript

__all__ = [
    "DETECTORS",
    "JUDGED_RISKS",
    "JudgedRisk",
    "QmsumRisks",
    "RiskEval",
    "Score",
    "evaluate_risks",
    "format_risks",
    "load_judged",
    "qmsum_risks",
    "risk_report",
    "sentence_key",
]

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
JUDGED_RISKS = REPO / "eval" / "risks.json"
DEFAULT_QMSUM = SHARED / "eval" / "qmsum" / "val"
MIN_WORDS = 6
PARTS = ("tune", "heldout2", "heldout3", "heldout4")
"""Known parts, in report order; a part the file names beyond these follows them."""

DETECTORS: dict[str, Callable[[str], bool]] = {
    "briefbot": is_risk_statement,
    "keywords (before)": keyword_risk,
}


def sentence_key(text: str) -> str:
    """A short hash that finds a third-party sentence again without storing it."""
    folded = " ".join(text.split()).casefold()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:12]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, said: bool, truth: bool) -> None:
        if said and truth:
            self.tp += 1
        elif said:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass(frozen=True)
class JudgedRisk:
    part: str
    source: str
    risk: bool
    text: str


@dataclass
class QmsumRisks:
    meetings: int = 0
    with_view: int = 0
    with_view_before: int = 0
    max_shown: int = 0
    shown: int = 0
    more: int = 0
    flagged_before: int = 0

    def to_dict(self) -> dict[str, Any]:
        n = self.meetings or 1
        return {
            **asdict(self),
            "share_with_view": round(self.with_view / n, 3),
            "share_with_view_before": round(self.with_view_before / n, 3),
            "mean_shown": round(self.shown / n, 2),
            "mean_flagged_before": round(self.flagged_before / n, 2),
        }


@dataclass
class RiskEval:
    parts: list[str] = field(default_factory=list)
    scores: dict[str, dict[str, Score]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    missing: list[str] = field(default_factory=list)
    qmsum: QmsumRisks | None = None


def _sentences(t: Transcript) -> Iterable[str]:
    for turn in t.speech_turns:
        for s in split_sentences(turn.text, turn.start):
            text = t.text[s.start : s.end]
            if len(text.split()) >= MIN_WORDS:
                yield text


def _read_items(path: Path) -> list[dict[str, Any]]:
    try:
        items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["items"]
        return items
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise BriefbotError(f"cannot read the judged risk set {path}: {err}") from None


def load_judged(
    path: Path = JUDGED_RISKS, shared: Path = SHARED
) -> tuple[list[JudgedRisk], int, list[str]]:
    """The judged sentences, how many were skipped (no ``../shared``), and locators not found."""
    return _found(_read_items(path), shared)


def _found(
    raw: list[dict[str, Any]], shared: Path
) -> tuple[list[JudgedRisk], int, list[str]]:
    found: list[JudgedRisk] = []
    skipped = 0
    missing: list[str] = []
    keys: dict[str, dict[str, str]] = {}
    for item in raw:
        source = str(item["source"])
        where, _, name = source.partition(":")
        if where == "repo":
            found.append(JudgedRisk(item["part"], source, bool(item["risk"]), item["text"]))
            continue
        file = shared / name
        if not file.exists():
            skipped += 1
            continue
        if name not in keys:
            keys[name] = {sentence_key(s): s for s in _sentences(read_path(file))}
        text = keys[name].get(item["key"])
        if text is None or not text.startswith(item["starts"]):
            missing.append(f"{source} “{item['starts']} …”")
            continue
        found.append(JudgedRisk(item["part"], source, bool(item["risk"]), text))
    return found, skipped, missing


def _parts(raw: list[dict[str, Any]]) -> list[str]:
    """The parts the file names (known ones in ``PARTS`` order, then others), and "all".

    From the file, not from the sentences found, so a part whose sentences are
    all third-party still shows (with 0 sentences) when ``../shared`` is absent.
    """
    named = [str(i["part"]) for i in raw]
    known = [p for p in PARTS if p in named]
    return known + [p for p in dict.fromkeys(named) if p not in PARTS] + ["all"]


def qmsum_risks(
    folder: Path = DEFAULT_QMSUM, *, progress: Callable[[str], None] | None = None
) -> QmsumRisks:
    """Brief every meeting of ``folder``: how many get a risk view, and how long it is."""
    out = QmsumRisks()
    for path in sorted(folder.glob("*.json")):
        t = read_path(path)
        brief = build_brief(t, make_passages(t))
        flagged = sum(keyword_risk(s) for s in _sentences(t))
        out.meetings += 1
        out.with_view += bool(brief.risks)
        out.with_view_before += flagged > 0
        out.flagged_before += flagged
        out.shown += len(brief.risks)
        out.more += len(brief.risks_more)
        out.max_shown = max(out.max_shown, len(brief.risks))
        if progress:
            progress(path.stem)
    return out


def evaluate_risks(
    judged: Path = JUDGED_RISKS,
    *,
    shared: Path = SHARED,
    qmsum: Path | None = DEFAULT_QMSUM,
    progress: Callable[[str], None] | None = None,
) -> RiskEval:
    """Score both detectors on the judged set and, when ``qmsum`` exists, size its views."""
    raw = _read_items(judged)
    items, skipped, missing = _found(raw, shared)
    result = RiskEval(parts=_parts(raw), skipped=skipped, missing=missing)
    for part in result.parts:
        chosen = [i for i in items if part == "all" or i.part == part]
        result.counts[part] = len(chosen)
        result.scores[part] = {}
        for name, detect in DETECTORS.items():
            score = Score()
            for i in chosen:
                score.add(detect(i.text), i.risk)
            result.scores[part][name] = score
    if qmsum is not None and qmsum.is_dir():
        result.qmsum = qmsum_risks(qmsum, progress=progress)
    return result


def risk_report(result: RiskEval) -> dict[str, Any]:
    """The results as plain data (``--json``)."""
    return {
        "judged": {
            part: {
                "sentences": result.counts[part],
                **{name: s.to_dict() for name, s in result.scores[part].items()},
            }
            for part in result.parts
        },
        "skipped": result.skipped,
        "missing": result.missing,
        "qmsum": result.qmsum.to_dict() if result.qmsum else None,
        "max_shown": MAX_RISKS,
    }


def format_risks(result: RiskEval) -> str:
    """The results as a table."""
    lines = ["Judged risk sentences (precision / recall / F1)"]
    for part in result.parts:
        lines.append(f"  {part} ({result.counts[part]} sentences)")
        for name, s in result.scores[part].items():
            lines.append(
                f"    {name:<18} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}"
                f"  (tp {s.tp}, fp {s.fp}, fn {s.fn}, tn {s.tn})"
            )
    if result.skipped:
        lines.append(f"  skipped {result.skipped} third-party sentences: ../shared is absent")
    for m in result.missing:
        lines.append(f"  not found: {m}")
    q = result.qmsum
    if q is not None and q.meetings:
        lines += [
            "",
            f"QMSum risk views ({q.meetings} meetings)",
            f"  briefs with a risk view: {q.with_view / q.meetings:.0%} "
            f"(keyword detector: {q.with_view_before / q.meetings:.0%})",
            f"  items shown: at most {q.max_shown} (limit {MAX_RISKS}), "
            f"mean {q.shown / q.meetings:.1f}; in risks_more: {q.more}",
            f"  sentences the keyword detector took: mean {q.flagged_before / q.meetings:.1f}",
        ]
    return "\n".join(lines)
