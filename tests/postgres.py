"""A throwaway PostgreSQL server for the tests and the benchmarks (Debian's binaries).

Started in a temporary folder on a spare loopback port with `fsync` off (nothing here needs to
survive a power cut), and stopped and removed afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_binaries() -> Path | None:
    """The folder of the newest installed PostgreSQL's `initdb` and `pg_ctl`, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@contextlib.contextmanager
def postgres_cluster(bin_dir: Path, max_connections: int = 100) -> Iterator[str]:
    """A running server; yields its URL without a database name."""
    root = Path(tempfile.mkdtemp(prefix="kneecoach-pg-"))
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    user = "postgres" if as_root else os.environ.get("USER", "postgres")
    if as_root:
        shutil.chown(root, user="postgres")
    data, sock = root / "data", root / "sock"
    port = free_port()
    subprocess.run(
        [*prefix, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", user],
        check=True,
        capture_output=True,
    )
    sock.mkdir()
    if as_root:
        shutil.chown(sock, user="postgres")
    options = (
        f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
        f"-c max_connections={max_connections}"
    )
    pg_ctl = str(bin_dir / "pg_ctl")
    subprocess.run(
        [*prefix, pg_ctl, "-D", str(data), "-o", options, "-w", "-l", str(root / "log"), "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """A new database on the server (optionally a copy of another); returns its URL."""
    import psycopg

    admin = server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        like = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{like}')
    return f"{server_url}/{name}"


def drop_database(server_url: str, name: str) -> None:
    """Remove a database, closing any connection still open to it."""
    import psycopg

    admin = server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
