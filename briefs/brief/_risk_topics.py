"""Risk forms by topic: money, legal and regulatory, safety and security, people.

Read by ``_risk_rules.read`` beside the general forms (conditional consequence,
dependence, ageing). Each pattern names something bad in its topic's own sense:
"exposure" to a rate or a market, not "exposure to Welsh"; "unpaid" invoices,
not "unpaid carers"; "runway" as months of cash, not an airfield.
"""

from __future__ import annotations

from briefs.brief._risk_senses import rx as _rx

__all__ = ["LEGAL", "MONEY", "NUM", "PEOPLE", "SAFETY", "SAFETY_WEAK"]

NUM = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|\w+teen|\w+ty|half"
    r"|a third|a quarter)"
)
MONEY = _rx(
    # Runway is cash time, not an airfield: "five months of runway", "our runway".
    r"\b(?:months?|weeks?|years?) of runway\b|\b(?:our|cash|financial|the company's) runway\b",
    r"\bcash (?:runs?|ran) (?:out|low)\b",
    r"\bcost overruns?\b",
    r"\bheadwinds?\b",
    # Exposure is financial only when it is someone's or to a market, rate or party
    # (not "exposure to Welsh", "media exposure").
    r"\b(?:our|their|its|financial|credit|currency|market|interest[- ]rate|counterparty|total|"
    r"net) exposure\b",
    r"\bexposure to (?:the )?(?:\w+ )?(?:rates?|currenc\w+|markets?|prices?|debt|loans?|credit|"
    r"tariffs?|losses|volatility|suppliers?|customers?|one)\b",
    r"\bwrite-?offs?\b",
    r"\bwrite-downs?\b",
    r"\bwritten (?:off|down)\b",
    r"\bburn(?:ing)? (?:rate|through)\b",
    r"\bmargin (?:squeeze|pressure)\b",
    # Unpaid money, not a kind of person or work ("unpaid carers", "unpaid work").
    r"\bunpaid (?:invoices?|bills?|wages|salar\w+|rent|taxes|debts?|loans?|balances?|fees|"
    r"premiums?)\b",
    r"\b(?:left|went|go|goes|remain|remains|are|is|were|was)(?: still| now| already)? unpaid\b",
    r"\b(?:price|contract|hedge|cover|warranty|lease|support|insurance|deal)\b[^.;]{0,20}\b"
    r"(?:ends|expires|runs out|lapses)\b",
    rf"\b{NUM} (?:months?|weeks?) of cash\b",
    r"\b(?:isn'?t|is not|not) in (?:this year's |next year's |the |our )?budget\b",
    r"\b(?:unbudgeted|unfunded)\b",
    r"\bcosts? (?:are|is|were|was) (?:\w+ )?higher than\b",
    r"\b(?:doesn'?t|does not|won'?t|will not) cover (?:everything|the (?:cost|costs|gap|bill))\b",
    r"\b(?:capacity|money|funding|staff|data) is (?:simply |just )?not there\b",
    r"\b(?:don'?t|do not) (?:really )?have (?:the|enough) (?:data|money|staff|"
    r"people|time|capacity)\b",
    r"\bcan'?t (?:make|meet) payroll\b",
)
LEGAL = _rx(
    r"\btariffs?\b",
    r"\bregulators?\b",
    r"\blawsuits?\b",
    r"\blitigation\b",
    r"\bfined\b",
    r"\bpenalt(?:y|ies)\b",
    r"\bviolat\w+",
    r"\bliabilit(?:y|ies)\b",
    r"\bnon-?complian\w+",
    r"\bsanctions?\b",
    r"\binvestigation\b",
    r"\binterconnection (?:slots?|agreements?)\b",
    r"\bnew (?:\w+ )?(?:rules?|regulations?|laws?|standards?|requirements?)\b",
)
SAFETY = _rx(
    r"\battacks?\b",
    r"\battackers?\b",
    r"\binjection\b",
    r"\bbreach(?:es)?\b",
    r"\bexploit(?:s|ed)?\b",
    r"\bphishing\b",
    r"\bmalicious\b",
    r"\bbad actors?\b",
    r"\bpoison\w*",
    r"\bunsafe\b",
    r"\bweaker (?:when it comes to|on|in) (?:safety|security)\b",
    r"\b(?:weak|lax|poor) (?:safety|security)\b",
    r"\bunpatched\b",
    r"\babuse\b",
    r"\b(?:remov\w+|eliminat\w+|without) (?:\w+ ){0,3}safeguards\b",
    r"\bholes?\b[^.;]{0,30}\bstays? open\b",
    r"\btried (?:\w+ ){0,3}to (?:log in|break in|get in|access|guess)\b",
    r"\bdestructive\b",
    r"\b(?:can|could|would|might) kill\b",
    r"\b(?:deadly|fatal|lethal|toxic)\b",
)
PEOPLE = _rx(
    r"\b(?:lose|losing|lost) (?:their |our |your )?jobs?\b",
    r"\bjob loss(?:es)?\b",
    r"\bunemployment (?:rises?|rising|will|could|goes up|is up)\b",
    r"\b(?:rise|rising|increase) in unemployment\b",
    r"\bmass unemployment\b",
    r"\b(?:distrust|mistrust)\b",
    r"\b(?:lose|losing|lost) (?:the )?(?:public'?s? )?trust\b",
    r"\bburn(?:ed|t)? out\b",
    r"\bburnout\b",
    r"\b(?:staff|high|crew|employee) turnover\b",
    r"\bturnover (?:of|among) (?:staff|crews?|drivers|nurses|teachers|engineers)\b",
    r"\bbacklash\b",
    r"\b(?:retire|retiring|retires|leaving|resigning) (?:next|this|in|at)\b",
    rf"\btakes? (?:about |roughly |over |at least )?{NUM} (?:months|years) to (?:train|bring|hire|"
    r"replace|qualify)\b",
)
# Safety words that are often said of what went well ("no incidents"): weaker evidence.
SAFETY_WEAK = _rx(
    r"\bincidents?\b",
    r"\bfires?\b(?! (?:him|her|them|someone|people))",
    r"\blead (?:pipes?|service lines?|levels?)\b",
    r"\baccidents?\b",
    r"\b(?:harmful|damaging)\b",
    r"\bcriminals?\b",
    r"\bweapons?\b",
)
