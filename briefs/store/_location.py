"""Where the library lives: a SQLite file path, or a ``postgresql://`` URL.

``BRIEFBOT_DB`` and ``--db`` take either. Anything else that looks like a URL
(``mysql://x``, ``sqlite://...``) is refused with one line, never taken as a
file path: ``Path("postgresql://h/db")`` would quietly become a folder named
``postgresql:`` and a SQLite file inside it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from briefs.errors import StoreError

__all__ = ["POSTGRES_SCHEMES", "DbLocation", "is_postgres", "parse_db_location", "shown"]

POSTGRES_SCHEMES = ("postgresql", "postgres")
_URL = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*)://")

DbLocation = Path | str
"""A SQLite file (``Path``) or a PostgreSQL URL (``str``)."""


def parse_db_location(value: str | Path) -> DbLocation:
    """The database ``value`` names: a ``Path`` for SQLite, the URL text for PostgreSQL.

    Raises :class:`StoreError` (one line) for a URL of any other kind.
    """
    if isinstance(value, Path):
        return value
    text = value.strip()
    m = _URL.match(text)
    if m is None:
        return Path(text).expanduser()
    scheme = m.group(1).lower()
    if scheme not in POSTGRES_SCHEMES:
        raise StoreError(
            f"{shown(text)} is not a database briefbot can use: give a SQLite file path"
            " or a postgresql://user@host:port/dbname URL"
        )
    parts = urlsplit(text)
    if not parts.hostname and "host=" not in parts.query:
        raise StoreError(f"{shown(text)} names no host: postgresql://user@host:port/dbname")
    return text


def is_postgres(location: object) -> bool:
    """Whether ``location`` is a PostgreSQL URL."""
    if not isinstance(location, str):
        return False
    m = _URL.match(location)
    return m is not None and m.group(1).lower() in POSTGRES_SCHEMES


def shown(location: object) -> str:
    """The location as it may be printed or logged: a URL's password is hidden."""
    text = str(location)
    if not _URL.match(text):
        return text
    try:
        parts = urlsplit(text.strip())
        if parts.password is None:
            return text.strip()
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:  # a malformed port: print no part of it that could be a secret
        return f"{text.split('://', 1)[0]}://..."
