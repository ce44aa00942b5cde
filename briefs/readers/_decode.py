"""Bytes to text: byte-order marks, UTF-16 without a BOM, legacy code pages, binary.

Transcripts arrive from editors, subtitle tools and web pages in whatever
encoding those used. UTF-8 is tried first because it is by far the most common
and a strict decode almost never succeeds by accident on other encodings; the
rest is left to charset-normalizer, which guesses from byte statistics.

Control characters follow one rule, wherever they sit (after a BOM, past the
first 8 KB, in any encoding): a file in which they are more than 1% of the
text (and more than two) is binary and refused; otherwise every C0 control but
tab, LF, VT, FF and CR, DEL and every C1 control is removed after decoding
(``briefs.transcript.remove_controls``), and the transcript says so in a
warning. The builder removes the same characters from strings that JSON
escapes (``\\u0000``) or HTML entities produce.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from briefs.errors import EmptySource, UnsupportedFormat
from briefs.transcript import remove_controls

__all__ = ["decode"]

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control bytes that never appear in text files (tab, LF, VT, FF, CR do): the
# bytes ``remove_controls`` removes, less C1, which is two bytes in UTF-8.
_CONTROL = bytes(b for b in [*range(32), 127] if b not in (9, 10, 11, 12, 13))


def _utf16_without_bom(data: bytes) -> str | None:
    """Text saved as UTF-16 with no BOM: every other byte is NUL for ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        encoding = "utf-16-le"
    elif even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _too_many_controls(controls: int, length: int) -> bool:
    return controls > max(2, length // 100)


def _looks_binary(data: bytes) -> bool:
    # The whole file, not a sample: a NUL past 8 KB is treated as one before it.
    # One C pass (translate) keeps this cheap on a 25 MB file.
    return _too_many_controls(len(data) - len(data.translate(None, _CONTROL)), len(data))


_BINARY = ("looks like a binary file, not a transcript (save it as text: "
           ".txt, .md, .srt, .vtt or .json)")


def _utf8_with_strays(data: bytes) -> str | None:
    """UTF-8 with a few stray Windows-1252 bytes (text pasted from a word processor).

    Each byte that is not valid UTF-8 is read as Windows-1252 (where ``0x92`` is
    the right quote it almost always is). Too many strays, or no valid UTF-8
    multi-byte character at all, and the file is not UTF-8: ``None``, and the
    statistical guess takes over.
    """
    text = data.decode("utf-8", errors="surrogateescape")  # bad byte b -> U+DC00 + b
    strays = _STRAY.findall(text)
    if len(strays) > max(3, len(data) // 1000):
        return None
    if not any(ord(c) > 0x7F and not 0xDC80 <= ord(c) <= 0xDCFF for c in text):
        return None
    return _STRAY.sub(
        lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", errors="replace"), text
    )


_STRAY = re.compile("[\udc80-\udcff]")


_LATIN_ALPHABETS = {"Basic Latin", "Latin-1 Supplement", "Latin Extended-A", "Latin Extended-B",
                    "General Punctuation", "Control character", "Currency Symbols"}


def _guess(name: str, data: bytes) -> str:
    matches = list(from_bytes(data))
    if not matches:
        raise UnsupportedFormat(
            f"{name}: cannot tell which text encoding this file uses; save it as UTF-8"
        )
    best = matches[0]
    # In Latin-script text the Windows code pages (1250, 1252, 1257...) differ in a
    # handful of letters, too few for statistics to separate them on a short file;
    # Windows-1252 is what Western editors save, so it wins among them.
    if set(best.alphabets) <= _LATIN_ALPHABETS and any(m.encoding == "cp1252" for m in matches):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def decode(name: str, data: bytes) -> tuple[str, int]:
    """Decode ``data`` to text without control characters, and how many were removed.

    Raises a one-line ``ReadError`` naming ``name``.
    """
    if not data.strip():
        raise EmptySource(f"{name}: the file is empty")
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnsupportedFormat(
                    f"{name}: starts with a {encoding} byte-order mark but does not decode as "
                    f"{encoding} (byte {exc.start + len(bom)})"
                ) from None
            break
    if text is None:
        text = _utf16_without_bom(data)
    if text is None:
        if _looks_binary(data):  # before guessing: statistics on binary data are slow
            raise UnsupportedFormat(f"{name}: {_BINARY}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _utf8_with_strays(data) or _guess(name, data)
    decoded = len(text)
    text, removed = remove_controls(text)
    if _too_many_controls(removed, decoded):
        raise UnsupportedFormat(f"{name}: {_BINARY}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptySource(f"{name}: the file is empty")
    return text, removed
