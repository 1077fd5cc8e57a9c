"""Every other screen over years of data: the routes and daily commands beyond `pages`.

Each size is seeded the way `benchmarks/pages.py` does it (its `seed` and `seed_sessions`),
with more of a person's history around it: two pairs of shoes that the daily steps count on,
a run every third day imported from a CSV, and a KOOS JR and KOOS-12 every four weeks through
the API. Then the real server answers each route, and the real CLI runs each daily command,
on 1 week and on 20 years; the ratio says how the answer grows with the history behind it.

    .venv/bin/python benchmarks/routes.py --survey   # every GET route and daily command
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    KNEECOACH,
    Figure,
    Section,
    judged,
    recorded,
    run_cli,
    serve_kneecoach,
)
from benchmarks.pages import PAGE_LIMIT_KB, seed, seed_sessions
from kneecoach.data.course import load_course
from kneecoach.data.lessons import load_lessons
from kneecoach.data.self_tests import load_self_tests

SECTION = "routes"
SIZES = (("1 week", 7), ("20 years", 20 * 365 + 5))
QUICK_SIZES = (("1 week", 7), ("1 year", 365))
OUTCOME_EVERY = 28
SESSION_DAYS = 2 * 365  # sessions are logged one request a day: two years of them
RUN_EVERY = 3
KOOSJR = {"S6": 1, "P2": 2, "P3": 1, "P6": 2, "P9": 1, "A3": 1, "A5": 1}
KOOS12 = {
    "P1": 2, "P8": 1, "P5": 2, "P6": 1, "A4": 1, "A3": 1,
    "A7": 1, "SP4": 2, "Q1": 2, "Q2": 1, "Q3": 1, "Q4": 2,
}  # fmt: skip

# The routes the fixes are for, judged here (the survey has every route).
JUDGED_ROUTES = (
    "/shoes",
    "/shoes/{pair_id}/wear",
    "/api/v1/shoes",
    "/api/v1/sessions",
    "/api/v1/outcomes",
    "/today",
    "/api/v1/today",
    "/flare",
    "/api/v1/flare-plan",
    "/questionnaires",
    "/progress?range=1y",
)
JUDGED_COMMANDS: tuple[tuple[str, ...], ...] = (("checkins", "list"),)
FHIR_MEMORY_RATIO = 1.5
"""The FHIR export streams: its peak memory at 20 years within this of 1 week's..."""
FHIR_MEMORY_MB = 200
"""...and well under this (it was 715 MB when the export built the Bundle whole)."""

# Every GET of tests/security/access_matrix.yaml a person reaches in personal mode, with real
# ids; exports and backups are whole on purpose and listed apart.
SURVEY_ROUTES = (
    "/",
    "/learn",
    "/learn/{lesson_id}",
    "/intake",
    "/improve",
    "/improve/{test_id}",
    "/movement",
    "/results",
    "/today",
    "/checkin",
    "/checkin/done",
    "/flare",
    "/progress",
    "/handover",
    "/course",
    "/course/{session_id}",
    "/goal",
    "/questionnaires",
    "/questionnaires/koosjr",
    "/questionnaires/koosjr/results",
    "/shoes",
    "/shoes/{pair_id}/wear",
    "/settings",
    "/settings/app",
    "/settings/access",
    "/notes",
    "/plan.ics",
    "/report.pdf",
    "/handover.pdf",
    "/api/v1/plan",
    "/api/v1/intakes",
    "/api/v1/today",
    "/api/v1/sessions",
    "/api/v1/checkins",
    "/api/v1/signals",
    "/api/v1/insights",
    "/api/v1/flare-plan",
    "/api/v1/outcomes",
    "/api/v1/shoes",
    "/api/v1/course",
    "/api/v1/course/{session_id}",
    "/api/v1/goal",
    "/api/v1/goal/reviews",
    "/api/v1/settings",
    "/api/v1/sharing/clinicians",
    "/api/v1/audit",
    "/api/v1/notes",
)
WHOLE_ROUTES = (
    "/settings/export.json",
    "/settings/checkins.csv",
    "/settings/fhir.json",
    "/settings/kneecoach-csv.zip",
    "/settings/backup.json",
)
SURVEY_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("plan", "show"),
    ("checkin", "--pain", "3", "--swelling", "0"),
    ("signals",),
    ("insights",),
    ("flare",),
    ("course",),
    ("goal", "show"),
    ("checkins", "list"),
    ("outcomes",),
    ("shoes", "list"),
)


