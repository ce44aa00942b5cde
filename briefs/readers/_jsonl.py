"""JSON Lines: one JSON object per line (``.jsonl``, or a ``.json``/``.txt`` so laid out).

Streaming ASR tools write one word or one segment per line. The lines are read
as one list of items, in order; a line that is not a JSON object (a truncated
last line, a stray log message) is skipped with one warning rather than the
whole file refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from briefs.errors import MalformedSource

__all__ = ["parse_json_lines"]


def parse_json_lines(text: str, *, source: str, warnings: list[str],
                     parse: Callable[..., Any]) -> list[dict[str, Any]]:
    """The objects of ``text``, one per non-blank line; bad lines are counted in ``warnings``.

    ``parse`` is ``_json.parse_json``, the one bounded parser (numbers, nesting).
    """
    items: list[dict[str, Any]] = []
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = parse(line, source=source)
        except MalformedSource as exc:
            if "JSON number" in str(exc):
                raise  # a million-digit number is refused, line by line as in a whole file
            bad.append(number)
            continue
        if isinstance(value, dict):
            items.append(value)
        else:
            bad.append(number)
    if not items:
        raise MalformedSource(f"{source}: not valid JSON or JSON Lines (no line holds an object)")
    if bad:
        shown = ", ".join(str(n) for n in bad[:5]) + (", ..." if len(bad) > 5 else "")
        warnings.append(f"skipped {len(bad)} line{'s' if len(bad) != 1 else ''} of JSON Lines "
                        f"that {'were' if len(bad) != 1 else 'was'} not a JSON object "
                        f"(line {shown})")
    return items
