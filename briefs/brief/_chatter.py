"""Sentences that are about the show, not its subject: never a TL;DR bullet.

Greetings and thanks ("Good morning, and welcome to ..."), housekeeping
("All participants are in listen-only mode", "Can everyone hear me?"),
sponsor and promo reads ("Get your tickets at ...", "Use the code ..."),
sign-offs ("That's the show for this week") and jingles ("♪"). Each pattern is
specific enough that a sentence about the subject rarely matches it: "welcome"
alone is not chatter ("we'd welcome a rate cut"), "welcome to the call" is.
"""

from __future__ import annotations

import re

__all__ = ["is_chatter"]

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


def is_chatter(text: str) -> bool:
    """True for a sentence about the show (greeting, housekeeping, promo, sign-off)."""
    low = text.casefold().replace("’", "'")
    return any(
        any(w in low for w in words) and pattern.search(low) for words, pattern in _COMPILED
    )
