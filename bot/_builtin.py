"""The conversation's built-in commands and buttons.

Callback data, all under 64 bytes (long ids and queries travel as short keys,
see ``bot._chatstate``)::

    l:<page>            transcript list page (edits the list in place)
    o:<id>              open a transcript's TL;DR as a new message
    b:<view>:<id>       switch a brief message to another view (edits in place)
    q:<page>:<id>       a page of a brief's top quotes (edits in place)
    r:<page>:<id>       a page of a brief's risks: 1 the gravest, then "More risks ›" (in place)
    s:<page>:<query>    a page of quote results ("More")
    set:rpp:<n>         quotes per search page

Brief views: ``t`` TL;DR, ``p`` turning points, ``r`` risks, ``q`` top quotes,
``s`` the source's own summary, ``i`` about the transcript.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from bot import _export_cmd
from bot._dispatch import Button, ChatRef, Reply, deep_link_payload
from bot._quote_search import search_view
from bot._risks_view import risks_view
from bot._top_quotes import top_quotes_view
from briefs.brief import NO_RISK_NOTE
from briefs.errors import NotFound
from briefs.links import transcript_link
from briefs.render import quote_view, shorten

if TYPE_CHECKING:
    from bot.core import Conversation

__all__ = ["VIEWS", "deep_link_payload", "install"]

VIEWS: dict[str, str] = {
    "t": "TL;DR",
    "p": "Turning points",
    "r": "Risks",
    "q": "Top quotes",
    "s": "Source's summary",
    "i": "About",
}
PAGE_SIZES = (3, 5, 8)


def install(conv: Conversation) -> None:
    conv.register("start", start, description="Welcome and what I can do", hidden=True)
    conv.register("help", help_, description="What I can do and how to ask")
    conv.register("list", list_, description="Recent transcripts")
    conv.register("brief", brief, description="A transcript's brief: /brief <id or title words>")
    conv.register("turns", turns, description="Turning points of a transcript")
    conv.register("risks", risks, description="Risks raised in a transcript")
    conv.register("quote", quote, description="Quotes about a topic: /quote compute")
    conv.register("info", info, description="About a transcript: speakers, size, source")
    conv.register("settings", settings, description="Your settings")
    conv.register_callback("l", on_list)
    conv.register_callback("o", on_open)
    conv.register_callback("b", on_view)
    conv.register_callback("q", on_top_quotes)
    conv.register_callback("r", on_risk_page)
    conv.register_callback("s", on_search)
    conv.register_callback("set", on_setting)
    _export_cmd.install(conv)  # /export and the brief's "Export" button


# -- welcome and help -------------------------------------------------------------------


async def start(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    payload = args.strip()
    if payload.startswith("brief_") and len(payload) > len("brief_"):
        return await _open(conv, chat, payload[len("brief_") :], "t")
    if payload.startswith("quote_") and len(payload) > len("quote_"):
        return await search_view(conv, chat, payload[len("quote_") :].replace("_", " "), 1)
    return await _help(conv, chat, welcome=True)


async def help_(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    return await _help(conv, chat, welcome=False)


async def _help(conv: Conversation, chat: ChatRef, *, welcome: bool) -> list[Reply]:
    total = await conv.library.count_transcripts()
    buttons = [[Button("Recent transcripts", "l:1")]] if total else []
    return conv.view(
        "help",
        buttons,
        welcome=welcome,
        total=total,
        commands=conv.commands(admin=conv.is_admin(chat)),
    )


# -- the transcript list ------------------------------------------------------------------


async def list_(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    page = int(args) if _digits(args.strip()) else 1
    return await _list_page(conv, page, edit=False)


async def on_list(conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
    raw = data.partition(":")[2]
    return await _list_page(conv, int(raw) if _digits(raw) else 1, edit=True)


async def _list_page(conv: Conversation, page: int, *, edit: bool) -> list[Reply]:
    total = await conv.library.count_transcripts()
    if total == 0:
        return conv.message(
            "The library is empty: no transcripts yet.",
            hint="An admin can send me a transcript file, or run: briefbot ingest FOLDER",
            edit=edit,
        )
    size = conv.list_page_size
    pages = max(1, math.ceil(total / size))
    page = min(max(page, 1), pages)
    offset = (page - 1) * size
    items = await conv.library.list_transcripts(limit=size, offset=offset)
    buttons = [
        [await conv.button(f"{offset + n}. {shorten(info.title, 40)}", "o:", info.id)]
        for n, info in enumerate(items, 1)
    ]
    nav = []
    if page > 1:
        nav.append(Button("‹ Newer", f"l:{page - 1}"))
    if page < pages:
        nav.append(Button("Older ›", f"l:{page + 1}"))
    if nav:
        buttons.append(nav)
    return conv.view(
        "transcripts", buttons, edit=edit, items=items, page=page, pages=pages, offset=offset
    )


# -- briefs ---------------------------------------------------------------------------------


async def brief(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    return await _brief_command(conv, chat, args, "t", "brief")


async def turns(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    return await _brief_command(conv, chat, args, "p", "turns")


async def risks(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    return await _brief_command(conv, chat, args, "r", "risks")


async def info(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    return await _brief_command(conv, chat, args, "i", "info")


async def _brief_command(
    conv: Conversation, chat: ChatRef, args: str, view: str, name: str
) -> list[Reply]:
    if not args:
        current = conv.current.get(chat.chat_id)
        if current is None:
            return conv.message(
                f"Which transcript? Send /{name} followed by its id or a few words of its title.",
                hint="/list shows the transcripts with their ids.",
            )
        return await _open(conv, chat, current, view)
    found = await conv.library.resolve(args)
    if found is None:
        return conv.error(
            f"No transcript matches “{shorten(args, 60)}”.",
            hint="Send /list to see the transcripts and their ids.",
        )
    return await _open(conv, chat, found.id, view)


async def on_open(conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
    transcript_id = await conv.unpack(data.partition(":")[2])
    if transcript_id is None:
        return _expired(conv)
    return await _open(conv, chat, transcript_id, "t")


async def on_view(conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
    _, view, ref = _fields(data)
    transcript_id = await conv.unpack(ref)
    if transcript_id is None or view not in VIEWS:
        return _expired(conv)
    return await _open(conv, chat, transcript_id, view, edit=True)


async def on_top_quotes(conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
    """``q:<page>:<id>``: a page of the brief's top quotes."""
    return await _open_page(conv, chat, data, "q")


