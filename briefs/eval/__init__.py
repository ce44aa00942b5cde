"""Measuring quality: brief ROUGE and boundaries, quote-search retrieval.

Produces the ``briefbot eval`` reports, with baselines computed in the same run.

May import everything in ``briefs`` (it measures the whole engine).
"""

from __future__ import annotations

from briefs.eval._briefs import (
    DEFAULT_BUDGET,
    HEADINGS_HIDDEN,
    NO_BOUNDARIES,
    OURS,
    OURS_DEFAULT,
    SAMPLE_FOLDERS,
    UNIFORM,
    BriefBuilder,
    DocumentResult,
    EvalResult,
    Paired,
    SetResult,
    TranscriptReader,
    baseline_sentences,
    default_interview_paths,
    default_qmsum_folder,
    evaluate,
    evaluate_interview,
    evaluate_qmsum,
    evaluate_samples,
    format_table,
)
from briefs.eval._results import SampleResult
from briefs.eval._search import (
    DEFAULT_QMSUM,
    INTERVIEW,
    JUDGED_QUERIES,
    JudgedResult,
    Metrics,
    QmsumResult,
    baseline_tokens,
    evaluate_judged,
    evaluate_search_qmsum,
    format_report,
    report_data,
    report_json,
)

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_QMSUM",
    "HEADINGS_HIDDEN",
    "INTERVIEW",
    "JUDGED_QUERIES",
    "NO_BOUNDARIES",
    "OURS",
    "OURS_DEFAULT",
    "SAMPLE_FOLDERS",
    "UNIFORM",
    "BriefBuilder",
    "DocumentResult",
    "EvalResult",
    "JudgedResult",
    "Metrics",
    "Paired",
    "QmsumResult",
    "SampleResult",
    "SetResult",
    "TranscriptReader",
    "baseline_sentences",
    "baseline_tokens",
    "default_interview_paths",
    "default_qmsum_folder",
    "evaluate",
    "evaluate_interview",
    "evaluate_judged",
    "evaluate_qmsum",
    "evaluate_samples",
    "evaluate_search_qmsum",
    "format_report",
    "format_table",
    "report_data",
    "report_json",
]
