"""What makes a sentence a risk statement: something bad that may happen or has happened.

A risk word is neither needed nor enough. "If the remaining modules are delayed
again, we could miss that date" names a risk without one; "No worries about the
cost", "I'm afraid we're out of time" and "the question doesn't concern
consumers" use one and name none. So a sentence is read for *forms*:

- a conditional or possible consequence ("if X, we could / would / might <bad>");
- dependence and concentration ("sixty percent of our panels come from a single
  manufacturer", "two customers make up 60% of revenue");
- shortages, delays and deadlines, ageing or unsupported equipment;
- money (cannot cover, runway, overruns, headwinds), legal and regulatory
  (tariffs, fines, lawsuits), safety and security (attacks, injection,
  incidents), people and society (jobs, trust);
- risk vocabulary used in its risk sense.

Each form found adds evidence (``Signal.points``); a sentence is a risk at
``THRESHOLD``. Other senses and negations take evidence away: "no worries",
"not a concern", "none in six years", "no thermal incidents", "concerning X"
(= about), "risk management office", "safety meeting", "uncertainty principle".
A sentence that says what is being done about a risk is a *mitigation*
(``is_mitigation``), shown beside the risk it answers rather than as one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from briefs.brief._risk_gates import GATES as _GATES
from briefs.brief._risk_gates import SENSE_WORDS
from briefs.brief._risk_senses import DOUBT as _DOUBT
from briefs.brief._risk_senses import MITIGATION as _MITIGATION
from briefs.brief._risk_senses import NEGATED as _NEGATED
from briefs.brief._risk_senses import OTHER_SENSE as _OTHER_SENSE
from briefs.brief._risk_senses import VOCAB as _VOCAB
from briefs.brief._risk_senses import rx
from briefs.brief._risk_topics import LEGAL as _LEGAL
from briefs.brief._risk_topics import MONEY as _MONEY
from briefs.brief._risk_topics import NUM as _NUM
from briefs.brief._risk_topics import PEOPLE as _PEOPLE
from briefs.brief._risk_topics import SAFETY as _SAFETY
from briefs.brief._risk_topics import SAFETY_WEAK as _SAFETY_WEAK

__all__ = ["THRESHOLD", "Signal", "is_mitigation", "read"]

THRESHOLD = 2
_I = re.IGNORECASE


_rx = rx


_EQUIPMENT = (
    r"equipment|pipes?|mains|fleet|compressors?|servers?|machines?|ovens?|"
    r"trucks?|boilers?|plant|roof|"
    r"chillers?|generators?|pumps?|valves?|cables?|wiring|software|firmware|mixers?|systems?|vans?|"
    r"lines|units|turbines?|hardware|network|boats?|vessels?|ships?|engines?|buses|planes?|aircraft"
)

# Something bad happening, said as an outcome: the core of every non-vocabulary form.
BAD = _rx(
    r"\bmiss(?:es|ed|ing)? (?:the |that |this |our |a |its |their |an )?(?:\w+ )?(?:date|deadline|"
    r"target|window|payments?|shipments?|slots?|season|flights?|quarter|forecast|guidance|launch|"
    r"delivery|handover|cut-?off|something important|it)\b",
    r"\blos(?:e|es|ing|t) (?:(?:the|that|our|their|its|a|an|some|all|much|more) )?(?:\w+ )?"
    r"(?:money|customers|clients|jobs?|trust|power|data|slots?|contracts?|business|market|share|"
    r"sales|orders|staff|crews?|people|lives|funding|accreditation|licen[cs]e|farms?|deals?|"
    r"members|subscribers|revenue|income|homes?|savings)\b",
    r"\blose what'?s left\b",
    rf"\blos(?:e|es|ing|t) (?:a |an |the |our |one |two |\w+ )?(?:{_EQUIPMENT})\b",
    r"\bloss(?:es)?\b",
    r"\bfail(?:s|ed|ing|ure|ures)?\b",
    r"\bdelay(?:s|ed|ing)?\b",
    r"\bslip(?:s|ped|ping)?\b",
    r"\bbehind schedule\b",
    r"\boverdue\b",
    r"\bbr(?:eak|eaks|oke|oken|eaking) (?:down|again)\b"
    r"(?! into| the parts?| these| (?:the )?materials?| metals?)",
    r"\bbreakdowns?\b",
    r"\bstop(?:s|ped)? (?:working|running|shipping|production|for)\b",
    r"\bcan stop\b",
    r"\bstop(?:s|ped)? (?:us|them|our|the) (?:\w+ ){0,2}?(?:from|landing|selling|operating|running|"
    r"trading|shipping)\b",
    r"\bshut(?:s|ting)? (?:us |it |them )?down\b",
    r"\boutages?\b",
    r"\bcut (?:the )?(?:power|water|electricity|heat|gas) (?:to|off|supply)\b",
    r"\bcrash(?:es|ed)?\b",
    r"\bshortages?\b",
    r"\bshortfall\b",
    r"\bshort of\b",
    r"\bshort[- ]staffed\b",
    r"\br[au]n(?:s|ning)? out\b",
    r"\bran dry\b",
    r"\boverruns?\b",
    r"\bover budget\b",
    r"\bspoil(?:s|ed|ing)?\b",
    r"\bdamag(?:e|es|ed|ing)\b",
    r"\binjur(?:y|ies|ed)\b",
    r"\bleak(?:s|ed|ing)?\b",
    r"\bbreach(?:es|ed)?\b",
    r"\bhack(?:s|ed|ing|ers?)?\b",
    r"\bdefault(?:s|ed)? on\b",
    r"\bbankrupt\w*",
    r"\binsolven\w*",
    r"\bexpir(?:e|es|ed|ing)\b",
    r"\brecalls?\b",
    r"\bchurn\b",
    r"\bquit(?:s|ting)?\b",
    r"\bwalk(?:ed)? out\b",
    r"\bfined\b",
    r"\b(?:pay|face|faces|facing|incur) (?:a |heavy |big )?penalt(?:y|ies)\b",
    r"\blawsuits?\b",
    r"\bsued?\b",
    r"\bcut (?:[\w-]+ ){0,4}(?:margins?|revenue|profits?|earnings|income|jobs)\b",
    r"\bheld (?:up|back)\b",
    r"\bheld (?:\w+ ){0,3}at the (?:port|border|customs)\b",
    r"\bheld (?:\w+ ){0,3}for (?:\w+ ){0,2}(?:days|weeks|months)\b",
    r"\bstuck\b",
    r"\bgrowing backlog\b",
    r"\bbacklog (?:is|keeps|has) (?:growing|grown|rising|risen)\b",
    r"\bbottleneck\b",
    r"\bfragile\b",
    r"\bcollaps(?:e|es|ed|ing)\b",
    r"\blaid off\b",
    r"\blay(?:ing)? off\b",
    r"\blayoffs?\b",
    r"\bcontaminat\w*",
    r"\bharm(?:s|ed|ful)?\b",
    r"\bsitting on expensive\b",
    r"\btie up\b",
    r"\bnot enough\b",
    r"\bmakes? (?:things|it|matters|this) worse\b",
    r"\bout of (?:service|action|commission)\b",
    r"\b(?:is|are|was|were|be|been|paid|arrives?|comes?) (?:\w+ ){0,3}late\b(?!-)",
    r"\bcancel(?:s|led|ling)? (?:\w+ ){0,2}(?:sailings?|bookings?|orders?|"
    r"flights?|shipments?|trains?|"
    r"shifts?|deliveries|contracts?)\b",
    r"\bnothing to (?:bring in|fall back on|replace)\b",
    r"\bwears? out\b",
    r"\babsorb (?:most|all|much|the bulk) of (?:it|the)\b",
    r"\bcut (?:services|staff(?:ing)?|funding|care)\b",
    r"\bstop (?:going|coming|buying|using|paying|lending)\b",
    r"\bcosts? (?:us )?(?:\w+ ){0,4}more\b",
    r"\b(?:does not|doesn'?t|do not|don'?t|won'?t) (?:yet )?(?:meet|comply with|pass)\b",
    r"\btoo (?:few|little|late|old|thin)\b",
    r"\b(?:cannot|can not|could not|will not be able to|won't be able to) (?:cover|"
    r"pay|afford|keep up|meet|control|get|find|replace|run|operate|sail|land|"
    r""
    r"open|deliver|ship|serve|staff)\b",
    r"\bcan'?t (?:cover|pay|afford|keep up|meet|control|get|find|replace|run|operate|sail|land|"
    r"open|deliver|ship|serve|staff)\b",
    r"\bcouldn'?t (?:cover|pay|afford|keep up|meet|get|find)\b",
    r"\bwon'?t (?:cover|last|be ready|make it|hold)\b",
    r"\b(?:fell|dropped|fallen) from\b",
    r"\bget out of control\b",
    r"\bgo(?:es)? (?:off course|wrong)\b",
    r"\bwent wrong\b",
    r"\bout of control\b",
    r"\bwithout (?:power|cooling|water|a backup|backup|cover)\b",
    r"\bno (?:backup|spare|cover|second source|redundancy)\b",
)

_CONDITIONAL = _rx(
    r"\b(?:if|unless|should|once|when)\b[^.?!;]*?\b(?:could|would|might|may|"
    r"will|won'?t|'ll|'d|can'?t)\b",
    r"\b(?:if|unless)\b[^.?!;]*?,\s*(?:we|they|it|you|the|that|this|our)\b",
    r"\bwhat (?:happens|would happen|if)\b",
    r"\bif\b[^.?!;]*\b(?:there is|there's) nothing to (?:bring in|fall back on|replace|use)\b",
)
# A harm needs something harmed: "miss" only with a thing that can be missed by
# failing (not "would people miss them", "we can miss out the functions"), "hurt"
# only with a victim (not "whoa, that would hurt").
_MISSED = (
    r"(?:the |that |this |our |a |its |their |an |your )?(?:\w+ )?(?:date|deadline|target|window|"
    r"payments?|shipments?|slots?|season|flights?|quarter|forecast|guidance|launch|delivery|"
    r"handover|cut-?off|something important|opportunit(?:y|ies)|chance)"
)
_MODAL = _rx(
    r"\b(?:could|would|might|may|will|can|'ll|'d|risk) (?:\w+ ){0,2}?"
    r"(?:lose|fail|break down(?! these| the parts?| (?:the )?materials?|"
    r" metals?)|slip|run out|spoil|leak|default|"
    r"damage|delay|lapse)\b",
    rf"\b(?:could|would|might|may|will|can|'ll|'d|risk) (?:\w+ ){{0,2}}?miss(?:ing)? {_MISSED}\b",
    r"\b(?:could|would|might|may|will|can|'ll|'d) (?:\w+ ){0,2}?hurt (?:us|them|you|people|"
    r"(?:the|our|their|its|your|his|her|every|any|some|many|most) \w+)",
    r"\b(?:could|would|might|may|will|can) (?:\w+ )?(?:cut (?:[\w-]+ ){0,4}(?:margins?|"
    r"revenue|profits?|"
    r"earnings|income|jobs|services)|stop for)\b",
    r"\b(?:could|would|might|may|will) (?:have to |need to )?cut (?:the )?(?:power|water|"
    r"electricity|heat|gas)\b",
)
_MODAL_COST = _rx(r"\b(?:could|would|might|may|will)\b (?:\w+ )?cost\b[^.;]{0,40}\bmore\b")
_HAPPENED = _rx(
    r"\b(?:slipped|held|failed|broke|lost|missed|ran out|spoiled|leaked|fell|dropped|crashed)\b",
    r"\bwas (?:delayed|late|breached|hacked|damaged|lost)\b",
    r"\b(?:was|were) (?:\w+ ){0,3}late\b(?!-)",
    r"\bwere (?:delayed|late|breached|hacked|damaged|lost)\b",
    r"\bwe (?:had|have had) (?:a|an|two|three|\d+) (?:\w+ )?(?:outages?|breaches|"
    r"incidents?|failures?|fires?|injur\w+)\b",
)

_DEPENDENCE = _rx(
    r"\b(?:a |one |only one |the only )?(?:single|sole|only) (?:manufacturer|"
    r"supplier|vendor|customer|"
    r"source|provider|client|person|engineer|machine|compressor|contractor|"
    r"buyer|bank|lender|point of failure)\b",
    rf"\b{_NUM}\s*(?:%|percent|per cent) of (?:our |the |its |their )?\w+(?: \w+)? (?:still )?"
    r"(?:comes?|came|goes|go|depends?|rel(?:y|ies)|(?:is|are) (?:from|with|on|through|tied to|"
    r"held by|owned by|in (?:one|a single|two))) ",
    rf"\bmake(?:s)? up (?:about |roughly |over |more than |almost |nearly )?{_NUM}",
    rf"\b(?:pays? for|accounts? for|buys?|brings? in) (?:about |roughly |over |more than |almost |"
    rf"nearly )?{_NUM}\s*(?:%|percent|per cent) of (?:our|the|its|their) ",
    r"\bone (?:year|month) at a time\b",
    r"\b(?:depend(?:s|ent|ence)?|rel(?:y|ies|iant|iance)) (?:\w+ ){0,2}?on (?:one|"
    r"a single|just|only|two)\b",
    r"\b(?:that|our|the|customer|supplier|vendor|revenue) concentration\b(?! of ammonia|"
    r" (?:was|is|has been) on)",
    r"\ball (?:our|of our) eggs\b",
)
# "Thirty-one years old" is ageing when the sentence is about equipment, not a sourdough starter.
_YEARS_OLD = _rx(rf"\b{_NUM}[- ]years?[- ]old\b")
_EQUIP = _rx(rf"\b(?:{_EQUIPMENT})\b")
_AGEING = _rx(
    r"\bend[- ]of[- ]life\b",
    r"\bno longer (?:supported|made|serviced|available|in production)\b",
    r"\bout of (?:support|warranty)\b",
    r"\bunsupported\b",
    r"\bobsolete\b",
    r"\bag(?:e)?ing (?:\w+ )?(?:equipment|pipes?|fleet|compressors?|servers?|"
    r"machines?|systems?|ovens?|trucks?|mains)\b",
    r"\bspare parts?\b",
    r"\b(?:second[- ]hand|used) parts\b|\bparts second[- ]hand\b",
    r"\bstops? (?:updating|supporting|patching|making|servicing)\b",
    r"\b(?:yard|company|firm|supplier|vendor|maker|manufacturer) that (?:built|"
    r"made|supplied|serviced) "
    r"[^.;]{0,40}\b(?:closed|went bust|shut|stopped)\b",
    r"\bnobody makes\b",
    r"\bhasn'?t been (?:serviced|replaced|updated|patched)\b",
)
@dataclass(frozen=True, slots=True)
class Signal:
    """What a sentence says about risk: its forms and the evidence they add up to."""

    forms: tuple[str, ...]
    points: int
    happened: bool
    conditional: bool

    @property
    def is_risk(self) -> bool:
        return self.points >= THRESHOLD


_NONE = Signal((), 0, False, False)


def read(sentence: str, *, gated: bool = True) -> Signal:
    """The risk forms ``sentence`` uses and whether they add up to a risk."""
    plain = sentence.replace("’", "'")
    low = plain.casefold()

    def may(gate: str) -> bool:
        return not gated or any(w in low for w in _GATES[gate])

    senses = plain
    if not gated or any(w in low for w in SENSE_WORDS):
        senses = _OTHER_SENSE.sub(" ", plain)
    bad = may("bad") and bool(BAD.search(senses))
    conditional = bad and bool(_CONDITIONAL.search(senses))
    happened = bad and may("happened") and bool(_HAPPENED.search(senses))
    strong_safety = may("safety") and bool(_SAFETY.search(senses))
    checks: tuple[tuple[str, int, Callable[[], object]], ...] = (
        ("conditional", 2, lambda: conditional),
        ("possible", 2, lambda: not conditional and (
            (may("modal") and _MODAL.search(senses))
            or ("cost" in low and _MODAL_COST.search(senses)))),
        ("happened", 1, lambda: happened and not conditional),
        ("dependence", 2, lambda: may("dependence") and _DEPENDENCE.search(senses)),
        ("ageing", 2, lambda: (may("ageing") and _AGEING.search(senses))
         or ((not gated or "old" in low) and _YEARS_OLD.search(senses) and _EQUIP.search(senses))),
        ("money", 2, lambda: may("money") and _MONEY.search(senses)),
        ("legal", 1, lambda: may("legal") and _LEGAL.search(senses)),
        ("safety", 2, lambda: strong_safety),
        ("safety", 1, lambda: not strong_safety and may("safety_weak")
         and _SAFETY_WEAK.search(senses)),
        ("people", 2, lambda: may("people") and _PEOPLE.search(senses)),
        ("vocabulary", 2, lambda: may("vocabulary") and _VOCAB.search(senses)),
        ("doubt", 1, lambda: may("vocabulary") and _DOUBT.search(senses)),
        ("outcome", 1, lambda: bad),
    )
    forms: list[str] = []
    points = 0
    for name, weight, found in checks:
        if found():
            forms.append(name)
            points += weight
    if not forms:
        return _NONE
    if _NEGATED.search(plain):
        # "No thermal incidents", "less of a worry": reassurance, unless the
        # sentence also says what could still go wrong ("... but if X, we could").
        points = 2 if conditional and "but" in low else 0
    return Signal(tuple(forms), points, happened, conditional)


def is_mitigation(sentence: str) -> bool:
    """True when ``sentence`` says what is being done (an action, a safeguard)."""
    return bool(_MITIGATION.search(sentence.replace("’", "'")))
