"""Risk vocabulary and its other senses, negations, and what a mitigation sounds like.

Read by ``_risk_rules``: ``OTHER_SENSE`` is removed from a sentence before its
vocabulary is read ("risk management office", "concerning X", "I'm afraid we're
out of time", "we'll worry about that later"); ``NEGATED`` marks a sentence
that says the bad thing is not there ("no worries", "none in six years", "no
thermal incidents"); ``MITIGATION`` marks one that says what is being done.
"""

from __future__ import annotations

import re

__all__ = ["DOUBT", "MITIGATION", "NEGATED", "OTHER_SENSE", "VOCAB", "rx"]


def rx(*parts: str) -> re.Pattern[str]:
    """One case-insensitive pattern from alternatives."""
    return re.compile("|".join(parts), re.IGNORECASE)


_rx = rx

# Other senses of risk words: removed from the sentence before the vocabulary is read.
OTHER_SENSE = _rx(
    r"\brisk[- ](?:management|managers?|officers?|office|assessments?|committee|register|"
    r"team|ratings?|models?|adjusted|free|premiums?|function|department|programs?|review|"
    r"analys[ie]s|based|matrix|framework|scoring)\b",
    # Risk as a factor someone weighs, not a harm said: "banks now look at physical
    # climate risk when they lend", "catching potential risks before disease occurs".
    r"\b(?:look(?:s|ed|ing)? at|assess(?:es|ed|ing)?|pric(?:e|es|ed|ing) in|evaluat(?:e|es|ed|ing)|"
    r"identify(?:ing)?|catch(?:es|ing)?|spot(?:s|ting)?) (?:the |for )?"
    r"(?:(?!(?:a|an|real|serious|big|huge|major|significant|grave)\b)[\w-]+ ){0,2}"
    r"risks?\b(?! (?:is|are|was|were|that|of|to)\b)",
    # Named categories and days: "species at risk", "World Elder Abuse Awareness Day".
    r"\bspecies at risk\b",
    r"\b(?:[\w-]+ ){0,3}awareness (?:day|week|month)\b",
    # Concerns said elsewhere, now heard or weighed: what is done, not the risk itself.
    r"\b(?:hear|hearing|listen(?:ed|ing)? to|address(?:ed|ing)?|tak(?:e|es|ing)|took|"
    r"respond(?:ed|ing)? to|consider(?:ed|ing)?) (?:all )?(?:these|those|such|your|their) "
    r"concerns?\b",
    r"\bsafety (?:meetings?|training|briefings?|committee|officers?|team|inspections?|standards?|"
    r"week|drills?|data sheets?|net|walk|audit|review|day|rules|regulations|record)\b",
    r"\b(?:i'?m|i am|am) afraid\b(?! of| that (?!we'?re out))",
    r"\b(?:need to|have to|gonna|going to|we'?ll|will|not|n't|let'?s|whether we) worry about\b",
    r"\bworry about (?:that|it|this|them) later\b",
    r"\b(?:that'?s|who'?s|who (?:is|are)) worrying about\b",
    r"\bthe most vulnerable\b",
    r"\bsafeguarding concerns?\b",
    r"\bconcerned to (?:get|make|ensure|see|do|have|keep)\b",
    r"\bconcern (?:ourselves|themselves|yourselves|yourself|myself|itself)\b",
    r"\bwithout worrying\b",
    r"\bconcerned (?:about|with) (?:maintaining|ensuring|making sure|keeping|protecting|getting)\b",
    r"\b(?:will|would|could|can) (?:the )?(?:minister|government|you|they) (?:\w+ )?delay\b",
    r"\bas (?:far as )?\w+(?: \w+)? (?:is|are) concerned\b",
    r"^\W*concerning\b",
    r"(?<![,;] )(?<!is )(?<!are )(?<!very )(?<!most )(?<!more )(?<!deeply )(?<!really )"
    r"\bconcerning\b(?! (?:trend|"
    r"sign|signs|number|numbers|pattern|rise|drop|development))",
    r"\b(?:doesn'?t|does not|don'?t|do not|didn'?t|did not|which|that|it|this|"
    r"they|question|matter|issue|rules?) concerns?\b(?! (?:about|that|is|are|"
    r"was|for|over))",
    r"\bas far as \w+(?: \w+)? (?:is|are) concerned\b",
    r"\b(?:most |more |the )?vulnerable (?:seniors|canadians|people|groups?|workers|populations?|"
    r"communities|customers|families|children|patients|persons|businesses|members|residents|"
    r"time|moment|users|individuals|students)\b",
    r"\bto whom it may concern\b",
    r"\b(?:going )?concern (?:basis|assumption)\b",
    r"\buncertainty principle\w*",
    r"\bsafe to say\b",
    r"\brisk (?:of )?(?:sounding|repeating|oversimplifying|boring)\b",
    r"\bfear of missing out\b",
    # Stopping a process or leaving something out, not a harm: "it would kill that",
    # "we can miss out the functions".
    r"\bkill(?:s|ed|ing)? (?:it|that|this|them|the (?:\w+ )?(?:process|job|jobs|feature|"
    r"thread|run|script|program|server|idea))\b",
    r"\bmiss(?:es|ed|ing)? out (?!on)",
    # Money put in, argument, tackling and opportunity, not harm: "an injection of cash",
    # "personal attacks", "attack the problem", "exploit the opportunity".
    r"\binjections? of (?:\w+ ){0,2}(?:funds?|funding|cash|capital|money|liquidity|investment)\b",
    r"\b(?:cash|capital|money|liquidity|funding|fund|investment) injections?\b",
    r"\b(?:personal|political|partisan|ad hominem) attacks?\b",
    r"\bline of attack\b",
    r"\battack(?:s|ed|ing)? (?:the|this|that|a|our) (?:\w+ )?(?:problem|issue|question|task|"
    r"challenge)\b",
    r"\bexploit(?:s|ed|ing)? (?:the|this|that|these|those|an?|our|its|their) (?:\w+ )?"
    r"(?:opportunit\w+|potential|synerg\w+|strengths?|advantages?|features?|data|knowledge)\b",
    # Rhetoric and itemising: "I fail to see how", "a breakdown of the costs", "a crash course".
    r"\bfail(?:s|ed)? to (?:see|understand|grasp|comprehend|appreciate)\b",
    r"\bbreakdowns? (?:of|by)\b",
    r"\bcrash course\b",
    r"\bworry about it later\b",
    # Time and turns, not stock: "we're kind of running out of time".
    r"\b(?:r[au]n(?:s|ning)?|are|we'?re|is) (?:kind of |sort of |a bit |almost )?out of time\b",
    # A concern named without saying what it is: "That was one of our concerns."
    r"\b(?:our|their|my|his|her|some|two|three|several|these|those|the|a|similar|deep|serious|"
    r"grave) (?:\w+ ){0,3}?concerns?(?: raised)?(?:,? really)?\W*$",
    # ... or only raised, voiced or shared: "... and raising concerns?"
    r"\b(?:rais(?:e|es|ed|ing)|voic(?:e|es|ed|ing)|express(?:es|ed|ing)?|shar(?:e|es|ed|ing)) "
    r"(?:\w+ ){0,2}?concerns?\W*$",
    r"\b(?:the thing|what) (?:that )?(?:was|is|'s) (?:really )?(?:worrying|concerning|bothering) "
    r"(?:me|us)\W*$",
)
# Negations and reassurance: the sentence says the bad thing is not there.
NEGATED = _rx(
    r"\bno (?:\w+ )?worr(?:y|ies)\b",
    r"\b(?:don'?t|do not|never|not to|no need to|needn'?t|need not) worry\b",
    r"\bnot (?:too |very |at all |really )?worried\b",
    r"\bnot (?:so much |too |very |really |that )?(?:afraid|worried|concerned) (?:of|about|by)\b",
    r"\b(?:don'?t|do not|didn'?t|did not) share (?:\w+ ){0,2}(?:concerns?|worries|fears?)\b",
    r"\bstop worrying\b",
    r"\b(?:in order|so as) not to\b",
    r"\b(?:won'?t|wouldn'?t|isn'?t|aren'?t|will not|would not) (?:be )?(?:as |so |too |that )?"
    r"(?:concerned|worried)\b",
    r"\b(?:don'?t|do not) have (?:any )?(?:concerns?|worries)\b",
    r"\bnot aware of any\b",
    r"\b(?:make sure|ensure) (?:that )?(?:no|there (?:is|are) no)\b",
    r"\b(?:not gonna|not going to|won'?t|will not) (?:\w+ )?(?:break|fail|crash|leak)\b",
    r"\b(?:danger|risk|worry|concern|problem)\b[^.,;]{0,30}\b(?:isn'?t|is not|was not|wasn'?t)\b",
    r"\b(?:wouldn'?t|would not|shouldn'?t|should not) (?:be|feel) (?:too |very |overly )?"
    r"(?:concerned|worried|afraid|scared)\b",
    # A norm that nobody should fear: "No one should be afraid of walking ...".
    r"\b(?:no one|no-one|nobody|none of us) (?:should|needs to|has to|ought to) (?:ever )?"
    r"(?:be|feel|live) (?:\w+ )?(?:afraid|worried|scared|in fear)\b",
    r"\bpremature to worry\b",
    r"\bdoesn'?t mean (?:to say )?(?:that )?(?:we'?re|i'?m|they'?re) worried\b",
    r"\bnothing to (?:worry|fear)\b",
    r"\bnot (?:a|much of a|any|the|our|my|an?) (?:big |real |major |main )?(?:concern|"
    r"worry|risk|problem|issue|threat)\b",
    r"\b(?:isn'?t|aren'?t|wasn'?t|is not|are not) (?:a |an |any |much of a |"
    r"our |the )?(?:big |real |major )?(?:concern|worry|risk|problem|issue|"
    r"threat)\b",
    r"\bless of a (?:worry|concern|risk|problem)\b",
    r"\bno (?:real |big |major |serious )?(?:concern|risk|problem|issue|danger|threat)s?\b",
    r"\bno (?:\w+ ){0,2}(?:incidents?|injur\w+|accidents?|breaches|outages|"
    r"failures|claims|losses|spoilage|recalls)\b",
    r"\bnone in\b",
    r"\bzero (?:\w+ )?(?:incidents?|accidents?|injur\w+|outages|failures|breaches)\b",
    r"\bnever (?:had|seen|lost|missed) (?:a |an |any |one )?\b",
    r"\b(?:running|came in|is|are|stayed?) (?:well )?(?:below|under) (?:our |"
    r"the )?(?:reserve|plan|budget|target|forecast)",
    r"\bno longer (?:a )?(?:concern|worry|risk|problem|an issue)\b",
    r"\bunder control\b",
    r"\bnot (?:dependent|reliant) on\b",
    # Dependence denied: "that's not the only source".
    r"\b(?:not|isn'?t|aren'?t|no longer) (?:the |our |their |a )?(?:only|sole|single) "
    r"(?:source|supplier|vendor|customer|provider|option|way|one)\b",
    # Possibility denied: "I don't think there's any way that it could completely fail".
    r"\b(?:no|not any|isn'?t any|there'?s no|(?:don'?t|do not|can'?t) (?:think|see|believe) "
    r"(?:there'?s |there is )?any) way (?:that )?(?:\w+ ){0,3}?(?:could|would|will|"
    r"can|might) (?:\w+ )?(?:fail|break|crash|go wrong|leak|collapse)\b",
    r"\bdon'?t expect (?:to|any)\b",
    r"\bnot (?:going|likely) to (?:miss|lose|fail|be a problem)\b",
    r"\bwithout (?:a single|any) (?:incident|injury|outage|failure|loss)\b",
    r"\b(?:reschedul\w+|postponed|moved to|moving to)\b",
)
# What is being done: a sentence that answers a risk with an action.
MITIGATION = _rx(
    r"\bwe(?:'ve| have)? (?:already |also |now |just )?(?:signed|added|hired|"
    r"installed|reserved|asked|built|"
    r"bought|replaced|redesigned|switched|moved|locked|put in|set up|ordered|"
    r"doubled|trained|qualified|"
    r"rented|insured|secured|negotiated|split|tested|fixed|patched|upgraded|"
    r"fitted|started|made|created|"
    r"introduced|appointed|kept|pulled forward|raised|cut)\b",
    r"\bwe(?:'re| are) (?:now |also )?(?:buying|adding|building|moving|replacing|"
    r"paying|testing|hiring|"
    r"installing|training|working (?:on|with)|switching|setting up|putting|"
    r"keeping|reviewing|doubling)\b",
    r"\bwe(?:'ll| will) (?:\w+ )?(?:add|replace|hire|install|buy|move|switch|"
    r"test|train|build|revisit|review|"
    r"fix|keep|check|put|set up)\b",
    r"\b(?:we|i) (?:do )?(?:carry|keep|review|test|check|monitor)\b",
    r"\bas a precaution\b",
    r"\b(?:ordered|bought|installed|parked) (?:a |an )?(?:second|spare|backup|replacement|"
    r"mobile)\b",
    r"\b(?:in case|so that|to (?:reduce|limit|avoid|protect|prevent|cover|offset|spread))\b",
    r"\b(?:limits|reduces|offsets|covers|protects) (?:the |our |us )?\b",
    r"\bbackup\b",
    r"\bsecond (?:supplier|source|manufacturer|vendor|line|site)\b",
    r"\bthe (?:plan|fix|answer) is\b",
    r"\bmy recommendation is\b",
    r"\bso (?:we'?re|we are|that we'?re) not (?:dependent|reliant|exposed)\b",
    r"\bmonitoring\b",
    r"\bwe (?:have|keep|carry) (?:\w+ ){0,3}(?:detectors?|alarms?|generators?|backups?|insurance|"
    r"reserves?|sensors?|spares?|redundan\w+|a plan|cover|contingenc\w+)\b",
)


