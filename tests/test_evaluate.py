"""The brief evaluation: metrics on hand-computed cases, the run on a tiny QMSum fixture."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from nltk.metrics import segmentation as nltk_seg

from bot.cli import main
from briefs.errors import EmptySource, ReadError
from briefs.eval import (
    HEADINGS_HIDDEN,
    NO_BOUNDARIES,
    OURS,
    OURS_DEFAULT,
    UNIFORM,
    DocumentResult,
    EvalResult,
    SetResult,
    baseline_sentences,
    default_interview_paths,
    evaluate_interview,
    evaluate_qmsum,
    format_table,
)
from briefs.eval._baselines import RegexTokenizer, summarize_baseline
from briefs.eval._gold import read_meeting_gold
from briefs.eval._metrics import (
    BoundaryScore,
    RougeScore,
    boundary_f1,
    default_k,
    pk,
    rouge,
    scale_tolerance,
    score_boundaries,
    truncate_words,
    uniform_boundaries,
    window_diff,
)
from briefs.passages import Passage
from briefs.readers import read_path
from briefs.transcript import Transcript, TranscriptBuilder

FIXTURE = Path(__file__).parent / "data" / "qmsum_fixture"


# --- metrics on hand-computed cases -------------------------------------------------


def test_boundary_f1_matches_each_gold_boundary_once_within_three_turns() -> None:
    # 5~3 and 20~22 match; 40 is 10 turns from anything.
    assert boundary_f1([5, 20, 40], [3, 22, 30]) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    # Two predictions near one gold boundary: only one of them counts.
    assert boundary_f1([10, 11], [10]) == pytest.approx((0.5, 1.0, 2 / 3))
    # Four turns away is out of reach.
    assert boundary_f1([14], [10]) == (0.0, 0.0, 0.0)


def test_boundary_f1_finds_the_maximum_matching_not_the_nearest_first() -> None:
    # Nearest-first would pair 5 with 6 and leave 9 alone; 5-2 and 9-6 is better.
    assert boundary_f1([5, 9], [2, 6]) == (1.0, 1.0, 1.0)


def test_boundary_f1_edge_cases() -> None:
    assert boundary_f1([], []) == (1.0, 1.0, 1.0)
    assert boundary_f1([], [4]) == (0.0, 0.0, 0.0)
    assert boundary_f1([4], []) == (0.0, 0.0, 0.0)


def test_pk_and_window_diff_on_a_hand_computed_case() -> None:
    # 10 turns, gold boundary before turn 5, windows of 3 turns: 8 positions.
    # No prediction: the 3 windows holding the gold boundary are wrong.
    assert pk([], [5], 10, k=3) == pytest.approx(3 / 8)
    assert window_diff([], [5], 10, k=3) == pytest.approx(3 / 8)
    # Boundaries before 4 and 5: Pk only misses the window 2-4; WindowDiff also
    # counts the two windows holding both predicted boundaries.
    assert pk([4, 5], [5], 10, k=3) == pytest.approx(1 / 8)
    assert window_diff([4, 5], [5], 10, k=3) == pytest.approx(3 / 8)
    assert pk([5], [5], 10, k=3) == 0.0
    assert window_diff([5], [5], 10, k=3) == 0.0


def test_default_k_is_half_the_mean_gold_segment_length() -> None:
    assert default_k([10, 20, 30], 40) == 5
    assert default_k([], 9) == 4
    assert default_k([1], 2) == 1


@pytest.mark.parametrize(
    ("n", "gold", "pred", "k"),
    [(20, [5, 12], [6, 15], 4), (30, [10], [3, 10, 25], 7), (12, [2, 3, 9], [], 2)],
)
def test_pk_and_window_diff_agree_with_nltk(
    n: int, gold: list[int], pred: list[int], k: int
) -> None:
    def marks(bounds: list[int]) -> str:
        return "".join("1" if i in bounds else "0" for i in range(n))

    assert pk(pred, gold, n, k) == pytest.approx(nltk_seg.pk(marks(gold), marks(pred), k))
    assert window_diff(pred, gold, n, k) == pytest.approx(
        nltk_seg.windowdiff(marks(gold), marks(pred), k)
    )


def test_uniform_boundaries_split_into_equal_segments() -> None:
    assert uniform_boundaries(10, 2) == [5]
    assert uniform_boundaries(10, 3) == [3, 7]
    assert uniform_boundaries(5, 10) == [1, 2, 3, 4]
    assert uniform_boundaries(10, 1) == []
    assert uniform_boundaries(0, 3) == []


def test_score_boundaries_ignores_boundaries_outside_the_document() -> None:
    assert score_boundaries([0, 5, 5, 12], [5], 10) == BoundaryScore(
        f1=1.0,
        precision=1.0,
        recall=1.0,
        pk=0.0,
        window_diff=0.0,
        scale_f1=1.0,
        predicted=1,
        gold=1,
    )


def test_scale_f1_matches_within_half_a_gold_segment() -> None:
    # 100 turns, gold boundaries at 25, 50, 75: segments of 25, window round(12.5) = 12.
    gold = [25, 50, 75]
    assert scale_tolerance(gold, 100) == 12
    # 10 turns off is a miss at 3 turns but a hit at half a segment; 14 off misses both.
    score = score_boundaries([35, 50, 89], gold, 100)
    assert (score.f1, score.scale_f1) == (pytest.approx(1 / 3), pytest.approx(2 / 3))


def test_rouge_uses_stemming_and_truncate_words_cuts_at_the_budget() -> None:
    assert rouge("the meetings decided", "the meeting decides").r1 == pytest.approx(1.0)
    assert rouge("budget", "garden").r1 == 0.0
    assert truncate_words("one two  three\nfour", 3) == "one two three"


# --- baselines --------------------------------------------------------------------------


def test_regex_tokenizer_needs_no_nltk_data() -> None:
    tok = RegexTokenizer()
    assert tok.to_words("Don't stop, it's 9 o'clock.") == ("Don't", "stop", "it's", "9", "o'clock")
    assert tok.to_sentences("One here. Two there! Three?") == ("One here.", "Two there!", "Three?")


@pytest.mark.parametrize("name", ["lexrank", "luhn"])
def test_baselines_pick_whole_input_sentences_in_order_up_to_the_budget(name: str) -> None:
    sentences = [
        f"The garden team discussed topic number {i} about watering plants and budgets."
        for i in range(30)
    ]
    summary = summarize_baseline(name, sentences, 25)
    picked = [s for s in sentences if s in summary]
    assert " ".join(picked) == summary
    assert 25 <= len(summary.split()) < 25 + 12
    assert summarize_baseline(name, [], 25) == ""


def test_unknown_baseline_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown baseline"):
        summarize_baseline("oracle", ["A sentence here."], 10)


# --- gold data ----------------------------------------------------------------------------


def test_meeting_gold_reads_summary_and_span_starts() -> None:
    gold = read_meeting_gold(FIXTURE / "Fix001.json")
    assert (gold.name, gold.turn_count, gold.boundaries) == ("Fix001", 19, (7, 13))
    assert gold.summary.startswith("The team set the budget")


def test_meeting_gold_counts_every_return_of_a_topic(tmp_path: Path) -> None:
    data = json.loads((FIXTURE / "Fix001.json").read_text())
    data["topic_list"] = [
        {"topic": "a", "relevant_text_span": [["0", "4"], ["12", "15"]]},
        {"topic": "b", "relevant_text_span": [["5", "11"], ["16", "40"]]},
    ]
    (tmp_path / "m.json").write_text(json.dumps(data))
    assert read_meeting_gold(tmp_path / "m.json").boundaries == (5, 12, 16)


# --- the evaluation run: the product's reader, an oracle builder ----------------------------
# The oracle returns the gold summary and boundaries, so every score is known.


def _oracle_builder(path_of: dict[str, Path]) -> Any:
    def build(transcript: Transcript, passages: list[Passage], words: int) -> Any:
        gold = read_meeting_gold(path_of[transcript.title])
        return SimpleNamespace(
            engine="oracle",
            tldr=[SimpleNamespace(text=gold.summary)],
            turning_points=[SimpleNamespace(turn_index=b) for b in (0, *gold.boundaries)],
        )

    return build


def test_evaluate_qmsum_scores_an_oracle_perfectly_beside_the_baselines() -> None:
    paths = {p.stem: p for p in FIXTURE.glob("*.json")}
    result = evaluate_qmsum(FIXTURE, reader=read_path, builder=_oracle_builder(paths))
    assert [d.name for d in result.documents] == ["Fix001", "Fix002", "Fix003"]
    assert result.skipped == []
    assert result.engine == "oracle"
    summaries = result.summary_means()
    assert list(summaries) == [OURS, "lexrank", "luhn"]
    assert summaries[OURS].r1 == pytest.approx(1.0)
    assert 0.2 < summaries["lexrank"].r1 < 0.9
    assert 0.2 < summaries["luhn"].r1 < 0.9
    segments = result.segment_means()
    assert segments[OURS] == BoundaryScore(1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 4 / 3, 4 / 3)
    assert segments[NO_BOUNDARIES].f1 == 0.0
    assert segments[NO_BOUNDARIES].predicted == 0
    # Fix001: uniform [6, 13] vs gold [7, 13]; Fix002: [6] vs [7]; Fix003: [6] vs [6].
    assert segments[UNIFORM].f1 == 1.0
    assert segments[UNIFORM].pk > 0.0


def test_paired_differences_per_document() -> None:
    def doc(name: str, ours: float, lexrank: float, luhn: float) -> DocumentResult:
        r = {OURS: ours, "lexrank": lexrank, "luhn": luhn}
        return DocumentResult(
            name, 10, 1, {}, {k: RougeScore(v, 0.0, 0.0) for k, v in r.items()}, {}
        )

    result = SetResult("t", "t", 110, [doc("a", 0.3, 0.2, 0.3), doc("b", 0.5, 0.2, 0.6)])
    # Differences with lexrank: 0.1 and 0.3 (mean 0.2, sd 0.1414, s.e. 0.1).
    rounded = [
        (p.metric, p.baseline, round(p.mean_difference, 6), round(p.standard_error, 6), p.ahead)
        for p in result.paired()
    ]
    assert rounded == [("R1", "lexrank", 0.2, 0.1, 2), ("R1", "luhn", -0.05, 0.05, 0)]
    assert [(p.behind, p.documents) for p in result.paired()] == [(0, 2), (1, 2)]


def test_evaluate_qmsum_skips_a_bad_file_with_its_reason(tmp_path: Path) -> None:
    shutil.copy(FIXTURE / "Fix002.json", tmp_path)
    (tmp_path / "broken.json").write_text("{not json")
    paths = {"Fix002": tmp_path / "Fix002.json"}
    result = evaluate_qmsum(tmp_path, reader=read_path, builder=_oracle_builder(paths))
    assert [d.name for d in result.documents] == ["Fix002"]
    assert len(result.skipped) == 1
    assert result.skipped[0].startswith("broken.json: broken.json: not readable JSON")


def test_evaluate_qmsum_limit_and_bad_folders(tmp_path: Path) -> None:
    paths = {p.stem: p for p in FIXTURE.glob("*.json")}
    result = evaluate_qmsum(FIXTURE, limit=1, reader=read_path, builder=_oracle_builder(paths))
    assert [d.name for d in result.documents] == ["Fix001"]
    with pytest.raises(EmptySource, match="no QMSum meeting files"):
        evaluate_qmsum(tmp_path, reader=read_path)
    with pytest.raises(ReadError, match="no such folder"):
        evaluate_qmsum(tmp_path / "missing", reader=read_path)


def test_segments_are_not_scored_when_turns_do_not_line_up() -> None:
    def dropping_reader(path: Path) -> Transcript:
        full = read_path(path)
        builder = TranscriptBuilder(format="qmsum", source=str(path), title=path.stem)
        for turn in full.turns[1:]:
            builder.add("speech", turn.text, builder.speaker(turn.speaker or "x"))
        return builder.build()

    paths = {p.stem: p for p in FIXTURE.glob("*.json")}
    result = evaluate_qmsum(
        FIXTURE, limit=1, reader=dropping_reader, builder=_oracle_builder(paths)
    )
    assert result.documents[0].segments == {}
    assert result.documents[0].note == "18 turns read, the source has 19: segments not scored"
    assert "note: Fix001: 18 turns read" in format_table(EvalResult([result]))


def _interview(tmp_path: Path) -> tuple[Path, Path, Path]:
    transcript = tmp_path / "talk.txt"
    transcript.write_text("stand-in: the reader below builds the turns")
    reference = tmp_path / "reference.json"
    reference.write_text(json.dumps([{"text": "Compute is the bottleneck for new models."}]))
    headings = tmp_path / "headings.json"
    headings.write_text(
        json.dumps(
            [
                # Right number, right words.
                {
                    "heading": "Compute",
                    "before_turn": 2,
                    "first_turn_after": {"text": "Why compute"},
                },
                # Wrong number: found again by its opening words.
                {
                    "heading": "Jobs",
                    "before_turn": 9,
                    "first_turn_after": {"text": "What about jobs"},
                },
                {
                    "heading": "Gone",
                    "before_turn": 1,
                    "first_turn_after": {"text": "Not in the talk"},
                },
            ]
        )
    )
    return transcript, reference, headings


def _interview_reader(path: Path) -> Transcript:
    b = TranscriptBuilder(format="text", source=str(path), title="talk")
    host, guest = b.speaker("Host"), b.speaker("Guest")
    b.add("speech", "Welcome to the show, today we talk about models.", host)
    b.add("speech", "Thanks for having me on the show today.", guest)
    b.add("heading", "Compute")  # turn 2
    b.add("speech", "Why compute matters so much now?", host)  # speech 2
    b.add("speech", "Compute is the bottleneck for every new model we train.", guest)
    b.add("note", "An editor's aside.")  # turn 5
    b.add("speech", "What about jobs and the people doing them?", host)  # speech 4
    b.add("speech", "Jobs will change as models take over routine work.", guest)
    return b.build()


def test_interview_headings_become_speech_turn_boundaries(tmp_path: Path) -> None:
    def build(transcript: Transcript, passages: list[Passage], words: int) -> Any:
        # With headings: segments start at the heading (turn 2) and at the note
        # (turn 5). Without them this "segmenter" guesses turn 1.
        has_headings = any(t.kind == "heading" for t in transcript.turns)
        points = [SimpleNamespace(turn_index=i) for i in ((0, 2, 5) if has_headings else (0, 1))]
        return SimpleNamespace(
            engine="test",
            tldr=[SimpleNamespace(text="Compute is the bottleneck.")],
            turning_points=points,
        )

    result = evaluate_interview(*_interview(tmp_path), reader=_interview_reader, builder=build)
    assert result.budget == 7
    [doc] = result.documents
    assert (doc.turns, doc.gold_boundaries) == (6, 2)
    assert doc.note == "headings not found in the dialogue: Gone"
    assert doc.segments[OURS] == BoundaryScore(1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 2, 2)
    # Turn 1 is within 3 turns of the boundary at 2: one of two found.
    blind = doc.segments[HEADINGS_HIDDEN]
    assert (blind.precision, blind.recall, blind.f1) == (1.0, 0.5, pytest.approx(2 / 3))
    assert list(doc.segments) == [OURS, NO_BOUNDARIES, UNIFORM, HEADINGS_HIDDEN]
    assert doc.words[OURS] == 4
    assert list(doc.summaries) == [OURS, "lexrank", "luhn", OURS_DEFAULT]


# --- the command line ----------------------------------------------------------------------


def test_cli_eval_briefs_prints_the_tables_and_exits_0() -> None:
    result = CliRunner().invoke(main, ["eval", "briefs", str(FIXTURE), "--no-interview"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("QMSum qmsum_fixture: 3 transcripts, TL;DR at 110 words, engine ")
    rows = [line.split()[0] for line in lines[1:9]]
    assert rows == [
        "summary", "briefbot", "lexrank", "luhn",
        "segments", "briefbot", "no", "uniform",
    ]  # fmt: skip
    paired = (
        r"  briefbot - {}: {} [+-]\d\.\d{{3}} \(s\.e\. \d\.\d{{3}}\),"
        r" ahead on \d, behind on \d of 3"
    )
    whole = r"  TL;DR quotes that are whole sentences: 1\.000 \((\d+) of \1\)"
    assert re.fullmatch(whole, lines[9])
    assert re.fullmatch(paired.format("lexrank", "R1"), lines[10])
    assert re.fullmatch(paired.format("luhn", "R1"), lines[11])
    assert re.fullmatch(paired.format(re.escape(UNIFORM), "boundary F1"), lines[12])
    assert re.fullmatch(paired.format(re.escape(UNIFORM), "scale F1"), lines[13])
    assert lines[14] == ""
    assert lines[15].startswith("samples: TL;DR quotes that are whole sentences: ")
    names = [line.split()[0] for line in lines[16:]]
    assert "town-hall-hard-wrapped.txt" in names and "garden-hour-asr.json" in names


def test_cli_eval_briefs_json_and_limit() -> None:
    args = ["eval", "briefs", str(FIXTURE), "--no-interview", "--json", "--limit", "2"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    [qmsum] = data["sets"]
    assert data["boundary_tolerance_turns"] == 3
    assert (qmsum["documents_scored"], qmsum["budget_words"]) == (2, 110)
    assert [d["name"] for d in qmsum["documents"]] == ["Fix001", "Fix002"]
    assert list(qmsum["summaries"]) == [OURS, "lexrank", "luhn"]
    assert list(qmsum["segments"]) == [OURS, NO_BOUNDARIES, UNIFORM]
    assert set(qmsum["summaries"][OURS]) == {"r1", "r2", "rl"}


def test_cli_eval_briefs_on_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "briefs", str(tmp_path / "nope"), "--no-interview"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'nope'}: no such folder; give a folder of QMSum meeting JSON files\n"
    )


def test_baseline_sentences_are_speech_only_without_fillers_or_scraps() -> None:
    b = TranscriptBuilder(format="text", source="t", title="t")
    host = b.speaker("Host")
    b.add("heading", "A heading that is long enough to count")
    b.add(
        "speech", "Um, so the budget is, uh, forty thousand euro this year. Yeah. Okay then.", host
    )
    b.add("note", "An editor's note that is long enough to count.")
    assert baseline_sentences(b.build()) == ["so the budget is, forty thousand euro this year."]


def test_the_real_interview_lines_up_with_its_headings(interview_path: Path) -> None:
    paths = default_interview_paths()
    assert paths is not None and paths[0] == interview_path
    result = evaluate_interview(*paths)
    [doc] = result.documents
    assert (doc.gold_boundaries, doc.note) == (4, "")
    assert doc.turns == len(read_path(interview_path).speech_turns)
    assert result.budget == 266
    assert set(doc.segments) == {OURS, NO_BOUNDARIES, UNIFORM, HEADINGS_HIDDEN}
