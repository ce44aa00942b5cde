"""Ingest cost grows linearly with the transcript, measured without a clock.

The work counter is the number of Python lines executed inside the module
under test (``sys.settrace``): deterministic, and it counts loop iterations,
so a quadratic step shows up as ~4x the lines when the input doubles. Each
test doubles a synthetic input shaped like the one that was quadratic
(40k unpunctuated Whisper segments, 30k short turns, one long monologue) and
allows at most 2.5x. Speed itself is measured by bench/ingest.py.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from types import FrameType, ModuleType
from typing import Any

import briefs.brief._segments as _brief_segments
import briefs.brief._sentences as _brief_sentences
import briefs.search._encode as _encode
from briefs import passages, tokenize
from briefs.brief import build_brief
from briefs.passages import make_passages
from briefs.readers import _grouping, read_bytes
from briefs.readers import _text as text_reader
from briefs.search import SearchStep

MAX_RATIO = 2.5
_WORDS = ["harbour", "bridge", "budget", "council", "steel", "beam", "ferry", "timetable",
          "contract", "vendor", "design", "review", "schedule", "tunnel", "pier", "crane"]


def lines_run(modules: tuple[ModuleType, ...], fn: Callable[[], Any]) -> int:
    """How many lines of ``modules`` run while ``fn()`` runs (this thread only)."""
    files = {m.__file__ for m in modules}
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename in files else None

    sys.settrace(calls)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


def ratio(
    modules: tuple[ModuleType, ...], make: Callable[[int], Callable[[], Any]], n: int
) -> float:
    small = lines_run(modules, make(n))
    large = lines_run(modules, make(2 * n))
    assert small > 0
    return large / small


def _sentence(r: random.Random, end: str = ".") -> str:
    return " ".join(r.choice(_WORDS) for _ in range(r.randint(5, 12))).capitalize() + end


def whisper_unpunctuated(n: int) -> bytes:
    """ASR segments with no speakers and no sentence ends: one ever-growing run."""
    r = random.Random(n)
    segments = [
        {"start": 3.0 * i, "end": 3.0 * i + 3, "text": " " + _sentence(r, "").lower()}
        for i in range(n)
    ]
    return json.dumps({"segments": segments}).encode()


def short_turns(n: int) -> bytes:
    """``n`` turns of "Yeah."/"Okay." (no content word) between two stretches of
    talk: every gap's comparison window has to reach past all of them."""
    r = random.Random(n)
    talk = [_sentence(r) + " " + _sentence(r) for _ in range(40)]
    filler = [r.choice(["Yeah.", "Okay.", "Right.", "Sure."]) for _ in range(n)]
    said = talk[:20] + filler + talk[20:]
    return "\n\n".join(f"{'Ann' if i % 2 else 'Bob'}: {x}" for i, x in enumerate(said)).encode()


def monologue(n: int) -> bytes:
    """No speaker labels: every paragraph joins one turn."""
    r = random.Random(n)
    return "\n\n".join(" ".join(_sentence(r) for _ in range(4)) for _ in range(n)).encode()


def test_grouping_unpunctuated_whisper_segments_is_linear() -> None:
    def make(n: int) -> Callable[[], Any]:
        data = whisper_unpunctuated(n)
        return lambda: read_bytes("talk.json", data)

    assert ratio((_grouping,), make, 1500) <= MAX_RATIO


def test_segmenting_many_short_turns_is_linear() -> None:
    def make(n: int) -> Callable[[], Any]:
        transcript = read_bytes("chat.txt", short_turns(n))
        found = make_passages(transcript)
        return lambda: build_brief(transcript, found)

    assert ratio((_brief_segments,), make, 1500) <= MAX_RATIO


def test_placing_a_long_monologue_s_sentences_in_passages_is_linear() -> None:
    def make(n: int) -> Callable[[], Any]:
        transcript = read_bytes("talk.txt", monologue(n))
        assert len(transcript.turns) == 1
        found = make_passages(transcript)
        return lambda: _brief_sentences.candidates(transcript, found)

    assert ratio((_brief_sentences,), make, 300) <= MAX_RATIO


def test_reading_passages_and_tokens_of_every_shape_are_linear() -> None:
    modules = (_grouping, text_reader, passages, tokenize, _encode)
    step = SearchStep(None)  # type: ignore[arg-type]  # prepare reads no search state
    for name, shape in [("talk.json", whisper_unpunctuated), ("chat.txt", short_turns),
                        ("talk.txt", monologue)]:

        def make(n: int, name: str = name, shape: Callable[[int], bytes] = shape) -> Any:
            data = shape(n)

            def run() -> None:
                transcript = read_bytes(name, data)
                step.prepare(transcript, make_passages(transcript))

            return run

        assert ratio(modules, make, 400) <= MAX_RATIO, name
