"""The server under load: check-in writes from many clients at once, on SQLite and PostgreSQL.

Each run starts a fresh database and a fresh server, sends a fixed number of writes spread
over N concurrent clients (each client its own dates, so writes never collide), and records
every latency and status. The baseline is benchmarks/bare_app.py at the same concurrency on
the same kind of database: one insert through the same engine, served by uvicorn the same way.
Requests go to 127.0.0.1 only, and every run is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx

from benchmarks.common import (
    PYTHON,
    ROOT,
    Figure,
    Section,
    Server,
    create_database,
    environment,
    free_port,
    judged,
    peak_rss_mb,
    percentile,
    postgres_cluster,
    run_cli,
    serve_kneecoach,
    serving,
)

SECTION = "load"
REAL = ("kneecoach", "/api/v1/checkins")
BARE = ("bare insert", "/rows")
RUN_DEADLINE_S = 240.0
RSS_LIMIT_MB = 200
TEMPLATE_DB = "bench_template"


@dataclass
class LoadResult:
    clients: int
    latencies: list[float]
    statuses: Counter[int]
    wall: float
    rss_mb: float

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    @property
    def throughput(self) -> float:
        return self.ok / self.wall if self.wall else 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def failed_connections(self) -> int:
        return self.statuses.get(0, 0)


async def hammer(
    base_url: str, path: str, clients: int, per_client: int, first: date
) -> LoadResult:
    """CLIENTS concurrent clients, each sending PER_CLIENT writes one after another."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    deadline = time.perf_counter() + RUN_DEADLINE_S
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:

        async def one_client(c: int) -> None:
            for i in range(per_client):
                if time.perf_counter() > deadline:
                    return
                day = first + timedelta(days=c + clients * i)
                body = {"date": day.isoformat(), "pain": 3, "swelling": 0, "stiffness_min": 10}
                start = time.perf_counter()
                try:
                    answer = await client.post(path, json=body)
                    status = answer.status_code
                except httpx.HTTPError:
                    status = 0
                latencies.append(time.perf_counter() - start)
                statuses[status] += 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client(c) for c in range(clients)))
        wall = time.perf_counter() - started
    return LoadResult(clients, latencies, statuses, wall, float("nan"))


def bare_server(env: dict[str, str]) -> contextlib.AbstractContextManager[Server]:
    port = free_port()
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))}
    command = [
        PYTHON,
        "-m",
        "uvicorn",
        "benchmarks.bare_app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    return serving(command, port, env, probe="/ready")


@dataclass
class Backend:
    """A kind of database and a template of it already at the newest schema, copied for each
    run (migrating a new database takes seconds, and is not what is measured here)."""

    name: str
    pg_server: str | None
    template: Path

    @contextlib.contextmanager
    def fresh(self, tag: str) -> Iterator[dict[str, str]]:
        with tempfile.TemporaryDirectory(prefix=f"kneecoach-bench-load-{tag}-") as tmp:
            url = None
            if self.pg_server is not None:
                url = create_database(self.pg_server, f"bench_{tag}", template=TEMPLATE_DB)
            else:
                shutil.copy(self.template / "kneecoach.db", Path(tmp) / "kneecoach.db")
            yield environment(Path(tmp), url)


def make_backend(name: str, pg_server: str | None, root: Path) -> Backend:
    url = create_database(pg_server, TEMPLATE_DB) if pg_server is not None else None
    run_cli(["db", "upgrade"], environment(root, url))
    return Backend(name, pg_server, root)


def one_run(backend: Backend, app: tuple[str, str], clients: int, total: int) -> LoadResult:
    name, path = app
    tag = f"{backend.name}_{'real' if app is REAL else 'bare'}_{clients}"
    per_client = max(1, total // clients)
    first = date.today() - timedelta(days=clients * per_client + 1)
    with backend.fresh(tag) as env:
        start = serve_kneecoach(env) if app is REAL else bare_server(env)
        with start as server:
            # one write first, so lazy imports and the first connection are not in the timings
            warm = {"date": (first - timedelta(days=30)).isoformat(), "pain": 3}
            httpx.post(server.url + path, json=warm, timeout=120).raise_for_status()
            result = asyncio.run(hammer(server.url, path, clients, per_client, first))
            result.rss_mb = peak_rss_mb(server.pid)
    p50 = statistics.median(result.latencies) * 1000 if result.latencies else float("nan")
    print(
        f"  {backend.name:<8} {name:<11} {clients:>2} clients: {result.throughput:6.1f} writes/s, "
        f"p50 {p50:.0f} ms, p99 {percentile(result.latencies, 0.99) * 1000:.0f} ms, "
        f"statuses {dict(result.statuses)}, RSS {result.rss_mb:.0f} MB",
        flush=True,
    )
    return result


def figures_for(
    backend: str, real: dict[int, LoadResult], bare: dict[int, LoadResult]
) -> list[Figure]:
    figures: list[Figure] = []
    judged_level = 10 if 10 in real else max(real)
    for clients, result in real.items():
        figures.append(
            judged(
                SECTION,
                f"{backend}: writes/s at {clients} client{'s' if clients > 1 else ''}",
                result.throughput,
                "/s",
                at_least=0.5 if clients == judged_level else None,
                baseline=bare[clients].throughput,
                baseline_name="bare insert",
                note=f"{result.ok} writes",
            )
        )
    for clients, result in real.items():
        figures.append(
            judged(
                SECTION,
                f"{backend}: p99/p50 at {clients} client{'s' if clients > 1 else ''}",
                percentile(result.latencies, 0.99) * 1000,
                "ms",
                below=5,
                baseline=statistics.median(result.latencies) * 1000,
                baseline_name="p50",
            )
        )
    top = max(real)
    figures.append(
        judged(
            SECTION,
            f"{backend}: server peak RSS at {top} clients",
            real[top].rss_mb,
            "MB",
            below=RSS_LIMIT_MB,
            target_unit=" MB",
            baseline=bare[top].rss_mb,
            baseline_name="bare insert",
            on_value=True,
        )
    )
    errors = sum(r.server_errors for r in real.values())
    refused = sum(r.failed_connections for r in real.values())
    figures.append(
        judged(
            SECTION,
            f"{backend}: 5xx responses",
            errors,
            "",
            at_most=0,
            target_unit="",
            note=f"of {sum(len(r.latencies) for r in real.values())}; {refused} failed connections",
        )
    )
    return figures


def run(quick: bool) -> Section:
    levels, total = ((1, 10), 30) if quick else ((1, 10, 50), 150)
    figures: list[Figure] = []
    with (
        postgres_cluster() as pg_server,
        tempfile.TemporaryDirectory(prefix="kneecoach-bench-templates-") as tmp,
    ):
        backends = [make_backend("sqlite", None, Path(tmp) / "sqlite")]
        if pg_server is None:
            print("  PostgreSQL is not installed: load on SQLite only", flush=True)
        else:
            backends.append(make_backend("postgres", pg_server, Path(tmp) / "postgres"))
        for backend in backends:
            real: dict[int, LoadResult] = {}
            bare: dict[int, LoadResult] = {}
            for clients in levels:
                bare[clients] = one_run(backend, BARE, clients, total)
                real[clients] = one_run(backend, REAL, clients, total)
            figures += figures_for(backend.name, real, bare)
    return Section(figures)
