"""The conversation core, driven like a user would, against a real Library."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core import Button, ChatRef, Conversation, Reply, deep_link_payload
from briefs.brief import NO_RISK_NOTE
from briefs.library import Library
from briefs.render import clock, html_to_text
from briefs.transcript import Transcript, TranscriptBuilder

USER = ChatRef(chat_id=42, user_id=7)
ADMIN = ChatRef(chat_id=43, user_id=1)

_COMPUTE = [
    ("Alex (Host)", "Welcome back. Today we talk about compute, chips and the money behind them."),
    ("Greg Brockman (President)", "Compute is the bottleneck. We turned down products because "
     "we did not have enough compute to serve them."),
    ("Alex (Host)", "Why shut down the video product? Was it really about compute?"),
    ("Greg Brockman (President)", "Yes. Every GPU spent on video was a GPU not spent on "
     "reasoning models. That trade-off decided it."),
    ("Alex (Host)", "What worries you most about the next two years?"),
    ("Greg Brockman (President)", "The risk is that demand outruns supply. If the power grid "
     "cannot keep up, we face a real concern about reliability and safety."),
    ("Alex (Host)", "Let us turn to pricing. How do you price access to the models?"),
    ("Greg Brockman (President)", "Pricing follows the cost of compute. As chips get cheaper, "
     "prices fall, and more people build on the platform."),
    ("Alex (Host)", "And the competition from open models?"),
    ("Greg Brockman (President)", "Open models keep us honest. We are uncertain how fast they "
     "catch up, and that uncertainty shapes our roadmap."),
]
_HOSTILE = [
    ("Eve", "My notes say <script>alert(1)</script> & &amp; <b>bold</b> in the budget line."),
    ("Mallory", "The budget line is fine. We should approve the budget for the new building."),
    ("Eve", "I am concerned about the risk of overruns on the building budget."),
    ("Mallory", "Overruns are unlikely. The contractor gave a fixed price for the building."),
]


def _transcript(title: str, turns: list[tuple[str, str]], summary: str | None = None) -> Transcript:
    builder = TranscriptBuilder(format="txt", source=f"{title}.txt", title=title)
    builder.date = "2026-03-01"
    builder.source_summary = summary
    for label, text in turns:
        builder.add("speech", text, builder.speaker(label))
    return builder.build()


async def _open_library(path: Path) -> Library:
    return await Library.open(path)


@pytest.fixture
async def library(tmp_path: Path) -> AsyncIterator[Library]:
    lib = await _open_library(tmp_path / "core.db")
    outcomes = [
        await lib.ingest_transcript(
            _transcript("Greg Brockman on compute", _COMPUTE, summary="OpenAI is compute-bound."),
            source_key="compute",
        ),
        await lib.ingest_transcript(
            _transcript("Budget <committee> & co", _HOSTILE), source_key="budget"
        ),
    ]
    for n in range(3, 13):  # enough for two list pages
        turns = [("Ann", f"Meeting {n} covered the roadmap and hiring plans for team {n}."),
                 ("Bob", f"Team {n} needs two more engineers before the launch.")]
        outcomes.append(
            await lib.ingest_transcript(_transcript(f"Weekly sync {n}", turns), source_key=str(n))
        )
    assert [o.status for o in outcomes] == ["added"] * 12
    yield lib
    await lib.close()


@pytest.fixture
def conv(library: Library) -> Conversation:
    return Conversation(library, admin_ids={1}, list_page_size=8)


def _text(replies: list[Reply]) -> str:
    return "\n".join(html_to_text(r.html) for r in replies)


def _labels(reply: Reply) -> list[list[str]]:
    return [[b.label for b in row] for row in reply.buttons]


def _button(replies: list[Reply], label: str) -> Button:
    found = [b for r in replies for row in r.buttons for b in row if b.label.startswith(label)]
    assert found, f"no button {label!r} in {[_labels(r) for r in replies]}"
    return found[0]


def _all_data(replies: list[Reply]) -> list[str]:
    return [b.data for r in replies for row in r.buttons for b in row]


# -- welcome, help, unknown -------------------------------------------------------------------


async def test_start_welcomes_and_lists_the_commands(conv: Conversation) -> None:
    replies = await conv.handle(USER, text="/start")
    text = _text(replies)
    assert text.startswith("Welcome to briefbot.")
    assert "The library holds 12 transcripts." in text
    for name, _ in conv.commands():
        assert f"/{name} — " in text
    assert _labels(replies[-1]) == [["Recent transcripts"]]


async def test_command_menu_lists_public_commands_with_descriptions(conv: Conversation) -> None:
    async def stats(c: Conversation, chat: ChatRef, args: str) -> list[Reply]:
        return c.message("12 transcripts")

    conv.register("stats", stats, description="Library numbers", admin_only=True)
    names = [name for name, _ in conv.commands()]
    assert names == ["help", "list", "brief", "turns", "risks", "quote", "info", "settings",
                     "export"]
    assert [n for n, _ in conv.commands(admin=True)][-1] == "stats"
    assert all(0 < len(d) <= 256 for _, d in conv.commands(admin=True))
    assert _text(await conv.handle(USER, text="/stats")) == (
        "Sorry, /stats is only for the bot's admins."
    )
    assert _text(await conv.handle(ADMIN, text="/stats")) == "12 transcripts"
    assert "/stats" in _text(await conv.handle(ADMIN, text="/help"))
    assert "/stats" not in _text(await conv.handle(USER, text="/help"))


async def test_unknown_command_says_what_to_do(conv: Conversation) -> None:
    text = _text(await conv.handle(USER, text="/frobnicate now"))
    assert text == (
        "⚠️ I don't know the command /frobnicate.\n\n"
        "Send /help for the list, or just type words to find quotes."
    )


async def test_commands_addressed_to_another_bot_are_ignored(library: Library) -> None:
    conv = Conversation(library, bot_username="briefbot")
    assert await conv.handle(USER, text="/list@other_bot") == []
    assert _text(await conv.handle(USER, text="/help@BriefBot")).startswith("briefbot help")


async def test_blank_messages_get_no_reply(conv: Conversation) -> None:
    assert await conv.handle(USER, text="   ") == []


# -- list and paging ---------------------------------------------------------------------------


async def test_list_pages_newest_first_with_buttons(conv: Conversation) -> None:
    first = await conv.handle(USER, text="/list")
    assert len(first) == 1 and not first[0].edit
    lines = _text(first).splitlines()
    assert lines[0] == "Transcripts · page 1 of 2"
    assert lines[2] == "1. Weekly sync 12"
    assert _labels(first[0])[0] == ["1. Weekly sync 12"]
    assert _labels(first[0])[-1] == ["Older ›"]
    second = await conv.handle(USER, callback=_button(first, "Older").data)
    assert second[0].edit
    assert _labels(second[0]) == [
        ["9. Weekly sync 4"],
        ["10. Weekly sync 3"],
        ["11. Budget <committee> & co"],
        ["12. Greg Brockman on compute"],
        ["‹ Newer"],
    ]


async def test_list_of_an_empty_library_explains_how_to_add(tmp_path: Path) -> None:
    lib = await _open_library(tmp_path / "empty.db")
    try:
        text = _text(await Conversation(lib).handle(USER, text="/list"))
    finally:
        await lib.close()
    assert text.startswith("The library is empty: no transcripts yet.")


# -- briefs -------------------------------------------------------------------------------------


async def test_brief_by_title_words_shows_tldr_and_view_buttons(conv: Conversation) -> None:
    replies = await conv.handle(USER, text="/brief brockman compute")
    text = _text(replies)
    assert text.startswith(
        "Greg Brockman on compute\n2026-03-01 · Alex, Greg Brockman\n\nTL;DR\n1. Alex: "
    )
    assert _labels(replies[-1]) == [
        ["Turning points", "Risks"],
        ["Top quotes", "Source's summary"],
        ["About", "Export"],
    ]


async def test_brief_buttons_switch_views_in_place(conv: Conversation) -> None:
    tldr = await conv.handle(USER, text="/brief greg-brockman-on-compute")
    risks = await conv.handle(USER, callback=_button(tldr, "Risks").data)
    assert risks[0].edit
    text = _text(risks)
    assert "\nRisks\n\nAlex — Host\n1." in text
    # Every risk cites its quote with the speaker and where it sits.
    assert re.search(r"\n— Greg Brockman · \d+% in", text)
    assert _labels(risks[-1])[0] == ["« TL;DR", "Turning points"]
    summary = await conv.handle(USER, callback=_button(risks, "Source's summary").data)
    assert _text(summary).endswith("The source's own summary\n\nOpenAI is compute-bound.")
    quotes = await conv.handle(USER, callback=_button(summary, "Top quotes").data)
    assert "\nTop quotes\n\n1." in _text(quotes)
    back = await conv.handle(USER, callback=_button(quotes, "« TL;DR").data)
    assert _text(back) == _text(tldr)


async def test_top_quotes_are_the_transcripts_own_passages_paged_with_more(
    library: Library,
) -> None:
    conv = Conversation(library, results_per_page=3)
    tldr = await conv.handle(USER, text="/brief greg-brockman-on-compute")
    first = await conv.handle(USER, callback=_button(tldr, "Top quotes").data)
    more = await conv.handle(USER, callback=_button(first, "More").data)
    assert first[0].edit and more[0].edit
    assert [_labels(first[-1])[0], _labels(more[-1])[0]] == [["More ›"], ["‹ Back"]]
    # The brief's view buttons stay under every page.
    assert _labels(first[-1])[1:] == _labels(more[-1])[1:] == [
        ["« TL;DR", "Turning points"], ["Risks", "Source's summary"], ["About", "Export"]
    ]
    header = "Greg Brockman on compute\n2026-03-01 · Alex, Greg Brockman\n\nTop quotes"
    assert _text(first).startswith(header + "\n\n1. “")
    assert _text(more).startswith(header + " · page 2\n\n4. “")
    text = (await library.get("greg-brockman-on-compute")).transcript.text
    shown = re.findall(r"^(\d+)\. “(.+)”\n— (.+) · (\d+)% in$", _text(first) + "\n\n" + _text(more),
                       flags=re.M)
    assert [int(n) for n, *_ in shown] == [1, 2, 3, 4, 5]
    quotes = [quote for _, quote, _, _ in shown]
    # Each quote is said once, verbatim, by the speaker named under it, at its position.
    assert len(set(quotes)) == len(quotes)
    for _, quote, speaker, where in shown:
        said = [turn for turn in _COMPUTE if quote in turn[1]]
        assert [label.split(" (")[0] for label, _ in said] == [speaker]
        assert int(where) == round(100 * text.index(quote) / len(text))
    # The most quotable statements, not the host's questions.
    assert any(q.startswith("Compute is the bottleneck.") for q in quotes)
    assert not any(q.endswith("?") for q in quotes)
    back = await conv.handle(USER, callback=_button(more, "‹ Back").data)
    assert _text(back) == _text(first)


async def test_turns_and_risks_commands_default_to_the_last_brief(conv: Conversation) -> None:
    assert _text(await conv.handle(USER, text="/turns")).startswith("Which transcript?")
    await conv.handle(USER, text="/brief compute")
    turns = _text(await conv.handle(USER, text="/turns"))
    assert turns.startswith("Greg Brockman on compute") and "\nTurning points\n\n1. " in turns
    risks = _text(await conv.handle(USER, text="/risks greg-brockman"))
    assert "\nRisks\n\n" in risks


async def test_turning_points_cite_the_time_of_their_quote(library: Library) -> None:
    builder = TranscriptBuilder(format="vtt", source="timed.vtt", title="Timed compute talk")
    for n, (label, text) in enumerate(_COMPUTE * 2):
        builder.add("speech", text, builder.speaker(label), time_start=65.0 * n)
    outcome = await library.ingest_transcript(builder.build(), source_key="timed")
    brief = await library.brief(outcome.transcript_id)
    stored = await library.get(outcome.transcript_id)
    turns = stored.transcript.turns
    # The case that matters: a quote later than the start of its segment.
    assert any(turns[tp.quote_turn_index].time_start != tp.time for tp in brief.turning_points)
    text = _text(await Conversation(library).handle(USER, text=f"/turns {outcome.transcript_id}"))
    for n, tp in enumerate(brief.turning_points, 1):
        quote_at = clock(turns[tp.quote_turn_index].time_start)
        assert f"\n{n}. {tp.headline} · from {clock(tp.time)}\n" in text
        assert f"\n— {tp.speaker} · at {quote_at}\n" in text + "\n"


async def test_risks_are_grouped_by_speaker_each_citing_its_quote(conv: Conversation) -> None:
    replies = await conv.handle(USER, text="/risks greg-brockman-on-compute")
    # Positions ("41% in") depend on the text layout; the structure is what matters here.
    text = re.sub(r" · \d+% in", " · N% in", _text(replies))
    assert text == (
        "Greg Brockman on compute\n2026-03-01 · Alex, Greg Brockman\n\nRisks\n\n"
        "Alex — Host\n"
        "1. “What worries you most about the next two years?”\n— Alex · N% in\n\n"
        # Gravest first within the group: a consequence with its condition, then
        # a risk word; "we are uncertain how fast they catch up" names no risk.
        "Greg Brockman — President\n"
        "2. “If the power grid cannot keep up, we face a real concern about reliability and "
        "safety.”\n— Greg Brockman · N% in\n\n"
        "3. “The risk is that demand outruns supply.”\n— Greg Brockman · N% in"
    )
    # The speaker headings are bold, the roles in italics.
    assert "<b>Alex</b> — <i>Host</i>\n<b>1.</b>" in replies[0].html
    assert "<b>Greg Brockman</b> — <i>President</i>\n<b>2.</b>" in replies[0].html


async def test_a_long_risks_view_keeps_each_heading_with_its_first_item(
    library: Library,
) -> None:
    turns = [
        (f"Speaker{n % 3}", f"Topic {n} is a real concern and a risk for the budget of team {n}.")
        for n in range(30)
    ]
    outcome = await library.ingest_transcript(_transcript("Risky talk", turns), source_key="risky")
    conv = Conversation(library, message_limit=400)
    replies = await conv.handle(USER, text=f"/risks {outcome.transcript_id}")
    assert len(replies) > 1
    parts = [html_to_text(r.html) for r in replies]
    headings = [line for part in parts for line in part.splitlines() if line.startswith("Speaker")]
    assert headings == ["Speaker0", "Speaker1", "Speaker2"]
    for part in parts:
        lines = part.splitlines()
        # A heading is never the last line of a message: its first item follows it.
        assert not lines[-1].startswith("Speaker")
        for i, line in enumerate(lines):
            if line.startswith("Speaker"):
                assert re.match(r"\d+\. “", lines[i + 1])


async def test_the_risks_view_shows_the_gravest_eight_then_more_risks_pages_the_rest(
    library: Library,
) -> None:
    turns = [("Ann (Host)", "What happens to the plant if the only press breaks down in March?"),
             ("Bo (Plant manager)", "If the press is down for a week, we would miss the spring "
              "orders for our two biggest customers. We signed a second supplier and redesigned "
              "the mount, so a spare goes in within a day.")]
    turns += [("Bo (Plant manager)", f"If line {n} stops, we could lose {n} orders a day.")
              for n in range(1, 11)]
    outcome = await library.ingest_transcript(_transcript("Plant review", turns), source_key="p")
    conv = Conversation(library)
    first = await conv.handle(USER, text=f"/risks {outcome.transcript_id}")
    text = re.sub(r" · \d+% in", "", _text(first))
    numbers = re.findall(r"^(\d+)\. ", text, flags=re.M)
    assert numbers == [str(n) for n in range(1, 9)]
    # The concern, its answer and what is done about it sit together, each attributed.
    assert (
        "Ann — Host\n1. “What happens to the plant if the only press breaks down in March?”\n"
        "— Ann\n↳ What is done: “We signed a second supplier and redesigned the mount, so a "
        "spare goes in within a day.”\n— Bo\n"
    ) in text
    assert _labels(first[-1])[0] == ["More risks ›"]
    more = await conv.handle(USER, callback=_button(first, "More risks").data)
    assert more[0].edit
    text = re.sub(r" · \d+% in", "", _text(more))
    assert "\nRisks (more)\n" in text
    assert re.findall(r"^(\d+)\. ", text, flags=re.M) == ["9", "10", "11", "12"]
    assert _labels(more[-1])[0] == ["‹ Back"]
    back = await conv.handle(USER, callback=_button(more, "‹ Back").data)
    assert re.sub(r" · \d+% in", "", _text(back)) == re.sub(r" · \d+% in", "", _text(first))


async def test_no_risks_found_is_said_in_the_risks_view_only(conv: Conversation) -> None:
    tldr = _text(await conv.handle(USER, text="/brief weekly-sync-3"))
    risks = _text(await conv.handle(USER, text="/risks"))
    assert NO_RISK_NOTE not in tldr
    assert risks.endswith("\nRisks\n\n" + NO_RISK_NOTE)


async def test_brief_for_an_unknown_transcript_is_a_clear_error(conv: Conversation) -> None:
    text = _text(await conv.handle(USER, text="/brief zebra migration"))
    assert text == (
        "⚠️ No transcript matches “zebra migration”.\n\n"
        "Send /list to see the transcripts and their ids."
    )


async def test_info_shows_speakers_and_size(conv: Conversation) -> None:
    text = _text(await conv.handle(USER, text="/info compute"))
    assert "Id: greg-brockman-on-compute" in text
    assert "• Alex — Host\n• Greg Brockman — President" in text


async def test_deep_link_opens_a_brief_directly(conv: Conversation) -> None:
    text = _text(await conv.handle(USER, text="/start brief_greg-brockman-on-compute"))
    assert text.startswith("Greg Brockman on compute\n") and "\nTL;DR\n" in text
    quoted = _text(await conv.handle(USER, text="/start quote_power_grid"))
    assert quoted.startswith("Quotes for “power grid”")


def test_deep_link_payloads_follow_telegrams_rules() -> None:
    assert deep_link_payload("greg-brockman-on-compute") == "brief_greg-brockman-on-compute"
    assert deep_link_payload("x" * 58) == "brief_" + "x" * 58
    assert deep_link_payload("x" * 59) is None  # over 64 characters
    assert deep_link_payload("café") is None


async def test_list_button_opens_a_brief_as_a_new_message(conv: Conversation) -> None:
    page = await conv.handle(USER, text="/list 2")
    opened = await conv.handle(USER, callback=_button(page, "12. Greg").data)
    assert not opened[0].edit and "\nTL;DR\n" in _text(opened)


async def test_hostile_transcript_text_is_escaped(conv: Conversation) -> None:
    replies = await conv.handle(USER, text="alert script")
    html = replies[0].html
    # The only tags are ours: the transcript's <script> and <b> arrive as text.
    assert set(re.findall(r"</?([a-z]+)", html)) == {"b", "i"}
    assert "&lt;<b>script</b>&gt;" in html and "&amp;amp;" in html
    assert "My notes say <script>alert(1)</script> & &amp; <b>bold</b> in the budget line." in (
        _text(replies)
    )
    brief = _text(await conv.handle(USER, text="/brief budget committee"))
    assert brief.startswith("Budget <committee> & co\n")


# -- quotes ----------------------------------------------------------------------------------------


async def test_quote_results_cite_speaker_transcript_and_position(conv: Conversation) -> None:
    replies = await conv.handle(USER, text="/quote compute")
    text = _text(replies)
    assert text.startswith("Quotes for “compute”\n\n1. ")
    attributions = re.findall(r"^— (.+)$", text, flags=re.M)
    assert attributions and all(
        re.fullmatch(r"(Greg Brockman|Alex), Greg Brockman on compute · \d+% in", a)
        for a in attributions
    )
    assert "<b>compute</b>" in replies[0].html.lower() or "<b>Compute</b>" in replies[0].html


async def test_plain_text_is_a_quote_query_with_more(library: Library) -> None:
    conv = Conversation(library, results_per_page=1)
    first = await conv.handle(USER, text="compute")
    assert _text(first).startswith("Quotes for “compute”\n\n1. ")
    more = await conv.handle(USER, callback=_button(first, "More").data)
    assert not more[0].edit
    assert _text(more).startswith("Quotes for “compute” · page 2\n\n2. ")
    assert _text(more) != _text(first)


async def test_a_query_without_results_says_so(conv: Conversation) -> None:
    text = _text(await conv.handle(USER, text="/quote xylophone"))
    assert text == (
        "Quotes for “xylophone”\n\nNo quotes match 'xylophone'; try fewer or different words."
    )


async def test_quote_without_words_explains(conv: Conversation) -> None:
    assert _text(await conv.handle(USER, text="/quote")).startswith("What should I look for?")


async def test_long_queries_travel_as_short_keys(library: Library) -> None:
    conv = Conversation(library, results_per_page=1)
    query = "compute " + " ".join(f"word{n}" for n in range(30))
    first = await conv.handle(USER, text=query)
    more = _button(first, "More").data
    assert re.fullmatch(r"s:2:~[a-z2-7]{16}", more)
    # The key is stored: a fresh core (after a restart) still reads the button.
    page = await Conversation(library, results_per_page=1).handle(USER, callback=more)
    assert _text(page).startswith(f"Quotes for “{query}” · page 2\n\n2. ")


# -- settings and callbacks ---------------------------------------------------------------------


async def test_settings_change_quotes_per_page(conv: Conversation, library: Library) -> None:
    shown = await conv.handle(USER, text="/settings")
    assert _text(shown) == "Settings\n\nQuote search\n5 quotes per page. Change it:"
    assert _labels(shown[0]) == [["3 per page", "✓ 5 per page", "8 per page"]]
    changed = await conv.handle(USER, callback="set:rpp:3")
    assert changed[0].edit and _labels(changed[0]) == [["✓ 3 per page", "5 per page", "8 per page"]]
    # Stored: a new core (a restart) still knows it.
    assert await Conversation(library).page_size(USER) == 3


async def test_registered_settings_sections_are_shown(conv: Conversation) -> None:
    async def digest(c: Conversation, chat: ChatRef) -> tuple[str, list[str], list[list[Button]]]:
        return "Daily digest", ["Off"], [[Button("Subscribe", "d:sub")]]

    conv.register_settings(digest)
    shown = await conv.handle(USER, text="/settings")
    assert _text(shown).endswith("Daily digest\nOff")
    assert _labels(shown[0])[-1] == ["Subscribe"]


async def test_stale_or_unknown_buttons_are_answered(conv: Conversation) -> None:
    for data in ("zz:1", "b:t:~nosuchkey", "b:x:greg-brockman-on-compute", "s:x:compute"):
        assert _text(await conv.handle(USER, callback=data)).startswith(
            "That button no longer works."
        )


async def test_every_button_fits_telegram_callback_data(conv: Conversation) -> None:
    seen: list[str] = []
    for text in ("/start", "/list", "/list 2", "/brief compute", "/risks", "compute", "/settings"):
        seen += _all_data(await conv.handle(USER, text=text))
    assert seen and all(0 < len(d.encode()) <= 64 for d in seen)
    with pytest.raises(ValueError):
        Button("x", "b:t:" + "é" * 40)


@pytest.mark.parametrize(
    ("text", "callback"),
    [
        ("/", None),
        ("/brief@", None),
        ("/list -1", None),
        ("/list 99999", None),
        ("/start brief_", None),
        ("/start brief_no-such-id", None),
        ("/quote \x00<>&", None),
        ("compute " * 700, None),
        (None, ""),
        (None, "l:"),
        (None, "l:-1"),
        (None, "b::"),
        (None, "b:t:"),
        (None, "o:"),
        (None, "s:0:compute"),
        (None, "s:1:"),
        (None, "set:rpp:99"),
    ],
)
async def test_odd_input_gets_a_clear_answer(
    conv: Conversation, text: str | None, callback: str | None
) -> None:
    replies = await conv.handle(USER, text=text, callback=callback)
    assert replies
    shown = _text(replies)
    assert "Something went wrong" not in shown and "Traceback" not in shown
    assert "\x00" not in shown
    assert all(len(html_to_text(r.html)) <= 4096 for r in replies)
    assert all(0 < len(d.encode()) <= 64 for d in _all_data(replies))


async def test_engine_failures_become_messages_not_tracebacks(
    conv: Conversation, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire at /secret/path")

    monkeypatch.setattr(library, "search", broken)
    text = _text(await conv.handle(USER, text="compute"))
    assert text == (
        "⚠️ Something went wrong on my side. Please try again in a moment.\n\n"
        "If it keeps happening, tell the bot's admin."
    )


async def test_inline_mode_offers_quotes(conv: Conversation) -> None:
    page = await conv.inline("compute", size=2)
    assert len(page.items) == 2 and page.has_more
    first = page.items[0]
    assert first.title.endswith("Greg Brockman on compute")
    assert "<b>" in first.html and html_to_text(first.html).count("\n— ") == 1
    assert (await conv.inline("")).items == []


async def test_long_replies_are_split_with_buttons_on_the_last(library: Library) -> None:
    conv = Conversation(library, message_limit=300)
    replies = await conv.handle(USER, text="/brief compute")
    assert len(replies) > 1
    assert all(r.buttons == [] for r in replies[:-1]) and replies[-1].buttons
    assert all(len(html_to_text(r.html)) <= 300 for r in replies)


# "²".isdigit() is True, but int("²") raises: every page number in a command or a
# button is read as ASCII digits only, anything else is page 1 or a stale button.
async def test_superscript_digits_in_list_are_page_one(conv: Conversation) -> None:
    page_one = _text(await conv.handle(USER, text="/list"))
    for odd in ("/list ²", "/list ٣", "/list ¹²"):
        assert _text(await conv.handle(USER, text=odd)) == page_one, odd
    shown = await conv.handle(USER, callback="l:²")
    assert shown[0].edit and _text(shown) == page_one


async def test_superscript_digits_in_any_button_are_answered(conv: Conversation) -> None:
    seen: list[str] = []
    for text in ("/list", "team engineers", "/settings"):
        seen += _all_data(await conv.handle(USER, text=text))
    # Every button whose fields hold a number, with that number made superscript.
    odd = {re.sub(r"(?<=:)\d+(?=:|$)", "²", d) for d in seen} - set(seen)
    assert {d.split(":")[0] for d in odd} == {"l", "s", "set"}, odd
    odd.add("q:²:greg-brockman-on-compute")  # top quotes' paging (one page here, no button)
    for data in sorted(odd):
        shown = _text(await conv.handle(USER, callback=data))
        assert "Something went wrong" not in shown, data
