"""How the digest tables write and read moments: fixed-layout UTC text.

Pure functions, here so that the store can write and read its own rows;
``briefs.digest._schedule`` re-exports them for the engine.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["iso", "parse_iso"]


def iso(moment: datetime) -> str:
    """The fixed-layout UTC text stored in the database (sorts as it compares)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    """Parse an ISO 8601 moment; a naive one is taken as UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
