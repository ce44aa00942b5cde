"""Brief quality, measured: TL;DR ROUGE and turning-point boundaries against references.

Two kinds of reference:

- a folder of QMSum meetings (``../shared/eval/qmsum/val`` by default): the
  TL;DR is scored with ROUGE-1/2/L against each meeting's general summary at a
  fixed word budget, beside sumy LexRank and Luhn run on the same sentences at
  the same budget; the turning points' segment starts are scored against the
  ``topic_list`` boundaries (boundary F1 within 3 turns, Pk, WindowDiff),
  beside "no boundaries" and "uniform segments given the true count";
- the interview transcript with its own TL;DR and headings (``../shared/eval/seed``).

Every transcript is read with ``briefs.readers`` and cut with ``make_passages``,
exactly as ingest does, so turn numbers line up with what the product stores.
QMSum segments are compared in turn indexes, which the QMSum reader keeps equal
to the source's; the interview's in *speech-turn* units (its headings are
numbered that way): a segment that starts at a heading or note starts at the
next speech turn.

The result is a structured :class:`EvalResult`; :func:`format_table` renders it
for people and :meth:`EvalResult.to_dict` for scripts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from briefs.errors import BriefbotError, EmptySource, ReadError
from briefs.eval._baselines import BASELINES, summarize_baseline
from briefs.eval._fragments import SAMPLE_FOLDERS, evaluate_samples, whole_sentences
from briefs.eval._gold import read_headings, read_meeting_gold, read_reference_tldr
from briefs.eval._metrics import (
    BoundaryScore,
    RougeScore,
    rouge,
    score_boundaries,
    truncate_words,
    uniform_boundaries,
)
from briefs.eval._results import (
    HEADINGS_HIDDEN,
    NO_BOUNDARIES,
    OURS,
    UNIFORM,
    DocumentResult,
    EvalResult,
    Paired,
    SetResult,
    format_table,
)
from briefs.passages import Passage, make_passages, split_sentences
from briefs.transcript import Transcript, TranscriptBuilder, normalize_whitespace

__all__ = [
    "DEFAULT_BUDGET",
    "HEADINGS_HIDDEN",
    "NO_BOUNDARIES",
    "OURS",
    "OURS_DEFAULT",
    "SAMPLE_FOLDERS",
    "UNIFORM",
    "BriefBuilder",
    "DocumentResult",
    "EvalResult",
    "Paired",
    "SetResult",
    "TranscriptReader",
    "baseline_sentences",
    "default_interview_paths",
    "default_qmsum_folder",
    "evaluate",
    "evaluate_interview",
    "evaluate_qmsum",
    "evaluate_samples",
    "format_table",
]

DEFAULT_BUDGET = 110
"""Words in a QMSum TL;DR: about the length of the reference summaries."""

BriefBuilder = Callable[[Transcript, list[Passage], int], Any]
"""``(transcript, passages, tldr_words) -> Brief``: anything with ``tldr``, ``turning_points``.