async def on_risk_page(conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
    """``r:<page>:<id>``: a page of the brief's risks."""
    return await _open_page(conv, chat, data, "r")


async def _open_page(conv: Conversation, chat: ChatRef, data: str, view: str) -> list[Reply]:
    _, page, ref = _fields(data)
    transcript_id = await conv.unpack(ref)
    if transcript_id is None or not _digits(page):
        return _expired(conv)
    return await _open(conv, chat, transcript_id, view, edit=True, page=int(page))


async def _open(
    conv: Conversation,
    chat: ChatRef,
    transcript_id: str,
    view: str,
    *,
    edit: bool = False,
    page: int = 1,
) -> list[Reply]:
    try:
        about, length = await conv.transcript(transcript_id)
    except NotFound:
        return conv.error(
            f"There is no transcript with the id “{shorten(transcript_id, 60)}”.",
            hint="It may have been removed. Send /list to see the transcripts.",
        )
    conv.current[chat.chat_id] = transcript_id
    buttons = await _view_buttons(conv, transcript_id, view)
    if view == "i":
        return conv.view("info", buttons, edit=edit, info=about)
    the_brief: Any = await conv.library.brief(transcript_id)
    if the_brief is None:
        return conv.error(
            f"“{shorten(about.title, 60)}” has no brief yet.",
            hint="Ask the bot's admin to rebuild the briefs.",
        )
    tldr = list(getattr(the_brief, "tldr", ()) or ())
    # Sources without times place a quote by section and share: "The plan, 40% in".
    heads = await conv.headings(transcript_id)
    link = transcript_link(about.metadata)  # a timed quote's time links to its moment
    if view == "t":
        keywords = list(getattr(the_brief, "keywords", ()) or ())[:8]
        bullets = [quote_view(item, length=length, headings=heads, link=link) for item in tldr]
        # The "no risks found" note belongs to the Risks view, which says it.
        notes = [n for n in getattr(the_brief, "notes", ()) or () if n != NO_RISK_NOTE]
        return conv.view(
            "brief", buttons, edit=edit, info=about, tldr=bullets, keywords=keywords, notes=notes
        )
    if view == "r":
        return await risks_view(
            conv, about, length, the_brief, buttons, page=page, edit=edit, headings=heads,
            link=link,
        )
    if view == "p":
        # A turning point's own time is where its segment starts; its quote
        # may come later, at the time of the turn that holds it.
        times = await conv.turn_times(transcript_id)
        views = [
            quote_view(
                tp,
                length=length,
                time=_quote_time(tp, times),
                since=getattr(tp, "time", None),
                headings=heads,
                link=link,
            )
            for tp in getattr(the_brief, "turning_points", ()) or ()
        ]
        return conv.view(
            "brief_items",
            buttons,
            edit=edit,
            info=about,
            heading=VIEWS[view],
            empty="No clear turning points: the conversation keeps to one track.",
            items=views,
        )
    if view == "q":
        return await top_quotes_view(
            conv, chat, about, length, the_brief, buttons, page=page, edit=edit, headings=heads,
            link=link,
        )
    summary = getattr(the_brief, "source_summary", None) or about.source_summary
    return conv.view("summary", buttons, edit=edit, info=about, summary=summary)


def _quote_time(tp: Any, turn_times: dict[int, float]) -> float | None:
    """When a turning point's quote was said (older briefs: when its turn began)."""
    said = getattr(tp, "quote_time", None)
    return said if said is not None else turn_times.get(getattr(tp, "quote_turn_index", -1))


async def _view_buttons(conv: Conversation, transcript_id: str, current: str) -> list[list[Button]]:
    buttons = [
        await conv.button(label, f"b:{code}:", transcript_id)
        for code, label in VIEWS.items()
        if code != current
    ]
    if current != "t":
        buttons[0] = Button("« TL;DR", buttons[0].data)
    buttons.append(await conv.button("Export", f"{_export_cmd.EXPORT_PREFIX}:", transcript_id))
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _fields(data: str) -> tuple[str, str, str]:
    """``"b:p:some-id"`` -> ``("b", "p", "some-id")``; missing fields are empty."""
    a, b, c = [*data.split(":", 2), "", ""][:3]
    return a, b, c


def _digits(text: str) -> bool:
    # ASCII only: "²".isdigit() is True, but int("²") raises (/list ², button "l:²").
    return text.isascii() and text.isdigit()


def _expired(conv: Conversation) -> list[Reply]:
    return conv.message("That button no longer works.", hint="Send /list to start again.")


# -- quotes -------------------------------------------------------------------------------------


async def quote(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    if not args:
        return conv.message(
            "What should I look for? Send /quote and a few words, e.g. /quote compute budget.",
            hint="Any plain message is a quote search too.",
        )
    return await search_view(conv, chat, args, 1)


async def on_search(conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
    _, page, ref = _fields(data)
    query = await conv.unpack(ref)
    if query is None or not _digits(page) or int(page) < 1:
        return _expired(conv)
    return await search_view(conv, chat, query, int(page))


# -- settings ---------------------------------------------------------------------------------


async def settings(conv: Conversation, chat: ChatRef, args: str) -> list[Reply]:
    return await _settings(conv, chat, edit=False)


async def on_setting(conv: Conversation, chat: ChatRef, data: str) -> list[Reply]:
    _, name, value = _fields(data)
    if name != "rpp" or not _digits(value) or int(value) not in PAGE_SIZES:
        return _expired(conv)
    await conv.state.set_results_per_page(
        chat.chat_id, int(value), chat_type=chat.chat_type, title=chat.title
    )
    return await _settings(conv, chat, edit=True)


async def _settings(conv: Conversation, chat: ChatRef, *, edit: bool) -> list[Reply]:
    size = await conv.page_size(chat)
    sections: list[tuple[str, list[str | Markup]]] = [
        ("Quote search", [f"{size} quotes per page. Change it:"]),
    ]
    buttons = [
        [
            Button(f"✓ {n} per page" if n == size else f"{n} per page", f"set:rpp:{n}")
            for n in PAGE_SIZES
        ],
    ]
    for section in conv.settings_sections:
        title, lines, extra = await section(conv, chat)
        sections.append((title, lines))
        buttons.extend(extra)
    return conv.view("settings", buttons, edit=edit, sections=sections)
