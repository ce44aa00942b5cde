"""Quote search in the chat and in inline mode: one page of BM25 quote hits.

What matches and in which order is ``Library.search`` (``briefs.search._quotes``).
A page in the chat shows each quote with its speaker and where it sits, a
"Brief: ..." button for the first few transcripts it cites, and ``More ›``
(callback data ``s:<page>:<query>``, the query travelling as a short key)
while there are further pages; inline mode gets the same quotes as results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot._dispatch import Button, ChatRef, InlinePage, InlineResult, Reply
from briefs.render import highlight, quote_view, render, shorten

if TYPE_CHECKING:
    from bot.core import Conversation

__all__ = ["inline_page", "search_view"]

_OPEN_FROM_RESULTS = 3  # "Brief: ..." buttons under a page of quotes


async def search_view(conv: Conversation, chat: ChatRef, query: str, page: int) -> list[Reply]:
    """Page ``page`` of the quotes matching ``query`` (the chat's quotes-per-page)."""
    size = await conv.page_size(chat)
    result: Any = await conv.library.search(query, page=page, page_size=size)
    hits = list(result.hits)
    items = []
    for hit in hits:
        _, length = await conv.transcript(hit.transcript_id)
        heads = await conv.headings(hit.transcript_id)
        excerpt = highlight(hit.excerpt, hit.marks)
        items.append(quote_view(hit, length=length, excerpt=excerpt, headings=heads))
    buttons: list[list[Button]] = []
    seen: list[str] = []
    for hit in hits:
        if hit.transcript_id not in seen and len(seen) < _OPEN_FROM_RESULTS:
            seen.append(hit.transcript_id)
            label = f"Brief: {shorten(hit.title, 32)}"
            buttons.append([await conv.button(label, "o:", hit.transcript_id)])
    if getattr(result, "has_more", False):
        buttons.append([await conv.button("More ›", f"s:{page + 1}:", query)])
    return conv.view(
        "search",
        buttons,
        query=query,
        page=page,
        first=(page - 1) * size + 1,
        items=items,
        note=getattr(result, "note", "") or "",
    )


async def inline_page(conv: Conversation, query: str, page: int, size: int) -> InlinePage:
    """Page ``page`` of the quotes matching ``query`` as inline results."""
    result: Any = await conv.library.search(query, page=page, page_size=size)
    items: list[InlineResult] = []
    for hit in result.hits:
        _, length = await conv.transcript(hit.transcript_id)
        heads = await conv.headings(hit.transcript_id)
        excerpt = highlight(hit.excerpt, hit.marks)
        q = quote_view(hit, length=length, excerpt=excerpt, headings=heads)
        items.append(
            InlineResult(
                id=str(getattr(hit, "passage_id", len(items)))[:64],
                title=shorten(f"{q['speaker'] or 'Unknown'} — {hit.title}", 64),
                description=shorten(hit.excerpt, 120),
                html=render("inline_quote", q=q),
            )
        )
    return InlinePage(items, bool(getattr(result, "has_more", False)))