def shoes_and_runs(days: int) -> tuple[list[list[str]], str]:
    """The `shoes add` commands for the two pairs the check-in CSV names (worn since the
    history starts), and a CSV of a run every third day on the runner."""
    first = date.today() - timedelta(days=days + 7)
    add = [
        ["shoes", "add", "--name", name, "--type", kind, "--start-date", first.isoformat()]
        for name, kind in (("walker", "walking"), ("runner", "running"))
    ]
    rows = ["date,distance_km,activity,shoe"]
    for back in range(days, 0, -RUN_EVERY):
        day = date.today() - timedelta(days=back)
        rows.append(f"{day.isoformat()},{5 + back % 4}.0,running,runner")
    return add, "\n".join(rows) + "\n"


def seed_outcomes(client: httpx.Client, days: int) -> int:
    """A KOOS JR and a KOOS-12 every four weeks of the history, saved through the API."""
    saved = 0
    for back in range(days, -1, -OUTCOME_EVERY):
        day = (date.today() - timedelta(days=back)).isoformat()
        for instrument, answers in (("koosjr", KOOSJR), ("koos12", KOOS12)):
            body = {"answers": answers, "save": True, "date": day}
            client.post(f"/api/v1/outcomes/{instrument}/score", json=body).raise_for_status()
            saved += 1
    return saved


@dataclass
class Site:
    label: str
    days: int
    env: dict[str, str]
    client: httpx.Client
    pair_id: str
    times: dict[str, list[float]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)

    def path(self, route: str) -> str:
        return route.format(
            lesson_id=load_lessons()[0].id,
            test_id=load_self_tests()[0].id,
            session_id=load_course().sessions[0].id,
            pair_id=self.pair_id,
        )

    def get(self, route: str) -> None:
        start = time.perf_counter()
        answer = self.client.get(self.path(route))
        elapsed = time.perf_counter() - start
        if answer.status_code >= 500:
            raise RuntimeError(f"{route} answered {answer.status_code}: {answer.text[:300]}")
        self.times.setdefault(route, []).append(elapsed)
        self.sizes[route] = max(self.sizes.get(route, 0), len(answer.content))
        self.status[route] = answer.status_code

    def command(self, args: Sequence[str]) -> None:
        key = "kneecoach " + " ".join(args)
        start = time.perf_counter()
        done = subprocess.run(
            [KNEECOACH, *args], env=self.env, capture_output=True, timeout=600, check=False
        )
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{key} exited {done.returncode}: {done.stderr[-500:]!r}")
        self.times.setdefault(key, []).append(elapsed)
        self.sizes[key] = max(self.sizes.get(key, 0), len(done.stdout))
        self.status[key] = done.returncode

    def median(self, key: str) -> float:
        return statistics.median(self.times[key])


@contextlib.contextmanager
def sites(sizes: Sequence[tuple[str, int]], root: Path) -> Iterator[list[Site]]:
    """Seed every size and serve them all at once."""
    with contextlib.ExitStack() as stack:
        found: list[Site] = []
        for label, days in sizes:
            adds, runs_csv = shoes_and_runs(days)

            def prepare(env: dict[str, str], adds: list[list[str]] = adds) -> None:
                for args in adds:
                    run_cli(args, env)

            env, plan_start = seed(label, days, root, 1, prepare, min(days, SESSION_DAYS))
            runs_file = Path(env["KNEECOACH_DATA_DIR"]) / "runs.csv"
            runs_file.write_text(runs_csv)
            run_cli(["shoes", "import", str(runs_file), "--format", "json"], env)
            server = stack.enter_context(serve_kneecoach(env))
            client = stack.enter_context(httpx.Client(base_url=server.url, timeout=600))
            sessions = seed_sessions(client, plan_start, date.today())
            outcomes = seed_outcomes(client, days)
            pair_id = client.get("/api/v1/shoes").json()["shoes"][0]["id"]
            print(f"  {label}: {sessions} sessions, {outcomes} questionnaires", flush=True)
            found.append(Site(label, days, env, client, pair_id))
        yield found


def time_all(
    found: list[Site], routes: Sequence[str], commands: Sequence[Sequence[str]], runs: int
) -> None:
    for route in routes:
        for _ in range(runs):
            for site in found:
                site.get(route)
    for args in commands:
        for _ in range(runs):
            for site in found:
                site.command(args)


