"""The brief evaluation's results: per-document scores, per-set means, paired gaps, tables."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from briefs.eval._baselines import BASELINES
from briefs.eval._metrics import TOLERANCE, BoundaryScore, RougeScore

__all__ = [
    "HEADINGS_HIDDEN",
    "NO_BOUNDARIES",
    "OURS",
    "UNIFORM",
    "DocumentResult",
    "EvalResult",
    "Paired",
    "SampleResult",
    "SetResult",
    "format_table",
]

OURS = "briefbot"
NO_BOUNDARIES = "no boundaries"
UNIFORM = "uniform (true count)"
HEADINGS_HIDDEN = "briefbot, no headings"
"""Ours on the interview with its section headings taken out of the transcript."""


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Scores for one transcript; ``segments`` is empty when they could not be aligned."""

    name: str
    turns: int
    gold_boundaries: int
    words: dict[str, int]
    """Words each system produced before the budget cut (shows a short TL;DR)."""
    summaries: dict[str, RougeScore]
    segments: dict[str, BoundaryScore]
    note: str = ""
    whole: tuple[int, int] = (0, 0)
    """TL;DR quotes that are whole sentences, and all TL;DR quotes (``_fragments``)."""


@dataclass(frozen=True, slots=True)
class Paired:
    """Ours minus a baseline on one metric, over the same documents."""

    metric: str
    baseline: str
    mean_difference: float
    standard_error: float
    ahead: int
    behind: int
    documents: int


def _paired(metric: str, baseline: str, diffs: list[float]) -> Paired:
    n = len(diffs)
    mean = _mean(diffs)
    var = sum((x - mean) ** 2 for x in diffs) / (n - 1) if n > 1 else 0.0
    return Paired(
        metric,
        baseline,
        mean,
        (var / n) ** 0.5 if n else 0.0,
        sum(x > 0 for x in diffs),
        sum(x < 0 for x in diffs),
        n,
    )


