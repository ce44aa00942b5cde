"""Subscribers and the digest outbox (migrations 0005, 0007, 0010): one transaction per arrow.

``store.digests`` holds both table groups' SQL (``_subscribers``, ``_outbox``),
so one arrow of a digest's life that touches both (delivered + watermark
moved) is one repository's calls inside the engine's one transaction.
"""

from __future__ import annotations

from briefs.store._composing import ComposeClaims
from briefs.store._outbox import OutboxRows
from briefs.store._subscribers import SubscriberRows

__all__ = ["DigestRows"]


class DigestRows(SubscriberRows, OutboxRows, ComposeClaims):
    """Subscribers, the outbox and the compose claims."""
