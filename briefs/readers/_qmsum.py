"""QMSum meeting JSON (``meeting_transcripts``: ``[{speaker, content}]``).

QMSum's text is ASR-style: markers such as ``{disfmarker}`` and ``{vocalsound}``,
and tokenised words (``I 'm``, ``do n't``, ``word ,``). Markers are removed and
the tokens joined back.

Exactly one turn is kept per source turn, so ``Turn.index`` equals the index
QMSum's ``relevant_text_span`` annotations use. A source turn with no words left
(only ``{vocalsound}``, say) becomes a note turn, which is never quoted. The
reference summaries in ``general_query_list`` are evaluation answers, not the
source's own summary, and are deliberately not read.
"""

from __future__ import annotations

import re
from typing import Any

from briefs.errors import MalformedSource
from briefs.transcript import Transcript, TranscriptBuilder

__all__ = ["clean_qmsum_text", "read_qmsum"]

_MARKER = re.compile(r"\{\s*(\w+)\s*\}")
_MARKER_NAMES = {
    "vocalsound": "vocal sound",
    "nonvocalsound": "non-vocal sound",
    "disfmarker": "disfluency",
    "pause": "pause",
    "gap": "gap",
    "comment": "comment",
}
# (substring that must be present, pattern, replacement): the substring test skips
# most patterns on most turns, which keeps reading all 197 meetings fast.
_JOINS = (
    (" '", re.compile(r"(\w) '(s|m|re|ve|ll|d)\b", re.IGNORECASE), r"\1'\2"),
    (" n", re.compile(r"(\w) n't\b", re.IGNORECASE), r"\1n't"),
    ("a ", re.compile(r"\b(gon|wan|got) (na|ta)\b", re.IGNORECASE), r"\1\2"),
    (" not", re.compile(r"\b(can) (not)\b", re.IGNORECASE), r"\1\2"),
    (" - ", re.compile(r"(\w) - (\w)"), r"\1-\2"),
)
# Spaces are collapsed first, so plain replaces do these joins (much faster than a
# regex on every one of QMSum's 108,000 turns).
_DETACHED = [(" " + p, p) for p in ",.!?;:%)]}"] + [(p + " ", p) for p in "([{$"]
_SPACES = re.compile(r"\s{2,}")


def clean_qmsum_text(content: str) -> str:
    """Remove ASR markers and join tokenised text: ``do n't`` -> ``don't``."""
    text = _SPACES.sub(" ", _MARKER.sub(" ", content) if "{" in content else content).strip()
    for needle, pattern, repl in _JOINS:
        if needle in text:
            text = pattern.sub(repl, text)
    for spaced, joined in _DETACHED:
        if spaced in text:
            text = text.replace(spaced, joined)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    # A marker between a word and its punctuation leaves a stray lead: ", so".
    return text.lstrip(",;: ").strip()


def _nonverbal(content: str, speaker: str) -> str:
    names = [_MARKER_NAMES.get(m.lower(), m.lower()) for m in _MARKER.findall(content)]
    what = ", ".join(dict.fromkeys(names)) or "no speech"
    return f"({what}: {speaker})"


def read_qmsum(data: dict[str, Any], *, source: str, title: str = "") -> Transcript:
    turns = data.get("meeting_transcripts")
    if not isinstance(turns, list):
        raise MalformedSource(f"{source}: 'meeting_transcripts' is not a list of turns")
    # Meetings transcribed by people: their repeated words ("no no no no no") are
    # speech, and the ASR loop check would cost a sixth of reading them.
    b = TranscriptBuilder(format="qmsum", source=source, title=title, machine_made=False)
    names: dict[str, str] = {}  # raw label -> canonical name; a meeting has a handful
    for i, turn in enumerate(turns):
        if not isinstance(turn, dict) or not isinstance(turn.get("content", ""), str):
            raise MalformedSource(
                f"{source}: meeting turn {i} is not a {{'speaker', 'content'}} object"
            )
        raw_speaker = str(turn.get("speaker") or "").strip() or "Unknown"
        content = turn.get("content") or ""
        text = clean_qmsum_text(content)
        if re.search(r"\w", text):
            if raw_speaker not in names:
                names[raw_speaker] = b.speaker(raw_speaker)
            b.add("speech", text, names[raw_speaker])
        else:
            b.add("note", _nonverbal(content, raw_speaker))
    if not b.speech_count:
        raise MalformedSource(f"{source}: the meeting has no spoken turns")
    return b.build()
