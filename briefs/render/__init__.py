"""Telegram HTML from jinja2 templates, split under Telegram's length limit.

Produces the messages every chat view shows.

May import: ``briefs.transcript``, ``briefs.links``, ``briefs.errors``.
"""

from __future__ import annotations

from briefs.render._templates import (
    TELEGRAM_LIMIT,
    clock,
    environment,
    highlight,
    html_to_text,
    position_label,
    quote_view,
    render,
    shorten,
    split_message,
    telegram_length,
)

__all__ = [
    "TELEGRAM_LIMIT",
    "clock",
    "environment",
    "highlight",
    "html_to_text",
    "position_label",
    "quote_view",
    "render",
    "shorten",
    "split_message",
    "telegram_length",
]
