"""The ways to start a practice (deploy/) and the commands docs/deploy.md tells people to run.

- Every `kneecoach …` command written in docs/deploy.md, the systemd unit and the Dockerfile
  exists, with every option it uses (checked against the CLI itself), and its `--help` works.
- The systemd unit passes `systemd-analyze verify` (where systemd is installed).
- The compose file: `docker compose config` where Docker Compose is installed; everywhere its
  structure (the three services, health checks, volumes, server-mode settings) is checked.
- The env example names only settings kneecoach knows.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from kneecoach.cli.app import app, register_commands
from kneecoach.settings import Settings
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "deploy.md"
UNIT = DEPLOY / "systemd" / "kneecoach.service"
ENV_EXAMPLE = DEPLOY / "systemd" / "kneecoach.env.example"
COMPOSE = DEPLOY / "compose.yaml"
EXTRA_ENVIRONMENT = {"KNEECOACH_CACHE_DIR", "KNEECOACH_WORKERS"}
"""Read outside the settings: the parsed-data cache (data/files.py), the compose file's own."""


def kneecoach_commands(text: str) -> list[list[str]]:
    """Each `kneecoach …` command in a text: the words after `kneecoach`, up to a pipe,
    `&&`, `;` or a closing quote."""
    found = []
    for match in re.finditer(
        r"(?:^|[\s/'\"`])kneecoach ((?:--person \S+ )?[a-z][^|&;'`\n\"]*)", text
    ):
        words = shlex.split(match.group(1).replace("…", "").strip())
        if words:
            found.append(words)
    return found


def documented() -> list[list[str]]:
    """The commands in the guide, the unit, the Dockerfile and the compose file: each run of
    words after `kneecoach` that starts with one of its commands (prose does not)."""
    register_commands()
    names = set(subcommands(typer.main.get_command(app))) | {"--person"}
    texts = [GUIDE, UNIT, DEPLOY / "Dockerfile", COMPOSE]
    commands = [c for text in texts for c in kneecoach_commands(text.read_text())]
    return [c for c in commands if c[0] in names]


def subcommands(command: Any) -> dict[str, Any]:
    """A command group's commands by name (none for a plain command). Typer carries its own
    copy of Click, so this reads the group's `commands` rather than naming Click's classes."""
    found = getattr(command, "commands", None)
    return dict(found) if isinstance(found, dict) else {}


def resolve(words: list[str]) -> tuple[list[str], Any]:
    """The command path the words name, and the command; fails on an unknown command or
    option."""
    register_commands()
    command: Any = typer.main.get_command(app)
    path: list[str] = []
    rest = list(words)
    while rest:
        word = rest.pop(0)
        if word == "--person":
            rest.pop(0)
            continue
        if subcommands(command) and not word.startswith("-"):
            sub = subcommands(command).get(word)
            assert sub is not None, f"`kneecoach {' '.join(words)}`: no command {word!r}"
            command, path = sub, [*path, word]
            continue
        if word.startswith("--"):
            known = {opt for param in command.params for opt in param.opts}
            name = word.split("=", 1)[0]
            assert name in known, f"`kneecoach {' '.join(words)}`: no option {name}"
    return path, command


def test_the_guide_names_the_commands_a_practice_needs() -> None:
    paths = {" ".join(resolve(words)[0]) for words in documented()}
    assert {
        "db upgrade",
        "db status",
        "serve",
        "admin create-admin",
        "admin create-person",
        "admin create-clinician",
        "admin list",
        "backup",
    } <= paths


@pytest.mark.parametrize(
    "words", documented(), ids=lambda words: " ".join(words)[:60] if isinstance(words, list) else ""
)
def test_each_documented_command_exists_with_its_options(words: list[str]) -> None:
    path, _command = resolve(words)
    assert path, f"`kneecoach {' '.join(words)}` names no command"
    result = run_cli(*path, "--help")
    assert result.exit_code == 0, result.stderr


def test_the_systemd_unit_verifies() -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    unit = UNIT.read_text()
    assert "User=kneecoach" in unit
    for hardening in ("ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes"):
        assert hardening in unit
    # the unit names /opt/kneecoach; verify it against this checkout, whose kneecoach exists
    return_code, output = verify(unit.replace("/opt/kneecoach", str(ROOT)), analyze)
    assert return_code == 0, output
    assert output.strip() == "", output


def verify(unit_text: str, analyze: str) -> tuple[int, str]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        unit = Path(folder) / "kneecoach.service"
        unit.write_text(unit_text)
        done = subprocess.run(
            [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=120
        )
    return done.returncode, done.stdout + done.stderr


def test_the_env_example_sets_only_known_settings() -> None:
    names = [
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in ENV_EXAMPLE.read_text().splitlines()
        if re.match(r"^#? ?KNEECOACH_[A-Z_]+=", line)
    ]
    known = {f"KNEECOACH_{field.upper()}" for field in Settings.model_fields} | EXTRA_ENVIRONMENT
    assert set(names) <= known
    assert {"KNEECOACH_MODE", "KNEECOACH_DATABASE_URL", "KNEECOACH_ALLOWED_HOSTS"} <= set(names)
    assert "KNEECOACH_BEHIND_HTTPS" in names


def compose_document() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(document, dict)
    return document


def test_the_compose_file_starts_postgres_kneecoach_and_caddy() -> None:
    document = compose_document()
    services = document["services"]
    assert set(services) == {"db", "app", "caddy"}
    db, kc, caddy = services["db"], services["app"], services["caddy"]
    assert db["image"].startswith("postgres:")
    assert caddy["image"].startswith("caddy:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "/healthz" in " ".join(kc["healthcheck"]["test"])
    assert kc["depends_on"]["db"]["condition"] == "service_healthy"
    assert caddy["depends_on"]["app"]["condition"] == "service_healthy"
    environment = kc["environment"]
    assert environment["KNEECOACH_MODE"] == "server"
    assert environment["KNEECOACH_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert environment["KNEECOACH_BEHIND_HTTPS"] == "1"
    assert "KNEECOACH_ALLOWED_HOSTS" in environment
    assert "ports" not in kc, "only Caddy is reached from outside"
    assert (COMPOSE.parent / kc["build"]["context"] / kc["build"]["dockerfile"]).is_file()
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (COMPOSE.parent / source).exists(), source
            else:
                assert source in document["volumes"], f"volume {source} is not declared"
    assert set(document["volumes"]) >= {"pgdata", "appdata", "caddy_data"}


def test_docker_compose_accepts_the_file() -> None:
    docker = shutil.which("docker")
    plugin = (
        docker is not None
        and subprocess.run(
            [docker, "compose", "version"], capture_output=True, timeout=60
        ).returncode
        == 0
    )
    if not plugin:
        pytest.skip("Docker Compose is not installed here: the structure test checks the file")
    assert docker is not None
    done = subprocess.run(
        [
            docker,
            "compose",
            "-f",
            str(COMPOSE),
            "--env-file",
            str(DEPLOY / ".env.example"),
            "config",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
