"""Pages over years of data: the real server on databases seeded with 1 week to 20 years.

Each database is seeded through the CLI (one `kneecoach checkins import` of a generated CSV and
`kneecoach plan --answers hiker --save`) and the HTTP API (the sessions of the plan's first
two weeks), never through service functions. Then `kneecoach serve` runs on it and each page
is timed; the baseline is the same page on 1 week of data, so the ratio says how the page
grows with the history behind it.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

from benchmarks.common import (
    Figure,
    Section,
    environment,
    example_path,
    judged,
    peak_rss_mb,
    recorded,
    run_cli,
    serve_kneecoach,
)

SECTION = "pages"
FULL_SIZES = (("1 week", 7), ("1 year", 365), ("5 years", 5 * 365 + 1), ("20 years", 20 * 365 + 5))
QUICK_SIZES = (("1 week", 7), ("1 year", 365))
PAGES = ("/progress", "/today", "/checkin")
POST = "POST /api/v1/checkins"
PLAN_DAYS = 14
CSV_HEADER = (
    "date,pain,pain_worst,swelling,stiffness_min,clicking,catching,giving_way,weakness,"
    "steps,exercise_pain,next_morning_worse,shoe,note,factor:long_sitting"
)
PAGE_LIMIT_KB = 200


def checkin_csv(days: int, end: date, seed: int = 11) -> str:
    """DAYS of daily check-ins ending on END: a noisy but ordinary knee, a little worse in
    some weeks, so the charts and the signals have something to draw and look at."""
    rng = random.Random(seed)
    rows = [CSV_HEADER]
    for i in range(days):
        day = end - timedelta(days=days - 1 - i)
        rough = (i // 7) % 9 == 4
        pain = max(0, min(10, 3 + rng.choice([-1, 0, 0, 1]) + (2 if rough else 0)))
        swelling = rng.choice([0, 0, 1]) + (1 if rough else 0)
        rows.append(
            ",".join(
                [
                    day.isoformat(),
                    str(pain),
                    str(min(10, pain + rng.choice([0, 1, 2]))),
                    str(min(3, swelling)),
                    str(rng.choice([5, 10, 15, 20])),
                    str(int(rng.random() < 0.3)),
                    str(int(rng.random() < 0.02)),
                    str(int(rng.random() < 0.01)),
                    str(int(rng.random() < 0.05)),
                    str(rng.randint(3000, 12000)),
                    str(rng.choice([1, 2, 3])) if i % 2 == 0 else "",
                    str(int(rng.random() < 0.1)) if i % 2 == 1 else "",
                    rng.choice(["walker", "runner"]),
                    "long walk" if rng.random() < 0.05 else "",
                    str(int(rng.random() < 0.4)),
                ]
            )
        )
    return "\n".join(rows) + "\n"


def seed_sessions(client: httpx.Client, start: date, today: date) -> int:
    """Log the plan's sessions from START up to yesterday through the API; returns how many."""
    logged = 0
    day = start
    while day < today:
        plan_day = client.get("/api/v1/today", params={"on": day.isoformat()}).json()
        exercises = [
            {"id": e["id"], "pain_during": 2 + (logged % 3)} for e in plan_day.get("exercises", [])
        ]
        if exercises and not plan_day.get("stopped"):
            body = {"date": day.isoformat(), "exercises": exercises}
            answer = client.post("/api/v1/sessions", json=body)
            answer.raise_for_status()
            logged += 1
        day += timedelta(days=1)
    return logged


@dataclass
class Timing:
    seconds: float
    runs: int
    size_bytes: int