``tldr_words`` 0 asks for the default TL;DR (5-8 bullets), as a reader gets it."""
TranscriptReader = Callable[[Path], Transcript]

_SHARED = Path(__file__).resolve().parents[3] / "shared"
OURS_DEFAULT = "briefbot, 5-8 bullets"
"""Ours on the interview as a reader gets it: the default TL;DR, no word budget."""


def default_qmsum_folder() -> Path:
    """``../shared/eval/qmsum/val`` beside the checkout."""
    return _SHARED / "eval" / "qmsum" / "val"


def default_interview_paths() -> tuple[Path, Path, Path] | None:
    """The interview, its reference TL;DR and its headings, or ``None`` if absent."""
    paths = (
        _SHARED / "corpus" / "interview-brockman-bigtech-2026.txt",
        _SHARED / "eval" / "seed" / "reference_tldr.json",
        _SHARED / "eval" / "seed" / "headings.json",
    )
    return paths if all(p.is_file() for p in paths) else None


# --- reading and building through the product's own code -------------------------


def _default_reader() -> TranscriptReader:
    from briefs.readers import read_path

    return read_path


def _default_builder() -> BriefBuilder:
    from briefs.brief import build_brief

    def build(transcript: Transcript, passages: list[Passage], words: int) -> Any:
        # 0 words: the default TL;DR (5-8 bullets), as a reader gets it.
        return build_brief(transcript, passages, tldr_words=words or None)

    return build


def _engine(brief: Any) -> str:
    engine = str(getattr(brief, "engine", ""))
    version = getattr(brief, "engine_version", None)
    return f"{engine} v{version}" if engine and version else engine


def _tldr_text(brief: Any) -> str:
    return " ".join(str(item.text).strip() for item in brief.tldr)


def _segment_starts(brief: Any) -> list[int]:
    """Transcript turn indexes where a turning-point segment starts, the first one excluded.

    The first segment's start is where the conversation starts, not a change
    of subject, whatever turn it falls on.
    """
    starts: list[int] = []
    for point in list(brief.turning_points)[1:]:
        for attr in ("turn_index", "start_turn", "turn"):
            value = getattr(point, attr, None)
            if isinstance(value, int):
                starts.append(value)
                break
    return starts


def _to_speech_units(transcript: Transcript, turn_indexes: Iterable[int]) -> list[int]:
    """Map transcript turn indexes to speech-turn ordinals (next speech turn at or after)."""
    ordinal_at: list[int] = []
    count = 0
    for turn in transcript.turns:
        ordinal_at.append(count)
        if turn.kind == "speech":
            count += 1
    return [ordinal_at[i] for i in turn_indexes if 0 <= i < len(ordinal_at)]


# Disfluencies carry no content; left in, they decide what LexRank finds "central".
_FILLER = re.compile(r"\b(?:uh|um|uhm|umm|mm|mmm|hmm|hm|er|erm)\b[,.]?\s*", re.IGNORECASE)
_MIN_SENTENCE_WORDS = 5


def baseline_sentences(transcript: Transcript) -> list[str]:
    """The candidate sentences the baselines rank: speech only, fillers out, 5+ words."""
    out: list[str] = []
    for turn in transcript.speech_turns:
        for sentence in split_sentences(turn.text):
            text = normalize_whitespace(_FILLER.sub("", sentence.text))
            if len(text.split()) >= _MIN_SENTENCE_WORDS:
                out.append(text)
    return out


def _score_summaries(
    brief: Any, transcript: Transcript, reference: str, budget: int
) -> tuple[dict[str, RougeScore], dict[str, int]]:
    ours = _tldr_text(brief)
    texts = {OURS: ours}
    sentences = baseline_sentences(transcript)
    for name in BASELINES:
        texts[name] = summarize_baseline(name, sentences, budget)
    summaries = {k: rouge(truncate_words(v, budget), reference) for k, v in texts.items()}
    return summaries, {k: len(v.split()) for k, v in texts.items()}


def _score_segments(
    predicted: Sequence[int], gold: Sequence[int], units: int
) -> dict[str, BoundaryScore]:
    return {
        OURS: score_boundaries(predicted, gold, units),
        NO_BOUNDARIES: score_boundaries([], gold, units),
        UNIFORM: score_boundaries(uniform_boundaries(units, len(gold) + 1), gold, units),
    }


# --- the two evaluations ---------------------------------------------------------


def evaluate_qmsum(
    folder: Path,
    *,
    limit: int | None = None,
    budget: int = DEFAULT_BUDGET,
    reader: TranscriptReader | None = None,
    builder: BriefBuilder | None = None,
    name: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> SetResult:
    """Score the briefs of every QMSum meeting (``*.json``) in ``folder``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReadError(f"{folder}: no such folder; give a folder of QMSum meeting JSON files")
    files = sorted(folder.glob("*.json"))
    if limit is not None:
        files = files[: max(0, limit)]
    if not files:
        raise EmptySource(f"{folder}: no QMSum meeting files (*.json) in this folder")
    read = reader or _default_reader()
    build = builder or _default_builder()
    result = SetResult(name=name or f"QMSum {folder.name}", source=str(folder), budget=budget)
    started = time.perf_counter()
    for path in files:
        try:
            gold = read_meeting_gold(path)
            transcript = read(path)
        except BriefbotError as err:
            result.skipped.append(f"{path.name}: {err}")
            continue
        brief = build(transcript, make_passages(transcript), budget)
        result.engine = result.engine or _engine(brief)
        summaries, words = _score_summaries(brief, transcript, gold.summary, budget)
        # The QMSum reader keeps one turn per source turn (a turn with no words
        # becomes a note), so turn indexes are the gold spans' own numbering.
        units = len(transcript.turns)
        segments: dict[str, BoundaryScore] = {}
        note = ""
        if units == gold.turn_count:
            segments = _score_segments(_segment_starts(brief), gold.boundaries, units)
        else:
            # Without a one-to-one mapping a boundary score would compare
            # different turns, so none is given.
            note = f"{units} turns read, the source has {gold.turn_count}: segments not scored"
        result.documents.append(
            DocumentResult(
                path.stem,
                units,
                len(gold.boundaries),
                words,
                summaries,
                segments,
                note,
                whole_sentences(transcript, brief.tldr),
            )
        )
        if progress is not None:
            progress(path.stem)
    result.seconds = time.perf_counter() - started
    return result


