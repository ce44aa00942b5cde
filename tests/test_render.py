"""Telegram HTML rendering: escaping, templates, and splitting under the limit."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace as NS

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from briefs.render import (
    clock,
    highlight,
    html_to_text,
    position_label,
    quote_view,
    render,
    shorten,
    split_message,
    telegram_length,
    verbatim_stretch,
)

HOSTILE = "<script>alert(1)</script> & &amp; <b>not bold</b> \"q\" 'a'"


class _Checker(HTMLParser):
    """An independent reading of a part, as Telegram would parse it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with {self.stack}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> tuple[str, list[str]]:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    errors = checker.errors + [f"unclosed {t}" for t in checker.stack]
    # A bare "&" that is not a whole entity means a cut landed inside one.
    errors += [f"broken entity at {m.start()}" for m in re.finditer(r"&(?![a-z]+;|#\d+;)", html)]
    return "".join(checker.text), errors


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _info(**over: object) -> NS:
    base = dict(
        id="t-1",
        title="Title",
        date="2026-03-01",
        speakers={"Alex": None, "Greg": "President"},
        word_count=1200,
        turn_count=10,
        format="txt",
        source="t.txt",
        ingested_at="2026-11-25T10:00:00+00:00",
        revision=1,
    )
    base.update(over)
    return NS(**base)


# -- small helpers -----------------------------------------------------------


def test_clock_formats_minutes_and_hours() -> None:
    assert [clock(None), clock(0), clock(75.4), clock(3725)] == ["", "0:00", "1:15", "1:02:05"]


def test_position_label_prefers_time_then_share_of_text() -> None:
    assert position_label(500, 75.0, 1000) == "at 1:15"
    assert position_label(500, None, 1000) == "50% in"
    assert position_label(500, None, None) == ""


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    assert shorten("short title") == "short title"
    assert shorten("the quick brown fox jumps over the lazy dog", 20) == "the quick brown fox…"


def test_highlight_escapes_text_and_bolds_merged_marks() -> None:
    out = highlight("a <b> & compute", [(11, 15), (9, 13), (50, 60), (3, 2)])
    assert str(out) == "a &lt;b&gt; &amp; c<b>ompute</b>"
    assert str(highlight("x<y compute", [(4, 11)])) == "x&lt;y <b>compute</b>"
    assert str(highlight("ab cd ef", [(3, 5), (0, 2), (4, 8)])) == "<b>ab</b> <b>cd ef</b>"


# -- escaping of hostile transcript text ---------------------------------------


def test_hostile_text_is_escaped_in_every_field_of_a_search_page() -> None:
    hit = NS(
        excerpt=HOSTILE, marks=[(0, 8)], speaker="<i>Eve</i>", title="A & B <c>", start=1, time=None
    )
    html = render(
        "search",
        query="<q>",
        page=1,
        first=1,
        items=[quote_view(hit, length=10, excerpt=highlight(hit.excerpt, hit.marks))],
        note="",
    )
    text, errors = _parse(html)
    assert errors == []
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&amp;amp;" in html  # a literal "&amp;" in the transcript stays literal
    assert text == (
        "Quotes for “<q>”\n\n1. " + HOSTILE + "\n— <i>Eve</i>, A & B <c> · 10% in"
    )


def test_hostile_brief_items_render_as_text() -> None:
    item = NS(text="Risk: <b>x</b> & y", speaker="S", quote=HOSTILE, start=0, time=3.0, headline="")
    html = render(
        "brief_items",
        info=_info(title="<Title>"),
        heading="Risks",
        empty="none",
        items=[quote_view(item)],
    )
    text, errors = _parse(html)
    assert errors == []
    assert text.splitlines() == [
        "<Title>",
        "2026-03-01 · Alex, Greg",
        "",
        "Risks",
        "",
        "1. Risk: <b>x</b> & y",
        HOSTILE,
        "— S · at 0:03",
    ]


