"""Risk views: what each speaker says about risks, concerns, safety and uncertainty.

Only sentences that use risk vocabulary are taken, so nothing is invented: a
conversation without such talk gets no risk items (and the brief says so).
Items are grouped by speaker, the host first; a concern (a question about a
risk) is followed, in the group of whoever answered it, by the answer's most
relevant sentence, so the concern and the answer sit side by side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefs.brief._sentences import Candidate
from briefs.brief._tldr import RESTART as _RESTART

__all__ = ["RISK", "RiskPick", "pick_risks"]

PER_SPEAKER = 4

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


@dataclass(frozen=True, slots=True)
class RiskPick:
    candidate: Candidate
    kind: str  # "concern" (a question about a risk), "answer" or "view"


def _hits(c: Candidate) -> int:
    return len(RISK.findall(c.quote))


def _answer(
    concern: Candidate, cands: Sequence[Candidate], by_order: dict[int, int]
) -> Candidate | None:
    """The best sentence of the next turn by someone else."""
    i = by_order[concern.order] + 1
    while i < len(cands) and cands[i].turn_index == concern.turn_index:
        i += 1
    if i >= len(cands) or cands[i].speaker == concern.speaker:
        return None
    turn = cands[i].turn_index
    # A turn's sentences are consecutive: stop at its end rather than scan the rest.
    j = i
    while j < len(cands) and cands[j].turn_index == turn:
        j += 1
    reply = [c for c in cands[i:j] if c.n_words >= 6 and not c.question]
    if not reply:
        return None
    asked = set(concern.stems)
    return max(reply, key=lambda c: (_hits(c) * 2 + len(asked & set(c.stems)), -c.order))


def pick_risks(cands: Sequence[Candidate], host: str | None) -> list[RiskPick]:
    """Risk items grouped by speaker (host first, then by first appearance)."""
    by_order = {c.order: i for i, c in enumerate(cands)}
    flagged = [c for c in cands if c.n_words >= 6 and _hits(c) > 0]
    speakers = list(dict.fromkeys(c.speaker for c in cands))  # by first appearance
    if host in speakers:
        speakers.remove(host)
        speakers.insert(0, host)
    picks: dict[str, list[RiskPick]] = {s: [] for s in speakers}
    taken: set[int] = set()
    by_speaker: dict[str, list[Candidate]] = {}
    for c in flagged:
        by_speaker.setdefault(c.speaker, []).append(c)
    for s in speakers:
        own = by_speaker.get(s, [])
        # The strongest few of this speaker, shown in the order they were said.
        # Most risk words first, then the most readable (no restarts), then
        # the fuller statement; each thing said once.
        ranked = sorted(
            own,
            key=lambda c: (-_hits(c), len(_RESTART.findall(c.text)), -min(c.n_words, 40), c.order),
        )
        best: list[Candidate] = []
        for c in ranked:
            if c.text.casefold() not in {b.text.casefold() for b in best}:
                best.append(c)
            if len(best) == PER_SPEAKER:
                break
        for c in sorted(best, key=lambda c: c.order):
            if c.order in taken:
                continue
            kind = "concern" if c.question else "view"
            picks[s].append(RiskPick(c, kind))
            taken.add(c.order)
            if kind == "concern":
                reply = _answer(c, cands, by_order)
                if reply is not None and reply.order not in taken:
                    picks.setdefault(reply.speaker, []).append(RiskPick(reply, "answer"))
                    taken.add(reply.order)
    out: list[RiskPick] = []
    for s in speakers:
        out.extend(sorted(picks[s], key=lambda p: p.candidate.order))
    return out
