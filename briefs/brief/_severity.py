"""How bad a risk is, read from what its sentence says: 0 (slight) to 1 (grave).

Only the sentence's own words count, so the number can be checked against the
quote: its forms (a consequence said outright weighs more than a risk word),
magnitude (numbers, money, percentages, durations), scope (the whole company,
every customer, society), certainty (it happened or will, against may or might)
and hedges ("a little", "minor") that lower it.
"""

from __future__ import annotations

import re

from briefs.brief._risk_rules import Signal

__all__ = ["severity"]

_I = re.IGNORECASE
_FORM_WEIGHT = {
    "conditional": 0.14,
    "possible": 0.12,
    "happened": 0.12,
    "dependence": 0.16,
    "ageing": 0.1,
    "money": 0.12,
    "legal": 0.08,
    "safety": 0.12,
    "people": 0.1,
    "vocabulary": 0.06,
    "outcome": 0.06,
}
_NUMBER = re.compile(
    r"\b\d[\d,.]*\s*(?:%|percent|per cent|million|billion|thousand|points?|"
    r"weeks?|months?|days?|dollars?)?"
    r"|\b(?:half|a third|a quarter|sixty|seventy|eighty|ninety|forty|fifty|"
    r"thirty|hundred|million|billion)\b",
    _I,
)
_MAGNITUDE = re.compile(
    r"\b(?:biggest|main|major|serious(?:ly)?|severe|critical|grave|huge|massive|real|significant|"
    r"entire|whole|all of|everything|catastroph\w*|existential|worst|largest|most)\b",
    _I,
)
_SCOPE = re.compile(
    r"\b(?:revenue|margins?|full-year|the company|the business|every(?:one|body)?|all (?:our|the)|"
    r"customers|subscribers|society|the public|the city|residents|patients|children|jobs|lives)\b",
    _I,
)
_CERTAIN = re.compile(r"\b(?:will|has|have|had|did|is going to|already|inevitabl\w*|certain)\b", _I)
_HEDGE = re.compile(
    r"\b(?:a (?:little|bit)|slight(?:ly)?|minor|small|somewhat|unlikely|a touch|"
    r"marginal(?:ly)?|tight)\b",
    _I,
)


def severity(sentence: str, signal: Signal) -> float:
    """The severity of the risk ``sentence`` states (``signal`` is ``read(sentence)``)."""
    score = 0.2 + sum(_FORM_WEIGHT.get(f, 0.0) for f in signal.forms)
    score += min(len(_NUMBER.findall(sentence)), 3) * 0.07
    score += min(len(_MAGNITUDE.findall(sentence)), 2) * 0.06
    score += min(len(_SCOPE.findall(sentence)), 2) * 0.05
    if signal.happened or _CERTAIN.search(sentence):
        score += 0.04
    score -= min(len(_HEDGE.findall(sentence)), 2) * 0.06
    return round(min(max(score, 0.05), 1.0), 2)
