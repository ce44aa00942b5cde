"""The fragment measure: the share of TL;DR quotes that are whole sentences.

Defined on the stored text alone, independently of the splitter the brief
uses, so a splitter that cuts at line ends or mid-sentence fails it:

- a quote *starts* a sentence when it starts its turn, or when the text before
  it in the turn ends with sentence-final punctuation (``. ! ? …`` or a CJK
  ender, closing quotes or brackets allowed) and whitespace, and the word
  before that mark is not an abbreviation or an initial ("Mr.", "J.");
- it *ends* a sentence when it ends its turn, or its last character (closing
  quotes and brackets aside) is sentence-final punctuation.

A line break alone is neither: in a hard-wrapped transcript it falls
mid-sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from briefs.errors import BriefbotError
from briefs.eval._results import SampleResult
from briefs.passages import Passage, make_passages
from briefs.transcript import Transcript

__all__ = ["SAMPLE_FOLDERS", "evaluate_samples", "is_whole_sentence", "whole_sentences"]

_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FOLDERS = (_ROOT / "briefs" / "samples", _ROOT / "eval" / "fragments")
"""Our own samples: the bundled ones, and hard-wrapped and ASR ones for the fragment measure."""

_ENDERS = ".!?…。！？｡"
_CLOSERS = "\"'”’)]」』）》〉】〕"
_ABBREVIATIONS_WORDS = (
    "mr mrs ms dr prof sr jr st vs etc e.g i.e inc ltd co corp no vol fig u.s u.k a.m "
    "p.m "
)
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_WORDS.split())
_LAST_WORD = re.compile(r"(\S+)$")


def _ends_sentence(text: str) -> bool:
    """``text`` (stripped) ends with sentence-final punctuation, not an abbreviation's dot."""
    body = text.rstrip(_CLOSERS)
    if not body or body[-1] not in _ENDERS:
        return False
    if body[-1] != ".":
        return True
    m = _LAST_WORD.search(body[:-1])
    word = m.group(1).lstrip("(\"“'‘") if m else ""
    initial = len(word) == 1 and word.isalpha()
    return not (initial or word.casefold() in _ABBREVIATIONS)


def is_whole_sentence(transcript: Transcript, item: Any) -> bool:
    """True when ``item`` (``start``, ``end``, ``turn_index``) quotes whole sentences."""
    if not 0 <= item.turn_index < len(transcript.turns):
        return False
    turn = transcript.turns[item.turn_index]
    start, end = item.start - turn.start, item.end - turn.start
    text = turn.text
    if not (0 <= start < end <= len(text)):
        return False
    before = text[:start]
    starts = not before.strip() or (
        before[-1:].isspace() and _ends_sentence(before.rstrip())
    )
    quote = text[start:end]
    ends = not text[end:].strip() or _ends_sentence(quote.rstrip())
    return starts and ends and (quote[:1].isalnum() or quote[:1] in "\"'“‘(¿¡")


def whole_sentences(transcript: Transcript, items: Iterable[Any]) -> tuple[int, int]:
    """``(whole, total)`` over ``items``; items that cite no offsets are not counted."""
    cited = [i for i in items if all(hasattr(i, a) for a in ("start", "end", "turn_index"))]
    flags = [is_whole_sentence(transcript, i) for i in cited]
    return sum(flags), len(flags)


def evaluate_samples(
    folders: Sequence[Path] = SAMPLE_FOLDERS,
    *,
    reader: Callable[[Path], Transcript] | None = None,
    builder: Callable[[Transcript, list[Passage], int], Any] | None = None,
) -> list[SampleResult]:
    """The fragment measure on the default TL;DR of every sample in ``folders``."""
    from briefs.brief import build_brief
    from briefs.readers import read_path

    read = reader or read_path

    def build(transcript: Transcript, passages: list[Passage], words: int) -> Any:
        if builder is not None:
            return builder(transcript, passages, words)
        return build_brief(transcript, passages)

    out: list[SampleResult] = []
    for folder in folders:
        for path in sorted(p for p in Path(folder).glob("*") if p.is_file()):
            if path.name.startswith((".", "README")):
                continue
            try:
                transcript = read(path)
            except BriefbotError:
                continue
            brief = build(transcript, make_passages(transcript), 0)
            out.append(SampleResult(path.name, *whole_sentences(transcript, brief.tldr)))
    return out
