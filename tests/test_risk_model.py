"""The learned second gate after the risk rules (``briefs/brief/_risk_model.py``)."""

from __future__ import annotations

import json
from pathlib import Path

from briefs.brief._risk_model import WEIGHTS, features, load_model
from briefs.brief._risk_rules import read
from briefs.brief._risks import is_risk_statement, rules_take
from briefs.eval import JUDGED_RISKS
from briefs.passages import split_sentences
from briefs.readers import read_path

SAMPLES = Path(__file__).resolve().parents[1] / "briefs" / "samples"


def _sample_sentences() -> list[str]:
    out = []
    for path in sorted(SAMPLES.iterdir()):
        t = read_path(path)
        for turn in t.speech_turns:
            out += [t.text[s.start:s.end] for s in split_sentences(turn.text, turn.start)]
    return out


def test_the_gate_only_undoes_rule_verdicts_never_adds_one() -> None:
    sentences = _sample_sentences()
    assert len(sentences) > 300
    for s in sentences:
        if is_risk_statement(s):
            assert rules_take(s), s


def test_the_shipped_weights_load_and_are_small() -> None:
    model = load_model()
    assert model is not None
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert set(data) == {"about", "bias", "threshold", "weights"}
    assert 0 < model.threshold < 1 and 0 < len(model.weights) < 2000
    assert WEIGHTS.stat().st_size < 40_000


def test_without_weights_the_rules_alone_decide(tmp_path: Path) -> None:
    assert load_model(tmp_path / "absent.json") is None
    broken = tmp_path / "broken.json"
    broken.write_text("{\"bias\": ", encoding="utf-8")
    assert load_model(broken) is None


def test_features_name_rule_forms_words_and_bigrams() -> None:
    s = "If the ferry breaks down, we could lose the winter contract."
    assert features(s, read(s), question=False) == [
        "b:breaks_down", "b:could_lose", "b:down_we", "b:ferry_breaks", "b:if_ferry",
        "b:lose_winter", "b:we_could", "b:winter_contract", "conditional",
        "form:conditional", "form:outcome", "points:3",
        "w:breaks", "w:contract", "w:could", "w:down", "w:ferry", "w:if", "w:lose",
        "w:we", "w:winter",
    ]


def test_the_gate_keeps_every_own_sample_risk_the_rules_take() -> None:
    items = json.loads(JUDGED_RISKS.read_text(encoding="utf-8"))["items"]
    own = [i for i in items if i["source"].startswith("repo:")]
    kept = [i["text"] for i in own if i["risk"] and rules_take(i["text"])]
    assert kept and all(is_risk_statement(t) for t in kept)
