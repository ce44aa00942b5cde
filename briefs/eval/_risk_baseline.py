"""Today's keyword detector (before issue 13), kept as the baseline ``briefbot eval risks`` beats.

A sentence of six words or more that uses any of these risk words was a risk
item. Kept here verbatim so the comparison runs in the same process on the
same sentences, with the detector the brief used to ship.
"""

from __future__ import annotations

import re

__all__ = ["RISK", "keyword_risk"]

MIN_WORDS = 6

# Words and phrases that put risk, concern, safety, downside or uncertainty on the table.
RISK = re.compile(
    r"\b(?:risk(?:s|y|ier|iest)?|danger(?:s|ous)?|unsafe|safety|safeguards?|harm(?:s|ful)?"
    r"|concern(?:s|ed|ing)?|worr(?:y|ies|ied|ying)|fear(?:s|ed|ful)?|afraid|threat(?:s|en|ens)?"
    r"|downside(?:s)?|uncertain(?:ty|ties)?|unclear|unpredictable|misuse|abuse|catastroph\w*"
    r"|backlash|distrust|mistrust|bubble|vulnerab\w*|hazard(?:s|ous)?|caution|cautious|caveat(?:s)?"
    r"|pitfall(?:s)?|drawback(?:s)?|lawsuits?|unemployment"
    r"|go(?:es)? wrong|went wrong|going wrong|lose (?:their |our |your )?jobs?|job loss(?:es)?"
    r"|worst[- ]case|at stake|out of control|bad actors?|weapons?|attack(?:s|ers)?|misalign\w*"
    r"|(?:nobody|no one|no-one) knows|hard to (?:say|predict|know))\b",
    re.IGNORECASE,
)


def keyword_risk(sentence: str) -> bool:
    """True when the keyword detector took ``sentence`` as a risk item."""
    return len(sentence.split()) >= MIN_WORDS and RISK.search(sentence) is not None
