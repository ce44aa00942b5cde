"""What readers may store: times that are times, text without control characters,
white space normalised.

Checked in one place for every format (``TranscriptBuilder`` calls these;
``briefs.transcript`` re-exports them): a time that is not a finite,
non-negative number of seconds under a year is refused, and control
characters are removed from every stored string.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

__all__ = [
    "CONTROLS_WARNING", "MAX_SECONDS", "has_controls", "normalize_whitespace", "remove_controls",
    "valid_seconds",
]

MAX_SECONDS = 366 * 24 * 3600.0
"""No recording runs longer than a year: a time past this is a broken value, not a time."""


def valid_seconds(value: Any) -> float | None:
    """``value`` as seconds from the start if it is a usable time, else ``None``.

    Usable means a finite number from 0 to :data:`MAX_SECONDS`. Readers drop the
    rest, and every view formats times through this, so a NaN, infinity,
    negative or huge time already in a database shows as no time, never as a
    traceback. Numeric strings count (SQLite hands back whatever was stored).
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_SECONDS:
        return None
    return seconds


# The control rule, for every reader: C0 controls except the whitespace ones
# (tab, LF, VT, FF, CR, which normalisation turns into spaces and line breaks),
# DEL and the C1 controls are removed, wherever they sit. None belongs in a
# transcript, and stored raw they would reach terminals (escape codes) and
# Telegram (which refuses NUL).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")

CONTROLS_WARNING = "removed control characters (NUL, terminal escape codes and the like)"
"""The warning a transcript carries when :func:`remove_controls` removed something."""


# The same set as bytes, for ASCII text (which holds no C1 control).
_CONTROL_BYTES = bytes([*range(9), *range(14, 32), 127])


def has_controls(text: str) -> bool:
    """Whether :func:`remove_controls` would remove anything from ``text``."""
    if text.isascii():
        # bytes.translate is about three times faster than the regex scan, which
        # matters on every transcript read (two scans of its whole text).
        raw = text.encode("ascii")
        return len(raw.translate(None, _CONTROL_BYTES)) != len(raw)
    return _CONTROLS.search(text) is not None


def remove_controls(text: str) -> tuple[str, int]:
    """``text`` without control characters, and how many were removed."""
    if not has_controls(text):  # the common case: one scan, no copy
        return text, 0
    return _CONTROLS.subn("", text)


_WS_RUN = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


# What str.strip() strips, but for the C0/C1 controls Python counts as white
# space (\x1c-\x1f, \x85): stripped silently at a turn's edge, they would escape
# remove_controls' count and its warning.
_SPACES = "".join(
    chr(c) for c in range(0x3001) if chr(c).isspace() and not (0x1C <= c <= 0x1F or c == 0x85)
)


def normalize_whitespace(text: str) -> str:
    """NFC-normalise, collapse runs of spaces, keep single line breaks, strip.

    Paragraph breaks inside one turn become a single ``\\n``: a blank line is
    reserved for separating turns in the canonical text.
    """
    if text.isascii() and not any(c in text for c in ("\n", "\r", "\t", "\f", "\v", "  ")):
        return text.strip(_SPACES)  # the common case (one line of ASCII): nothing else to do
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _WS_RUN.sub(" ", text)
    text = "\n".join(line.strip(_SPACES) for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n", text)
    return text.strip(_SPACES)
