"""Telegram HTML from jinja2 templates, split under Telegram's length limit.

Produces the messages every chat view shows.

May import: ``briefs.transcript``, ``briefs.links``, ``briefs.errors``.
"""

from __future__ import annotations

from briefs.render._templates import (
    TELEGRAM_LIMIT,
    clock,
    environment,
    fraction,
    highlight,
    html_to_text,
    position_label,
    quote_view,
    render,
    section_at,
    shorten,
    split_message,
    telegram_length,
    verbatim_stretch,
    with_positions,
)

__all__ = [
    "TELEGRAM_LIMIT",
    "clock",
    "environment",
    "fraction",
    "highlight",
    "html_to_text",
    "position_label",
    "quote_view",
    "render",
    "section_at",
    "shorten",
    "split_message",
    "telegram_length",
    "verbatim_stretch",
    "with_positions",
]
