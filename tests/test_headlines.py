"""Headlines that read: the source's heading, a specific host question, an announced
subject, or a noun phrase; never a comma list of single words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefs.brief import build_brief
from briefs.passages import make_passages
from briefs.readers import read_path
from briefs.transcript import TranscriptBuilder

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "briefs" / "samples").iterdir()) + sorted(
    (ROOT / "tests" / "data" / "brief").iterdir()
)
_WORD_LIST = re.compile(r"[\w'’-]+(?:, [\w'’-]+)+")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_no_headline_is_a_list_of_single_words(path: Path) -> None:
    t = read_path(path)
    brief = build_brief(t, make_passages(t))
    assert brief.turning_points
    for tp in brief.turning_points:
        assert tp.headline and not _WORD_LIST.fullmatch(tp.headline), tp.headline
        assert len(tp.headline.split()) <= 13 and tp.headline[0].isupper()


def _talk(host_question: str) -> TranscriptBuilder:
    b = TranscriptBuilder(format="text", source="test", title="Rooftop gardens")
    host, guest = b.speaker("Mo (Host)"), b.speaker("Ruth Adeyemi")
    b.add("speech", host_question, host)
    b.add(
        "speech",
        "Our rooftop gardens grow tomatoes and beans on six school roofs. "
        "The rooftop gardens need drip irrigation because the soil on a roof dries fast. "
        "Each rooftop garden is looked after by a class and a volunteer gardener. "
        "In summer the drip irrigation runs every morning from a rain tank.",
        guest,
    )
    b.add("speech", "And who eats the tomatoes?", host)
    b.add(
        "speech",
        "The school kitchens cook the tomatoes and beans for lunch, and the rest is sold.",
        guest,
    )
    return b


def test_a_specific_host_question_is_the_headline() -> None:
    t = _talk("How do rooftop gardens survive a dry summer on a school roof?").build()
    [tp] = build_brief(t, make_passages(t)).turning_points
    assert tp.headline == "How do rooftop gardens survive a dry summer on a school roof?"


def test_a_generic_question_gives_way_to_the_key_phrase() -> None:
    t = _talk("What do you think?").build()
    [tp] = build_brief(t, make_passages(t)).turning_points
    # The key sentence's most distinctive run of words, as the speaker said it.
    assert tp.headline in {"Rooftop gardens", "Drip irrigation"}
    assert tp.headline.lower() in t.text.lower()
