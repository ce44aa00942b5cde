"""Helpers of the ingest pipeline: which files a set of paths names, and slugs.

Kept apart from ``library.py`` so the façade stays readable; the library
re-exports what front ends need.
"""

from __future__ import annotations

import glob
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["MAX_SLUG", "ascii_words", "expand_paths", "fit_slug", "slugify"]

MAX_SLUG = 48
_GLOB_CHARS = re.compile(r"[*?\[]")


def ascii_words(text: str) -> list[str]:
    """Lowercase ASCII words of ``text``: ``"Café Économie"`` -> ``["cafe", "economie"]``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", folded.lower())


def slugify(title: str, max_len: int = MAX_SLUG) -> str:
    """A readable id from a title: ascii-folded, lowercase, hyphens, cut at a word."""
    slug = "-".join(ascii_words(title))
    if len(slug) > max_len:
        head = slug[: max_len + 1]
        # Cut at the last whole word when there is one; a single huge word is cut hard.
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:max_len]
    return slug.strip("-") or "transcript"


def fit_slug(base: str, suffix: str, max_len: int = MAX_SLUG) -> str:
    """``base + suffix``, shortening ``base`` so the whole stays within ``max_len``."""
    return base[: max(1, max_len - len(suffix))].rstrip("-") + suffix


def _walk(folder: Path) -> Iterable[Path]:
    # Hidden files and folders (.git, .DS_Store) are never transcripts.
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            yield path


def expand_paths(paths: Sequence[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named by ``paths`` (files, folders walked recursively, globs).

    Returns the files in order, each once, and the ``(path, reason)`` of every
    argument that names nothing.
    """
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for raw in paths:
        arg = str(raw)
        path = Path(arg).expanduser()
        if path.is_dir():
            found = list(_walk(path))
            if not found:
                problems.append((arg, "the folder holds no files"))
            for f in found:
                add(f)
        elif path.exists():
            add(path)
        elif _GLOB_CHARS.search(arg):
            matches = sorted(glob.glob(str(path), recursive=True))
            if not matches:
                problems.append((arg, "no files match this pattern"))
            for m in matches:
                mp = Path(m)
                for f in _walk(mp) if mp.is_dir() else [mp]:
                    add(f)
        else:
            problems.append((arg, "no such file or folder"))
    return files, problems
