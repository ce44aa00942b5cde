"""Daily digests: due times, composition, delivery through crashes and faults.

Every test drives the real library and store with an injected clock (``now``)
and an injected sleep; nothing here waits for real time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from digest_fakes import (
    FakeSender,
    SimulatedCrash,
    Sleeps,
    brief_loader,
    ingest,
    open_library,
)
from markupsafe import escape

from briefs import digest
from briefs.digest import (
    Blocked,
    Button,
    RetryLater,
    SubscribeRequest,
    Transient,
    next_due,
    parse_subscribe_args,
)
from briefs.errors import NotFound, SubscriptionError
from briefs.library import Library
from briefs.render import html_to_text, shorten, telegram_length
from briefs.store import Store

# Seventy distinct words: "word " * 70 would be an ASR loop, kept once.
FILLER = " ".join(f"word{j}" for j in range(70))

BERLIN = ZoneInfo("Europe/Berlin")
UTC_ZONE = ZoneInfo("UTC")
# Wednesday 25 November 2026, 06:00 UTC = 07:00 in Berlin (CET, UTC+1).
T0 = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
async def library(tmp_path: Path) -> AsyncIterator[Library]:
    lib = await open_library(tmp_path / "digests.db")
    yield lib
    await lib.close()


async def subscribe(
    library: Library, chat_id: int, args: str = "08:00 Europe/Berlin", *, now: datetime = T0
) -> digest.Subscriber:
    return await digest.subscribe(
        library, chat_id, parse_subscribe_args(args), now=now,
        default_time=time(8, 0), default_zone=UTC_ZONE,
    )


# -- due times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "local", "zone", "expected"),
    [
        # 08:00 Berlin: 07:00 UTC in winter, 06:00 UTC in summer, on both sides of each change.
        (datetime(2027, 3, 27, 7, 30, tzinfo=UTC), time(8), "Europe/Berlin",
         datetime(2027, 3, 28, 6, 0, tzinfo=UTC)),
        (datetime(2027, 3, 28, 6, 0, tzinfo=UTC), time(8), "Europe/Berlin",
         datetime(2027, 3, 29, 6, 0, tzinfo=UTC)),
        (datetime(2026, 10, 24, 6, 0, tzinfo=UTC), time(8), "Europe/Berlin",
         datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
        # 02:30 does not exist in Berlin on 28 March 2027: sent at 03:30 CEST (01:30 UTC).
        (datetime(2027, 3, 27, 12, 0, tzinfo=UTC), time(2, 30), "Europe/Berlin",
         datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
        # 02:30 happens twice on 25 October 2026: the first one (CEST, 00:30 UTC) ...
        (datetime(2026, 10, 24, 12, 0, tzinfo=UTC), time(2, 30), "Europe/Berlin",
         datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # ... and after it, the next is the following day, not the repeated 02:30.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), time(2, 30), "Europe/Berlin",
         datetime(2026, 10, 26, 1, 30, tzinfo=UTC)),
        # New York changes on another date (1 November 2026).
        (datetime(2026, 10, 31, 13, 0, tzinfo=UTC), time(9), "America/New_York",
         datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
        # Half-hour zone, and a zone whose local date is already tomorrow.
        (datetime(2026, 11, 25, 6, 0, tzinfo=UTC), time(7), "Asia/Kolkata",
         datetime(2026, 11, 26, 1, 30, tzinfo=UTC)),
        (datetime(2026, 11, 25, 12, 0, tzinfo=UTC), time(8), "Pacific/Auckland",
         datetime(2026, 11, 25, 19, 0, tzinfo=UTC)),
    ],
)
def test_next_due_follows_local_time_across_zones_and_dst(
    after: datetime, local: time, zone: str, expected: datetime
) -> None:
    assert next_due(after, local, ZoneInfo(zone)) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Spring forward, Sunday 28 March 2027: 02:30 does not exist that day.
        (
            datetime(2027, 3, 26, 12, 0, tzinfo=UTC),
            {
                "08:00": ["27 08:00 CET", "28 08:00 CEST", "29 08:00 CEST"],
                "02:30": ["27 02:30 CET", "28 03:30 CEST", "29 02:30 CEST"],
            },
        ),
        # Fall back, Sunday 25 October 2026: 02:30 happens twice; one digest.
        (
            datetime(2026, 10, 23, 12, 0, tzinfo=UTC),
            {
                "08:00": ["24 08:00 CEST", "25 08:00 CET", "26 08:00 CET"],
                "02:30": ["24 02:30 CEST", "25 02:30 CEST", "26 02:30 CET"],
            },
        ),
    ],
)
async def test_berlin_subscribers_get_their_local_time_on_both_sides_of_a_change(
    library: Library, start: datetime, expected: dict[str, list[str]]
) -> None:
    sender = FakeSender()
    chats = {"08:00": 8, "02:30": 2}
    for local, chat in chats.items():
        await subscribe(library, chat, f"{local} Europe/Berlin", now=start)
    moment = start
    while moment < start + timedelta(days=3, hours=12):
        moment += timedelta(minutes=30)
        if moment.minute == 0 and moment.hour % 6 == 0:
            await ingest(library, f"Meeting {moment:%d %H%M}")
        await digest.send_due(library, sender, now=moment)
    received = {
        local: [
            f"{row.sent_at.astimezone(BERLIN):%d %H:%M %Z}"
            for row in reversed(await digest.list_outbox(library.store, chat_id=chat))
            if row.sent_at is not None
        ]
        for local, chat in chats.items()
    }
    assert received == expected
    # Every transcript reached each chat exactly once.
    titles = [f"Meeting {m:%d %H%M}" for m in (start + timedelta(hours=h) for h in range(84))
              if m.hour % 6 == 0 and m > start]
    for chat in chats.values():
        shown = [t for html in sender.to(chat) for t in titles if f"<b>{t}</b>" in html]
        assert sorted(shown) == sorted(titles[: len(shown)]) and len(set(shown)) == len(shown)


def test_subscribe_arguments_parse_in_any_order() -> None:
    assert parse_subscribe_args("europe/berlin 7:30 topics: compute, Safety ,compute") == (
        SubscribeRequest(at=time(7, 30), zone=BERLIN, topics=("compute", "Safety"))
    )
    assert parse_subscribe_args("") == SubscribeRequest()
    assert parse_subscribe_args("topics: none") == SubscribeRequest(topics=())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("25:00", "'25:00' is not a time of day: use 24-hour HH:MM, for example 07:30"),
        ("8", "'8' is not a time of day: use 24-hour HH:MM, for example 07:30"),
        ("08:00 Europe/Berln", "'Europe/Berln' is not an IANA time zone: did you mean "
         "Europe/Berlin? use a name such as Europe/Berlin, America/New_York or UTC"),
        ("08:00 09:00", "two times given (08:00 and 09:00): pick one"),
        ("UTC compute", "'compute' is neither a time (HH:MM) nor the only time zone; "
         "write topics after 'topics:'"),
    ],
)
def test_bad_subscribe_arguments_get_one_clear_line(args: str, message: str) -> None:
    with pytest.raises(SubscriptionError) as err:
        parse_subscribe_args(args)
    assert str(err.value) == message


# -- subscriptions ------------------------------------------------------------------------


async def test_subscribe_uses_defaults_and_keeps_what_is_not_restated(library: Library) -> None:
    await ingest(library, "Before subscribing")
    first = await subscribe(library, 5, "", now=T0)
    assert (first.at, first.zone, first.topics, first.watermark) == (time(8), "UTC", (), 1)
    assert first.next_due_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    second = await subscribe(library, 5, "topics: compute", now=at(1))
    assert (second.at, second.zone, second.topics) == (time(8), "UTC", ("compute",))
    third = await subscribe(library, 5, "21:15 Asia/Tokyo", now=at(2))
    assert (third.at, third.zone, third.topics) == (time(21, 15), "Asia/Tokyo", ("compute",))
    assert third.next_due_at == datetime(2026, 11, 25, 12, 15, tzinfo=UTC)


async def test_unsubscribe_pause_resume(library: Library) -> None:
    sender = FakeSender()
    await subscribe(library, 1)
    await digest.pause(library, 1, now=T0)
    await ingest(library, "While paused")
    assert (await digest.send_due(library, sender, now=at(2))).delivered == 0
    resumed = await digest.resume(library, 1, now=at(3))
    # The 08:00 that passed while paused is not caught up; the next one holds everything.
    assert resumed.next_due_at == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    assert (await digest.send_due(library, sender, now=at(25))).delivered == 1
    assert "While paused" in sender.to(1)[0]
    gone = await digest.unsubscribe(library, 1, now=at(26))
    assert (gone.active, gone.inactive_reason) == (False, "unsubscribed")
    await ingest(library, "After leaving")
    assert (await digest.send_due(library, sender, now=at(49))).delivered == 0
    assert len(sender.delivered) == 1
    with pytest.raises(NotFound):
        await digest.pause(library, 999, now=T0)


# -- composition ----------------------------------------------------------------------------


async def test_nothing_new_sends_nothing_and_moves_to_the_next_day(library: Library) -> None:
    sender = FakeSender()
    await subscribe(library, 1)
    report = await digest.send_due(library, sender, now=at(1))
    assert (report.nothing_new, report.composed, sender.calls) == (1, 0, 0)
    assert (await digest.subscription(library, 1)).next_due_at == at(25)  # type: ignore[union-attr]
    assert await digest.list_outbox(library.store) == []


async def test_digest_shows_each_new_transcript_with_its_brief_and_a_button(
    library: Library,
) -> None:
    await ingest(library, "Old news")
    sender = FakeSender()
    await subscribe(library, 1)
    chips = await ingest(
        library, "Compute & <chips>", "Ada: We bought chips.", "Bo: Prices rose.",
        "Ada: Power is short.", "Bo: We pivoted to inference.", "Ada: Supply may fail.",
    )
    await ingest(library, "Safety review")
    text = (await library.get(chips)).transcript.text

    def where(quote: str) -> str:
        return f"{round(100 * text.index(quote) / len(text))}% in"

    await digest.send_due(library, sender, now=at(1))
    [message] = sender.delivered
    assert "Old news" not in message.html
    assert message.html.startswith("<b>Your briefbot digest</b> · 2 new transcripts")
    section = message.html.split("<b>1.</b> ", 1)[1].split("<b>2.</b>", 1)[0]
    assert section.strip().splitlines() == [
        "<b>Compute &amp; &lt;chips&gt;</b>",
        "2026-11-20 · Ada, Bo",
        "• Point: We bought chips.",
        "• Point: Prices rose.",
        "• Point: Power is short.",
        "<b>Turning point:</b> Turn: We pivoted to inference.",
        "<blockquote>We pivoted to inference.</blockquote>",
        f"— <i>Bo</i> · {where('We pivoted')}",
        "<b>Risk:</b> Risk: Supply may fail.",
        "<blockquote>Supply may fail.</blockquote>",
        f"— <i>Ada</i> · {where('Supply may')}",
    ]
    assert message.buttons == (
        Button("1. Compute & <chips>", "compute-chips"),
        Button("2. Safety review", "safety-review"),
    )


@pytest.mark.parametrize("only_greeting", [False, True])
async def test_digest_leads_with_a_topic_rather_than_the_greeting(
    tmp_path: Path, only_greeting: bool
) -> None:
    # The brief engine keeps a leading greeting stretch as its first turning
    # point, labelled "introduction"; the digest's one turning point skips it.
    async def loader(store: Any, ref: Any) -> Any:
        brief = await brief_loader(store, ref)
        hello = SimpleNamespace(**{**vars(brief.tldr[0]), "text": "Introduction"})
        hello.kind = "introduction"
        [topic] = brief.turning_points
        topic.kind = "segment"
        brief.turning_points = [hello] if only_greeting else [hello, topic]
        return brief

    library = Library(await Store.open(tmp_path / "hello.db"), briefs=loader)
    try:
        await subscribe(library, 1)
        await ingest(library, "Chips", "Ada: Hello and welcome, Bo.", "Bo: Thanks for having me.",
                     "Ada: Prices rose.", "Bo: We pivoted to inference.", "Ada: Supply may fail.")
        sender = FakeSender()
        await digest.send_due(library, sender, now=at(1))
        [message] = sender.delivered
        lines = message.html.splitlines()
        turn = next(i for i, line in enumerate(lines) if line.startswith("<b>Turning point:</b>"))
        assert lines[turn : turn + 2] == (
            ["<b>Turning point:</b> Introduction",
             "<blockquote>Hello and welcome, Bo.</blockquote>"]
            if only_greeting
            else ["<b>Turning point:</b> Turn: We pivoted to inference.",
                  "<blockquote>We pivoted to inference.</blockquote>"]
        )
    finally:
        await library.close()


async def test_topics_narrow_the_digest_to_matching_transcripts_and_quotes(
    library: Library,
) -> None:
    sender = FakeSender()
    await subscribe(library, 1, "08:00 Europe/Berlin topics: compute")
    await subscribe(library, 2, "08:00 Europe/Berlin")
    await ingest(library, "Chip supply", "Ada: Computing costs doubled this year.",
                 "Bo: Yes, compute is the bottleneck for everyone.", "Ada: Hiring is fine.")
    await ingest(library, "Hiring plans", "Ada: We hire ten people.", "Bo: Offices open soon.")
    # One passing mention is not enough to make a transcript about compute.
    await ingest(library, "Office move", "Ada: The compute room moves.", "Bo: Desks too.")
    await digest.send_due(library, sender, now=at(1))
    [narrow] = sender.to(1)
    assert "Chip supply" in narrow and "Hiring plans" not in narrow and "Office move" not in narrow
    assert "<i>Topics:</i> compute" in narrow
    assert (
        "<b>On compute:</b>\n<blockquote><b>Computing</b> costs doubled this year.</blockquote>"
        in narrow
    )
    [everything] = sender.to(2)
    assert all(t in everything for t in ("Chip supply", "Hiring plans", "Office move"))
    # Filtered-out transcripts are behind the watermark too: not reconsidered tomorrow.
    assert (await digest.subscription(library, 1)).watermark == 3  # type: ignore[union-attr]


async def test_topics_matching_nothing_new_send_nothing(library: Library) -> None:
    sender = FakeSender()
    await subscribe(library, 1, "topics: quantum")
    await ingest(library, "Chip supply")
    report = await digest.send_due(library, sender, now=at(3))
    assert (report.nothing_new, sender.calls) == (1, 0)
    assert (await digest.subscription(library, 1)).watermark == 1  # type: ignore[union-attr]


async def test_digest_over_4096_characters_is_split_with_buttons_under_their_transcripts(
    library: Library,
) -> None:
    sender = FakeSender()
    await subscribe(library, 1)
    long_line = " ".join(f"word{j}" for j in range(60))  # not a loop: "word " * 60 is kept once
    titles = [f"Long meeting {i}" for i in range(12)]
    for title in titles:
        await ingest(library, title, *(f"Ada: {long_line} {title} {k}." for k in range(6)))
    await digest.send_due(library, sender, now=at(1))
    assert len(sender.delivered) >= 3
    assert all(telegram_length(m.html) <= 4096 for m in sender.delivered)
    shown = [b.text for m in sender.delivered for b in m.buttons]
    assert shown == [f"{i + 1}. {t}" for i, t in enumerate(titles)]
    for message in sender.delivered:
        for button in message.buttons:
            assert f"<b>{button.text.split('. ', 1)[1]}</b>" in message.html
    row = (await digest.list_outbox(library.store))[0]
    assert (row.status, row.parts_sent, len(row.parts)) == (
        "delivered", len(sender.delivered), len(sender.delivered)
    )


async def test_a_revised_transcript_comes_again_marked_revised(library: Library) -> None:
    sender = FakeSender()
    await subscribe(library, 1)
    await ingest(library, "Board call", "Ada: First cut.", "Bo: Yes.")
    await digest.send_due(library, sender, now=at(1))
    await ingest(library, "Board call", "Ada: Corrected cut.", "Bo: Yes.")
    await digest.send_due(library, sender, now=at(25))
    assert "(revised)" not in sender.to(1)[0]
    assert "<i>(revised)</i>" in sender.to(1)[1] and "Corrected cut" in sender.to(1)[1]


# -- delivery you can trust -------------------------------------------------------------------


async def test_running_send_due_twice_sends_nothing_twice(library: Library) -> None:
    sender = FakeSender()
    for chat in (1, 2, 3):
        await subscribe(library, chat)
    await ingest(library, "Only one")
    first = await digest.send_due(library, sender, now=at(1))
    second = await digest.send_due(library, sender, now=at(1))
    third = await digest.send_due(library, sender, now=at(1, ) + timedelta(minutes=5))
    assert (first.delivered, second.delivered, third.delivered) == (3, 0, 0)
    assert sorted(s.chat_id for s in sender.delivered) == [1, 2, 3]


async def test_digest_missed_while_down_is_sent_once_at_start_up(library: Library) -> None:
    sender = FakeSender()
    await subscribe(library, 1)
    await ingest(library, "Monday")
    await ingest(library, "Tuesday")
    # Nothing ran for three days; the first run sends one digest with both.
    report = await digest.send_due(library, sender, now=at(3 * 24 + 5))
    assert report.delivered == 1
    assert "Monday" in sender.to(1)[0] and "Tuesday" in sender.to(1)[0]
    sub = await digest.subscription(library, 1)
    assert sub is not None and sub.next_due_at == datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
    assert (await digest.send_due(library, sender, now=at(3 * 24 + 6))).delivered == 0


async def reopen(library: Library, path: Path) -> Library:
    """A restart: the old process is gone (its uncommitted work with it)."""
    await library.close()
    return await open_library(path)


async def test_crash_between_compose_and_send_then_restart(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    library = await open_library(path)
    await subscribe(library, 1)
    await subscribe(library, 2)
    await ingest(library, "Quarterly call")
    assert (await digest.compose_due(library, now=at(1))).composed == 2
    library = await reopen(library, path)  # died before sending anything
    sender = FakeSender()
    report = await digest.send_due(library, sender, now=at(1) + timedelta(minutes=1))
    assert (report.composed, report.delivered) == (0, 2)
    assert [len(sender.to(c)) for c in (1, 2)] == [1, 1]
    assert "Quarterly call" in sender.to(1)[0]
    await library.close()


async def test_crash_inside_the_send_then_restart_delivers_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    library = await open_library(path)
    for chat in (1, 2, 3):
        await subscribe(library, chat)
    await ingest(library, "Quarterly call")
    sender = FakeSender()
    sender.on(2, "crash-before")  # the request was in flight, Telegram never took it
    with pytest.raises(SimulatedCrash):
        await digest.send_due(library, sender, now=at(1), concurrency=1)
    library = await reopen(library, path)
    # Chat 3 was never started; chat 2's row stays leased by the dead process
    # until the lease runs out, so a second scheduler cannot race a live one.
    assert (await digest.send_due(library, sender, now=at(1))).delivered == 1
    assert [len(sender.to(c)) for c in (1, 2, 3)] == [1, 0, 1]
    report = await digest.send_due(library, sender, now=at(1) + timedelta(minutes=3))
    assert report.delivered == 1
    assert [len(sender.to(c)) for c in (1, 2, 3)] == [1, 1, 1]
    assert (await digest.send_due(library, sender, now=at(2))).delivered == 0
    assert [s.watermark for s in await digest.list_subscribers(library.store)] == [1, 1, 1]
    await library.close()


async def test_crash_between_send_and_commit_repeats_only_that_message(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    library = await open_library(path)
    await subscribe(library, 1)
    await subscribe(library, 2)
    for i in range(10):  # big enough for three messages
        await ingest(library, f"Meeting {i}", *(f"Ada: {FILLER} {i} {k}." for k in range(6)))
    sender = FakeSender()
    # Chat 1: part 1 accepted and committed, part 2 accepted, then the process died.
    sender.on(1, None, "crash-after")
    with pytest.raises(SimulatedCrash):
        await digest.send_due(library, sender, now=at(1), concurrency=1)
    library = await reopen(library, path)
    await digest.send_due(library, sender, now=at(1) + timedelta(minutes=3))
    parts = list((await digest.list_outbox(library.store, chat_id=1))[0].parts)
    assert len(parts) >= 3
    # The documented window: exactly the one message in flight is seen twice.
    assert sender.to(1) == [parts[0], parts[1], parts[1], *parts[2:]]
    assert sender.to(2) == list((await digest.list_outbox(library.store, chat_id=2))[0].parts)
    assert (await digest.send_due(library, sender, now=at(2))).delivered == 0
    await library.close()


async def test_rate_limit_waits_retry_after_then_delivers(library: Library) -> None:
    sleeps = Sleeps()
    sender = FakeSender()
    sender.on(1, RetryLater(7), RetryLater(3))
    await subscribe(library, 1)
    await ingest(library, "Busy day")
    report = await digest.send_due(library, sender, now=at(1), sleep=sleeps)
    assert (report.delivered, report.retries, sleeps.waits) == (1, 2, [7.0, 3.0])
    assert len(sender.to(1)) == 1


async def test_transient_errors_back_off_then_defer_without_losing_the_digest(
    library: Library,
) -> None:
    sleeps = Sleeps()
    sender = FakeSender()
    sender.on(1, *(Transient("timed out") for _ in range(4)))
    await subscribe(library, 1)
    await ingest(library, "Flaky network")
    report = await digest.send_due(library, sender, now=at(1), sleep=sleeps)
    assert (report.delivered, report.deferred, sleeps.waits) == (0, 1, [1.0, 2.0, 4.0])
    [row] = await digest.list_outbox(library.store)
    assert (row.status, row.last_error) == ("composed", "timed out")
    # Deferred: not retried at once, but a later run delivers it.
    assert (await digest.send_due(library, sender, now=at(1), sleep=sleeps)).delivered == 0
    assert (await digest.send_due(library, sender, now=at(2), sleep=sleeps)).delivered == 1
    assert len(sender.to(1)) == 1


async def test_blocked_chat_is_marked_inactive_and_others_still_get_theirs(
    library: Library,
) -> None:
    sender = FakeSender()
    sender.on(1, Blocked("Forbidden: bot was blocked by the user"))
    await subscribe(library, 1)
    await subscribe(library, 2)
    await ingest(library, "Important")
    report = await digest.send_due(library, sender, now=at(1))
    assert (report.blocked, report.delivered) == (1, 1)
    sub = await digest.subscription(library, 1)
    assert sub is not None and (sub.active, sub.inactive_reason) == (
        False, "blocked: Forbidden: bot was blocked by the user"
    )
    await ingest(library, "Later")
    await digest.send_due(library, sender, now=at(25))
    assert (len(sender.to(1)), len(sender.to(2))) == (0, 2)
    assert sender.calls == 3  # never tried chat 1 again


async def test_digest_now_goes_through_the_outbox_and_moves_the_watermark(
    library: Library,
) -> None:
    sender = FakeSender()
    await subscribe(library, 1)
    assert (await digest.digest_now(library, sender, 1, now=T0)).nothing_new == 1
    await ingest(library, "Fresh")
    report = await digest.digest_now(library, sender, 1, now=T0 + timedelta(minutes=5))
    assert report.delivered == 1 and "Fresh" in sender.to(1)[0]
    # The scheduled digest at 08:00 has nothing left to say.
    assert (await digest.send_due(library, sender, now=at(1))).nothing_new == 1
    assert len(sender.delivered) == 1
    with pytest.raises(NotFound):
        await digest.digest_now(library, sender, 99, now=T0)


async def test_digest_over_a_real_brief_shows_three_bullets_a_turn_and_a_risk(
    tmp_path: Path,
) -> None:
    from briefs.brief import BriefStep, load_brief
    from briefs.store import Store

    async def loader(store: Any, ref: Any) -> Any:
        return await load_brief(store, ref.pk)

    store = await Store.open(tmp_path / "real.db")
    library = Library(store, [BriefStep()], briefs=loader)
    try:
        await subscribe(library, 1)
        sample = Path(__file__).resolve().parents[1] / "briefs" / "samples"
        outcome = await library.ingest_path(sample / "2026-03-12-cold-storage-heatwave.txt")
        assert outcome.status == "added", outcome.message
        sender = FakeSender()
        await digest.send_due(library, sender, now=at(1))
        [message] = sender.delivered
        brief = await library.brief(outcome.transcript_id or "")
        lines = message.html.splitlines()
        bullets = [line for line in lines if line.startswith("• ")]
        assert len(bullets) == min(3, len(brief.tldr)) == 3
        assert bullets[0] == f"• {escape(brief.tldr[0].text)}"
        assert any(line.startswith("<b>Turning point:</b>") for line in lines)
        assert any(line.startswith("<b>Risk:</b>") for line in lines) == bool(brief.risks)
        assert telegram_length(message.html) <= 4096
        assert outcome.transcript_id is not None
        assert message.buttons == (
            Button(f"1. {shorten(brief_title(message.html), 40)}", outcome.transcript_id),
        )
    finally:
        await library.close()


def brief_title(html: str) -> str:
    return html_to_text(html.split("<b>1.</b> <b>", 1)[1].split("</b>", 1)[0])


async def test_two_schedulers_at_once_send_each_digest_once(tmp_path: Path) -> None:
    # The bot's tick and a cron send-due on the same database: two connections.
    path = tmp_path / "two.db"
    first, second = await open_library(path), await open_library(path)
    try:
        for chat in range(1, 41):
            await subscribe(first, chat)
        await ingest(first, "Shared news")
        sender = FakeSender()
        reports = await asyncio.gather(
            digest.send_due(first, sender, now=at(1)),
            digest.send_due(second, sender, now=at(1)),
        )
        assert sum(r.delivered for r in reports) == 40
        assert sum(r.composed for r in reports) == 40
        assert sorted(s.chat_id for s in sender.delivered) == list(range(1, 41))
    finally:
        await first.close()
        await second.close()


async def test_a_claimed_due_subscriber_is_composed_by_its_claimer_only(
    db_location: Path | str,
) -> None:
    # Two senders on either engine: the second finds nothing to claim while the
    # first holds the claims, all of them once they lapse or are released.
    lib = await open_library(db_location)  # type: ignore[arg-type]
    try:
        for chat in (1, 2, 3):
            await subscribe(lib, chat)
        rows = lib.store.digests
        far = at(1) + timedelta(days=1)

        async def claim(owner: str, now: datetime, limit: int = 10) -> list[int]:
            async with lib.store.transaction():
                got = await rows.claim_due(now, owner=owner, until=now + timedelta(minutes=2),
                                           stale_after=now + timedelta(days=1), limit=limit)
            return [s.chat_id for s in got]

        assert await claim("a", at(1), limit=2) == [1, 2]
        assert await claim("b", at(1)) == [3]
        assert await claim("c", at(1)) == []  # all held
        assert await claim("c", at(1) + timedelta(minutes=3)) == [1, 2, 3]  # lapsed
        async with lib.store.transaction():
            await rows.release_claims("c")
        assert await claim("d", at(1)) == [1, 2, 3]  # released
        assert await claim("e", far + timedelta(days=2)) == [1, 2, 3]
        assert await claim("f", at(1)) == [1, 2, 3]  # stamped far ahead: a clock jump, free
    finally:
        await lib.close()


async def test_two_schedulers_at_once_compose_each_digest_once(db_location: Path | str) -> None:
    # Small batches interleave the two runs' claims and compositions.
    first = await open_library(db_location)  # type: ignore[arg-type]
    second = await open_library(db_location)  # type: ignore[arg-type]
    try:
        for chat in range(1, 41):
            await subscribe(first, chat)
        await ingest(first, "Shared news")
        reports = await asyncio.gather(
            digest.compose_due(first, now=at(1), batch=5),
            digest.compose_due(second, now=at(1), batch=5),
        )
        assert [r.superseded for r in reports] == [0, 0]
        assert sum(r.composed for r in reports) == 40
        rows = await first.store.digests.outbox(limit=100)
        assert sorted(r.chat_id for r in rows) == list(range(1, 41))
        assert {r.status for r in rows} == {"composed"}
        assert (await digest.compose_due(second, now=at(1))).summary() == (
            "0 digest(s) delivered (0 message(s)), 0 composed, 0 with nothing new"
        )
    finally:
        await first.close()
        await second.close()