@dataclass
class Site:
    """One seeded size, its running server and a client for it."""

    label: str
    days: int
    client: httpx.Client
    pid: int
    times: dict[str, list[float]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    rss_mb: float = float("nan")

    def request(self, endpoint: str, n: int, today: date, runs: int) -> None:
        start = time.perf_counter()
        if endpoint == POST:  # a new day each time, up to today (a date ahead is refused)
            day = today - timedelta(days=runs - 1 - n)
            body = {"date": day.isoformat(), "pain": 3, "swelling": 0, "stiffness_min": 10}
            answer = self.client.post("/api/v1/checkins", json=body)
        else:
            answer = self.client.get(endpoint)
        elapsed = time.perf_counter() - start
        if answer.status_code >= 400:
            raise RuntimeError(f"{endpoint} answered {answer.status_code}: {answer.text[:300]}")
        self.times.setdefault(endpoint, []).append(elapsed)
        self.sizes[endpoint] = max(self.sizes.get(endpoint, 0), len(answer.content))

    def timing(self, endpoint: str) -> Timing:
        values = self.times[endpoint]
        return Timing(statistics.median(values), len(values), self.sizes[endpoint])


def seed(
    label: str,
    days: int,
    root: Path,
    reserve: int,
    prepare: Callable[[dict[str, str]], None] | None = None,
    plan_days: int = PLAN_DAYS,
) -> tuple[dict[str, str], date]:
    """A data folder with DAYS check-ins (one CSV import) and the hiker's plan saved; the last
    RESERVE days before today are left free for the timed check-in writes. PREPARE, if given,
    runs on the empty folder's environment first (e.g. to add the shoes the check-ins name);
    the plan starts PLAN_DAYS days before today (the sessions are logged from then)."""
    today = date.today()
    data = root / label.replace(" ", "-")
    data.mkdir(parents=True)
    env = environment(data)
    if prepare is not None:
        prepare(env)
    csv = data / "checkins.csv"
    csv.write_text(checkin_csv(days, today - timedelta(days=reserve)))
    started = time.perf_counter()
    run_cli(["checkins", "import", str(csv), "--format", "json"], env)
    plan_start = today - timedelta(days=plan_days - 1)
    hiker = example_path("hiker-downhill-front-pain.json")
    run_cli(
        [
            "plan",
            "--answers",
            str(hiker),
            "--save",
            "--start",
            plan_start.isoformat(),
            "--format",
            "json",
        ],
        env,
    )
    print(
        f"  {label}: {days} check-ins imported and a plan saved in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return env, plan_start


def measure(sizes: tuple[tuple[str, int], ...], root: Path, runs: int, budget: float) -> list[Site]:
    """Seed every size, serve them all at once, then time each endpoint on each size in
    turn (1 week, 1 year, ..., 1 week, 1 year, ...), so the baseline and the large sizes see
    the same machine load. A size stops being timed for an endpoint once BUDGET seconds are
    spent on it (a page taking many seconds at 20 years is timed fewer times)."""
    today = date.today()
    seeded = [(label, days, *seed(label, days, root, runs)) for label, days in sizes]
    with contextlib.ExitStack() as stack:
        sites: list[Site] = []
        for label, days, env, plan_start in seeded:
            server = stack.enter_context(serve_kneecoach(env))
            client = stack.enter_context(httpx.Client(base_url=server.url, timeout=600))
            sessions = seed_sessions(client, plan_start, today)
            client.get("/checkin").raise_for_status()  # warm up templates and the connection
            print(f"  {label}: {sessions} sessions logged through the API", flush=True)
            sites.append(Site(label, days, client, server.pid))
        for endpoint in (*PAGES, POST):
            spent = {site.label: 0.0 for site in sites}
            for n in range(runs):
                for site in sites:
                    if spent[site.label] <= budget:
                        site.request(endpoint, n, today, runs)
                        spent[site.label] += site.times[endpoint][-1]
        for site in sites:
            shown = ", ".join(f"{e} {site.timing(e).seconds * 1000:.0f} ms" for e in (*PAGES, POST))
            site.rss_mb = peak_rss_mb(site.pid)  # read while it still serves
            print(f"  {site.label}: {shown}; peak RSS {site.rss_mb:.0f} MB", flush=True)
    return sites


def run(quick: bool) -> Section:
    sizes = QUICK_SIZES if quick else FULL_SIZES
    runs, budget = (3, 10.0) if quick else (5, 25.0)
    with tempfile.TemporaryDirectory(prefix="kneecoach-bench-pages-") as tmp:
        sites = measure(sizes, Path(tmp), runs, budget)
    base, others = sites[0], sites[1:]
    judged_label = "5 years" if any(s.label == "5 years" for s in sites) else sites[-1].label
    figures: list[Figure] = []
    for endpoint in (*PAGES, POST):
        name = endpoint if endpoint == POST else f"GET {endpoint}"
        for site in others:
            timing = site.timing(endpoint)
            figures.append(
                judged(
                    SECTION,
                    f"{name} at {site.label}",
                    timing.seconds * 1000,
                    "ms",
                    at_most=3 if site.label == judged_label else None,
                    baseline=base.timing(endpoint).seconds * 1000,
                    baseline_name=base.label,
                    note=f"median of {timing.runs}",
                )
            )
    for site in sites:
        page, biggest = max(((p, site.sizes[p]) for p in PAGES), key=lambda pb: pb[1])
        figures.append(
            judged(
                SECTION,
                f"largest page at {site.label}",
                biggest / 1024,
                "KB",
                below=PAGE_LIMIT_KB,
                target_unit=" KB",
                note=page,
            )
        )
    last = sites[-1]
    figures.append(
        recorded(
            SECTION,
            f"server peak RSS after the pages at {last.label}",
            last.rss_mb,
            "MB",
            baseline=base.rss_mb,
            baseline_name=base.label,
        )
    )
    return Section(figures)
