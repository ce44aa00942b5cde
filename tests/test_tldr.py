"""The TL;DR speaks for the subject: no greetings, housekeeping or promo reads."""

from __future__ import annotations

from pathlib import Path

from briefs.brief import build_brief
from briefs.passages import make_passages
from briefs.readers import read_path

ROOT = Path(__file__).resolve().parents[1]


def _tldr(path: Path) -> list[str]:
    t = read_path(path)
    return [i.quote for i in build_brief(t, make_passages(t)).tldr]


def test_the_earnings_call_tldr_skips_the_operator_and_the_greetings() -> None:
    quotes = _tldr(ROOT / "briefs" / "samples" / "2026-05-07-solar-earnings-call.vtt")
    assert 5 <= len(quotes) <= 8
    said = " ".join(quotes).casefold()
    for chatter in ("good morning", "welcome", "listen-only", "hand the call", "thank you"):
        assert chatter not in said


def test_the_asr_sample_tldr_skips_the_sponsor_read_and_the_sign_off() -> None:
    quotes = _tldr(ROOT / "eval" / "fragments" / "garden-hour-asr.json")
    said = " ".join(quotes).casefold()
    for chatter in ("brought to you", "code garden", "welcome back", "that's the garden hour"):
        assert chatter not in said
    assert "we lost around sixty percent of the bloom on the south slope." in quotes


def test_the_hard_wrapped_sample_tldr_quotes_sentences_across_line_breaks() -> None:
    path = ROOT / "eval" / "fragments" / "town-hall-hard-wrapped.txt"
    quotes = _tldr(path)
    source_lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    # Each bullet quotes whole sentences; some ran over the source's line breaks
    # (the reader joined the wrapped lines), none stops at one.
    assert quotes and all(q[0].isupper() and q.rstrip("”\"'")[-1] in ".!?" for q in quotes)
    assert any(not any(q in line for line in source_lines) for q in quotes)
    assert not any("\n" in q for q in quotes)
    assert not any("restroom" in q or "parking" in q for q in quotes)


def test_a_dangling_claim_comes_with_the_sentence_before_it() -> None:
    from briefs.transcript import TranscriptBuilder

    b = TranscriptBuilder(format="text", source="test", title="Models")
    host, guest = b.speaker("Alex (Host)"), b.speaker("Greg Brockman")
    b.add("speech", "Where do text models stop?", host)
    b.add(
        "speech",
        "Everyone asked us one thing. "
        "That question now has an answer: text models can go all the way to general "
        "intelligence. Yeah.",
        guest,
    )
    t = b.build()
    brief = build_brief(t, make_passages(t))
    pair = (
        "Everyone asked us one thing. "
        "That question now has an answer: text models can go all the way to general "
        "intelligence."
    )
    assert [i.quote for i in brief.tldr] == [pair]
    [item] = brief.tldr
    assert t.text[item.start : item.end] == pair
