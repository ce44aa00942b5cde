"""Risk views: the risks said in a conversation, who said them, how bad, what is done.

A risk is a statement, not a word (``_risk_rules.read``): "if the remaining
modules are delayed again, we could miss that date" is one, "no worries about
the cost" is not. Three kinds of item come out:

- ``concern``: a question about a risk, attributed to whoever asked it;
- ``answer``: the reply's most telling sentence, in the group of whoever answered;
- ``view``: a risk stated outright.

A concern or view carries its ``mitigation`` when a sentence soon after says
what is being done about it ("We signed a second supplier ..."), attributed
to its own speaker. Each item has a ``severity`` (``_severity``); the view shows
the ``MAX_SHOWN`` gravest items, a concern with its answer counting as two and
kept together, and the rest go to "more". Items are grouped by speaker, the
host first, and ranked gravest first within each group.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefs.brief._risk_model import load_model
from briefs.brief._risk_rules import Signal, is_mitigation, read
from briefs.brief._sentences import Candidate
from briefs.brief._severity import severity
from briefs.brief._tldr import RESTART as _RESTART

__all__ = ["MAX_SHOWN", "RiskPick", "is_risk_statement", "pick_risks", "rules_take"]

MAX_SHOWN = 8
MIN_WORDS = 6
MITIGATION_TURNS = 3
"""How many turns after a risk its mitigation may come (the risk's own turn included)."""
PICKED_UP_TURNS = 20
"""How far a later question may pick a risk up again ("Hana, on the supplier concentration")."""

# A long answer's thesis: where the speaker says what they hold, not only what they fear.
_STANCE = re.compile(
    r"\b(?:we (?:truly |really )?believe|what we (?:truly |really )?believe|"
    r"more inclined|instead of|"
    r"rather than|the (?:answer|way|solution) is|can'?t be (?:decided|solved|"
    r"done)|has to be|have to be|"
    r"must|needs? to be)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RiskPick:
    candidate: Candidate
    kind: str  # "concern", "answer" or "view"
    severity: float
    mitigation: Candidate | None = None


@dataclass(slots=True)
class _Unit:
    """A concern with its answer, or a view: what is shown or moved to "more" together."""

    picks: list[RiskPick]

    @property
    def severity(self) -> float:
        return max(p.severity for p in self.picks)

    @property
    def rank(self) -> float:
        """Ranking weight: a risk asked about and answered, or acted on, was discussed."""
        discussed = 0.1 * (len(self.picks) > 1) + 0.05 * (self.picks[0].mitigation is not None)
        return self.severity + discussed

    @property
    def order(self) -> int:
        return self.picks[0].candidate.order


def _eligible(c: Candidate) -> bool:
    return c.n_words >= MIN_WORDS


def _answer(
    concern: Candidate,
    cands: Sequence[Candidate],
    by_order: dict[int, int],
    signals: dict[int, Signal],
) -> Candidate | None:
    """The most telling sentence of the next turn by someone else."""
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
    reply = [c for c in cands[i:j] if _eligible(c) and not c.question]
    if not reply:
        return None
    asked = set(concern.stems)

    def score(c: Candidate) -> tuple[float, int]:
        s = signals[c.order]
        return (
            min(s.points, 4) * 1.5
            + 4 * bool(_STANCE.search(c.quote))
            + len(asked & set(c.stems))
            - 2 * len(_RESTART.findall(c.text)),
            -c.order,
        )

    return max(reply, key=score)


def _mitigation(
    head: Candidate,
    answer: Candidate | None,
    cands: Sequence[Candidate],
    by_order: dict[int, int],
    signals: dict[int, Signal],
    taken: set[int],
    used: set[int],
) -> Candidate | None:
    """The first sentence soon after ``head`` that says what is done about it."""
    about = set(head.stems) | set(answer.stems if answer else ())
    last_turn = head.turn_index + MITIGATION_TURNS
    best: Candidate | None = None
    best_score = 0
    for c in cands[by_order[head.order] + 1 :]:
        if c.turn_index > last_turn:
            break
        if c.question or not _eligible(c) or c.order in taken or c.order in used:
            continue
        if signals[c.order].points >= 3:
            continue
        if answer is not None and c.order == answer.order:
            continue
        if not is_mitigation(c.quote):
            continue
        # Said in the reply or sharing the risk's words: about this risk, not another.
        in_reply = answer is not None and c.turn_index == answer.turn_index
        score = len(about & set(c.stems)) + 2 * in_reply
        near = c.turn_index in (head.turn_index, answer.turn_index if answer else -1)
        if score > best_score and (near or score >= 2):
            best, best_score = c, score
    if best is None:
        best = _picked_up_later(head, cands, by_order, signals, taken, used)
    if best is not None:
        used.add(best.order)  # one mitigation answers one risk: no repeats down the view
    return best


def _picked_up_later(
    head: Candidate,
    cands: Sequence[Candidate],
    by_order: dict[int, int],
    signals: dict[int, Signal],
    taken: set[int],
    used: set[int],
) -> Candidate | None:
    """What is done, said in reply to a later question that picks the risk up again.

    An earnings call states a risk in its opening remarks and says what is done
    when an analyst asks about it, many turns later. Two or more shared words
    make the question about this risk; the reply's first sentence that says
    what is done and shares a word with risk or question is its mitigation.
    """
    turns: dict[int, list[Candidate]] = {}
    for c in cands[by_order[head.order] + 1 :]:
        if c.turn_index > head.turn_index + PICKED_UP_TURNS:
            break
        turns.setdefault(c.turn_index, []).append(c)
    about = set(head.stems)
    for index in sorted(turns):
        if index <= head.turn_index + MITIGATION_TURNS - 1:
            continue  # the near window was searched already
        asked = turns[index]
        if not any(c.question for c in asked):
            continue
        topic = set().union(*(c.stems for c in asked))
        if len(about & topic) < 2:
            continue
        reply = turns.get(index + 1, [])
        for c in reply:
            if (
                c.speaker != asked[0].speaker
                and not c.question
                and _eligible(c)
                and c.order not in taken
                and c.order not in used
                and signals[c.order].points < 3
                and is_mitigation(c.quote)
                and (about | topic) & set(c.stems)
            ):
                return c
    return None


def _is_risk_view(c: Candidate, s: Signal) -> bool:
    return not c.question and _states_risk(c.quote, s) and _confirmed(c.quote, s, question=False)


def _is_concern(c: Candidate, s: Signal) -> bool:
    return c.question and s.is_risk and _confirmed(c.quote, s, question=True)


def _confirmed(sentence: str, s: Signal, *, question: bool) -> bool:
    """The learned second gate (``_risk_model``): may undo a rule verdict, never add one."""
    model = load_model()
    return model is None or model.confirms(sentence, s, question=question)


def _states_risk(sentence: str, s: Signal) -> bool:
    if not s.is_risk:
        return False
    if "vocabulary" in s.forms or s.happened or s.conditional or s.points >= 4:
        return True  # "I'm concerned we'll replace half the pipe": a worry, whatever is done
    # "We locked prices, which limits the exposure": an action, shown as a mitigation.
    return not is_mitigation(sentence)


def pick_risks(
    cands: Sequence[Candidate], host: str | None
) -> tuple[list[RiskPick], list[RiskPick]]:
    """``(shown, more)``: at most ``MAX_SHOWN`` gravest items, then the rest, each grouped."""
    by_order = {c.order: i for i, c in enumerate(cands)}
    # Only sentences long enough to be items are read: the rest are never looked up.
    signals = {c.order: read(c.quote) for c in cands if _eligible(c)}
    taken: set[int] = set()
    used: set[int] = set()
    seen_text: set[str] = set()
    units: list[_Unit] = []
    for c in cands:
        if c.order in taken or not _eligible(c):
            continue
        s = signals[c.order]
        concern = _is_concern(c, s)
        if not concern and not _is_risk_view(c, s):
            continue
        key = c.text.casefold()
        if key in seen_text:
            continue
        seen_text.add(key)
        taken.add(c.order)
        sev = severity(c.quote, s)
        if not concern:
            mit = _mitigation(c, None, cands, by_order, signals, taken, used)
            units.append(_Unit([RiskPick(c, "view", sev, mit)]))
            continue
        reply = _answer(c, cands, by_order, signals)
        if reply is not None and reply.order in taken:
            reply = None
        if reply is not None:
            taken.add(reply.order)
            seen_text.add(reply.text.casefold())
        mit = _mitigation(c, reply, cands, by_order, signals, taken, used)
        picks = [RiskPick(c, "concern", sev, mit)]
        if reply is not None:
            rs = signals[reply.order]
            picks.append(RiskPick(reply, "answer", severity(reply.quote, rs) if rs.forms else sev))
        units.append(_Unit(picks))
    shown: list[_Unit] = []
    more: list[_Unit] = []
    room = MAX_SHOWN
    for unit in sorted(units, key=lambda u: (-u.rank, u.order)):
        if len(unit.picks) <= room:
            shown.append(unit)
            room -= len(unit.picks)
        else:
            more.append(unit)
    return _grouped(shown, cands, host), _grouped(more, cands, host)


def _grouped(units: list[_Unit], cands: Sequence[Candidate], host: str | None) -> list[RiskPick]:
    """Picks by speaker (host first, then by first appearance), gravest first in each."""
    speakers = list(dict.fromkeys(c.speaker for c in cands))
    if host in speakers:
        speakers.remove(host)
        speakers.insert(0, host)
    rank = {s: i for i, s in enumerate(speakers)}
    picks = [p for u in units for p in u.picks]
    return sorted(
        picks,
        key=lambda p: (rank.get(p.candidate.speaker, len(rank)), -p.severity, p.candidate.order),
    )


def is_risk_statement(sentence: str) -> bool:
    """True when ``sentence`` would be a risk item: a concern asked or a risk stated.

    The same test ``pick_risks`` applies to each candidate sentence (the
    judged-set evaluation calls it on sentences one at a time).
    """
    if not rules_take(sentence):
        return False
    return _confirmed(sentence, read(sentence), question=sentence.rstrip().endswith("?"))


def rules_take(sentence: str) -> bool:
    """The rules' verdict alone, before the learned gate (what ``eval/train_risks.py`` gates)."""
    if len(sentence.split()) < MIN_WORDS:
        return False
    s = read(sentence)
    if sentence.rstrip().endswith("?"):
        return s.is_risk
    return _states_risk(sentence, s)
