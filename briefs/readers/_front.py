"""YAML front matter (``---`` ... ``---`` at the top of a Markdown file).

Static-site generators and note apps (Jekyll, Hugo, Obsidian) put a page's
title, date, people and tags there. It is YAML, with quoting, lists, nested
maps, so it is read with PyYAML rather than by hand: with ``BaseLoader``,
which builds only strings, lists and maps (no object from a tag, nothing
executed) and leaves every scalar as written, so ``0:00`` is not turned into
the number 0 (YAML 1.1 sexagesimal) nor ``no`` into ``False``. What cannot be read is skipped
with a warning: the dialogue below it is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from briefs.readers._lines import TIME, parse_date

__all__ = ["FrontMatter", "split_front_matter"]

_OPEN = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_MAX_CHARS = 20_000  # front matter is a header, not a document
_MAX_BRACKETS = 200
_TIME_ONLY = re.compile(rf"^[\[(]?{TIME}[\])]?$")
_URL_KEYS = ("source_url", "url", "link", "canonical_url", "permalink")
_SPEAKER_KEYS = ("speakers", "participants", "guests", "hosts", "host", "guest", "people")


@dataclass
class FrontMatter:
    """What a transcript's front matter says about it."""

    title: str | None = None
    date: str | None = None
    speakers: list[str] = field(default_factory=list)
    """Raw labels, role in parentheses (``"Ana Ruiz (Chef)"``), as a label line would give."""
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value if v is not None)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return "" if value is None else " ".join(str(value).split())


def _speakers(value: Any) -> list[str]:
    """``[Ana, Bo]``, ``{Ana: Chef}`` or ``[{name: Ana, role: Chef}]`` as raw labels."""
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, dict):
                items.append((item.get("name"), item.get("role") or item.get("title")))
            else:
                items.append((item, None))
    elif isinstance(value, str):
        items = [(part, None) for part in re.split(r",|;|&|\band\b", value)]
    labels = []
    for name, role in items:
        name, role = _text(name).strip(), _text(role).strip()
        if name:
            labels.append(f"{name} ({role})" if role else name)
    return labels


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """(front matter, the text after it); ``(None, text)`` when there is none."""
    opened = _OPEN.match(text)
    if not opened:
        return None, text
    closed = _CLOSE.search(text, opened.end(), opened.end() + _MAX_CHARS)
    if not closed:
        return None, text  # a horizontal rule, not front matter
    block, rest = text[opened.end():closed.start()], text[closed.end():]
    front = FrontMatter()
    if block.count("[") + block.count("{") > _MAX_BRACKETS:
        # PyYAML slows down badly on deep flow nesting ("[[[[..."): a header never needs it.
        front.warnings.append("front matter is nested too deeply: skipped")
        return front, rest
    try:
        # Aliases are refused: "a: &a [x, x]; b: [*a, *a] ..." grows exponentially once
        # flattened to text (the billion-laughs attack), and no transcript header needs them.
        if any(isinstance(ev, yaml.AliasEvent) for ev in yaml.parse(block, yaml.BaseLoader)):
            front.warnings.append("front matter uses YAML aliases (&/*): skipped")
            return front, rest
        data = yaml.load(block, Loader=yaml.BaseLoader)  # BaseLoader: strings only, safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        front.warnings.append(f"front matter is not valid YAML{where}: skipped")
        return front, rest
    except RecursionError:  # "[[[[..." nested past the parser's stack
        front.warnings.append("front matter is nested too deeply: skipped")
        return front, rest
    if data is None:
        return front, rest
    if not isinstance(data, dict):
        return None, text  # prose between two rules
    for key, value in data.items():
        key = str(key).strip().casefold().replace(" ", "_").replace("-", "_")
        if key == "title":
            title = _text(value).strip().strip("\"'“”")
            if title and not _TIME_ONLY.match(title):
                front.title = title
        elif key in ("date", "published", "recorded"):
            front.date = front.date or parse_date(_text(value))
            front.metadata[key] = _text(value)
        elif key in _SPEAKER_KEYS:
            front.speakers.extend(_speakers(value))
            front.metadata[key] = ", ".join(_speakers(value))
        elif key in _URL_KEYS:
            front.metadata.setdefault("url", _text(value))
        elif (value_text := _text(value)):
            front.metadata[key] = value_text
    return front, rest
