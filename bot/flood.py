"""Per-user flood control: a token bucket per user, with one "slow down" notice.

A user who sends 50 messages in a second gets their burst answered, one
notice, and silence for the rest until their bucket refills; every other user
has a bucket of their own and notices nothing. Telegram's own limits (30
messages a second overall) are the ``AIORateLimiter``'s job, not this one's:
this decides which *incoming* updates are worth serving at all.

The clock is injected so tests can step time instead of sleeping.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

__all__ = ["FloodGate", "Verdict"]


class Verdict(enum.Enum):
    """What to do with one incoming update."""

    SERVE = "serve"
    NOTIFY = "notify"
    """Over the limit, first time in this stretch: drop it and say "slow down" once."""
    DROP = "drop"
    """Over the limit and already told: drop it silently."""


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float
    notified: bool = False


class FloodGate:
    """Token buckets keyed by user (any hashable key): ``burst`` at once, then ``rate`` a second."""

    # Past this many tracked users, forget the ones whose bucket is full again:
    # they are indistinguishable from users never seen, so memory stays bounded.
    _PRUNE_AT = 10_000

    def __init__(
        self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[Hashable, _Bucket] = {}

    def check(self, user_id: Hashable) -> Verdict:
        """Take one token from ``user_id``'s bucket, or say why not."""
        now = self._clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self._PRUNE_AT:
                self._prune(now)
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        else:
            elapsed = max(0.0, now - bucket.stamp)
            bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
            bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.notified = False
            return Verdict.SERVE
        if bucket.notified:
            return Verdict.DROP
        bucket.notified = True
        return Verdict.NOTIFY

    def __len__(self) -> int:
        return len(self._buckets)

    def _prune(self, now: float) -> None:
        full = [
            user
            for user, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.stamp) * self.rate >= self.burst
        ]
        for user in full:
            del self._buckets[user]