def figures(found: list[Site], keys: Sequence[str]) -> list[Figure]:
    base, last = found[0], found[-1]
    result: list[Figure] = []
    for key in keys:
        name = key if key.startswith("kneecoach") else f"GET {key}"
        result.append(
            judged(
                SECTION,
                f"{name} at {last.label}",
                last.median(key) * 1000,
                "ms",
                at_most=3,
                baseline=base.median(key) * 1000,
                baseline_name=base.label,
                note=f"median of {len(last.times[key])}",
            )
        )
        if not key.startswith("kneecoach"):
            result.append(
                judged(
                    SECTION,
                    f"{name} size at {last.label}",
                    last.sizes[key] / 1024,
                    "KB",
                    below=PAGE_LIMIT_KB,
                    target_unit=" KB",
                )
            )
    return result


def export_fhir(site: Site, out: Path) -> tuple[float, float]:
    """`kneecoach export fhir --out OUT` on the site: seconds and the process's peak RSS (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [KNEECOACH, "export", "fhir", "--out", str(out)],
        env=site.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        error = process.stderr.read() if process.stderr else b""
        raise RuntimeError(f"export fhir exited {process.returncode}: {error[-500:]!r}")
    return elapsed, usage.ru_maxrss / 1024  # KB on Linux


def fhir_figures(found: list[Site], root: Path, runs: int) -> list[Figure]:
    """The FHIR export (it streams): its time and peak memory at the longest history against
    1 week, and how long the web download takes."""
    measured = {}
    for site in found:
        out = root / f"fhir-{site.days}.json"
        times, peaks = zip(*(export_fhir(site, out) for _ in range(runs)), strict=True)
        measured[site.label] = (statistics.median(times), max(peaks), out.stat().st_size)
        for _ in range(runs):
            site.get("/settings/fhir.json")
    base, last = found[0], found[-1]
    (t0, m0, _), (t1, m1, size) = measured[base.label], measured[last.label]
    name = f"kneecoach export fhir at {last.label}"
    return [
        recorded(SECTION, name, t1, "s", t0, base.label, f"{size / 1e6:.0f} MB written"),
        judged(
            SECTION,
            f"{name}: peak memory",
            m1,
            "MB",
            at_most=FHIR_MEMORY_RATIO,
            baseline=m0,
            baseline_name=base.label,
            note="peak RSS of the process",
        ),
        judged(SECTION, f"{name}: peak memory", m1, "MB", below=FHIR_MEMORY_MB, target_unit=" MB"),
        recorded(
            SECTION,
            f"GET /settings/fhir.json at {last.label}",
            last.median("/settings/fhir.json"),
            "s",
            base.median("/settings/fhir.json"),
            base.label,
            f"median of {runs}",
        ),
    ]


def run(quick: bool) -> Section:
    sizes = QUICK_SIZES if quick else SIZES
    runs = 3 if quick else 5
    with (
        tempfile.TemporaryDirectory(prefix="kneecoach-bench-routes-") as tmp,
        sites(sizes, Path(tmp)) as found,
    ):
        time_all(found, JUDGED_ROUTES, JUDGED_COMMANDS, runs)
        fhir = fhir_figures(found, Path(tmp), 1 if quick else 3)
    keys = [*JUDGED_ROUTES, *("kneecoach " + " ".join(c) for c in JUDGED_COMMANDS)]
    return Section([*figures(found, keys), *fhir])


def survey(sizes: Sequence[tuple[str, int]], runs: int, whole: bool) -> None:
    """Print every route and daily command at each size: time, bytes and the ratio."""
    routes = (*SURVEY_ROUTES, *(WHOLE_ROUTES if whole else ()))
    with (
        tempfile.TemporaryDirectory(prefix="kneecoach-bench-routes-") as tmp,
        sites(sizes, Path(tmp)) as found,
    ):
        time_all(found, routes, SURVEY_COMMANDS, runs)
    base, last = found[0], found[-1]
    print(f"| route | {base.label} ms | {base.label} KB | {last.label} ms | {last.label} KB | × |")
    print("|---|---:|---:|---:|---:|---:|")
    keys = [*routes, *("kneecoach " + " ".join(c) for c in SURVEY_COMMANDS)]
    for key in keys:
        b, t = base.median(key) * 1000, last.median(key) * 1000
        print(
            f"| `{key}` | {b:.0f} | {base.sizes[key] / 1024:.1f} | {t:.0f} | "
            f"{last.sizes[key] / 1024:.1f} | {t / b:.1f} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--survey", action="store_true", help="every route and daily command")
    parser.add_argument("--quick", action="store_true", help="1 week and 1 year, 1 run")
    parser.add_argument("--whole", action="store_true", help="also the exports and backups")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    if args.survey:
        survey(sizes, 1 if args.quick else 3, args.whole)
    else:
        section = run(args.quick)
        for figure in section.figures:
            print(figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
