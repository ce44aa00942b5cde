"""The brief's "Risks" view: the gravest risks, then "More risks ›" pages for the rest.

Page 1 shows the brief's ``risks`` (at most ``MAX_RISKS``, grouped by speaker,
gravest first in each group); pages 2 and on show ``risks_more``, ``MAX_RISKS``
a page, numbered on from page 1. Each item cites its quote with its speaker and
position, and under it what is done about it (its ``mitigation``), cited with
its own speaker. ``‹ Back`` / ``More risks ›`` page in place, with the callback
data ``r:<page>:<id>``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from bot._dispatch import Button, Reply
from briefs.brief import MAX_RISKS, NO_RISK_NOTE
from briefs.links import Kind
from briefs.render import quote_view

if TYPE_CHECKING:
    from bot.core import Conversation
    from briefs.library import TranscriptInfo

__all__ = ["risks_view"]


async def risks_view(
    conv: Conversation,
    about: TranscriptInfo,
    length: int,
    the_brief: Any,
    view_buttons: list[list[Button]],
    *,
    page: int,
    edit: bool,
    headings: list[tuple[int, str]] | None = None,
    link: tuple[str, Kind] | None = None,
) -> list[Reply]:
    """Page 1: the gravest risks (the brief's ``risks``); pages 2+: ``risks_more``, 8 a page."""
    shown = list(getattr(the_brief, "risks", ()) or ())
    more = list(getattr(the_brief, "risks_more", ()) or ())
    pages = 1 + math.ceil(len(more) / MAX_RISKS)
    page = min(max(page, 1), pages)
    if page == 1:
        items, first = shown, 1
    else:
        start = (page - 2) * MAX_RISKS
        items, first = more[start : start + MAX_RISKS], len(shown) + start + 1
    nav = await conv.pager("r", page, pages, about.id, more="More risks ›")
    return conv.view(
        "risks",
        [nav, *view_buttons] if nav else view_buttons,
        edit=edit,
        info=about,
        groups=_risk_groups(items, about, length, first, headings, link),
        empty=NO_RISK_NOTE,
        more=page > 1,
    )


def _risk_groups(
    items: list[Any],
    about: TranscriptInfo,
    length: int,
    first: int = 1,
    headings: list[tuple[int, str]] | None = None,
    link: tuple[str, Kind] | None = None,
) -> list[tuple[str, str | None, list[tuple[int, dict[str, Any]]]]]:
    """The risks view's groups: ``(speaker, role, [(number, quote view), ...])``.

    In the brief's order (the host's concerns first, then each guest's answers
    and views, gravest first); numbers run across groups, from ``first``, so an
    item can be referred to. A quote view carries ``mitigation``: what is done.
    """
    by_speaker: dict[str, list[Any]] = {}
    for item in items:
        by_speaker.setdefault(item.speaker or "", []).append(item)
    groups: list[tuple[str, str | None, list[tuple[int, dict[str, Any]]]]] = []
    n = first - 1
    for speaker, said in by_speaker.items():
        views = []
        for item in said:
            n += 1
            done = getattr(item, "mitigation", None)
            views.append(
                (
                    n,
                    {
                        **quote_view(item, length=length, headings=headings, link=link),
                        "mitigation": (
                            quote_view(done, length=length, headings=headings, link=link)
                            if done
                            else None
                        ),
                    },
                )
            )
        groups.append((speaker, about.speakers.get(speaker) if speaker else None, views))
    return groups
