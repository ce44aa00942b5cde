"""The deployment files agree with the code (Docker cannot run in this suite)."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n\s*", " ", dockerfile)
    lines = [line.strip() for line in joined.splitlines()]
    return [
        (line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_dockerfile_runs_briefbot_as_non_root_with_a_data_volume() -> None:
    steps = _instructions((DEPLOY / "Dockerfile").read_text(encoding="utf-8"))
    kinds = [kind for kind, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    user_at = kinds.index("USER")
    assert steps[user_at][1] not in ("root", "0")
    # Everything after USER runs unprivileged: no installs there.
    assert "RUN" not in kinds[user_at:]
    assert ("VOLUME", '["/data"]') in steps
    assert any(kind == "ENV" and "BRIEFBOT_DB=/data/briefbot.db" in arg for kind, arg in steps)
    assert steps[-1] == ("CMD", '["briefbot", "run"]')


def test_dockerfile_copies_only_paths_that_exist() -> None:
    steps = _instructions((DEPLOY / "Dockerfile").read_text(encoding="utf-8"))
    sources = [src for kind, arg in steps if kind == "COPY" for src in arg.split()[:-1]]
    assert sources and [s for s in sources if not (REPO / s).exists()] == []


def test_systemd_unit_runs_briefbot_as_its_own_user() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string((DEPLOY / "briefbot.service").read_text(encoding="utf-8"))
    service = unit["Service"]
    assert service["ExecStart"].endswith("briefbot run")
    assert service["User"] == "briefbot"
    assert service["EnvironmentFile"] == "/etc/briefbot.env"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_compose_builds_from_the_repo_and_keeps_data_in_a_volume() -> None:
    compose = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    assert "dockerfile: deploy/Dockerfile" in compose
    assert "- briefbot-data:/data" in compose
    assert "BRIEFBOT_DB: /data/briefbot.db" in compose
