"""``briefbot eval risks``: the judged risk set, its scores beside the keyword detector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from briefs.eval import JUDGED_RISKS, Score, evaluate_risks, keyword_risk, load_judged
from briefs.eval._risks import PARTS, SHARED, sentence_key

NO_SHARED = Path("/nonexistent/shared")


def test_the_judged_set_is_large_split_and_stores_no_third_party_text() -> None:
    items = json.loads(JUDGED_RISKS.read_text(encoding="utf-8"))["items"]
    assert len(items) >= 80
    # heldout4 is the blind part, in the same locator format as the others.
    assert {"tune", "heldout2", "heldout3"} <= {i["part"] for i in items} <= set(PARTS)
    assert {i["risk"] for i in items} == {True, False}  # risks and decoys
    for i in items:
        if i["source"].startswith("shared:"):
            # A locator only: the first words and a short hash, never the sentence.
            assert set(i) == {"part", "source", "risk", "starts", "key"}
            assert len(i["starts"].split()) <= 3 and len(i["key"]) == 12
        else:
            assert i["source"].startswith("repo:briefs/samples/") and i["text"]


def test_without_shared_the_third_party_sentences_are_skipped_and_counted() -> None:
    items, skipped, missing = load_judged(JUDGED_RISKS, NO_SHARED)
    everything = json.loads(JUDGED_RISKS.read_text(encoding="utf-8"))["items"]
    own = [i for i in everything if i["source"].startswith("repo:")]
    assert (len(items), skipped, missing) == (len(own), len(everything) - len(own), [])
    result = evaluate_risks(JUDGED_RISKS, shared=NO_SHARED, qmsum=None)
    assert result.counts["all"] == len(own)
    ours, before = result.scores["all"]["briefbot"], result.scores["all"]["keywords (before)"]
    # On our own samples the statement reader beats the keyword detector on both counts.
    assert ours.precision > before.precision and ours.recall > before.recall
    assert ours.tp + ours.fp + ours.fn + ours.tn == len(own)


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="needs ../shared")
def test_every_third_party_locator_finds_its_sentence() -> None:
    items, skipped, missing = load_judged()
    assert (skipped, missing) == (0, [])
    assert all(i.text for i in items)


def test_scores_count_what_each_detector_said() -> None:
    s = Score()
    for said, truth in [(True, True), (True, False), (False, True), (False, False), (True, True)]:
        s.add(said, truth)
    assert (s.tp, s.fp, s.fn, s.tn) == (2, 1, 1, 1)
    assert (s.precision, s.recall) == (2 / 3, 2 / 3)
    assert s.to_dict()["f1"] == 0.667
    assert sentence_key("A  risk.") == sentence_key("a risk.")
    # The baseline is today's keyword filter: words, not statements.
    assert keyword_risk("No worries about the cost, it is fine.")
    assert not keyword_risk("If the press breaks, we would miss the orders.")


def _judged(tmp_path: Path, items: list[dict[str, object]]) -> Path:
    judged = tmp_path / "risks.json"
    judged.write_text(json.dumps({"items": items}), encoding="utf-8")
    return judged


def _eval_risks(judged: Path, *flags: str) -> Result:
    args = ["eval", "risks", "--judged", str(judged), "--no-qmsum", *flags]
    return CliRunner().invoke(main, args)


def test_the_command_prints_both_detectors_for_each_part(tmp_path: Path) -> None:
    judged = _judged(tmp_path, [
        {"part": "tune", "source": "repo:x", "risk": True,
         "text": "If the press breaks down, we would miss the spring orders."},
        {"part": "heldout2", "source": "repo:x", "risk": False,
         "text": "No worries about the printing costs, they are tiny."},
    ])
    result = _eval_risks(judged)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Judged risk sentences (precision / recall / F1)"
    assert lines[1:4] == [
        "  tune (1 sentences)",
        "    briefbot           P 1.000  R 1.000  F1 1.000  (tp 1, fp 0, fn 0, tn 0)",
        "    keywords (before)  P 0.000  R 0.000  F1 0.000  (tp 0, fp 0, fn 1, tn 0)",
    ]
    assert lines[5:7] == [
        "    briefbot           P 0.000  R 0.000  F1 0.000  (tp 0, fp 0, fn 0, tn 1)",
        "    keywords (before)  P 0.000  R 0.000  F1 0.000  (tp 0, fp 1, fn 0, tn 0)",
    ]
    data = json.loads(_eval_risks(judged, "--json").output)
    assert data["judged"]["all"]["sentences"] == 2 and data["qmsum"] is None
    assert data["judged"]["all"]["briefbot"]["precision"] == 1.0


def test_a_broken_judged_file_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "risks.json"
    bad.write_text("{not json", encoding="utf-8")
    result = _eval_risks(bad)
    assert result.exit_code != 0
    assert "cannot read the judged risk set" in result.output
    assert "Traceback" not in result.output


def test_a_heldout4_part_is_reported_as_its_own_row_and_in_all(tmp_path: Path) -> None:
    judged = _judged(tmp_path, [
        {"part": "tune", "source": "repo:x", "risk": True,
         "text": "If the press breaks down, we would miss the spring orders."},
        {"part": "heldout4", "source": "repo:x", "risk": True,
         "text": "If the only supplier fails, we would miss the March deadline."},
        {"part": "heldout4", "source": "repo:x", "risk": False,
         "text": "No worries about the printing costs, they are tiny."},
        # A third-party heldout4 item without ../shared: skipped, but its part still shows.
        {"part": "heldout4", "source": "shared:eval/qmsum/test/x.json", "risk": False,
         "starts": "So we are", "key": "0123456789ab"},
    ])
    result = _eval_risks(judged)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  heldout4 (2 sentences)" in lines and "  all (3 sentences)" in lines
    assert "  heldout2 (0 sentences)" not in lines  # parts the file does not name are not rows
    row = lines[lines.index("  heldout4 (2 sentences)") + 1]
    assert row == "    briefbot           P 1.000  R 1.000  F1 1.000  (tp 1, fp 0, fn 0, tn 1)"
    data = json.loads(_eval_risks(judged, "--json").output)
    assert list(data["judged"]) == ["tune", "heldout4", "all"]
    assert data["judged"]["heldout4"]["sentences"] == 2
    assert data["judged"]["heldout4"]["keywords (before)"]["fp"] == 1
