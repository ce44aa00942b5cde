"""Subscribers and the digest outbox (migrations 0005, 0007): one transaction per arrow."""

from __future__ import annotations

from briefs.store._repository import Repository

__all__ = ["DigestRows"]


class DigestRows(Repository):
    """Subscribers and the outbox."""
