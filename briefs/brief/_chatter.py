"""Sentences that are about the show, not its subject: never a TL;DR bullet.

Greetings and thanks ("Good morning, and welcome to ..."), housekeeping
("All participants are in listen-only mode", "Can everyone hear me?"),
sponsor and promo reads ("Get your tickets at ...", "Use the code ..."),
sign-offs ("That's the show for this week") and jingles ("♪"). Each pattern is
specific enough that a sentence about the subject rarely matches it: "welcome"
alone is not chatter ("we'd welcome a rate cut"), "welcome to the call" is.

The running order of a meeting is housekeeping too, however it is said: a
request to someone about who speaks or which item comes when ("Olu, can you
start with the boats", "let's hear from Grace", "could you take us through the
numbers", "let's move on", "over to you", "next item", "before we wrap up",
"let's take a break"). A request is about the order when it asks for one of
those moves; "can you cut the fuel budget by 10%" asks for something done in
the world and is not chatter. A running-order sentence that also carries
substance (a number, a date, a reason: "before we wrap up, the ramp costs
300,000") is kept: the bullet may be its claim.
"""

from __future__ import annotations

import re

__all__ = ["is_chatter", "is_running_order"]

# (words one of which the sentence must hold, the pattern): the substring test
# is cheap, and most sentences hold none of the words, so few are searched.
_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    # Greetings, introductions and thanks.
    (("hi", "hello", "hey", "good", "welcome", "greeting"),
     r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|welcome|greetings)\b"),
    (("welcome",),
     r"\bwelcome (?:back )?to (?:the |our |this )?(?:\w+ ){0,6}"
     r"(?:call|show|podcast|episode|meeting|program|programme|webinar|session|hour|briefing)\b"),
    (("thank",), r"^(?:thank you|thanks|many thanks|thank you very much)\b(?!\s+to\b)"),
    (("thank",),
     r"\bthanks? (?:you )?(?:for (?:having|joining|coming|being|listening|tuning)|so much)\b"),
    (("guest",), r"\b(?:my|our) guests? (?:today|this week|tonight)\b"),
    (("with me",), r"\bwith me (?:today |tonight |this week )?(?:is|are)\b"),
    (("to be here", "to have you"),
     r"\b(?:happy|glad) to be here\b|\bgreat to (?:be here|have you)\b"),
    # Housekeeping of calls, meetings and events.
    (("listen-only", "questions"),
     r"\blisten-only mode\b|\bopen the (?:line|floor|call) (?:for|to) questions\b"),
    (("hand ", "turn "), r"\b(?:hand|turn) (?:the call|it|things) (?:over )?(?:over )?to\b"),
    (("forward-looking", "safe harbor"), r"\bforward-looking statements\b|\bsafe harbor\b"),
    (("hear ", "see "),
     r"\b(?:can|could) (?:you|everyone|everybody) (?:hear|see) (?:me|us|my screen)\b"),
    (("mute", "screen", "slide"),
     r"\b(?:on|off) mute\b|\bunmute\b|\bshare (?:my|your) screen\b|\bnext slide\b"),
    (("restroom", "silence", "parking"),
     r"\brestrooms?\b|\bsilence your phones?\b|\bparking\b.{0,30}\bvalidat"),
    (("recorded",), r"\bthis (?:call|meeting|session) is being recorded\b"),
    (("let", "shall we"), r"\blet'?s (?:get started|begin|start)\b|\bshall we (?:start|begin)\b"),
    # Sponsor, promo and sign-off reads.
    (("brought to you", "sponsor", "a word from"),
     r"\b(?:brought to you by|sponsored by|our sponsor|today'?s sponsor|a word from)\b"),
    (("code", " off"),
     r"\b(?:use|enter) (?:the )?(?:promo )?code\b|\bpromo code\b|\bpercent off\b|% off\b"),
    (("ticket",), r"\bget your tickets\b|\btickets (?:are )?(?:on sale|available)\b"),
    (("subscribe", "review"),
     r"\b(?:subscribe|rate and review|leave (?:us )?a review|like and subscribe)\b"),
    (("link in", "show notes"), r"\blink in the (?:description|show notes)\b|\bshow notes\b"),
    (("visit", "go to", "head "),
     r"\b(?:visit|go to|head (?:over )?to)\s+\S+\.(?:com|org|net|io|co|example)\b"),
    (("that",), r"\bthat'?s (?:all|it) for (?:today|this week|now)\b"
     r"|\bthat'?s (?:the|our) (?:show|episode|program|\w+ hour)\b"),
    (("see you", "talk to you", "catch you"),
     r"\b(?:see|talk to|catch) you (?:next|all next|soon|then)\b"),
    # Jingles and music cues.
    (("♪", "♫"), r"[♪♫]"),
)
_COMPILED = tuple((words, re.compile(pattern)) for words, pattern in _RULES)

