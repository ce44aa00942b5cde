"""The one tokenizer shared by passages and queries."""

from __future__ import annotations

from briefs.tokenize import STOPWORDS, Span, is_stopword, normalize_text, token_spans, tokenize


def test_tokenize_casefolds_stems_and_drops_stopwords() -> None:
    assert tokenize("The Computations were COMPUTING what they computed") == [
        "comput", "comput", "comput",
    ]


def test_compute_and_computer_stay_apart() -> None:
    # The stemmer would merge them; searches for "compute" want capacity, not machines.
    assert tokenize("computer computers") == ["computer", "computer"]
    assert tokenize("compute computing") == ["comput", "comput"]


def test_morphological_variants_meet_on_one_term() -> None:
    assert tokenize("launch") == tokenize("launched") == tokenize("launching") == ["launch"]
    assert tokenize("poems") == tokenize("poem")


def test_hyphenated_terms_index_whole_and_parts() -> None:
    assert tokenize("GPT-5") == ["gpt-5", "gpt", "5"]
    assert tokenize("speech-to-speech") == ["speech-to-speech", "speech", "speech"]
    # the parts alone still reach the hyphenated passage
    assert set(tokenize("speech to speech")) <= set(tokenize("speech-to-speech"))


def test_numbers_and_percentages_are_searchable() -> None:
    assert tokenize("about 20% of work, 1,000 users, 3.5 percent") == [
        "20%", "20", "work", "1000", "user", "3.5", "percent",
    ]


def test_curly_quotes_and_dashes_are_normalised() -> None:
    assert tokenize("Brockman’s “super app”—it’s") == tokenize("Brockman's \"super app\"-it's")
    assert tokenize("speech–to–speech") == tokenize("speech-to-speech")
    assert normalize_text("“a”—b’s–c") == "\"a\" b's-c"


def test_accents_fold_and_other_scripts_survive() -> None:
    assert tokenize("Café") == tokenize("cafe") == ["cafe"]
    assert tokenize("שלום עולם مرحبا Привет") == ["שלום", "עולם", "مرحبا", "привет"]


def test_cjk_becomes_character_bigrams() -> None:
    assert tokenize("我们的模型") == ["我们", "们的", "的模", "模型"]
    assert tokenize("模") == ["模"]
    assert tokenize("GPT-5模型") == ["gpt-5", "gpt", "5", "模型"]


def test_junk_yields_no_terms() -> None:
    assert tokenize("") == []
    assert tokenize("the of and what, is it?") == []
    assert tokenize("🙂 ... --- !!!") == []
    assert tokenize("x" * 200) == []  # not a word anyone searches


def test_metacharacters_are_plain_text() -> None:
    assert tokenize("((a|b)*) DROP TABLE passages; --") == ["b", "drop", "tabl", "passag"]


def test_token_spans_point_into_the_original_text() -> None:
    text = "Sure—GPT-5’s “launch” at 20%"
    spans = token_spans(text)
    assert [s.term for s in spans] == tokenize(text)
    assert spans == [
        Span("sure", 0, 4), Span("gpt-5", 5, 12), Span("gpt", 5, 8), Span("5", 9, 12),
        Span("launch", 14, 20), Span("20%", 25, 28), Span("20", 25, 27),
    ]
    assert [text[s.start : s.end] for s in spans] == [
        "Sure", "GPT-5’s", "GPT", "5’s", "launch", "20%", "20",
    ]


def test_stopword_list_covers_contractions() -> None:
    assert {"don't", "it's", "the", "um"} <= STOPWORDS
    assert is_stopword("Don’t") and not is_stopword("compute")
