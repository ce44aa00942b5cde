"""Timed cues (subtitles, JSON segments) grouped into speaker turns.

Subtitle cues and ASR segments are a few seconds long; a turn is a run of
consecutive cues by one speaker. With no speakers at all, the monologue is cut
into paragraphs of about ``PARAGRAPH_WORDS`` words at sentence ends, so each
turn keeps a useful start time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from briefs.errors import EmptySource
from briefs.transcript import Transcript, TranscriptBuilder

__all__ = ["MONOLOGUE_SPEAKER", "PARAGRAPH_WORDS", "Cue", "build_from_cues"]

MONOLOGUE_SPEAKER = "Speaker"
UNKNOWN_SPEAKER = "Unknown"
PARAGRAPH_WORDS = 120


@dataclass(frozen=True, slots=True)
class Cue:
    speaker: str | None  # raw label, role allowed ("Dana Park (CFO)")
    text: str
    start: float | None = None
    end: float | None = None


def build_from_cues(
    cues: Iterable[Cue],
    *,
    fmt: str,
    source: str,
    title: str = "",
    metadata: dict[str, str] | None = None,
    date: str | None = None,
) -> Transcript:
    cues = [c for c in cues if c.text.strip()]
    if not cues:
        raise EmptySource(f"{source}: holds no spoken text")
    b = TranscriptBuilder(format=fmt, source=source, title=title, date=date)
    b.metadata.update(metadata or {})
    monologue = not any(c.speaker for c in cues)
    if monologue:
        b.warnings.append(
            f"no speaker names found: read as one speaker's monologue (attributed to "
            f"'{MONOLOGUE_SPEAKER}')"
        )
    current: str | None = None
    run: list[Cue] = []
    run_speaker: str | None = None
    # Words in ``run``, kept as cues join it: recounting the whole run for
    # every cue was quadratic in a run that never reaches a sentence end.
    run_words = 0

    def flush() -> None:
        nonlocal run_words
        if run and run_speaker:
            b.add_timed("speech", [(c.text, c.start) for c in run], run_speaker,
                        time_end=run[-1].end)
        run.clear()
        run_words = 0

    for cue in cues:
        if cue.speaker:
            current = b.speaker(cue.speaker)
        elif current is None:
            current = b.speaker(MONOLOGUE_SPEAKER if monologue else UNKNOWN_SPEAKER)
        paragraph_full = (
            monologue
            and run_words >= PARAGRAPH_WORDS
            and run[-1].text.rstrip().endswith((".", "?", "!", "…"))
        )
        if current != run_speaker or paragraph_full:
            flush()
            run_speaker = current
        run.append(cue)
        run_words += len(cue.text.split())
    flush()
    return b.build()