# Risk vocabulary, in its risk sense (the other senses are taken out first, below).
VOCAB = _rx(
    r"\brisk(?:s|y|ier|iest)?\b",
    r"\bdanger(?:s|ous)?\b",
    r"\bhazard(?:s|ous)?\b",
    r"\bthreat(?:s|en|ens|ened)?\b",
    r"\bworr(?:y|ies|ied|ying|isome)\b",
    r"\bconcern(?:s|ed)?\b",
    r"\b(?:is|are|was|very|most|more|deeply|particularly) concerning\b",
    r"\bfear(?:s|ed)?\b",
    r"\bafraid (?:of|that (?!we'?re out))",
    r"\bvulnerable to (?:attacks?|hack\w*|fraud|scams?|exploit\w*|abuse|injection|failure)\b",
    r"\b(?:security|software) vulnerabilit(?:y|ies)\b",
    r"\bvulnerabilit(?:y|ies) in (?:the|our|their|its) (?:system|software|code|network|app|server)",
    r"\bcatastroph\w*",
    r"\bworst[- ]case\b",
    r"\bat stake\b",
    r"\bsafety (?:issues?|problems?|risks?|concerns?|picture)\b",
    r"\bmaterial uncertainty\b",
    r"\buncertainty (?:as a result of|because of|over|around|from)\b",
    r"\bmisuse\b",
    r"\bmisalign\w*",
)
# Words of doubt: a risk only with another form beside them.
DOUBT = _rx(
    r"\buncertain(?:ty|ties)?\b",
    r"\bdownsides?\b",
    r"\bpitfalls?\b",
    r"\bdrawbacks?\b",
    r"\bvulnerab\w+",
    r"\bunpredictable\b",
    r"\bexposed\b",
    r"\b(?:nobody|no one) knows\b",
)
