"""What the inbox may read: regular files inside it, and nothing a link points at outside.

Whoever can drop a file in the inbox must not be able to make briefbot read
any other file it can read: ``ln -s ~/.env inbox/notes.txt`` would otherwise
ingest the bot token and make it searchable. So entries are judged by
``lstat`` (the entry itself, not what it points at):

- a regular file is read;
- a symbolic link is read only when it resolves to a regular file inside the
  inbox (a sync tool's link to a file beside it); one pointing outside, a
  broken one or a loop is refused without being read;
- FIFOs, sockets and devices are refused without being opened (opening a
  FIFO blocks until someone writes to it);
- folders are subfolders (``done/``, ``failed/``) and are left alone.

A refused entry is moved to ``failed/`` by the inbox with the reason. The file
is opened with ``O_NOFOLLOW | O_NONBLOCK`` and must still be the very file that
was judged (same device and inode): a link or FIFO swapped in after the check
is neither followed nor waited on.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from briefs import readers
from briefs.errors import ReadError, SourceTooLarge

__all__ = ["Entry", "read_entry", "scan"]

_PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", ".swp", "~")
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)
_KINDS = {
    stat.S_ISFIFO: "a FIFO (named pipe)", stat.S_ISSOCK: "a socket",
    stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One inbox entry ready for a poll: to read (``target``) or to refuse (``refusal``)."""

    path: Path  # the entry in the inbox
    key: str  # the inbox_files key: real path, size and modification time
    mtime: float
    target: Path | None = None  # the file to read: the entry, or a link's target
    identity: tuple[int, int] | None = None  # (st_dev, st_ino) the open file must have
    refusal: str | None = None  # why it is not read ("it is a FIFO ...")


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS.items() if test(mode)), "not a regular file")


def _judge(folder: Path, path: Path) -> Entry | None:
    """The entry for ``path``, or None to leave it alone (a folder, or gone meanwhile)."""
    try:
        own = os.lstat(path)
    except OSError:
        return None
    key = f"{folder / path.name}|{own.st_size}|{own.st_mtime_ns}"
    if stat.S_ISDIR(own.st_mode):
        return None
    if stat.S_ISREG(own.st_mode):
        return Entry(path, key, own.st_mtime, path, (own.st_dev, own.st_ino))
    if not stat.S_ISLNK(own.st_mode):
        return Entry(path, key, own.st_mtime, refusal=f"it is {_kind(own.st_mode)}, not a "
                     "file (only transcript files are read)")
    try:
        target = path.resolve(strict=True)
        st = os.stat(target)
    except (OSError, RuntimeError):  # RuntimeError: a loop, on Python before 3.13
        return Entry(path, key, own.st_mtime,
                     refusal="it is a symbolic link that leads nowhere (broken, or a loop)")
    if not target.is_relative_to(folder):
        # The target is not named: the reason ends up in failed/ for anyone to read.
        return Entry(path, key, own.st_mtime, refusal="it is a symbolic link to a file outside "
                     "the inbox (only files inside it are read)")
    if stat.S_ISDIR(st.st_mode):
        return None
    if not stat.S_ISREG(st.st_mode):
        return Entry(path, key, own.st_mtime, refusal=f"it is a symbolic link to "
                     f"{_kind(st.st_mode)} (only transcript files are read)")
    # Keyed like the file it reaches, so the link and its target are one file.
    return Entry(path, f"{target}|{st.st_size}|{st.st_mtime_ns}",
                 max(own.st_mtime, st.st_mtime), target, (st.st_dev, st.st_ino))


def scan(folder: Path, *, now: float, settle_seconds: float) -> list[Entry]:
    """Entries at the top of ``folder`` ready for a poll, oldest first."""
    real = folder.resolve()
    ready: list[tuple[float, str, Entry]] = []
    with os.scandir(folder) as entries:
        for item in entries:
            name = item.name
            if name.startswith((".", "~$")) or name.endswith(_PARTIAL_SUFFIXES):
                continue
            if name.endswith(".error.txt"):
                continue
            entry = _judge(real, Path(item.path))
            if entry is None or now - entry.mtime < settle_seconds:
                continue
            ready.append((entry.mtime, name, entry))
    return [entry for _, _, entry in sorted(ready, key=lambda t: t[:2])]


def read_entry(entry: Entry, *, max_bytes: int = readers.DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of ``entry``'s file; ``FileNotFoundError`` if it went meanwhile.

    Raises ``ReadError`` when it is no longer the file that was judged (a link
    or FIFO swapped in) or cannot be read, ``SourceTooLarge`` over ``max_bytes``.
    """
    assert entry.target is not None and entry.identity is not None
    try:
        fd = os.open(entry.target, _OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW met a link (EMLINK: BSDs)
            raise ReadError(f"{entry.path}: not read: it was replaced by a symbolic link "
                            "after it was checked") from None
        raise ReadError(f"{entry.path}: cannot read it ({err.strerror or err})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != entry.identity:
            raise ReadError(f"{entry.path}: not read: it was replaced by another file after "
                            "it was checked")
        if st.st_size > max_bytes:
            raise SourceTooLarge(readers._too_large(str(entry.path), st.st_size, max_bytes))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:  # it grew after the check
                raise SourceTooLarge(readers._too_large(str(entry.path), size, max_bytes))
        return b"".join(chunks)
    finally:
        os.close(fd)

