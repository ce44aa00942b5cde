"""Per-user flood control: bursts are served, floods are slowed, neighbours unaffected."""

from __future__ import annotations

import pytest

from bot.flood import FloodGate, Verdict


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_fifty_messages_in_a_second_serve_the_burst_and_notify_once() -> None:
    clock = Clock()
    gate = FloodGate(rate=1.0, burst=5, clock=clock)
    verdicts = []
    for _ in range(50):
        verdicts.append(gate.check(7))
        clock.now += 0.02
    assert verdicts == [Verdict.SERVE] * 5 + [Verdict.NOTIFY] + [Verdict.DROP] * 44


def test_other_users_are_not_affected_by_a_flooder() -> None:
    clock = Clock()
    gate = FloodGate(rate=1.0, burst=3, clock=clock)
    for _ in range(20):
        gate.check(1)
    assert [gate.check(2) for _ in range(3)] == [Verdict.SERVE] * 3


def test_tokens_refill_at_the_rate_and_a_new_stretch_notifies_again() -> None:
    clock = Clock()
    gate = FloodGate(rate=2.0, burst=2, clock=clock)
    assert [gate.check(1) for _ in range(4)] == [
        Verdict.SERVE,
        Verdict.SERVE,
        Verdict.NOTIFY,
        Verdict.DROP,
    ]
    clock.now += 0.5  # one token back at 2 per second
    assert [gate.check(1), gate.check(1)] == [Verdict.SERVE, Verdict.NOTIFY]
    clock.now += 60  # refills to the burst, never beyond
    assert [gate.check(1) for _ in range(3)] == [Verdict.SERVE, Verdict.SERVE, Verdict.NOTIFY]


def test_a_clock_going_backwards_never_grants_tokens() -> None:
    clock = Clock()
    gate = FloodGate(rate=1.0, burst=1, clock=clock)
    assert gate.check(1) is Verdict.SERVE
    clock.now -= 100
    assert gate.check(1) is Verdict.NOTIFY


def test_idle_users_are_forgotten_when_many_are_tracked(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(FloodGate, "_PRUNE_AT", 10)
    gate = FloodGate(rate=1.0, burst=2, clock=clock)
    for user in range(10):
        gate.check(user)
    gate.check(0)
    gate.check(0)  # user 0 is now throttled, so it must be kept
    clock.now += 1.5  # everyone else is full again; user 0 is not
    gate.check(99)
    assert len(gate) == 2
    assert gate.check(0) is Verdict.SERVE


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        FloodGate(rate=0, burst=1)
