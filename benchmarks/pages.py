"""Pages over years of data: the real server on databases seeded with 1 week to 20 years.

Each database is seeded through the CLI (one `kneecoach checkins import` of a generated CSV and
`kneecoach plan --answers hiker --save`) and the HTTP API (the sessions of the plan's first
two weeks), never through service functions. Then `kneecoach serve` runs on it and each page
is timed; the baseline is the same page on 1 week of data, so the ratio says how the page
grows with the history behind it.
"""

from __future__ import annotations

import random
import tempfile
import time
from dataclasses import dataclass
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


def time_request(
    client: httpx.Client, method: str, path: str, runs: int, budget: float, body_day: date
) -> Timing:
    """Median of up to RUNS requests, stopping early once BUDGET seconds are spent (a very
    slow page at 20 years is then timed fewer times rather than making the run endless)."""
    times: list[float] = []
    size = 0
    spent = 0.0
    for n in range(runs):
        start = time.perf_counter()
        if method == "GET":
            answer = client.get(path)
        else:
            day = body_day + timedelta(days=n)
            answer = client.post(
                path,
                json={"date": day.isoformat(), "pain": 3, "swelling": 0, "stiffness_min": 10},
            )
        elapsed = time.perf_counter() - start
        if answer.status_code >= 400:
            raise RuntimeError(
                f"{method} {path} answered {answer.status_code}: {answer.text[:300]}"
            )
        times.append(elapsed)
        size = max(size, len(answer.content))
        spent += elapsed
        if spent > budget:
            break
    times.sort()
    return Timing(times[len(times) // 2], len(times), size)


def measure_size(label: str, days: int, root: Path, runs: int, budget: float) -> dict[str, Timing]:
    today = date.today()
    data = root / label.replace(" ", "-")
    data.mkdir(parents=True)
    env = environment(data)
    csv = data / "checkins.csv"
    csv.write_text(checkin_csv(days, today))
    started = time.perf_counter()
    run_cli(["checkins", "import", str(csv), "--format", "json"], env)
    plan_start = today - timedelta(days=PLAN_DAYS - 1)
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
    timings: dict[str, Timing] = {}
    with (
        serve_kneecoach(env) as server,
        httpx.Client(base_url=server.url, timeout=600) as client,
    ):
        sessions = seed_sessions(client, plan_start, today)
        seeded = time.perf_counter() - started
        client.get("/checkin").raise_for_status()  # warm up templates and the first connection
        for page in PAGES:
            timings[page] = time_request(client, "GET", page, runs, budget, today)
        timings[POST] = time_request(
            client, "POST", "/api/v1/checkins", runs, budget, today + timedelta(days=1)
        )
        timings["rss"] = Timing(peak_rss_mb(server.pid), 0, 0)
    shown = ", ".join(f"{k} {v.seconds * 1000:.0f} ms" for k, v in timings.items() if k != "rss")
    print(f"  {label}: {days} check-ins, {sessions} sessions seeded in {seeded:.1f} s; {shown}")
    return timings


def run(quick: bool) -> Section:
    sizes = QUICK_SIZES if quick else FULL_SIZES
    runs, budget = (3, 10.0) if quick else (5, 30.0)
    results: dict[str, dict[str, Timing]] = {}
    with tempfile.TemporaryDirectory(prefix="kneecoach-bench-pages-") as tmp:
        for label, days in sizes:
            results[label] = measure_size(label, days, Path(tmp), runs, budget)
    base_label = sizes[0][0]
    judged_label = "5 years" if "5 years" in results else sizes[-1][0]
    figures: list[Figure] = []
    base = results[base_label]
    for endpoint in (*(f"GET {p}" for p in PAGES), POST):
        key = endpoint.removeprefix("GET ") if endpoint.startswith("GET ") else endpoint
        for label in results:
            if label == base_label:
                continue
            timing = results[label][key]
            figures.append(
                judged(
                    SECTION,
                    f"{endpoint} at {label}",
                    timing.seconds * 1000,
                    "ms",
                    at_most=3 if label == judged_label else None,
                    baseline=base[key].seconds * 1000,
                    baseline_name=base_label,
                    note=f"median of {timing.runs}",
                )
            )
    for label, timings in results.items():
        page, biggest = max(((p, timings[p].size_bytes) for p in PAGES), key=lambda pb: pb[1])
        figures.append(
            judged(
                SECTION,
                f"largest page at {label}",
                biggest / 1024,
                "KB",
                below=PAGE_LIMIT_KB,
                target_unit=" KB",
                note=page,
            )
        )
    last = sizes[-1][0]
    figures.append(
        recorded(
            SECTION,
            f"server peak RSS after the pages at {last}",
            results[last]["rss"].seconds,
            "MB",
            baseline=base["rss"].seconds,
            baseline_name=base_label,
        )
    )
    return Section(figures)
