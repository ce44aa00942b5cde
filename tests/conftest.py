"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from pg_server import PgServer, PgUnavailable, start_server

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ``../shared``; the calling test skips when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is absent on this machine)")
    return path


@pytest.fixture
def interview_path() -> Path:
    """The real, messy interview transcript from ``../shared/corpus``."""
    return shared_path("corpus", "interview-brockman-bigtech-2026.txt")


@pytest.fixture
def qmsum_dir() -> Path:
    """The QMSum meetings (train and val folders) from ``../shared/eval``."""
    return shared_path("eval", "qmsum")


@pytest.fixture
def write_folder(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Writes ``{file name: text}`` into ``tmp_path / "in"`` and returns that folder."""

    def write(files: dict[str, str]) -> Path:
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return write


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server the suite starts itself (``tests/pg_server.py``), stopped at
    the end. Without one the PostgreSQL tests fail in CI (``CI=true``) and skip elsewhere."""
    try:
        server = start_server()
    except PgUnavailable as err:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the PostgreSQL tests need a server and none could start: {err}")
        pytest.skip(f"PostgreSQL is not available here: {err}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a new, empty database on the test server."""
    return pg_server.new_database()


@pytest.fixture(params=["sqlite", "postgres"])
def db_location(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a test's library lives, once per engine: a SQLite file, a PostgreSQL URL."""
    if request.param == "sqlite":
        return tmp_path / "b.db"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.new_database()


@pytest.fixture
async def store(db_location: Path | str) -> AsyncIterator[object]:
    """An open, migrated store on each engine (``db_location``)."""
    from briefs.store import Store

    opened = await Store.open(db_location)
    try:
        yield opened
    finally:
        await opened.close()