def test_risks_render_under_speaker_headings_with_escaped_names_and_roles() -> None:
    concern = NS(text="", speaker="<Host>", quote="What worries you?", start=1, time=None)
    answer = NS(text="Risk: <b>x</b> & y", speaker="Guest & co", quote=HOSTILE, start=5,
                time=None)
    html = render(
        "risks",
        info=_info(),
        groups=[
            ("<Host>", "<i>Host</i>", [(1, quote_view(concern, length=10))]),
            ("Guest & co", None, [(2, quote_view(answer, length=10))]),
            ("", None, [(3, quote_view(concern, length=10))]),
        ],
        empty="none",
    )
    text, errors = _parse(html)
    assert errors == []
    assert "<b>&lt;Host&gt;</b> — <i>&lt;i&gt;Host&lt;/i&gt;</i>\n<b>1.</b>" in html
    assert text.splitlines() == [
        "Title",
        "2026-03-01 · Alex, Greg",
        "",
        "Risks",
        "",
        "<Host> — <i>Host</i>",
        "1. “What worries you?”",
        "— <Host> · 10% in",
        "",
        "Guest & co",
        "2. Risk: <b>x</b> & y",
        HOSTILE,
        "— Guest & co · 50% in",
        "",
        "Unknown speaker",
        "3. “What worries you?”",
        "— <Host> · 10% in",
    ]
    empty = render("risks", info=_info(), groups=[], empty="No talk of risks.")
    assert html_to_text(empty).split("Risks\n\n")[1] == "No talk of risks."
    assert "<i>No talk of risks.</i>" in empty


def test_an_item_whose_statement_is_its_quote_shows_the_quote_once() -> None:
    same = NS(text="Compute  is scarce.", speaker="Greg", quote="Compute is scarce.", start=5)
    cleaned = NS(text="Compute is scarce.", speaker="Greg", quote="Um, compute is, uh, scarce.",
                 start=5)
    html = render(
        "quotes", info=_info(), items=[quote_view(same, length=10), quote_view(cleaned, length=10)]
    )
    assert html_to_text(html).split("Top quotes\n\n")[1] == (
        "1. “Compute is scarce.”\n— Greg · 50% in\n\n"
        "2. Compute is scarce.\nUm, compute is, uh, scarce.\n— Greg · 50% in"
    )


def test_templates_render_without_stray_markup() -> None:
    info = _info()
    views = [
        render("help", welcome=True, total=2, commands=[("list", "Recent transcripts")]),
        render("transcripts", items=[info], page=1, pages=1, offset=0),
        render(
            "brief",
            info=info,
            tldr=[quote_view(NS(text="One.", quote="Um, one <b>.", start=0))],
            keywords=["k"],
            notes=["A note"],
        ),
        render("quotes", info=info, items=[]),
        render("summary", info=info, summary="Their own <summary>"),
        render("info", info=info),
        render("message", kind="error", text="Nope", hint=""),
        render("settings", sections=[("Search", ["5 results per page"])]),
    ]
    for html in views:
        assert _parse(html)[1] == []
        assert html == html.strip() and "\n\n\n" not in html
    assert html_to_text(views[1]).splitlines() == [
        "Transcripts",
        "",
        "1. Title",
        "2026-03-01 · Alex, Greg · 1,200 words · t-1",
    ]


# -- splitting ----------------------------------------------------------------


def test_a_message_that_fits_is_returned_unchanged() -> None:
    html = "<b>a</b>\n\n" + "x" * 100
    assert split_message(html, 200) == [html]


def test_entities_and_astral_characters_count_as_telegram_counts() -> None:
    assert telegram_length("<b>&lt;a&gt;</b> &amp; 😀") == 3 + 1 + 1 + 1 + 2


def test_split_prefers_paragraph_breaks() -> None:
    paras = ["<b>p1</b> " + "a" * 30, "p2 " + "b" * 30, "p3 " + "c" * 30]
    html = "\n\n".join(paras)
    assert split_message(html, 80) == [paras[0] + "\n\n" + paras[1], paras[2]]


