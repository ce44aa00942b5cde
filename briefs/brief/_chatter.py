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

_CHATTER = re.compile(
    r"|".join(
        [
            # Greetings, introductions and thanks.
            r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|welcome|greetings)\b",
            r"\bwelcome (?:back )?to (?:the |our |this )?(?:\w+ ){0,6}"
            r"(?:call|show|podcast|episode|meeting|program|programme|webinar|session|hour|briefing)\b",
            r"^(?:thank you|thanks|many thanks|thank you very much)\b(?!\s+to\b)",
            r"\bthanks? (?:you )?"
            r"(?:for (?:having|joining|coming|being|listening|tuning)|so much)\b",
            r"\b(?:my|our) guests? (?:today|this week|tonight)\b",
            r"\bwith me (?:today |tonight |this week )?(?:is|are)\b",
            r"\bhappy to be here\b|\bglad to be here\b|\bgreat to (?:be here|have you)\b",
            # Housekeeping of calls, meetings and events.
            r"\blisten-only mode\b|\bopen the (?:line|floor|call) (?:for|to) questions\b",
            r"\b(?:hand|turn) (?:the call|it|things) (?:over )?(?:over )?to\b",
            r"\bforward-looking statements\b|\bsafe harbor\b",
            r"\b(?:can|could) (?:you|everyone|everybody) (?:hear|see) (?:me|us|my screen)\b",
            r"\b(?:on|off) mute\b|\bunmute\b|\bshare (?:my|your) screen\b|\bnext slide\b",
            r"\brestrooms?\b|\bsilence your phones?\b|\bparking\b.{0,30}\bvalidat",
            r"\b(?:this (?:call|meeting|session) is being recorded)\b",
            r"\blet'?s (?:get started|begin|start)\b|\bshall we (?:start|begin)\b",
            # Sponsor, promo and sign-off reads.
            r"\b(?:brought to you by|sponsored by|our sponsor|today'?s sponsor|a word from)\b",
            r"\b(?:use|enter) (?:the )?(?:promo )?code\b|\bpromo code\b|\bpercent off\b|\b% off\b",
            r"\bget your tickets\b|\btickets (?:are )?(?:on sale|available)\b",
            r"\b(?:subscribe|rate and review|leave (?:us )?a review|like and subscribe)\b",
            r"\blink in the (?:description|show notes)\b|\bshow notes\b",
            r"\b(?:visit|go to|head (?:over )?to)\s+\S+\.(?:com|org|net|io|co|example)\b",
            r"\bthat'?s (?:all|it) for (?:today|this week|now)\b",
            r"\bthat'?s (?:the|our) (?:show|episode|program|\w+ hour)\b",
            r"\b(?:see|talk to|catch) you (?:next|all next|soon|then)\b",
            # Jingles and music cues.
            r"[♪♫]",
        ]
    ),
    re.IGNORECASE,
)


def is_chatter(text: str) -> bool:
    """True for a sentence about the show (greeting, housekeeping, promo, sign-off)."""
    return bool(_CHATTER.search(text))
