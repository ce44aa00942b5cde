"""Gold data for the brief evaluation: QMSum meetings and the interview's seed files.

Only the *references* are read here (summaries, topic spans, headings). The
transcripts themselves always go through ``briefs.readers``, so the turn
numbering the brief builder sees is the one the product stores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefs.errors import MalformedSource

__all__ = [
    "HeadingGold",
    "MeetingGold",
    "read_headings",
    "read_meeting_gold",
    "read_reference_tldr",
]


@dataclass(frozen=True, slots=True)
class MeetingGold:
    """What a QMSum meeting says a good brief contains."""

    name: str
    turn_count: int
    summary: str
    """The answer to the first general query ("Summarize the whole meeting")."""
    boundaries: tuple[int, ...]
    """Turn indexes where a topic segment starts (0 excluded), from ``topic_list``."""


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise MalformedSource(f"{path.name}: not readable JSON ({err})") from None


def read_meeting_gold(path: Path) -> MeetingGold:
    """The reference summary and topic boundaries of one QMSum meeting file.

    ``relevant_text_span`` pairs are 0-based *inclusive* turn indexes stored as
    strings. A topic starts a segment at each of its span starts; starts at 0
    or past the last turn are not boundaries. A topic may own several spans
    (it comes back later in the meeting), and each return is a boundary too.
    """
    data = _load(path)
    try:
        turns = data["meeting_transcripts"]
        queries = data["general_query_list"]
        topics = data["topic_list"]
        summary = str(queries[0]["answer"]).strip()
        starts = {int(span[0]) for topic in topics for span in topic["relevant_text_span"]}
    except (KeyError, IndexError, TypeError, ValueError) as err:
        raise MalformedSource(
            f"{path.name}: not a QMSum meeting (missing or bad {err.__class__.__name__}: {err})"
        ) from None
    n = len(turns)
    if not summary:
        raise MalformedSource(f"{path.name}: the general summary is empty")
    return MeetingGold(
        name=path.stem,
        turn_count=n,
        summary=summary,
        boundaries=tuple(sorted(s for s in starts if 0 < s < n)),
    )


def read_reference_tldr(path: Path) -> str:
    """The interview's human TL;DR bullets, joined into one reference text."""
    data = _load(path)
    try:
        return " ".join(str(item["text"]).strip() for item in data)
    except (KeyError, TypeError) as err:
        raise MalformedSource(f"{path.name}: expected a list of {{text}} bullets ({err})") from None


@dataclass(frozen=True, slots=True)
class HeadingGold:
    """A heading inside the interview and the speech turn it precedes."""

    heading: str
    before_turn: int
    """0-based index among the dialogue's speech turns."""
    first_words: str
    """The opening of that speech turn, to check the numbering still lines up."""


def read_headings(path: Path) -> list[HeadingGold]:
    data = _load(path)
    try:
        return [
            HeadingGold(
                heading=str(item["heading"]),
                before_turn=int(item["before_turn"]),
                first_words=str(item["first_turn_after"]["text"]),
            )
            for item in data
        ]
    except (KeyError, TypeError, ValueError) as err:
        raise MalformedSource(f"{path.name}: expected a list of headings ({err})") from None
