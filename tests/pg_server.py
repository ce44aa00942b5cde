"""A throwaway PostgreSQL server for the tests, from Debian's ``postgresql`` package.

``initdb`` + ``pg_ctl`` in a temporary folder, on a free loopback port, trust
authentication for 127.0.0.1 only. PostgreSQL refuses to run as root (and CI
runs as root), so as root the server runs as the ``postgres`` system user,
in a folder that user owns. ``make install-dev`` installs the package when it
is missing. Each test gets a database of its own (:meth:`PgServer.new_database`).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PG_BIN", "PgServer", "PgUnavailable", "start_server"]

def _pg_bin() -> Path:
    # Debian's layout: /usr/lib/postgresql/<major>/bin; 15 is bookworm's, else the newest.
    if "BRIEFBOT_PG_BIN" in os.environ:
        return Path(os.environ["BRIEFBOT_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    preferred = Path("/usr/lib/postgresql/15/bin")
    if (preferred / "initdb").exists() or not found:
        return preferred
    return found[-1].parent


PG_BIN = _pg_bin()


class PgUnavailable(RuntimeError):
    """The server could not be started here; the message says why."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PgUnavailable("running as root and runuser is missing")
    return [runuser, "-u", "postgres", "--", *cmd]


def _run(cmd: list[str], what: str, cwd: Path) -> None:
    # cwd: a folder the postgres user may enter (not the root-only one we may be in).
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False,
                          cwd=cwd)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise PgUnavailable(f"{what} failed: {' / '.join(tail)}")


@dataclass
class PgServer:
    """A running server: ``url(db)`` for a database on it, ``stop()`` at the end."""

    folder: Path
    port: int
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new, empty database; returns its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            [str(PG_BIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-d", self.url(database), "-c", sql],
            capture_output=True, text=True, timeout=60, check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"psql {sql!r}: {done.stderr.strip()}")
        return done.stdout.strip()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            subprocess.run(
                _as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"),
                                 "-m", "immediate", "-w", "stop"]),
                capture_output=True, timeout=60, check=False, cwd=self.folder,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> PgServer:
    """Start a server in a new temporary folder; raises PgUnavailable with the reason."""
    initdb = PG_BIN / "initdb"
    if not initdb.exists():
        raise PgUnavailable(
            f"{initdb} is missing (install Debian's postgresql package: make install-dev)"
        )
    folder = Path(tempfile.mkdtemp(prefix="briefbot-pg-"))
    data = folder / "data"
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, user="postgres")
            folder.chmod(0o700)
        _run(_as_server_user([str(initdb), "-D", str(data), "-U", "postgres",
                              "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]),
             "initdb", folder)
        port = _free_port()
        options = (f"-p {port} -c listen_addresses=127.0.0.1 -k {folder}"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                   " -c max_connections=100")
        _run(_as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options,
                              "-l", str(folder / "server.log"), "-w", "-t", "60", "start"]),
             "pg_ctl start", folder)
    except (PgUnavailable, OSError, KeyError, LookupError, subprocess.TimeoutExpired) as err:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(err, PgUnavailable):
            raise
        raise PgUnavailable(f"cannot start PostgreSQL: {err}") from None
    return PgServer(folder, port)