def test_split_falls_back_to_lines_then_words() -> None:
    lines = "line one is here\nline two is here\nline three"
    assert split_message(lines, 35) == ["line one is here\nline two is here", "line three"]
    words = "alpha beta gamma delta epsilon"
    assert split_message(words, 12) == ["alpha beta", "gamma delta", "epsilon"]


def test_split_closes_and_reopens_tags_at_the_cut() -> None:
    html = '<a href="https://x.test/?a=1&amp;b=2"><i>' + "word " * 30 + "</i></a>"
    parts = split_message(html, 50)
    assert len(parts) > 1
    for part in parts:
        assert part.startswith('<a href="https://x.test/?a=1&amp;b=2"><i>')
        assert part.endswith("</i></a>")
        assert _parse(part)[1] == []


def test_split_never_cuts_inside_an_entity() -> None:
    html = "&amp;" * 50 + "&#128512;" * 10
    parts = split_message(html, 16)
    assert all(_parse(p)[1] == [] for p in parts)
    assert "".join(html_to_text(p) for p in parts) == "&" * 50 + "😀" * 10
    assert all(telegram_length(p) <= 16 for p in parts)


def test_split_rejects_a_tiny_limit() -> None:
    with pytest.raises(ValueError):
        split_message("x" * 10, 4)


def test_a_very_long_brief_splits_between_items() -> None:
    items = [
        quote_view(
            NS(
                text=f"Point {n} & more <detail>",
                speaker="Greg",
                quote=f"Quote {n}: " + "we need more compute, " * 12,
                start=n * 100,
                time=None,
                headline="",
            ),
            length=10_000,
        )
        for n in range(1, 61)
    ]
    html = render("brief_items", info=_info(), heading="Turning points", empty="", items=items)
    assert telegram_length(html) > 3 * 4096
    parts = split_message(html)
    assert len(parts) >= 4
    texts = []
    for part in parts:
        text, errors = _parse(part)
        assert errors == []
        assert _utf16(text) <= 4096
        texts.append(text)
    for n, q in enumerate(items, 1):
        # Every item (claim, quote, attribution) sits whole inside one part.
        block = f"{n}. {q['text']}\n{q['quote']}\n— Greg · {q['where']}"
        assert sum(block in t for t in texts) == 1


# -- properties -----------------------------------------------------------------

_TEXT = st.lists(
    st.sampled_from([*"ab cd\n<>&\"'é", "😀", "\n\n", "  ", "word "]), max_size=30
).map("".join)
_TAGS = ["b", "i", "u", "s", "code", "blockquote", 'a href="https://e.test/?x=1&amp;y=2"']


def _tree(depth: int) -> st.SearchStrategy[str]:
    leaf = _TEXT.map(lambda t: str(escape(t)))
    if depth == 0:
        return leaf
    node = st.tuples(st.sampled_from(_TAGS), st.lists(_tree(depth - 1), max_size=3)).map(
        lambda tc: f"<{tc[0]}>{''.join(tc[1])}</{tc[0].split()[0]}>"
    )
    return st.lists(st.one_of(leaf, node), min_size=1, max_size=4).map("".join)


@settings(max_examples=200, deadline=None)
@given(html=_tree(3), limit=st.integers(min_value=8, max_value=120))
def test_split_properties(html: str, limit: int) -> None:
    original, errors = _parse(html)
    assert errors == []
    parts = split_message(html, limit)
    texts = []
    for part in parts:
        text, part_errors = _parse(part)
        assert part_errors == []
        assert _utf16(text) <= limit or parts == [html]
        assert text.strip() or parts == [html]
        texts.append(text)
    if parts == [html]:
        assert _utf16(original) <= limit
        return
    # The parts say everything the original said, in order; only whitespace
    # at the cuts may go (Telegram trims each message anyway).
    pattern = r"\s*" + r"\s*".join(re.escape(t.strip()) for t in texts) + r"\s*"
    assert re.fullmatch(pattern, original)


_HOSTILE_TEXT = st.lists(
    st.sampled_from([*"<>&\"'/;#x0 ab\n", "&amp;", "<b>", "</i>", "&#60;", "😀"]),
    min_size=1,
    max_size=20,
).map(lambda t: " ".join("".join(t).split()) or "x")


