"""Cleaning a spoken sentence removes what was never meant, and nothing that was claimed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefs.brief._clean import clean, is_self_contained
from briefs.passages import split_sentences
from briefs.readers import read_path

SAMPLES = Path(__file__).resolve().parents[1] / "briefs" / "samples"

# Words whose loss changes what a sentence claims or how strongly.
KEPT = re.compile(
    r"\b(?:not|no|never|n't|nobody|nothing|none|i think|i guess|i believe|probably|maybe|"
    r"perhaps|might|may|could|would|should|must|can|actually|just|really|sort of|kind of|"
    r"basically|likely|unlikely|i)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’]+")


@pytest.mark.parametrize(
    ("spoken", "cleaned"),
    [
        # Fillers, stutters and false starts go.
        ("Um, the, the oven budget is, you know, tight.", "The oven budget is tight."),
        ("The ki- kitchen opens at five.", "The kitchen opens at five."),
        ("We we moved the, uh, the flour order to Tuesdays.",
         "We moved the flour order to Tuesdays."),
        ("Yeah, so, the ferry leaves at nine.", "The ferry leaves at nine."),
        ("I mean, the pier was closed all week.", "The pier was closed all week."),
        # Hedges, negations, modals and attributions stay, with their strength.
        ("That's probably the bit of the rota I lose sleep over.",
         "That's probably the bit of the rota I lose sleep over."),
        ("We did not, um, ship the new oven.", "We did not ship the new oven."),
        ("The ferry might, uh, might run late.", "The ferry might run late."),
        ("I guess the pier could flood in March.", "I guess the pier could flood in March."),
        ("I think, honestly, it just about works.", "I think, honestly, it just about works."),
        ("It actually really matters, I think.", "It actually really matters, I think."),
        ("No, the van is not insured.", "No, the van is not insured."),
        ("It was sort of, like, 20 percent cheaper.", "It was sort of, like, 20 percent cheaper."),
        # ASR's lowercase "i" is the pronoun, not a cut-off word.
        ("so i think the bus is late", "I think the bus is late."),
        ("we said i would call the mill", "We said I would call the mill."),
        ("i i don't know if i'm right", "I don't know if I'm right."),
        # Real doubles, suspended hyphens and names are speech.
        ("I know that that price is wrong.", "I know that that price is wrong."),
        ("The pre- and post-storm counts differ.", "The pre- and post-storm counts differ."),
        ("She flew to Bora Bora for the tasting.", "She flew to Bora Bora for the tasting."),
        ("The man managed the stall alone.", "The man managed the stall alone."),
        ("Did you know, the mill closed?", "Did you know, the mill closed?"),
        # Cut-off consonants are no words; units after a number are.
        ("The th here we keep the ng talking mikes.", "The here we keep the talking mikes."),
        ("It is 5 km from the pier.", "It is 5 km from the pier."),
        ("We spoke about, you know prosodic cues.", "We spoke about prosodic cues."),
        ("He asked, you know what the price is?", "He asked, you know what the price is?"),
    ],
)
def test_clean_removes_only_fillers_stutters_and_false_starts(spoken: str, cleaned: str) -> None:
    assert clean(spoken) == cleaned


def test_a_bullet_is_a_claim_that_neither_leans_back_nor_opens_with_a_stance() -> None:
    assert [
        is_self_contained(t)
        for t in (
            "The night crew needs a second van.",
            "The night crew, I think, needs a second van.",
            "I think the night crew needs a second van.",
            "Probably the flour price doubles by spring.",
            "That's the whole of it.",
            "It works, so it's.",
        )
    ] == [True, True, False, False, False, False]


def _sample_sentences() -> list[str]:
    out = []
    for path in sorted(SAMPLES.iterdir()):
        t = read_path(path)
        for turn in t.speech_turns:
            out.extend(s.text for s in split_sentences(turn.text))
    return out


def _counts(text: str) -> list[str]:
    return sorted(m.group(0).casefold() for m in KEPT.finditer(text))


def test_cleaning_the_samples_keeps_every_negation_hedge_modal_and_attribution() -> None:
    sentences = _sample_sentences()
    assert len(sentences) > 200
    changed = [s for s in sentences if clean(s) and _counts(clean(s)) != _counts(s)]
    assert changed == []


def test_cleaning_only_removes_words_never_adds_or_reorders_them() -> None:
    for sentence in _sample_sentences():
        said = [w.casefold() for w in _WORD.findall(sentence)]
        it = iter(said)
        kept = [w.casefold() for w in _WORD.findall(clean(sentence))]
        assert all(w in it for w in kept), (sentence, clean(sentence))
