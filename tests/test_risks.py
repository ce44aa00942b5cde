"""Risk views read statements, not words: forms, other senses, severity, ranking, mitigation."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.brief import MAX_RISKS, Brief, build_brief, is_risk_statement
from briefs.brief._risk_rules import read
from briefs.passages import make_passages, split_sentences
from briefs.readers import read_path
from briefs.transcript import Transcript, TranscriptBuilder


@pytest.mark.parametrize(
    "sentence",
    [
        # A conditional consequence, without a risk word.
        "If the remaining modules are delayed again, we could miss that date.",
        "Our estimate is that the tariff would cut full-year gross margin by about 1.5 points.",
        # Dependence and concentration.
        "About sixty percent of our panels still come from a single manufacturer.",
        "Two customers make up 60% of revenue, and both renew in the spring.",
        # Ageing or unsupported equipment, money, security, people.
        "The booking system runs on a version the vendor stops updating in December.",
        "At the winter rate of spending that is about five months of cash.",
        "Last week someone tried forty times to log in to the harbourmaster's account.",
        "Two of them retire next summer, and it takes about eighteen months to train a master.",
        # Explicit vocabulary in its risk sense, and a question raising a risk.
        "That concentration is a risk we have lived with for too long.",
        "We are looking at a serious risk here if the grid goes down again.",
        "Are any of the projects at risk of losing their interconnection slots?",
        # Money words in their money sense, and harms with something harmed.
        "Our exposure to the currency is large, and the hedge expires in June.",
        "We have about five months of runway left at this rate.",
        "Three of our biggest invoices are still unpaid after ninety days.",
        "If the supplier slips again, we could miss the March deadline.",
        "A price cut that deep would hurt our margins for the whole year.",
    ],
)
def test_risks_are_read_from_what_the_sentence_says(sentence: str) -> None:
    assert is_risk_statement(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "No worries about the cost, etcetera, it is all in hand.",
        "I'm afraid we're out of time on that one, so let us move on.",
        "Concerning the dairy sector, the figures will follow next week.",
        "The question doesn't concern consumers, only the wholesalers.",
        "The business risk management programs are open to every farm.",
        "On safety, every system we install has thermal monitoring, and we have had no thermal "
        "incidents.",
        "The safety meeting has been rescheduled to Thursday afternoon.",
        "The subscribers are less of a worry.",
        "There have been no injuries on the car deck, none in six years.",
        "It has some of that uncertainty principle flavour when you define it.",
        # A mitigation is shown beside its risk, not as one.
        "We have already locked prices on forty percent of the modules, which limits the exposure.",
        # Time, not stock; a concern named but not said; risk words negated.
        "We're kind of running out of time, so let's keep this short.",
        "The board has raised two serious concerns, really.",
        "That was the thing that was worrying me.",
        "Our drivers are not afraid of the new routes at all.",
        "On the timetable itself, I don't share those concerns about the winter.",
        # A harm needs something harmed; a denied dependence or possibility is reassurance.
        "A phone, whoa, that would hurt, honestly.",
        "I mean if they weren't there, would people miss them?",
        "They're on CD, but that's not the only source we have.",
        "I don't think there's any way that it could completely fail.",
        # Process, category and money senses of risk words.
        "Can the minister confirm that a sectoral risk analysis has taken place?",
        "They will protect species at risk and enhance the protected areas.",
        "Today marks World Elder Abuse Awareness Day across the country.",
        "We were pleased to hear these concerns and to find the best way forward.",
        "Will you be speaking to the exam boards about this and raising concerns?",
        "No one should be afraid of walking in their own neighbourhood.",
        "The budget is an injection of cash into the regional economy.",
        "We should stop the personal attacks and get back to the bill.",
        "Children need more exposure to the language outside school.",
        "The council relies on unpaid carers across the whole county.",
        "The new runway at the airport opens to flights next spring.",
        "I fail to see how that helps anyone in this committee.",
        "Can we get a breakdown of the costs by region for next week?",
        "Not to worry, we can run the numbers again tomorrow.",
        "Once the process is on, it would kill that straight away.",
        "Insurers now look at flood risk when they price a policy, and our plan made it cheaper.",
    ],
)
def test_risk_words_in_other_senses_and_negations_are_not_risks(sentence: str) -> None:
    assert not is_risk_statement(sentence)


def _transcript(turns: list[tuple[str, str]]) -> Transcript:
    builder = TranscriptBuilder(format="txt", source="ops.txt", title="Ops review")
    for label, text in turns:
        builder.add("speech", text, builder.speaker(label))
    return builder.build()


def _brief(turns: list[tuple[str, str]]) -> Brief:
    t = _transcript(turns)
    return build_brief(t, make_passages(t))


def test_concern_answer_and_mitigation_sit_together_each_with_its_speaker() -> None:
    brief = _brief(
        [
            ("Ann (Host)", "Thanks for coming in today to talk about the plant and the year."),
            ("Ann (Host)", "What happens to deliveries if the only press breaks down in March?"),
            ("Bo (Plant manager)", "If the press is down for a week, we would miss the spring "
             "orders for our two biggest customers. We signed a second supplier and redesigned "
             "the mount, so a spare can go in within a day."),
            ("Ann (Host)", "Good. Let us talk about hiring for the summer season, then."),
            ("Bo (Plant manager)", "We hire twelve students every summer, and they start in June."),
            ("Ann (Host)", "And the new canteen?"),
            ("Bo (Plant manager)", "It opens in May, with a salad bar and longer hours."),
        ]
    )
    assert [(i.kind, i.speaker, i.quote) for i in brief.risks] == [
        ("concern", "Ann", "What happens to deliveries if the only press breaks down in March?"),
        ("answer", "Bo", "If the press is down for a week, we would miss the spring orders for "
         "our two biggest customers."),
    ]
    concern = brief.risks[0]
    assert concern.mitigation is not None
    assert (concern.mitigation.speaker, concern.mitigation.kind) == ("Bo", "mitigation")
    assert concern.mitigation.quote.startswith("We signed a second supplier and redesigned")
    assert all(0 < (i.severity or 0) <= 1 for i in brief.risks)
    # The mitigation cites its own quote, like every item, and survives storage.
    data = brief.to_dict()
    assert data["risks"][0]["mitigation"]["quote"] == concern.mitigation.quote
    assert data["risks"][1]["mitigation"] is None
    assert Brief.from_dict(data) == brief


def test_at_most_eight_risks_are_shown_gravest_first_the_rest_in_risks_more() -> None:
    turns = [
        ("Cy (Ops)", f"If line {n} stops, we could lose {n * 10} orders a day for {n} weeks.")
        for n in range(1, 13)
    ] + [("Di (Finance)", "If the bank calls the loan, we could not cover payroll for "
          f"{n} months.") for n in range(1, 5)]
    brief = _brief(turns)
    assert len(brief.risks) == MAX_RISKS
    assert len(brief.risks) + len(brief.risks_more) == 16
    shown = {i.quote for i in brief.risks}
    assert not shown & {i.quote for i in brief.risks_more}
    # Grouped by speaker, gravest first within each group.
    for speaker, items in brief.risks_by_speaker().items():
        severities = [i.severity or 0 for i in items]
        assert severities == sorted(severities, reverse=True), speaker
    lowest_shown = min(i.severity or 0 for i in brief.risks)
    assert lowest_shown >= max(i.severity or 0 for i in brief.risks_more)


def test_a_brief_stored_before_severities_still_loads() -> None:
    old = {
        "tldr": [],
        "turning_points": [],
        "risks": [{"text": "A risk.", "speaker": "Ann", "passage_id": 1, "quote": "A risk.",
                   "start": 0, "end": 7, "kind": "view", "turn_index": 0, "time": None}],
        "source_summary": None,
        "keywords": [],
        "engine": "extractive",
        "engine_version": "5",
        "notes": [],
    }
    brief = Brief.from_dict(old)
    item = brief.risks[0]
    assert (item.severity, item.mitigation, brief.risks_more) == (None, None, ())
    assert brief.to_dict()["risks"][0]["mitigation"] is None


ROOT = Path(__file__).resolve().parents[1]
INTERVIEW = ROOT.parent / "shared" / "corpus" / "interview-brockman-bigtech-2026.txt"


def test_the_fast_gates_never_change_a_reading() -> None:
    # read() tests cheap substrings before each pattern; a gate that missed a word
    # would silently drop a form. Every sentence of the samples (and the interview
    # when ../shared is there) reads the same with and without the gates.
    paths = sorted((ROOT / "briefs" / "samples").iterdir())
    if INTERVIEW.exists():
        paths.append(INTERVIEW)
    sentences = [
        t.text[s.start : s.end]
        for t in map(read_path, paths)
        for turn in t.speech_turns
        for s in split_sentences(turn.text, turn.start)
    ]
    assert len(sentences) > 300
    differ = [x for x in sentences if read(x) != read(x, gated=False)]
    assert differ == []
    assert sum(read(x).is_risk for x in sentences) > 40  # the readings are not all empty


@pytest.mark.skipif(not INTERVIEW.exists(), reason="needs ../shared")
def test_the_interview_keeps_the_guests_answer_to_the_risk_question() -> None:
    t = read_path(INTERVIEW)
    brief = build_brief(t, make_passages(t))
    items = [*brief.risks, *brief.risks_more]
    said = {i.quote: i for i in items}
    payoff = next(i for q, i in said.items() if "worth taking on that kind of risk" in q)
    assert (payoff.kind, payoff.speaker) == ("concern", "Alex")
    # The guest's own answer, attributed to him: resilience, not centralised control.
    answers = [i for i in items if i.kind == "answer" and i.speaker == "Greg Brockman"]
    assert any("resilience" in i.quote for i in answers), [i.quote for i in answers]
    assert not any("uncertainty principle" in q for q in said)
    assert len(brief.risks) <= MAX_RISKS


DATA = Path(__file__).parent / "data" / "risks"


def test_a_press_briefing_attributes_the_question_to_the_reporter_the_answer_to_her() -> None:
    t = read_path(DATA / "press-briefing.txt")
    brief = build_brief(t, make_passages(t))
    got = [
        (i.kind, i.speaker, i.quote, i.mitigation.speaker if i.mitigation else None,
         i.mitigation.quote if i.mitigation else None)
        for i in brief.risks
    ]
    assert got == [
        ("concern", "Reporter",
         "If it fails in a heat wave, could the whole east side lose power for days?",
         "MS. WHITCOMBE",
         "The utility ordered a second transformer in March, and a mobile unit is parked at "
         "the depot so crews can connect it within a day."),
        ("answer", "MS. WHITCOMBE",
         "A failure at Marsh Road in July would cut power to about ninety thousand homes, and "
         "the replacement transformer takes fourteen months to build.", None, None),
        ("view", "MS. WHITCOMBE",
         "Then we go into July without the demand-response contracts, and on the hottest "
         "afternoons the utility could have to cut power to some streets in rotation.",
         None, None),
    ]
    assert brief.risks_more == ()
    # Risk words in other senses are not risks: "Concerning", "No worries", "I'm afraid".
    said = " ".join(i.quote for i in brief.risks)
    assert "Concerning" not in said and "No worries" not in said and "afraid" not in said


def test_a_risk_picked_up_by_a_later_question_gets_what_is_done_from_the_reply() -> None:
    t = read_path(Path(__file__).resolve().parents[1] / "briefs" / "samples"
                  / "2026-05-07-solar-earnings-call.vtt")
    brief = build_brief(t, make_passages(t))
    risk = next(i for i in brief.risks if i.quote.startswith("About sixty percent of our panels"))
    assert risk.speaker == "Hana Sato" and risk.mitigation is not None
    assert (risk.mitigation.speaker, risk.mitigation.quote[:45]) == (
        "Hana Sato", "We signed a supply agreement in April with a ")
    # Said more than three turns later, after the analyst's "Hana, on the supplier
    # concentration.": beyond the near window every other mitigation is looked for in.
    turns = t.speech_turns
    said_at = next(n for n, x in enumerate(turns) if risk.quote in x.text)
    done_at = next(n for n, x in enumerate(turns) if risk.mitigation.quote in x.text)
    assert done_at - said_at > 3
