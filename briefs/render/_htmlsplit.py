"""Splitting Telegram HTML into messages under the length limit.

Telegram limits a text message to 4096 characters *after* entity parsing,
counted in UTF-16 code units: tags weigh nothing, ``&amp;`` weighs one, an
emoji outside the Basic Multilingual Plane weighs two. We measure exactly that
(``telegram_length``), so a part is as full as it may be, never over.

The splitter works on a stream of atoms — a tag, an entity or one character —
so a cut can never fall inside a tag or an entity. It prefers, in order: a
paragraph break (a blank line), a line break, a space, and only then any atom
boundary. Whitespace at a cut is dropped (Telegram trims every message anyway)
and tags open at the cut are closed at the end of one part and reopened at the
start of the next, so each part is well-formed on its own.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass

__all__ = ["html_to_text", "split_message", "telegram_length", "utf16_len"]

TELEGRAM_LIMIT = 4096

_TOKEN = re.compile(
    r"(?P<tag><[^<>]*>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});)"
    r"|(?P<text>[^<&]+|[<&])",
)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts in."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def html_to_text(html: str) -> str:
    """The text Telegram shows for ``html``: tags removed, entities decoded."""
    out: list[str] = []
    for m in _TOKEN.finditer(html):
        if m.group("entity"):
            out.append(_html.unescape(m.group("entity")))
        elif m.group("text"):
            out.append(m.group("text"))
    return "".join(out)


def telegram_length(html: str) -> int:
    """How long Telegram considers the message ``html`` (UTF-16 units of its text)."""
    return utf16_len(html_to_text(html))


@dataclass(slots=True)
class _Atom:
    src: str  # exactly as in the input
    weight: int  # UTF-16 units it adds to the visible text
    char: str  # the visible text ("" for tags)
    opens: str | None = None  # tag name this atom opens
    closes: str | None = None  # tag name this atom closes


_PIECE = re.compile(r"\s|\S+")


def _atoms(html: str, chunk: int) -> list[_Atom]:
    """Tags, entities, single whitespace characters, and words of at most ``chunk`` characters.

    Words stay whole (cuts only fall between atoms) up to ``chunk`` characters,
    which keeps the atom count low on long texts; a longer word is cut into
    ``chunk``-sized pieces so a hard cut can still fill a part.
    """
    atoms: list[_Atom] = []
    for m in _TOKEN.finditer(html):
        if tag := m.group("tag"):
            name_m = _TAG_NAME.match(tag)
            name = name_m.group(1).lower() if name_m else ""
            if not name or tag.endswith("/>"):
                atoms.append(_Atom(tag, 0, ""))
            elif tag.startswith("</"):
                atoms.append(_Atom(tag, 0, "", closes=name))
            else:
                atoms.append(_Atom(tag, 0, "", opens=name))
        elif ent := m.group("entity"):
            ch = _html.unescape(ent)
            atoms.append(_Atom(ent, utf16_len(ch), ch))
        else:
            for piece in _PIECE.findall(m.group("text")):
                for i in range(0, len(piece), chunk):
                    part = piece[i : i + chunk]
                    atoms.append(_Atom(part, utf16_len(part), part))
    return atoms


def _is_space(atom: _Atom) -> bool:
    # Only literal whitespace is a separator; an encoded one (&#32;) stays put.
    return atom.weight > 0 and atom.src == atom.char and atom.char.isspace()


def _stacks(atoms: list[_Atom]) -> list[tuple[_Atom, ...]]:
    """The open tags before each atom (index ``i``) and after the last one."""
    stacks: list[tuple[_Atom, ...]] = []
    stack: list[_Atom] = []
    for atom in atoms:
        stacks.append(tuple(stack))
        if atom.opens:
            stack.append(atom)
        elif atom.closes:
            # Close the innermost matching tag; a stray closing tag is ignored.
            for k in range(len(stack) - 1, -1, -1):
                if stack[k].opens == atom.closes:
                    del stack[k:]
                    break
    stacks.append(tuple(stack))
    return stacks


def _separator_runs(atoms: list[_Atom], lo: int, hi: int) -> tuple[int, int, int]:
    """Best cut starts in ``atoms[lo:hi+1]`` by kind: (paragraph, line, space), -1 if none.

    A cut at index ``c`` ends the part before ``atoms[c]``; ``c`` is the start
    of a whitespace run, so the run is what gets dropped.
    """
    para = line = space = -1
    i = hi
    while i > lo:
        if _is_space(atoms[i]) and not _is_space(atoms[i - 1]):
            run_end = i
            while run_end < len(atoms) and _is_space(atoms[run_end]):
                run_end += 1
            newlines = sum(1 for a in atoms[i:run_end] if a.char == "\n")
            if newlines >= 2 and para < 0:
                para = i
                break  # nothing beats the last paragraph break
            if newlines == 1 and line < 0:
                line = i
            elif newlines == 0 and space < 0:
                space = i
        i -= 1
    return para, line, space


def _skip_space(atoms: list[_Atom], i: int) -> int:
    while i < len(atoms) and _is_space(atoms[i]):
        i += 1
    return i


def split_message(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split ``html`` into well-formed parts, each at most ``limit`` Telegram units.

    A message that fits is returned unchanged, as the only part. Otherwise the
    parts' visible texts, joined, equal the original text except for
    whitespace dropped at the cuts; parts with no visible text are left out.
    """
    if limit < 8:
        raise ValueError("limit must be at least 8")
    if telegram_length(html) <= limit:
        return [html]
    # A word piece may weigh 2 units per character (astral characters): keep
    # the heaviest piece well under the limit so every part can make progress.
    atoms = _atoms(html, max(1, min(16, limit // 4)))
    stacks = _stacks(atoms)
    parts: list[str] = []
    start = 0
    while start < len(atoms):
        # The furthest end such that atoms[start:end] fits.
        used = 0
        end = start
        while end < len(atoms) and used + atoms[end].weight <= limit:
            used += atoms[end].weight
            end += 1
        if end >= len(atoms):
            cut = nxt = len(atoms)
        else:
            para, line, space = _separator_runs(atoms, start, end)
            cut = next((c for c in (para, line, space) if c > start), -1)
            if cut < 0:
                cut = max(end, start + 1)  # hard cut; always make progress
                nxt = cut
            else:
                nxt = _skip_space(atoms, cut)
        parts.append(_render_part(atoms, stacks, start, cut))
        start = nxt
    return [p for p in parts if html_to_text(p).strip()]


def _render_part(
    atoms: list[_Atom], stacks: list[tuple[_Atom, ...]], start: int, cut: int
) -> str:
    reopen = "".join(a.src for a in stacks[start])
    body = "".join(a.src for a in atoms[start:cut])
    close = "".join(f"</{a.opens}>" for a in reversed(stacks[cut]))
    return reopen + body + close
