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


REQUIRED = {"POSTGRES_PASSWORD": "pw", "BRIEFBOT_DOMAIN": "bot.example.org",
            "BRIEFBOT_WEBHOOK_SECRET": "s3cret"}


def _postgres_compose() -> dict:
    """The compose file as docker compose reads it, with deploy/.env's required values."""
    import yaml

    text = (DEPLOY / "docker-compose.postgres.yml").read_text(encoding="utf-8")
    needed = set(re.findall(r"\$\{(\w+):\?[^}]*\}", text))
    assert needed == set(REQUIRED)  # compose refuses to start without each of them
    text = re.sub(r"\$\{(\w+):\?[^}]*\}", lambda m: REQUIRED[m.group(1)], text)
    return yaml.safe_load(text)


def test_postgres_compose_runs_two_webhook_replicas_on_one_database_behind_caddy() -> None:
    from urllib.parse import urlsplit

    from briefs.store import is_postgres, parse_db_location

    services = _postgres_compose()["services"]
    assert sorted(services) == ["briefbot-1", "briefbot-2", "postgres", "proxy"]
    replicas = [services["briefbot-1"], services["briefbot-2"]]
    assert replicas[0] == replicas[1]  # the same image, settings and database
    bot = replicas[0]
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile"
    env = bot["environment"]
    db = parse_db_location(env["BRIEFBOT_DB"])
    assert is_postgres(db)
    assert urlsplit(str(db)).hostname == "postgres"
    assert urlsplit(str(db)).path == "/" + services["postgres"]["environment"]["POSTGRES_DB"]
    assert services["postgres"]["image"] == "postgres:15"
    assert "briefbot-pg:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert urlsplit(str(db)).password == services["postgres"]["environment"]["POSTGRES_PASSWORD"]
    # Replicas share one webhook secret (compose refuses to run without it).
    assert env["BRIEFBOT_WEBHOOK_SECRET"] == "s3cret"
    assert env["BRIEFBOT_WEBHOOK_URL"] == "https://bot.example.org/telegram"
    assert services["proxy"]["environment"]["BRIEFBOT_DOMAIN"] == "bot.example.org"
    proxy = services["proxy"]
    assert proxy["image"] == "caddy:2"
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert sorted(proxy["ports"]) == ["443:443", "80:80"]


def test_caddy_sends_the_webhook_path_to_every_replica_on_its_port() -> None:
    services = _postgres_compose()["services"]
    port = services["briefbot-1"]["environment"]["BRIEFBOT_WEBHOOK_PORT"]
    caddy = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "{$BRIEFBOT_DOMAIN} {" in caddy
    [upstreams] = re.findall(r"handle /telegram \{\s*reverse_proxy ([^{]+)\{", caddy)
    assert upstreams.split() == [f"briefbot-1:{port}", f"briefbot-2:{port}"]
