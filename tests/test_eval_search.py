"""Quote-search evaluation on a tiny QMSum-format meeting and judged queries we wrote."""

from __future__ import annotations

import json
from pathlib import Path

from briefs.eval import Metrics, evaluate_judged, evaluate_search_qmsum, format_report

MEETING = json.loads(
    (Path(__file__).resolve().parent / "data" / "search" / "Tiny001.json").read_text("utf-8")
)
"""An original QMSum-format meeting: six turns, three specific queries."""


async def test_qmsum_metrics_for_ours_and_the_baseline(tmp_path: Path) -> None:
    (tmp_path / "Tiny001.json").write_text(json.dumps(MEETING), encoding="utf-8")
    result = await evaluate_search_qmsum(tmp_path)
    assert (result.meetings, result.queries) == (1, 3)
    # battery: both relevant turns found (stemming joins "batteries"); budget: only
    # turn 5, outside the span. The baseline pads with non-matching turns 0, 1, ...
    # Turn 2 is a bare question ("Can we make the batteries smaller?"): its hit shows
    # the reply, turn 3 (the rubber case), outside the span, ranked first (the question
    # scored best), so P@5 counts one fewer and battery's first relevant hit is 2nd.
    assert result.ours == Metrics(hit5=0.667, p5=0.2, mrr=0.5)
    assert result.question_top == 0.0
    assert result.baseline == Metrics(hit5=1.0, p5=0.4, mrr=0.833)
    assert format_report(result, None).splitlines()[2:] == [
        "  briefbot quote search         0.667  0.200  0.500",
        "  baseline rank-bm25 turns      1.000  0.400  0.833",
        "  top hit a bare question: 0.000 of queries",
    ]


async def test_judged_queries_success_at_3(tmp_path: Path) -> None:
    transcript = tmp_path / "talk.txt"
    transcript.write_text(
        "Kettles\n\nAnn: Our kettle boils water in ninety seconds.\n\n"
        "Bob: The toaster burns bread on the left side.\n\n"
        "Ann: Descaling the kettle every month keeps it quiet.\n",
        encoding="utf-8",
    )
    queries = tmp_path / "q.json"
    queries.write_text(json.dumps({"queries": [
        {"q": "how fast does the kettle boil?", "expect": ["ninety seconds"]},
        {"q": "toaster burning the bread", "expect": ["burns bread"]},
        {"q": "coffee grinder", "expect": ["espresso"]},
    ]}), encoding="utf-8")
    result = await evaluate_judged(queries, transcript)
    assert (result.queries, result.success3, result.failures) == (3, 0.667, ["coffee grinder"])
    assert (result.hit5, result.mrr, result.question_top) == (0.667, 0.667, 0.0)
