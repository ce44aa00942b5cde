"""Which candidate labels really open turns: recurrence and position, not one regex per site.

A line that *parses* as a label (``_lines.match_label``) is only a candidate.
It opens a turn when the document's own layout says so:

- a strong label (alone on its line, or bold) always counts;
- a weak one (``Name: text``) counts when its name recurs as a label, names a
  speaker known from a strong label or a ``Host:`` metadata line, or when such
  lines make up the bulk of the paragraphs (a two-person chat log);
- a shape that recurs vouches for its members: where two or more labels carry
  a time, or three are upper case (press briefings: ``MS. HOLT:``, ``THE PRESIDENT:``),
  one of that shape counts even if its name appears once, and even mid-paragraph
  (timed exports put no blank line between turns).

Candidates are taken at paragraph starts (or right after another label, a chat
log's layout); a ``Name:`` line inside a paragraph is a quotation
(``Digo: "you never call"``), unless its shape is one of the recurring timed ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from briefs.readers._lines import LabelLine, match_label, match_metadata
from briefs.readers._shapes import time_only
from briefs.transcript import parse_speaker_label

__all__ = ["CONTINUE", "accepted_labels"]

_SPEAKER_KEYS = {"host", "hosts", "guest", "guests", "interviewer", "interviewee", "speakers",
                 "participants", "moderator", "video_author"}

CONTINUE = ""
"""``LabelLine.label`` of a time stamp with no name: a new turn by the current speaker."""

# How many labels of one shape make it the document's layout. A time on a label line is
# rare in prose, so two suffice; upper case is common in shouting or acronyms: three.
_TIMED_QUORUM = 2
_CAPS_QUORUM = 3


def _caps(label: LabelLine) -> bool:
    letters = [c for c in label.name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _candidates(lines: list[str]) -> dict[int, LabelLine]:
    candidates: dict[int, LabelLine] = {}
    # Each line is parsed once: the quorum and the pick below both need it.
    labels = [match_label(line) if line else None for line in lines]
    timed_quorum = sum(
        1 for lab in labels if lab is not None and lab.time is not None
    ) >= _TIMED_QUORUM
    for i, label in enumerate(labels):
        if not lines[i]:
            continue
        starts_paragraph = i == 0 or not lines[i - 1] or (i - 1) in candidates
        if label and (
            label.strong or starts_paragraph or (timed_quorum and label.time is not None)
        ):
            candidates[i] = label
    return candidates


def _time_only_lines(lines: list[str], taken: dict[int, LabelLine]) -> dict[int, LabelLine]:
    """Stamped lines without a name (``00:00:04 text``), when they recur in time order.

    One alone counts among timed labels (there it is the same layout, the name left out),
    or when it is bracketed: ``[00:12] text`` is a stamp, ``10:30 works`` may be speech.
    """
    found: dict[int, LabelLine] = {}
    for i, line in enumerate(lines):
        if line and i not in taken and (hit := time_only(line)):
            found[i] = LabelLine(CONTINUE, CONTINUE, hit[1], hit[0], False)
    times = [lab.time or 0.0 for lab in found.values()]
    timed_labels = sum(1 for lab in taken.values() if lab.time is not None)
    alone_ok = timed_labels >= 2 or any(lines[i].startswith("[") for i in found)
    if len(found) < (1 if alone_ok else 2) or times != sorted(times):
        return {}
    return found


def accepted_labels(lines: list[str], named: Iterable[str] = ()) -> dict[int, LabelLine]:
    """Line index -> label, for the candidate labels that really open turns.

    ``named``: speakers named elsewhere (front matter), raw labels with roles allowed.
    """
    candidates = _candidates(lines)
    known = {parse_speaker_label(k)[0].casefold() for k in named}
    for label in candidates.values():
        if label.strong:
            known.add(label.name.casefold())
    for line in lines[:60]:
        meta = match_metadata(line)
        if meta and meta[0] in _SPEAKER_KEYS:
            for part in re.split(r",|&|\band\b|;", meta[1]):
                name = re.sub(r"\(.*?\)", "", part).strip()
                if name:
                    known.add(name.casefold())
    known_words = {w for k in known for w in k.split()}
    counts = Counter(label.name.casefold() for label in candidates.values())
    paragraphs = sum(1 for i, line in enumerate(lines) if line and (i == 0 or not lines[i - 1]))
    weak = [lab for lab in candidates.values() if not lab.strong]
    chat_like = len({lab.name.casefold() for lab in weak}) >= 2 and 2 * len(weak) >= paragraphs
    timed = sum(1 for lab in weak if lab.time is not None) >= _TIMED_QUORUM
    # Upper-case labels that recur (at least two names): a press-briefing layout.
    caps_names = Counter(lab.name for lab in weak if _caps(lab) and len(lab.name) > 1)
    caps = sum(caps_names.values()) >= _CAPS_QUORUM

    # Where labels stand on their own lines, an unknown "Name: text" line is prose.
    own_lines = sum(1 for lab in candidates.values() if lab.strong) >= 2

    def accept(i: int, label: LabelLine) -> bool:
        key = label.name.casefold()
        if match_metadata(lines[i]) and counts[key] < 2:
            return False  # "**Host:** Jonah Reed" once, in a header: metadata
        if label.strong or key in known or (" " not in key and key in known_words):
            return True
        if (timed and label.time is not None) or (caps and _caps(label)):
            return True
        return not own_lines and (counts[key] >= 2 or chat_like)

    accepted = {i: lab for i, lab in candidates.items() if accept(i, lab)}
    accepted.update(_time_only_lines(lines, accepted))
    return accepted
