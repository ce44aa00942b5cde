"""Sentences about the show, not its subject, are never TL;DR bullets."""

from __future__ import annotations

import pytest

from briefs.brief._chatter import is_chatter


@pytest.mark.parametrize(
    "text",
    [
        "Good morning, and welcome to the Lumen Ridge Solar first quarter 2026 earnings call.",
        "All participants are in listen-only mode.",
        "After the prepared remarks we will open the line for questions.",
        "I will now hand the call to Hana Sato, Chief Executive Officer.",
        "Thank you, and good morning, everyone.",
        "Get your tickets at harborfest.example before Friday.",
        "This episode is brought to you by Green Thumb tools.",
        "Use the code GARDEN for ten percent off.",
        "That's the garden hour for this week.",
        "Can everyone hear me?",
        "♪ Supply Lines ♪",
    ],
)
def test_chatter_is_recognised(text: str) -> None:
    assert is_chatter(text)


@pytest.mark.parametrize(
    "text",
    [
        "We would welcome a rate cut in the second half.",
        "Revenue was 164 million dollars, up eighteen percent.",
        "The state will match every dollar the town puts in, up to 800,000.",
        "Thanks to the new boiler, the building used a third less gas.",
        "The lines for questions at the clinic grew to two hours.",
    ],
)
def test_claims_are_not_chatter(text: str) -> None:
    assert not is_chatter(text)