def _without_headings(transcript: Transcript) -> Transcript:
    """The same transcript with its heading turns left out (speech turns keep their order)."""
    b = TranscriptBuilder(
        format=transcript.format,
        source=transcript.source,
        title=transcript.title,
        metadata=dict(transcript.metadata),
        date=transcript.date,
        source_summary=transcript.source_summary,
    )
    for turn in transcript.turns:
        if turn.kind == "heading":
            continue
        speaker = None
        if turn.kind == "speech" and turn.speaker:
            role = transcript.speakers.get(turn.speaker)
            speaker = b.speaker(f"{turn.speaker} ({role})" if role else turn.speaker)
        b.add(turn.kind, turn.text, speaker, turn.time_start, turn.time_end)
    return b.build()


def _first_words(text: str) -> str:
    return normalize_whitespace(text)[:40].casefold()


def evaluate_interview(
    transcript_path: Path,
    reference_path: Path,
    headings_path: Path,
    *,
    budget: int | None = None,
    reader: TranscriptReader | None = None,
    builder: BriefBuilder | None = None,
) -> SetResult:
    """Score the interview's brief against its own TL;DR and section headings.

    The reader keeps the source's TL;DR and editor's note out of the dialogue,
    so the brief is built from the speech turns alone. The budget defaults to
    the reference TL;DR's length. Each heading's turn number is checked against
    the opening words of the turn it precedes, and found by those words if the
    numbering differs.
    """
    reference = read_reference_tldr(reference_path)
    headings = read_headings(headings_path)
    budget = budget or len(reference.split())
    read = reader or _default_reader()
    build = builder or _default_builder()
    result = SetResult(name="interview", source=str(transcript_path), budget=budget)
    started = time.perf_counter()
    transcript = read(transcript_path)
    brief = build(transcript, make_passages(transcript), budget)
    result.engine = _engine(brief)
    summaries, words = _score_summaries(brief, transcript, reference, budget)
    # The TL;DR a reader gets (5-8 bullets), scored whole: it is the product.
    default = build(transcript, make_passages(transcript), 0)
    summaries[OURS_DEFAULT] = rouge(_tldr_text(default), reference)
    words[OURS_DEFAULT] = len(_tldr_text(default).split())
    openings = [normalize_whitespace(t.text).casefold() for t in transcript.speech_turns]
    gold: list[int] = []
    lost: list[str] = []
    for heading in headings:
        want = _first_words(heading.first_words)
        found = [i for i, opening in enumerate(openings) if opening.startswith(want)]
        if heading.before_turn in found:
            gold.append(heading.before_turn)
        elif found:
            gold.append(found[0])
        else:
            lost.append(heading.heading)
    note = f"headings not found in the dialogue: {'; '.join(lost)}" if lost else ""
    predicted = _to_speech_units(transcript, _segment_starts(brief))
    segments: dict[str, BoundaryScore] = {}
    if gold:
        segments = _score_segments(predicted, gold, len(openings))
        # With its headings in view the segmenter can simply follow them; the
        # same dialogue without them shows what it finds on its own.
        bare = _without_headings(transcript)
        if len(bare.turns) < len(transcript.turns):
            blind = build(bare, make_passages(bare), budget)
            segments[HEADINGS_HIDDEN] = score_boundaries(
                _to_speech_units(bare, _segment_starts(blind)), gold, len(openings)
            )
    result.documents.append(
        DocumentResult(
            transcript_path.stem,
            len(openings),
            len(gold),
            words,
            summaries,
            segments,
            note,
            whole_sentences(transcript, default.tldr),
        )
    )
    result.seconds = time.perf_counter() - started
    return result


def evaluate(
    folder: Path | None = None,
    *,
    limit: int | None = None,
    interview: bool = True,
    reader: TranscriptReader | None = None,
    builder: BriefBuilder | None = None,
    progress: Callable[[str], None] | None = None,
) -> EvalResult:
    """The whole ``eval briefs`` run: a QMSum folder, then the interview if present.

    ``progress`` is called with each transcript's name once it is scored.
    """
    sets = [
        evaluate_qmsum(
            folder or default_qmsum_folder(),
            limit=limit,
            reader=reader,
            builder=builder,
            progress=progress,
        )
    ]
    paths = default_interview_paths() if interview else None
    if paths is not None:
        sets.append(evaluate_interview(*paths, reader=reader, builder=builder))
        if progress is not None:
            progress(paths[0].stem)
    return EvalResult(sets, samples=evaluate_samples(reader=reader, builder=builder))

