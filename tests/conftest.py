"""Shared fixtures: a fresh data directory per test, real SQLite files, a real PostgreSQL server."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from kneecoach.settings import reset_settings
from kneecoach.storage import db

# Timings vary on shared machines: property tests judge behaviour, never speed.
settings.register_profile(
    "kneecoach", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("kneecoach")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own empty data directory and SQLite file; nothing leaks between tests."""
    directory = tmp_path / "kneecoach-data"
    monkeypatch.setenv("KNEECOACH_DATA_DIR", str(directory))
    monkeypatch.delenv("KNEECOACH_DATABASE_URL", raising=False)
    reset_settings()  # settings are read once and cached: read this test's environment
    yield directory
    db.dispose_engines()
    reset_settings()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing (looked in {SHARED}); CI lays it beside the checkout")
    return SHARED


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL server binaries are missing: `make test` installs them")
    return Path(found[-1]).parent


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a spare loopback port, started and stopped here."""
    bin_dir = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="kneecoach-pg-"))
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    user = "postgres" if as_root else os.environ.get("USER", "postgres")
    if as_root:
        shutil.chown(root, user="postgres")
    data, sock = root / "data", root / "sock"
    port = _free_port()
    subprocess.run(
        [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", user],
        check=True,
        capture_output=True,
    )
    (root / "sock").mkdir()
    if as_root:
        shutil.chown(sock, user="postgres")
    options = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *prefix,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(root / "log"),
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new empty database on the shared server, set as KNEECOACH_DATABASE_URL."""
    import psycopg

    name = f"kc_{os.urandom(4).hex()}"
    admin = postgres_server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{postgres_server}/{name}"
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", url)
    reset_settings()
    yield url
    db.dispose_engines()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def any_database(request: pytest.FixtureRequest, data_dir: Path) -> str:
    """Runs a storage test twice: on an SQLite file and on a real PostgreSQL server."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'kneecoach.db'}"
