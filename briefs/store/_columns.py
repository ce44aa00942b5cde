"""Reading the JSON columns of a transcript's rows back (metadata, cue marks).

Shared by ``_transcripts`` (loading a transcript) and ``_index`` (search
passages): a stored value that is not what ``insert()`` wrote reads as empty,
never as an error.
"""

from __future__ import annotations

import json
from contextlib import suppress

__all__ = ["parse_marks", "parse_metadata"]


def parse_metadata(stored: object) -> dict[str, str]:
    # Written by insert() as a JSON object; anything else reads as none.
    with suppress(ValueError):
        value = json.loads(stored) if isinstance(stored, str) else None
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
    return {}


def parse_marks(stored: object) -> tuple[tuple[int, float], ...]:
    # Written by insert() as JSON [[offset, seconds], ...]; anything else (an old
    # or hand-edited row) reads as no marks: passages then show the turn's time.
    if not isinstance(stored, str) or not stored:
        return ()
    try:
        return tuple((int(at), float(s)) for at, s in json.loads(stored))
    except (ValueError, TypeError):
        return ()
