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


# The running order of a meeting, asked for or announced: housekeeping.
RUNNING_ORDER = [
    "Olu, can you start with the boats, then Grace takes us through the money, "
    "and Tomas has the booking system at the end.",
    "Let's go to Grace.",
    "Over to you, Hana.",
    "Let's move on to the harbour authority.",
    "Next item: the staff rota.",
    "Could you take us through the council contract, Grace?",
    "Let's hear from the systems team.",
    "Before we wrap up, does anyone have anything else?",
    "Let's take a five-minute break.",
    "Why don't we just start with that.",
    "Sam, the floor is yours.",
    "Tomas, the booking system.",
    "I'm afraid we're out of time on the ticket design; we'll take it next month.",
]
# Requests and announcements with substance: a claim a bullet can carry.
SUBSTANCE = [
    "Can you cut the fuel budget by 10% before the council votes?",
    "Before we wrap up, the ramp rebuild costs three hundred thousand.",
    "Let's go to Brussels in May and meet the regulator.",
    "We need to start with the Sound Star, because its engines are the oldest.",
    "The council wants us to move to a three-year contract.",
    "Grace takes the view that the surplus will not cover the fuel.",
    "Yes, the money.",
    "Let's move the dry dock to May instead of September.",
]


@pytest.mark.parametrize("text", RUNNING_ORDER)
def test_running_order_is_housekeeping(text: str) -> None:
    assert is_chatter(text)


@pytest.mark.parametrize("text", SUBSTANCE)
def test_requests_with_substance_are_not_chatter(text: str) -> None:
    assert not is_chatter(text)
