"""Hard-wrapped text: lines broken at a fixed width inside a paragraph, joined again.

Text saved from e-mail, terminals, some transcript sites and caption dumps breaks
every line at ~70 characters (or ~42 for captions). Kept, each break is a line
break in the stored turn, so sentences are cut at it and quotes start and end
mid-sentence. A line is joined to the next one (with a space) when it was
broken by the width, not by the writer:

- the file is hard-wrapped (its paragraph lines share a right edge no wider than
  ``_MAX_WIDTH``) and the next line's first word would not have fit on this one
  (how a greedy wrapper decides to break); where only one line reaches the edge,
  only if this line does not end a sentence; or
- the next line starts in lower case and this one does not end a sentence or
  open a list (``Well,`` / ``said that`` + ``the depot``): a sentence going on; or
- in a hard-wrapped file, this line reaches 3/4 of the width and does not end a sentence
  (``will vote on`` / ``Thursday``): wrappers differ on where they break.

Structure is never joined: a speaker label, a time stamp (a cue-like line), a
list item, a heading, a note, a metadata line, a date or web-page furniture
(``Share``, ``12 comments``) stays on its own line, and so does whatever follows a
label standing alone on its line. A line that ends a sentence and is shorter
than the width stays a line break: the writer broke it. A word a wrapper broke
at its hyphen (``fine-`` / ``grained``) is joined without a space.
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefs.readers._lines import (
    TIME,
    is_junk,
    match_heading,
    match_label,
    match_metadata,
    match_note,
    match_summary_start,
    parse_date,
)

__all__ = ["join_wrapped"]

# Wrapped text is wrapped at 60-80 columns (mail, terminals, RFCs) or ~32-42 (captions);
# paragraphs written one per line are longer, so a wider "edge" is no edge.
_MAX_WIDTH = 100
# Wrappers count tabs, indents and quote marks we strip; a few columns of give.
_SLACK = 3
# How close to the right edge a wrapped line ends: a wrapper breaks before a word
# that would not fit, and words are rarely longer than this.
_EDGE_BAND = 12
# A line ending so ends a sentence or introduces what follows (a list, a quote).
_ENDS = ".!?…:;。！？"
# A word broken at its hyphen ("fine-" / "grained"), not a dash between words.
_HYPHENATED = re.compile(r"[^\W\d_]-$")
# A line that starts so is structure: a list item, a cue, a table row, a turn mark.
_STRUCTURE = re.compile(
    rf"^(?:[-*•·▪●+>|]|\d{{1,3}}[.)]\s|[\[(]?{TIME}|#|\[\s*(?:\d|[A-Z][^\]]*\]\s*[:\[(]))"
)


# Each line is asked both questions (may it start, may it end a join): its label is
# parsed once. A small cache: the questions about one line come one after the other.
_label = lru_cache(maxsize=64)(match_label)


def _colon(line: str) -> bool:
    # Labels, metadata and notes all need a colon: most lines skip their regexes.
    return ":" in line or "：" in line


def _short_date(line: str) -> bool:
    return len(line) <= 60 and len(line.split()) <= 6 and parse_date(line) is not None


def _may_start(line: str) -> bool:
    """Whether ``line`` may continue the line before it (it is not structure)."""
    if _STRUCTURE.match(line) or match_summary_start(line) is not None or _short_date(line):
        return False
    if len(line) <= 40 and not line[0].islower() and is_junk(line):
        return False  # "Share", "12 comments": furniture after the text, stripped at the end
    if _colon(line):  # "Digo: ..." in a paragraph: kept on its own line
        return match_note(line) is None and not match_metadata(line) and _label(line) is None
    return True


def _may_end(line: str) -> bool:
    """Whether ``line`` may be continued by the next one."""
    if _colon(line) and (label := _label(line)) is not None:
        return bool(label.text)  # "Ana:" alone on its line is layout: speech is below
    if line[0] == "|" or (line[0] == "#" and match_heading(line)):
        return False  # a table row, a heading
    return not _short_date(line)


def _width(lines: list[str], pairs: list[int]) -> tuple[int | None, int]:
    """The file's wrap width (None when its lines share no right edge), and how many
    lines reach near it.

    The edge is the longest line (a long URL or a pasted table row may pass it: up
    to 1 in 20 lines may); the file is wrapped there when at least half the lines
    followed by more of their paragraph reach near it, as a wrapper's lines do. A
    list of short lines under one long one does not.
    """
    lengths = sorted(len(line) for line in lines if line)
    width = lengths[len(lengths) - 1 - len(lengths) // 20]
    if width > _MAX_WIDTH:
        return None, 0
    near = sum(1 for i in pairs if len(lines[i]) >= width - _EDGE_BAND)
    return width if near and 2 * near >= len(pairs) else None, near


def join_wrapped(lines: list[str]) -> list[str]:
    """``lines`` with the lines of hard-wrapped paragraphs joined into one line each."""
    pairs = [
        i for i in range(len(lines) - 1)
        if lines[i] and lines[i + 1] and _may_start(lines[i + 1]) and _may_end(lines[i])
    ]
    if not pairs:
        return lines
    width, near = _width(lines, pairs)
    joins = set()
    for i in pairs:
        line, nxt = lines[i], lines[i + 1]
        open_end = line.rstrip("\"'”’)]*_")[-1:] not in _ENDS
        # One line at the edge is thin evidence: a writer's short sentence per line can
        # make one. It joins a sentence that goes on, not one that ended.
        fits = width is not None and len(line) + 1 + len(nxt.split(None, 1)[0]) > width - _SLACK
        # In a wrapped file a line near the edge that ends mid-sentence goes on, even
        # where the next word would have fit ("vote on" / "Thursday"): wrappers differ.
        near_edge = width is not None and 4 * len(line) >= 3 * width
        if (fits and (near >= 2 or open_end)) or (open_end and (nxt[0].islower() or near_edge)):
            joins.add(i)
    if not joins:
        return lines
    out: list[str] = []
    for i, line in enumerate(lines):
        if i - 1 in joins:
            # "fine-" + "grained": a wrapper broke the word at its hyphen; the hyphen stays.
            glue = "" if _HYPHENATED.search(out[-1]) and line[0].isalpha() else " "
            out[-1] = f"{out[-1]}{glue}{line}"
        else:
            out.append(line)
    return out
