"""Helpers of the ingest pipeline: which files a set of paths names, and slugs.

Kept apart from ``library.py`` so the façade stays readable; the library
re-exports what front ends need.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

__all__ = ["MAX_SLUG", "Expansion", "ascii_words", "expand_paths", "fit_slug", "slugify"]

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


def _reason(err: BaseException) -> str:
    """One line saying why a path cannot be used (the caller names the path)."""
    if isinstance(err, OSError):
        if err.errno == errno.ELOOP:
            return "a symbolic link loop"
        if err.errno == errno.ENAMETOOLONG:
            return "the name is too long for the file system"
        return f"cannot read it: {err.strerror or err}"
    if isinstance(err, RuntimeError) and "loop" in str(err).lower():
        return "a symbolic link loop"  # Path.resolve() says so with a RuntimeError
    return " ".join(f"cannot use this path: {err}".split())


def _link_problem(path: Path) -> str | None:
    """Why a symbolic link leads nowhere (dangling, looping), or None if it is fine."""
    try:
        os.stat(path)
    except OSError as err:
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            try:
                return f"a dangling symbolic link (to {os.readlink(path)}, which does not exist)"
            except OSError:
                return "a dangling symbolic link"
        return _reason(err)
    return None


def _walk(folder: Path, problems: list[tuple[str, str]]) -> list[Path]:
    """The files under ``folder``, sorted; what cannot be read goes to ``problems``.

    os.scandir rather than rglob: rglob skips unreadable folders and broken
    links without a word, and raises on others, and the operator must hear
    about each of them while the rest is still ingested.
    """
    found: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)  # problems in a stable order
        except OSError as err:
            problems.append((str(current), f"cannot read the folder: {_reason(err)}"))
            continue
        for entry in entries:
            # Hidden files and folders (.git, .DS_Store) are never transcripts.
            if entry.name.startswith("."):
                continue
            path = current / entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(path)
                    continue
                if entry.is_symlink():
                    problem = _link_problem(path)
                    if problem is not None:
                        problems.append((str(path), problem))
                        continue
                    if path.is_dir():
                        continue  # linked folders are not walked (no loops to guard)
                if entry.is_file():
                    found.append(path)
            except OSError as err:
                problems.append((str(path), _reason(err)))
    return sorted(found)


def _no_match_reason(pattern: Path) -> str:
    # A glob in a folder we cannot read matches nothing: say why.
    literal: list[str] = []
    for part in pattern.parts:
        if _GLOB_CHARS.search(part):
            break
        literal.append(part)
    base = Path(*literal) if literal else Path(".")
    try:
        with os.scandir(base):
            pass
    except OSError as err:
        if err.errno != errno.ENOENT:
            return f"cannot read {base}: {_reason(err)}"
    return "no files match this pattern"


class Expansion(NamedTuple):
    files: list[Path]
    """The files to ingest, in order, each once."""
    problems: list[tuple[str, str]]
    """``(path, reason)`` of every argument or entry that cannot be ingested."""
    repeats: list[str]
    """Files named again by a later argument (ingested once)."""


def expand_paths(paths: Sequence[str | Path]) -> Expansion:
    """Files named by ``paths`` (files, folders walked recursively, globs).

    Nothing raises: an argument or entry that cannot be used (unreadable,
    too long a name, a dangling or looping link) becomes a problem line and
    the rest are still expanded.
    """
    out = Expansion([], [], [])
    seen: set[Path] = set()

    def add(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):
            key = path.absolute()
        if key in seen:
            out.repeats.append(str(path))
        else:
            seen.add(key)
            out.files.append(path)

    for raw in paths:
        arg = str(raw)
        try:
            _expand_one(arg, add, out.problems)
        except (OSError, RuntimeError, ValueError) as err:
            out.problems.append((arg, _reason(err)))
    return out


def _expand_one(arg: str, add: Callable[[Path], None], problems: list[tuple[str, str]]) -> None:
    path = Path(arg).expanduser()
    if path.is_symlink() and (problem := _link_problem(path)) is not None:
        problems.append((arg, problem))
    elif path.is_dir():
        before = len(problems)
        found = _walk(path, problems)
        if not found and len(problems) == before:
            problems.append((arg, "the folder holds no files"))
        for f in found:
            add(f)
    elif path.exists():
        add(path)
    elif _GLOB_CHARS.search(arg):
        matches = sorted(glob.glob(str(path), recursive=True))
        if not matches:
            problems.append((arg, _no_match_reason(path)))
        for m in matches:
            mp = Path(m)
            try:
                if mp.is_symlink() and (problem := _link_problem(mp)) is not None:
                    problems.append((m, problem))
                    continue
                for f in _walk(mp, problems) if mp.is_dir() else [mp]:
                    add(f)
            except OSError as err:
                problems.append((m, _reason(err)))
    else:
        problems.append((arg, "no such file or folder"))
