"""The brief's "Top quotes" view: the transcript's most quotable passages, paged.

What counts as a top quote is ``briefs.search._top_quotes`` (BM25 inside the
transcript for the brief's keywords, deduplicated, questions left out). Each
shows its speaker and where it sits; ``‹ Back`` / ``More ›`` page through
them in place, with the callback data ``q:<page>:<id>``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from bot._dispatch import Button, ChatRef, Reply
from briefs.links import Kind
from briefs.render import quote_view
from briefs.search import top_quotes

if TYPE_CHECKING:
    from bot.core import Conversation
    from briefs.library import TranscriptInfo

__all__ = ["top_quotes_view"]


async def top_quotes_view(
    conv: Conversation,
    chat: ChatRef,
    about: TranscriptInfo,
    length: int,
    the_brief: Any,
    view_buttons: list[list[Button]],
    *,
    page: int = 1,
    edit: bool = False,
    headings: list[tuple[int, str]] | None = None,
    link: tuple[str, Kind] | None = None,
) -> list[Reply]:
    """One page of top quotes (the chat's quotes-per-page), numbered across pages."""
    keywords = list(getattr(the_brief, "keywords", ()) or ())
    hits = await top_quotes(conv.library, about.id, keywords)
    size = await conv.page_size(chat)
    pages = max(1, math.ceil(len(hits) / size))
    page = min(max(page, 1), pages)
    first = (page - 1) * size
    items = [
        # A search hit's words are its excerpt: shown as the quote, on its own.
        {**quote_view(hit, length=length, headings=headings, link=link), "quote": hit.excerpt,
         "text": ""}
        for hit in hits[first : first + size]
    ]
    nav = await conv.pager("q", page, pages, about.id)
    buttons = [nav, *view_buttons] if nav else view_buttons
    return conv.view(
        "quotes", buttons, edit=edit, info=about, items=items, first=first, page=page
    )
