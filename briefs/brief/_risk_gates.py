"""Fast gates for the risk reader: substrings each group of patterns needs to match.

Testing a few substrings (``in``, at C speed) before a pattern spares most
sentences most patterns, which keeps a 65 KB interview's brief under a second.
A gate lists, for every alternative of its patterns, a substring any match must
contain; ``read(..., gated=False)`` skips them, and tests/test_risks.py checks
that both readings agree on every sentence of the samples and the interview.
"""

from __future__ import annotations

__all__ = ["GATES", "SENSE_WORDS", "VOCAB_WORDS"]

SENSE_WORDS = (
    "risk", "safe", "afraid", "concern", "worr", "vulnerab", "uncertain", "fear", "delay",
    "out of time", "kill", "miss out", "awareness", "inject", "attack", "exploit", "fail",
    "breakdown", "crash course",
)
VOCAB_WORDS = (
    "risk", "safe", "afraid", "concern", "worr", "vulnerab", "uncertain", "fear", "danger",
    "hazard", "threat", "downside", "catastroph", "worst", "stake", "misuse", "misalign",
    "pitfall", "drawback", "exposed", "knows", "unpredictable",
)
GATES: dict[str, tuple[str, ...]] = {
    "bad": (
        "miss", "los", "fail", "delay", "slip", "schedule", "overdue", "brok", "break", "stop",
        "shut", "outage", "crash", "short", "run", "ran ", "overrun", "budget", "spoil", "damag",
        "injur", "leak", "breach", "hack", "default", "bankrupt", "insolven", "expir", "recall",
        "churn", "quit", "walk", "fined", "penalt", "lawsuit", "sue", "cut", "held", "stuck",
        "backlog", "bottleneck", "fragile", "collaps", "laid off", "lay", "contaminat", "harm",
        "sitting on", "tie up", "enough", "worse", "out of", "late", "cancel", "nothing to",
        "wear", "absorb", "cost", "meet", "comply", "pass", "too ", "cannot", "can not",
        "could not", "able to", "can't", "couldn't", "won't", "fell", "dropped", "fallen",
        "control", "course", "wrong", "without", "backup", "spare", "cover", "second source",
        "redundancy",
    ),
    "modal": (
        "miss", "los", "fail", "break down", "slip", "run out", "spoil", "leak", "default", "hurt",
        "damag", "delay", "lapse", "cut", "stop for",
    ),
    "happened": (
        "slipped", "held", "failed", "broke", "lost", "missed", "ran out", "spoiled", "leaked",
        "fell", "dropped", "crashed", "delayed", "late", "breached", "hacked", "damaged", "had ",
    ),
    "dependence": (
        "single", "sole", "only", "percent", "per cent", "%", "make up", "makes up", "pay",
        "account", "buy", "bring", "at a time", "depend", "rel", "concentration", "eggs",
    ),
    "ageing": (
        "life", "no longer", "out of", "unsupported", "obsolete", "aging", "ageing", "spare",
        "parts", "stop", "closed", "bust", "shut", "nobody makes", "hasn't", "hasnt",
    ),
    "money": (
        "runway", "cash", "overrun", "headwind", "exposure", "write", "written", "burn", "margin",
        "unpaid", "ends", "expires", "runs out", "lapses", "budget", "unfunded", "higher than",
        "cover", "not there", "have the", "have enough", "payroll",
    ),
    "legal": (
        "tariff", "regulat", "lawsuit", "litigation", "fined", "penalt", "violat", "liabilit",
        "complian", "sanction", "investigation", "interconnection", "rule", "law", "standard",
        "requirement",
    ),
    "safety": (
        "attack", "injection", "breach", "exploit", "phishing", "malicious", "actor", "poison",
        "unsafe", "weak", "lax ", "poor ", "unpatched", "abuse", "safeguards", "hole", "tried",
        "destructive", "kill", "deadly", "fatal", "lethal", "toxic",
    ),
    "safety_weak": (
        "incident", "fire", "lead ", "accident", "harmful", "damaging", "criminal", "weapon",
    ),
    "people": (
        "job", "unemployment", "trust", "burn", "turnover", "backlash", "retir", "leaving",
        "resigning", "take",
    ),
    "vocabulary": VOCAB_WORDS,
}
