"""What the database drivers raise when they refuse a statement (for one-line reports)."""

from __future__ import annotations

import sqlite3

import asyncpg

__all__ = ["DRIVER_ERRORS"]

DRIVER_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.Error, asyncpg.PostgresError, asyncpg.InterfaceError,
)
"""What the database driver raises when it refuses a statement (for one-line reports)."""
