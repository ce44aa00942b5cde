"""Quote-search evaluation on a tiny QMSum-format meeting and judged queries we wrote."""

from __future__ import annotations

import json
from pathlib import Path

from briefs.eval_search import Metrics, evaluate_judged, evaluate_qmsum, format_report

MEETING = {
    "topic_list": [{"topic": "all", "relevant_text_span": [["0", "5"]]}],
    "general_query_list": [{"query": "Summarize the whole meeting.", "answer": "A meeting."}],
    "meeting_transcripts": [
        {"speaker": "A", "content": "Let us start the meeting ."},
        {"speaker": "B", "content": "The battery lasts two days on a single charge ."},
        {"speaker": "A", "content": "Can we make the batteries smaller {disfmarker} ?"},
        {"speaker": "C", "content": "The remote needs a rubber case for kids ."},
        {"speaker": "B", "content": "A rubber case costs more money ."},
        {"speaker": "A", "content": "Let us agree on the budget then ."},
    ],
    "specific_query_list": [
        {"query": "What did the group say about the battery?", "answer": "-",
         "relevant_text_span": [["1", "2"]]},
        {"query": "Summarize the discussion about the rubber case", "answer": "-",
         "relevant_text_span": [["3", "4"]]},
        {"query": "What about the budget?", "answer": "-", "relevant_text_span": [["0", "1"]]},
    ],
}


async def test_qmsum_metrics_for_ours_and_the_baseline(tmp_path: Path) -> None:
    (tmp_path / "Tiny001.json").write_text(json.dumps(MEETING), encoding="utf-8")
    result = await evaluate_qmsum(tmp_path)
    assert (result.meetings, result.queries) == (1, 3)
    # battery: both relevant turns found (stemming joins "batteries"); budget: only
    # turn 5, outside the span. The baseline pads with non-matching turns 0, 1, ...
    assert result.ours == Metrics(hit5=0.667, p5=0.267, mrr=0.667)
    assert result.baseline == Metrics(hit5=1.0, p5=0.4, mrr=0.833)
    assert format_report(result, None).splitlines()[2:] == [
        "  briefbot quote search         0.667  0.267  0.667",
        "  baseline rank-bm25 turns      1.000  0.400  0.833",
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
