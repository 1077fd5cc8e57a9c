"""What every benchmark shares: figures, timing, free ports, servers started and polled for
readiness, a throwaway PostgreSQL cluster, and peak memory from /proc.

Nothing here imports kneecoach's services: the benchmarks drive the real CLI and the real
server, so they keep working while the services are refactored.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.postgres import create_database as create_database
from tests.postgres import free_port as free_port
from tests.postgres import postgres_cluster as cluster
from tests.postgres import server_binaries

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KNEECOACH = str(BIN / "kneecoach")
PYTHON = sys.executable
SHARED = ROOT.parent / "shared"


def example_path(name: str) -> Path:
    """An intake example: vendored under tests/fixtures/examples, else in ../shared/examples."""
    for folder in (ROOT / "tests" / "fixtures" / "examples", SHARED / "examples"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"example {name} is in neither tests/fixtures/examples nor {SHARED}")


@dataclass(frozen=True)
class Figure:
    """One measured figure, its baseline from the same run, and the target it is judged by.

    `ratio` is measured / baseline when there is a baseline; `target` is read against the ratio
    when there is one, else against the measured value. `holds` is None when not judged.
    """

    section: str
    name: str
    measured: float
    unit: str
    target: str
    holds: bool | None
    baseline: float | None = None
    baseline_name: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.measured / self.baseline


@dataclass
class Section:
    """What one benchmark module gives back: its figures and any longer output for the docs."""

    figures: list[Figure]
    details: list[tuple[str, str]] = field(default_factory=list)


def judged(
    section: str,
    name: str,
    measured: float,
    unit: str,
    *,
    at_most: float | None = None,
    below: float | None = None,
    at_least: float | None = None,
    baseline: float | None = None,
    baseline_name: str = "",
    target_unit: str = "×",
    note: str = "",
    on_value: bool = False,
) -> Figure:
    """A figure judged against its target: on the ratio when there is a baseline (unless
    ON_VALUE), else on the value itself."""
    value = measured / baseline if baseline and not on_value else measured
    if at_most is not None:
        target, holds = f"≤ {at_most:g}{target_unit}", value <= at_most
    elif below is not None:
        target, holds = f"< {below:g}{target_unit}", value < below
    elif at_least is not None:
        target, holds = f"≥ {at_least:g}{target_unit}", value >= at_least
    else:
        target, holds = "recorded", None
    return Figure(section, name, measured, unit, target, holds, baseline, baseline_name, note)


def recorded(
    section: str,
    name: str,
    measured: float,
    unit: str,
    baseline: float | None = None,
    baseline_name: str = "",
    note: str = "",
) -> Figure:
    """A figure kept for the record, with no target."""
    return Figure(section, name, measured, unit, "recorded", None, baseline, baseline_name, note)


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM) in MB, from /proc; NaN where unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def run_cli(args: Sequence[str], env: dict[str, str], stdin: str | None = None) -> str:
    """Run `kneecoach ARGS` and return its output; a failure stops the benchmark loudly."""
    done = subprocess.run(
        [KNEECOACH, *args], env=env, input=stdin, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"kneecoach {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stdout


def environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECOACH_")}
    env["KNEECOACH_DATA_DIR"] = str(data_dir)
    env["KNEECOACH_COUNTRY"] = "GB"
    if database_url:
        env["KNEECOACH_DATABASE_URL"] = database_url
    return env


@dataclass
class Server:
    """A server process on a loopback port, and how long it took to answer its first request."""

    process: subprocess.Popen[bytes]
    url: str
    seconds_to_ready: float

    @property
    def pid(self) -> int:
        return self.process.pid


def wait_listening(
    process: subprocess.Popen[bytes], port: int, started: float, timeout: float = 60.0
) -> float:
    """Poll the port until it accepts a connection; return seconds since STARTED. Uvicorn
    listens only once the app is built, so this is the time to a usable server."""
    deadline = started + timeout
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.005)
    raise RuntimeError(f"server did not listen on port {port} within {timeout:.0f} s")


def answers(url: str) -> None:
    """One request that must succeed (any HTTP status below 500)."""
    try:
        with urllib.request.urlopen(url, timeout=30):
            pass
    except urllib.error.HTTPError as error:
        if error.code >= 500:
            raise


@contextlib.contextmanager
def serving(
    command: Sequence[str], port: int, env: dict[str, str], probe: str = "/checkin"
) -> Iterator[Server]:
    """Start COMMAND (which listens on PORT), wait until it answers, stop it afterwards."""
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        try:
            ready = wait_listening(process, port, started)
            answers(url + probe)
        except (RuntimeError, OSError):
            process.kill()
            _, err = process.communicate(timeout=10)
            raise RuntimeError(err.decode(errors="replace")[-2000:]) from None
        yield Server(process, url, ready)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def serve_kneecoach(env: dict[str, str]) -> contextlib.AbstractContextManager[Server]:
    """`kneecoach serve` as `make run` starts it, on a free loopback port."""
    port = free_port()
    return serving([KNEECOACH, "serve", "--port", str(port)], port, env)


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str | None]:
    """A throwaway PostgreSQL server (tests/postgres.py), or None when none is installed."""
    bin_dir = server_binaries()
    if bin_dir is None:
        yield None
        return
    with cluster(bin_dir, max_connections=200) as url:
        yield url
