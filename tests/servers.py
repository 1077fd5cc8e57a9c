"""A real kneecoach server for tests: `kneecoach serve` in a subprocess on a spare port.

Used by the browser tests (tests/e2e) and by the crash test (tests/faults), which kills the
server with SIGKILL and starts another one on the same data."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import DATABASE_FILE, DatabaseTemplate
from tests.postgres import free_port

# How long `kneecoach serve` may take to answer, and how often to ask meanwhile.
SERVER_DEADLINE = float(os.environ.get("KNEECOACH_TEST_SERVER_DEADLINE", "120"))
POLL_INTERVAL = 0.1
SHUTDOWN_DEADLINE = 60
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[str]
    data_dir: Path

    def stop(self) -> int:
        """SIGTERM, as a service manager would send; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=SHUTDOWN_DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return int(self.process.returncode)

    def kill(self) -> int:
        """SIGKILL, as a power cut or the OOM killer would: no clean-up runs."""
        if self.process.poll() is None:
            self.process.kill()
        return int(self.process.wait(timeout=SHUTDOWN_DEADLINE))


def http_connection(url: str, timeout: float = 30.0) -> http.client.HTTPConnection:
    """A plain HTTP connection to a server's `http://host:port` (never through a proxy)."""
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)


def stderr_of(server: LiveServer) -> str:
    """What the server wrote to its standard error so far."""
    return _read(server.data_dir.parent / f"serve-{urlsplit(server.url).port}.stderr")


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _answers_http(url: str) -> bool:
    """True once the server's `/healthz` answers 200: a worker has bound, started up and
    reached the database."""
    try:
        with _DIRECT.open(f"{url}/healthz", timeout=5) as answer:
            return bool(answer.status == 200)
    except (OSError, http.client.HTTPException):  # HTTPError is an OSError: not ready yet
        return False


def start_server(
    data_dir: Path,
    template: DatabaseTemplate | None = None,
    *,
    database_url: str | None = None,
    workers: int = 1,
    environment: Mapping[str, str] | None = None,
) -> LiveServer:
    """`kneecoach serve` on a spare port, returned once it answers HTTP.

    The server migrates its database before it listens; with a template its data directory
    starts from the session's migrated SQLite file, so that step finds nothing to do. With
    `database_url` it uses that database instead (KNEECOACH_DATABASE_URL); `workers` > 1 runs
    uvicorn's worker processes (server mode: KNEECOACH_MODE=server in `environment`, which is
    added to the server's environment). The wait polls
    readiness up to SERVER_DEADLINE (generous: a busy 2-core machine can take a while to
    start Python), and a failure shows the server's stderr."""
    if template is not None and not (data_dir / DATABASE_FILE).exists():
        template.copy_to(data_dir / DATABASE_FILE)
    port = free_port()
    env = {**os.environ, "KNEECOACH_DATA_DIR": str(data_dir)}
    env.pop("KNEECOACH_DATABASE_URL", None)
    if database_url is not None:
        env["KNEECOACH_DATABASE_URL"] = database_url
    env.update(environment or {})
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    stderr_path = data_dir.parent / f"serve-{port}.stderr"
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                *("-m", "kneecoach", "serve", "--port", str(port), "--workers", str(workers)),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    while not _answers_http(url):
        try:
            # the pause between polls, cut short if the server exits
            process.wait(timeout=POLL_INTERVAL)
        except subprocess.TimeoutExpired:
            pass
        else:
            out = process.stdout.read() if process.stdout else ""
            pytest.fail(
                f"kneecoach serve exited ({process.returncode}) before answering on {url}\n"
                f"stdout:\n{out}\nstderr:\n{_read(stderr_path)}"
            )
        if time.monotonic() - started > SERVER_DEADLINE:
            process.kill()
            process.wait()
            pytest.fail(
                f"kneecoach serve did not answer on {url} within {SERVER_DEADLINE:.0f} s\n"
                f"stderr:\n{_read(stderr_path)}"
            )
    return LiveServer(url, process, data_dir)
