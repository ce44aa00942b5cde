"""A second gate after the risk rules: a small learned check for other senses.

The rules (``_risk_rules.read``) find the forms a risk is said in, and keep
recall; but every unseen batch of meetings brings new other senses of risk
words ("concerned to get this rolling", "take a risk on the market") that no
rule foresaw. This gate is a logistic regression over the rules' own forms and
the sentence's word unigrams and bigrams, trained on every seen part of the
judged set by ``eval/train_risks.py`` (deterministic, offline), its threshold
chosen by leave-one-source-out cross-validation (at 529 sentences that choice
is 0.05: held-out meetings showed no threshold that beats the rules, so the gate
undoes almost nothing until more labelled sentences exist). It only ever
says "no" to a sentence the rules took, so it can raise precision but never
find a risk the rules missed. Its weights are a small JSON file beside this
module (``_risk_weights.json``); without it every rule verdict stands.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from briefs.brief._risk_rules import Signal

__all__ = ["WEIGHTS", "RiskModel", "features", "load_model"]

WEIGHTS = Path(__file__).with_name("_risk_weights.json")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words too common to tell senses apart; dropping them keeps the weights small.
_STOP = frozenset({
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "is", "are",
    "was", "were", "be", "been", "it", "this", "that", "uh", "um", "so", "yeah", "okay",
})


def features(sentence: str, signal: Signal, *, question: bool) -> list[str]:
    """The names of the features ``sentence`` has (each counts once)."""
    low = sentence.replace("’", "'").casefold()
    words = [w for w in _WORD.findall(low) if w not in _STOP]
    out = {f"form:{f}" for f in signal.forms}
    out.add(f"points:{min(signal.points, 5)}")
    if question:
        out.add("question")
    if signal.conditional:
        out.add("conditional")
    if signal.happened:
        out.add("happened")
    out.update(f"w:{w}" for w in words)
    out.update(f"b:{a}_{b}" for a, b in pairwise(words))
    return sorted(out)


class RiskModel:
    """Logistic regression weights and the probability below which a rule verdict is undone."""

    def __init__(self, bias: float, weights: dict[str, float], threshold: float) -> None:
        self.bias = bias
        self.weights = weights
        self.threshold = threshold

    def probability(self, sentence: str, signal: Signal, *, question: bool) -> float:
        """How likely ``sentence`` (which the rules took) is a risk."""
        z = self.bias + sum(
            self.weights.get(f, 0.0) for f in features(sentence, signal, question=question)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def confirms(self, sentence: str, signal: Signal, *, question: bool) -> bool:
        """True unless the model is confident the rules took another sense."""
        return self.probability(sentence, signal, question=question) >= self.threshold


@lru_cache(maxsize=4)
def load_model(path: Path = WEIGHTS) -> RiskModel | None:
    """The trained gate, or None when its weights are absent or unreadable (rules alone)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RiskModel(
            float(data["bias"]),
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data["threshold"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