@settings(max_examples=100, deadline=None)
@given(excerpt=_HOSTILE_TEXT, speaker=_HOSTILE_TEXT, title=_HOSTILE_TEXT, query=_HOSTILE_TEXT)
def test_any_transcript_text_reaches_telegram_as_text(
    excerpt: str, speaker: str, title: str, query: str
) -> None:
    hit = NS(excerpt=excerpt, marks=[(0, 1)], speaker=speaker, title=title, start=0, time=None)
    html = render(
        "search",
        query=query,
        page=1,
        first=1,
        items=[quote_view(hit, length=1, excerpt=highlight(excerpt, hit.marks))],
        note="",
    )
    text, errors = _parse(html)
    assert errors == []
    # Only the template's own tags; everything the transcript said is text.
    assert set(re.findall(r"</?([a-z]+)", html)) <= {"b", "i"}
    assert text == (
        f"Quotes for “{query}”\n\n1. {excerpt}\n— {speaker}, {shorten(title, 48)} · 0% in"
    )


# -- honest quotes and positions a person reads ---------------------------------------------


@pytest.mark.parametrize(
    ("start", "time", "headings", "shown"),
    [
        (40, 727.0, [(0, "The plan")], "at 12:07"),  # a time wins over everything
        (40, None, [(0, "The plan"), (60, "The crew")], "The plan, 40% in"),
        (70, None, [(0, "The plan"), (60, "The crew")], "The crew, 70% in"),
        (5, None, [(10, "The plan")], "5% in"),  # before the first heading
        (12, None, [], "12% in"),
        (12, float("nan"), None, "12% in"),  # a bad stored time shows as none
        (None, None, None, ""),
    ],
)
def test_positions_read_as_a_time_or_a_section_and_a_share(
    start: int | None, time: float | None, headings: list[tuple[int, str]] | None, shown: str
) -> None:
    assert position_label(start, time, 100, headings) == shown


@pytest.mark.parametrize(
    ("text", "quote", "stretch"),
    [
        ("We shut down the app.", "Yes, that's why we shut down the app.",
         "…we shut down the app."),
        ("Sixty vans cross.", "sixty vans cross.", "sixty vans cross."),
        ("It rained, I think.", "It rained, I think, all week.", "It rained, I think…"),
        ("I think the plan works most days.",
         "So, um, I think the the plan works, you know, most days.", None),
        ("The plan works.", "The planet works.", None),  # whole words only
        # A sign that belongs to a word stays with it: never "80…" for "80%".
        ("It went from 20% to 80", "After the launch it went from 20% to 80% of the work.",
         "…it went from 20% to 80%…"),
        ("90 million in cash.", "We had $90 million in cash.", "…$90 million in cash."),
    ],
)
def test_a_verbatim_stretch_is_the_quote_cut_only_at_its_ends(
    text: str, quote: str, stretch: str | None
) -> None:
    assert verbatim_stretch(text, quote) == stretch


def test_a_tldr_bullet_is_a_verbatim_stretch_or_a_paraphrase_with_its_quote() -> None:
    items = [
        NS(text="We shut down the app.", quote="Yes, we shut down the app.", start=10,
           attributed="Brockman: We shut down the app.", speaker="Greg Brockman", time=None),
        NS(text="I think the plan works most days.", start=50, time=65.0,
           quote="So, um, I think the the plan <works>, you know, most days.",
           attributed="Okafor: I think the plan works most days.", speaker="Sam Okafor"),
    ]
    views = [quote_view(i, length=100, headings=[(0, "The plan")]) for i in items]
    html = render("brief", info=_info(), tldr=views, keywords=[], notes=[])
    assert html.split("<b>TL;DR</b>\n", 1)[1].splitlines() == [
        "1. Brockman: “…we shut down the app.” · The plan, 10% in",
        "2. Okafor: I think the plan works most days. · at 1:05",
        "<blockquote expandable>So, um, I think the the plan &lt;works&gt;, you know, most days."
        "</blockquote>",
    ]
