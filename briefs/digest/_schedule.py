"""When a digest is due: local times of day, IANA zones and daylight saving.

A subscriber picks a wall-clock time (08:00) in a zone (Europe/Berlin). The
next digest is the first instant *strictly after* a given moment at which the
zone's clock shows that time, computed on the local calendar and converted to
UTC with ``zoneinfo``, so 08:00 stays 08:00 local on both sides of a
daylight-saving change (07:00 UTC in winter, 06:00 UTC in summer).

Two local times are special, once a year each, and only for times of day
inside the change (between 02:00 and 03:00 in Europe):

- **the spring gap** (02:30 does not exist that day): the digest goes out at
  the same distance past the change, i.e. 03:30 local, the instant the clock
  would have shown 02:30 without the change (``fold=0`` semantics, as PEP 495
  defines it). One digest that day, an hour "late" by the clock.
- **the autumn overlap** (02:30 happens twice): the first occurrence (``fold=0``).
  Because the next due time is always computed strictly after the moment the
  digest was handled, the second 02:30 never triggers a second digest.

A digest missed while nothing was running is not replayed day by day: when the
scheduler next runs, one digest is due (covering everything since the
watermark) and the next one is the next local occurrence after that moment.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from briefs.errors import SubscriptionError
from briefs.store import iso, parse_iso  # the store writes moments; re-exported here

__all__ = [
    "SubscribeRequest",
    "iso",
    "next_due",
    "parse_iso",
    "parse_subscribe_args",
    "parse_time",
    "parse_topics",
    "parse_zone",
]

_TIME_RE = re.compile(r"(\d{1,2})[:.h](\d{2})")
_MAX_TOPICS = 10
_MAX_TOPIC_CHARS = 40


def next_due(after: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The first instant strictly after ``after`` when ``zone`` shows ``at``, in UTC."""
    if after.tzinfo is None:
        raise ValueError("next_due needs an aware datetime")
    local_day = after.astimezone(zone).date()
    # Today may already be past; tomorrow always has a candidate after `after`
    # (a local day is at least 23 hours), so at most three days are looked at.
    for offset in range(3):
        day: date = local_day + timedelta(days=offset)
        candidate = datetime.combine(day, at, tzinfo=zone)  # fold=0: see module docstring
        utc = candidate.astimezone(UTC)
        if utc > after:
            return utc
    raise AssertionError("unreachable: a local day always has the time of day")  # pragma: no cover


def parse_time(text: str) -> time:
    """``"8:00"``, ``"08:00"``, ``"07.30"`` -> ``time``; anything else is a SubscriptionError."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise SubscriptionError(
            f"{text.strip()!r} is not a time of day: use 24-hour HH:MM, for example 07:30"
        )
    return time(int(match[1]), int(match[2]))


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def parse_zone(text: str) -> ZoneInfo:
    """An IANA zone name, matched without regard to case (``europe/berlin`` works)."""
    wanted = text.strip()
    name = _zones_by_folded_name().get(wanted.casefold())
    if name is None:
        close = difflib.get_close_matches(wanted, sorted(_zones_by_folded_name().values()), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise SubscriptionError(
            f"{wanted!r} is not an IANA time zone: {hint}"
            "use a name such as Europe/Berlin, America/New_York or UTC"
        )
    return ZoneInfo(name)


def parse_topics(text: str) -> tuple[str, ...]:
    """``"compute, safety"`` -> ``("compute", "safety")``; ``"none"`` or empty clears them."""
    topics: list[str] = []
    for raw in re.split(r"[,;]", text):
        topic = " ".join(raw.split())
        if not topic or topic.casefold() in {t.casefold() for t in topics}:
            continue
        if len(topic) > _MAX_TOPIC_CHARS:
            raise SubscriptionError(
                f"topic {topic[:20]!r}... is too long: keep each topic under "
                f"{_MAX_TOPIC_CHARS} characters"
            )
        topics.append(topic)
    if [t.casefold() for t in topics] in (["none"], ["all"], ["everything"]):
        return ()
    if len(topics) > _MAX_TOPICS:
        raise SubscriptionError(f"at most {_MAX_TOPICS} topics, please (got {len(topics)})")
    return tuple(topics)


@dataclass(frozen=True, slots=True)
class SubscribeRequest:
    """What ``/subscribe`` asked for; ``None`` means "keep yours, or the default"."""

    at: time | None = None
    zone: ZoneInfo | None = None
    topics: tuple[str, ...] | None = None


def parse_subscribe_args(text: str) -> SubscribeRequest:
    """Parse ``[HH:MM] [IANA zone] [topics: a, b]`` in any order of time and zone.

    ``topics:`` takes the rest of the line. Raises SubscriptionError with a
    one-line message naming the offending word.
    """
    pieces = re.split(r"(?i)\btopics?\s*:", text, maxsplit=1)
    head = pieces[0]
    topics = parse_topics(pieces[1]) if len(pieces) == 2 else None
    at: time | None = None
    zone: ZoneInfo | None = None
    for word in head.split():
        if _TIME_RE.fullmatch(word) or re.fullmatch(r"\d{1,2}(:\d*)?", word):
            if at is not None:
                raise SubscriptionError(f"two times given ({at:%H:%M} and {word}): pick one")
            at = parse_time(word)
        else:
            if zone is not None:
                raise SubscriptionError(
                    f"{word!r} is neither a time (HH:MM) nor the only time zone; "
                    "write topics after 'topics:'"
                )
            zone = parse_zone(word)
    return SubscribeRequest(at=at, zone=zone, topics=topics)