@dataclass(slots=True)
class SetResult:
    """Scores for a set of transcripts (a QMSum folder, or the interview)."""

    name: str
    source: str
    budget: int
    documents: list[DocumentResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per file that could not be evaluated, with the reason."""
    engine: str = ""
    seconds: float = 0.0

    def summary_means(self) -> dict[str, RougeScore]:
        """Mean ROUGE per system over the documents."""
        out: dict[str, RougeScore] = {}
        for system in _systems(d.summaries for d in self.documents):
            rows = [d.summaries[system] for d in self.documents if system in d.summaries]
            out[system] = RougeScore(
                r1=_mean(r.r1 for r in rows),
                r2=_mean(r.r2 for r in rows),
                rl=_mean(r.rl for r in rows),
            )
        return out

    def segment_means(self) -> dict[str, BoundaryScore]:
        """Mean boundary scores per system (counts are means per document)."""
        out: dict[str, BoundaryScore] = {}
        for system in _systems(d.segments for d in self.documents):
            rows = [d.segments[system] for d in self.documents if system in d.segments]
            out[system] = BoundaryScore(
                f1=_mean(r.f1 for r in rows),
                precision=_mean(r.precision for r in rows),
                recall=_mean(r.recall for r in rows),
                pk=_mean(r.pk for r in rows),
                window_diff=_mean(r.window_diff for r in rows),
                scale_f1=_mean(r.scale_f1 for r in rows),
                predicted=_mean(r.predicted for r in rows),
                gold=_mean(r.gold for r in rows),
            )
        return out

    def whole_sentences(self) -> tuple[int, int]:
        """TL;DR quotes that are whole sentences, and all of them, over the documents."""
        return sum(d.whole[0] for d in self.documents), sum(d.whole[1] for d in self.documents)

    def mean_words(self) -> dict[str, float]:
        return {
            s: _mean(d.words[s] for d in self.documents if s in d.words)
            for s in _systems(d.words for d in self.documents)
        }

    def paired(self) -> list[Paired]:
        """Ours against each baseline, document by document (R1, and boundary F1).

        Means over 35 meetings hide how noisy they are; the per-document
        difference, its standard error and the win count say whether a gap
        is more than luck.
        """
        out: list[Paired] = []
        for baseline in BASELINES:
            diffs = [
                d.summaries[OURS].r1 - d.summaries[baseline].r1
                for d in self.documents
                if OURS in d.summaries and baseline in d.summaries
            ]
            out.append(_paired("R1", baseline, diffs))
        scored = [d.segments for d in self.documents if d.segments]
        if scored:
            diffs = [s[OURS].f1 - s[UNIFORM].f1 for s in scored]
            out.append(_paired("boundary F1", UNIFORM, diffs))
            diffs = [s[OURS].scale_f1 - s[UNIFORM].scale_f1 for s in scored]
            out.append(_paired("scale F1", UNIFORM, diffs))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "budget_words": self.budget,
            "engine": self.engine,
            "documents_scored": len(self.documents),
            "seconds": round(self.seconds, 2),
            "summaries": {k: asdict(v) for k, v in self.summary_means().items()},
            "segments": {k: asdict(v) for k, v in self.segment_means().items()},
            "mean_words": self.mean_words(),
            "whole_sentences": _whole_dict(self.whole_sentences()),
            "paired": [asdict(p) for p in self.paired()],
            "skipped": list(self.skipped),
            "documents": [
                {
                    "name": d.name,
                    "turns": d.turns,
                    "gold_boundaries": d.gold_boundaries,
                    "words": d.words,
                    "summaries": {k: asdict(v) for k, v in d.summaries.items()},
                    "segments": {k: asdict(v) for k, v in d.segments.items()},
                    "note": d.note,
                    "whole_sentences": _whole_dict(d.whole),
                }
                for d in self.documents
            ],
        }


@dataclass(frozen=True, slots=True)
class SampleResult:
    """The fragment measure on one sample transcript's default TL;DR."""

    name: str
    whole: int
    quotes: int


@dataclass(slots=True)
class EvalResult:
    """Everything one ``briefbot eval briefs`` run measured."""

    sets: list[SetResult]
    tolerance: int = TOLERANCE
    samples: list[SampleResult] = field(default_factory=list)
    """Whole-sentence TL;DR quotes on the bundled and the hard-wrapped / ASR samples."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "boundary_tolerance_turns": self.tolerance,
            "sets": [s.to_dict() for s in self.sets],
            "samples": [
                {"name": x.name, **_whole_dict((x.whole, x.quotes))} for x in self.samples
            ],
            "samples_whole_sentences": _whole_dict(
                (sum(x.whole for x in self.samples), sum(x.quotes for x in self.samples))
            ),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def _systems(maps: Iterable[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for m in maps:
        seen.update(dict.fromkeys(m))
    return list(seen)


def _whole_dict(whole: tuple[int, int]) -> dict[str, Any]:
    return {"whole": whole[0], "quotes": whole[1], "share": _share(whole)}


def _share(whole: tuple[int, int]) -> float:
    return whole[0] / whole[1] if whole[1] else 1.0


def _mean(values: Iterable[float]) -> float:
    vals = list(values)
    return sum(vals) / len(vals) if vals else 0.0


# --- the readable table ------------------------------------------------------------


def format_table(result: EvalResult) -> str:
    """Plain-text tables, one block per set: summaries, then segments."""
    lines: list[str] = []
    for s in result.sets:
        docs = len(s.documents)
        lines.append(
            f"{s.name}: {docs} transcript{'s' if docs != 1 else ''}, TL;DR at {s.budget} words"
            + (f", engine {s.engine}" if s.engine else "")
            + f" ({s.seconds:.1f} s)"
        )
        words = s.mean_words()
        lines.append(f"  {'summary':<22}{'R1':>7}{'R2':>7}{'RL':>7}{'words':>8}")
        for system, r in s.summary_means().items():
            lines.append(
                f"  {system:<22}{r.r1:>7.3f}{r.r2:>7.3f}{r.rl:>7.3f}{words.get(system, 0):>8.0f}"
            )
        segs = s.segment_means()
        if segs:
            scored = sum(1 for d in s.documents if d.segments)
            lines.append(
                f"  {'segments':<22}{'F1':>7}{'P':>7}{'R':>7}{'Pk':>7}{'WD':>7}{'F1 k':>7}"
                f"{'bounds':>8}  ({scored} scored, gold {next(iter(segs.values())).gold:.1f} a doc;"
                f" F1 within {result.tolerance} turns, F1 k within half a gold segment)"
            )
            for system, b in segs.items():
                lines.append(
                    f"  {system:<22}{b.f1:>7.3f}{b.precision:>7.3f}{b.recall:>7.3f}"
                    f"{b.pk:>7.3f}{b.window_diff:>7.3f}{b.scale_f1:>7.3f}{b.predicted:>8.1f}"
                )
        whole = s.whole_sentences()
        if whole[1]:
            lines.append(
                f"  TL;DR quotes that are whole sentences: {_share(whole):.3f}"
                f" ({whole[0]} of {whole[1]})"
            )
        for p in s.paired() if len(s.documents) > 1 else ():
            lines.append(
                f"  {OURS} - {p.baseline}: {p.metric} {p.mean_difference:+.3f}"
                f" (s.e. {p.standard_error:.3f}), ahead on {p.ahead}, behind on {p.behind}"
                f" of {p.documents}"
            )
        for d in s.documents:
            if d.note:
                lines.append(f"  note: {d.name}: {d.note}")
        for skipped in s.skipped:
            lines.append(f"  skipped: {skipped}")
        lines.append("")
    if result.samples:
        whole = sum(x.whole for x in result.samples), sum(x.quotes for x in result.samples)
        lines.append(
            f"samples: TL;DR quotes that are whole sentences: {_share(whole):.3f}"
            f" ({whole[0]} of {whole[1]})"
        )
        for x in result.samples:
            lines.append(f"  {x.name:<44}{x.whole:>3} of {x.quotes}")
    return "\n".join(lines).rstrip() + "\n"