# How a request or proposal to the room is put, right before the move it asks
# for: "can you", "let's", "shall we", "why don't you", "I'd like you to",
# "please", or an imperative at the start of the sentence or after the name it
# is addressed to ("Grace, take us ...").
_ASK_BEFORE = re.compile(
    r"(?:\b(?:can|could|would|will) (?:you|we)|\blet'?s|\blet us|\bshall we"
    r"|\bwhy don'?t (?:you|we)|\b(?:i'?d|i would) like (?:you |us )?to|\bi want (?:you |us )?to"
    r"|\b(?:do )?you want to|\bplease|^|^[^\W\d_]+(?: [^\W\d_]+)?,)"
    r"(?: (?:please|maybe|perhaps|just|now|quickly|briefly|first|then|all))* ?$"
)
# The moves of a running order: who starts, who or what is next, going through
# an item, hearing from someone, breaks, wrapping up, handing over.
_MOVE = re.compile(
    r"\b(?:start (?:us )?(?:off )?(?:with|by)|begin (?:with|by)|kick (?:us|things|it) off"
    r"|open (?:with|by)|go (?:back |on |over )?to (?:you|him|her|them|the next|next|item|"
    r"agenda|questions|any other business|[^\W\d_]+'s (?:update|report|item|section|slides))"
    r"|move (?:on|along)|turn (?:now )?to|come back to|get (?:back )?to (?:the next|item)"
    r"|come to (?:you|him|her|them|that|this|it|the next|item|questions)"
    r"|(?:take|walk|run|talk|bring) (?:us|everyone|the board|the team) "
    r"(?:through|up to (?:date|speed))|go through (?:it|this|that|your|the numbers|the slides)"
    r"|give us (?:a|an|the|your) (?:quick |short |brief )?"
    r"(?:update|overview|rundown|summary|report)"
    r"|hear from|wrap (?:it |things |this )?up|(?:take|have) (?:a|five|ten|our) "
    r"(?:short |quick |five-minute |ten-minute |coffee |lunch )?(?:break|pause|breather)"
    r"|(?:hand|pass) (?:it |this |things |you )?(?:over |back )?(?:to|over)"
    r"|pick (?:this|that|it) up (?:next|later|offline)|park (?:this|that|it)"
    r"|take (?:this|that|it) offline)\b"
)
# Words one of which a move holds (the substring test is cheap; few sentences
# hold one, so few are searched).
_MOVE_WORDS = (
    "start", "begin", "kick", "open", "go ", "move", "turn", "come", "get ", "through",
    "up to", "give us", "hear from", "wrap", "break", "pause", "breather", "hand", "pass",
    "pick", "park", "offline",
)  # fmt: skip
_ANNOUNCED_WORDS = ("over to", "floor", "next", "before we", " time", "through")
# The running order said as an announcement rather than a request.
_ANNOUNCED = re.compile(
    r"\bover to you\b|\bthe floor is yours\b|\bnext (?:agenda )?item\b"
    r"|\bnext on (?:the|our) agenda\b|\bbefore we (?:wrap up|finish|close|break)\b"
    r"|\b(?:we'?re|we are) (?:running )?(?:out of|short (?:of|on)) time\b"
    r"|\bin the interest of time\b|\b(?:takes|walks|runs|talks) us through\b"
)
# Cases only the original text shows: a name handed the floor ("Let's go to
# Grace.", "Over to Tomas.", "Grace, the money.").
_GO_TO_NAME = re.compile(
    r"\b(?:[Ll]et'?s go|[Oo]ver) (?:over )?to [A-Z][^\W\d_]+(?: [A-Z][^\W\d_]+)?[,.!?]*$"
)
_NAME_THE_ITEM = re.compile(
    r"(?!(?:Yes|No|Okay|OK|So|Well|And|But|Right|Now|Again|Also|Sure|Thanks|Please|Look|See"
    r"|First|Second|Third|Finally|Then|Oh|Ah|Um|Uh|Er|Hmm|Mm|Hey|Hi|Yeah|Good|Great|Fine)\b)"
    r"[A-Z][^\W\d_]+, (?:the|your|our) [^\W\d_]+(?: [^\W\d_]+){0,2}[.?!]?"
)
# What makes a running-order sentence worth keeping, outside the request itself:
# a number, a date, a reason.
_SUBSTANCE = re.compile(
    r"\d|[%$€£]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|percent|"
    r"half|twice|double|triple)\b|\b(?:because|which|so that|in order to|instead of|unless)\b"
    r"|\b(?:january|february|march|april|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)


def is_chatter(text: str) -> bool:
    """True for a sentence about the show (greeting, housekeeping, promo, sign-off)."""
    low = text.casefold().replace("’", "'")
    if any(any(w in low for w in words) and pattern.search(low) for words, pattern in _COMPILED):
        return True
    return _running_order(text, low)


def is_running_order(text: str) -> bool:
    """True for a sentence about the meeting's running order that carries no substance."""
    return _running_order(text, text.casefold().replace("’", "'"))


def _running_order(text: str, low: str) -> bool:
    if "  " in low or "\n" in low or "\t" in low:
        low = " ".join(low.split())
    spans = []
    if any(w in low for w in _MOVE_WORDS):
        spans = [m.span() for m in _MOVE.finditer(low) if _ASK_BEFORE.search(low, 0, m.start())]
    if any(w in low for w in _ANNOUNCED_WORDS):
        spans += [m.span() for m in _ANNOUNCED.finditer(low)]
    if not spans:
        plain = " ".join(text.replace("’", "'").split())
        return bool(
            ("to " in plain and _GO_TO_NAME.search(plain)) or _NAME_THE_ITEM.fullmatch(plain)
        )
    # The request's own words ("a five-minute break") are not substance.
    rest, at = [], 0
    for a, b in sorted(spans):
        rest.append(low[at:a])
        at = max(at, b)
    rest.append(low[at:])
    return not _SUBSTANCE.search(" ".join(rest))
