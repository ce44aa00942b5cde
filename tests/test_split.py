"""The brief's own sentence splitter: whole sentences across hard wraps and ASR cues."""

from __future__ import annotations

from briefs.brief._split import RUN_ON_WORDS, Piece, brief_sentences


def _texts(text: str) -> list[tuple[str, bool]]:
    return [(p.text, p.whole) for p in brief_sentences(text)]


def test_a_hard_wrapped_sentence_is_one_sentence() -> None:
    text = "We met the Attorney\nGeneral, who endorsed term limits.\nThen we left."
    assert _texts(text) == [
        ("We met the Attorney\nGeneral, who endorsed term limits.", True),
        ("Then we left.", True),
    ]


def test_abbreviations_initials_and_decimals_do_not_end_a_sentence() -> None:
    text = "Mr. Smith met J. Doe at 3.5 p.m. in the U.S. office. Sales rose, e.g. in May."
    assert _texts(text) == [
        ("Mr. Smith met J. Doe at 3.5 p.m. in the U.S. office.", True),
        ("Sales rose, e.g. in May.", True),
    ]


def test_lowercase_asr_sentences_split_at_their_punctuation() -> None:
    assert _texts("it was so warm. then it froze? yes") == [
        ("it was so warm.", True),
        ("then it froze?", True),
        ("yes", True),
    ]


def test_offsets_point_into_the_text() -> None:
    text = "  One two.  Three\nfour.  "
    pieces = brief_sentences(text, offset=100)
    assert pieces == [Piece("One two.", 102, 110), Piece("Three\nfour.", 112, 123)]
    for p in pieces:
        assert text[p.start - 100 : p.end - 100] == p.text


def test_a_list_item_on_a_new_line_is_its_own_sentence() -> None:
    assert _texts("Two items today\n- the budget\n- the ferry") == [
        ("Two items today", True),
        ("- the budget", True),
        ("- the ferry", True),
    ]


def test_an_unpunctuated_run_on_is_cut_into_pieces_marked_not_whole() -> None:
    words = " ".join(f"w{i}" for i in range(40))
    text = f"{words} so we kept going {words} and then it stopped"
    pieces = brief_sentences(text)
    assert len(pieces) >= 2 and not any(p.whole for p in pieces)
    assert " ".join(p.text for p in pieces) == text
    assert all(len(p.text.split()) <= RUN_ON_WORDS for p in pieces)


def test_chinese_sentences_end_without_a_space() -> None:
    assert _texts("我们到了。真的吗？！好") == [
        ("我们到了。", True),
        ("真的吗？！", True),
        ("好", True),
    ]
