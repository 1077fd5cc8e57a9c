"""The figures as a table: printed to the terminal and written to docs/benchmarks.md."""

from __future__ import annotations

import math
import os
import platform
import sys
from collections.abc import Sequence
from datetime import datetime

from benchmarks.common import Figure

COLUMNS = ("section", "figure", "measured", "baseline", "ratio", "target", "holds")

EXPLAINED = """\
Every figure is measured by `make bench` (`benchmarks/run.py`), never asserted in a unit test.
Speed and memory are judged as a ratio to a baseline measured in the same run, on the same
machine, so a slow or busy machine slows both sides alike; where it can, a figure and its
baseline are measured in turn (all page sizes served at once and requested in rotation, the
start-up commands run in rotation, pipeline and baseline batches alternated), so a machine
that gets busier during the run does too. A figure without a baseline is
judged on its own value (a size, a count, a time to listening). "holds" says whether the figure
meets its target today. The two start-up figures of `triage` and `plan` do not, and cannot while
an answers file is checked with pydantic: the floor recorded beside them (the CLI, Rich and
pydantic's check of the intake, nothing else) is already 1.6–1.9× `--help` in our runs, and
`triage` adds its rules and its output to that. Meeting 2× needs a decision: another validator
at that boundary, or another target. `--help` against `import typer` moves with the machine:
1.25× to 1.75× in runs a few hours apart, for the same code (measured side by side). Three
route figures sit just over 3× on some runs (the shoe pages and the sessions list at 20
years): not yet fixed.

What each ratio means:

- **pages**: the real server (`kneecoach serve`) on a database seeded with years of daily
  check-ins (one CSV import through the CLI), a saved plan and two weeks of logged sessions.
  Measured: the median time of the request at that size. Baseline: the same request on 1 week
  of data. The ratio is how much slower the page gets with the history behind it (target ≤ 3×
  at 5 years; 1 and 20 years are recorded). Page size is the largest HTML page at each size.
- **routes**: every other screen a person uses daily, on the real server and the real CLI,
  seeded as in **pages** plus two pairs of shoes the daily steps count on (a run every third
  day imported from a CSV), two years of logged sessions and a KOOS JR and KOOS-12 every four
  weeks. Measured at 20 years; baseline: the same request or command on 1 week (target ≤ 3×;
  an answer < 200 KB). `benchmarks/routes.py --survey` times every GET route of the access
  matrix and every daily command this way, for a table of all of them. What keeps them flat:
  a long list in the API comes a page at a time (`GET /api/v1/sessions?limit=7` is the 7
  latest days with sessions; its `next_before`, sent back as `before=2026-11-24`, gives the 7
  days before; `limit` is 1 to 366, 30 unless asked), `kneecoach checkins list` shows the 12
  weeks up to the latest check-in unless `--range 4w|1y|all` or `--since DATE` says otherwise
  (the same ranges as the Progress page), a pair's distance is summed by the database, the
  questionnaire charts on Progress show the chosen window (one result a period on a long one),
  and the server keeps each exercise's replayed log, so Today and the flare plan work out only
  the sessions logged since the last request (the first request after a start replays the
  whole log once, and is not what the median shows). Exports and backups are whole on purpose
  and their time is not judged here; the FHIR export streams, so its peak memory (RSS of
  `kneecoach export fhir`) at 20 years is judged against 1 week (≤ 1.5×, and < 200 MB), with
  its time and the web download's time recorded.
- **load**: check-in writes (`POST /api/v1/checkins`, distinct dates) from 1, 10 and 50
  concurrent clients against the real app under uvicorn. Baseline: a bare FastAPI endpoint
  that inserts one row through the same SQLAlchemy engine, served by uvicorn the same way, at
  the same concurrency. The throughput ratio is the real app's writes per second over the bare
  endpoint's (target ≥ 0.5 at 10 clients). The real write checks the day for red flags and
  answers with any safety message; the day's trend alerts are a link (`alerts_url`), because
  working them out over the weeks before cost more than the write itself when many nearby days
  arrive at once, as they do here. p99/p50 is the tail of the real app's latencies
  (measured p99, baseline p50; target < 5). Server memory is the peak resident size (VmHWM) of
  the server process after the 50-client run. 5xx counts every server error in the section.
- **startup**: the median wall time of a fresh process. `kneecoach --help` against
  `python -c "import typer"` (what any Typer CLI pays, target ≤ 1.5×); `triage` and `plan` on
  the hiker example against `kneecoach --help` (target ≤ 2×); `kneecoach serve` from launch
  to its first answered request (target ≤ 3 s on this 2-core machine) and its peak memory.
- **pipelines**: the domain code in-process. Baseline: a fixed pure-Python workload of known
  size (`py_steps`: 1,000 steps of dict look-ups, integer arithmetic and a function call), run
  in the same process. Both sides are interpreted Python, so the ratio ("costs as much as N
  thousand such steps") moves little between machines, unlike a ratio to C code such as
  `json.loads`, which varied from 327× to 1,626× for the same plan. Peak memory is from
  `tracemalloc`.
- **accuracy**: the early-warning detectors on seeded synthetic series
  (`benchmarks/signals_accuracy.py`). An alert is a catch only on or after the day the planted
  change began; an alert before it is a false alarm. No baseline: these are shares and rates.
- **video**: the movement check (`services.movement.analyse_video`, with its PNG strip) on
  Sports2D's demo clip scaled to 1920×1080 (230 frames at 30 frames/s). Baseline: a bare loop
  that reads the same frames with OpenCV and runs the same MediaPipe pose model on each, run
  in turn with the analysis. Target: the analysis adds at most 15% (≤ 1.15×) and reads at
  least as fast as the clip plays (≥ 1× real time).
"""


def fmt(value: float | None, unit: str = "", count: bool = True) -> str:
    if value is None:
        return "—"
    if math.isnan(value):
        return "n/a"
    if count and not unit and value == int(value) and abs(value) < 100:
        return str(int(value))  # a count
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".rstrip()


def row(figure: Figure) -> tuple[str, ...]:
    baseline = fmt(figure.baseline, figure.unit)
    if figure.baseline is not None and figure.baseline_name:
        baseline += f" ({figure.baseline_name})"
    ratio = figure.ratio
    name = figure.name + (f" ({figure.note})" if figure.note else "")
    holds = {True: "yes", False: "no", None: "—"}[figure.holds]
    return (
        figure.section,
        name,
        fmt(figure.measured, figure.unit),
        baseline,
        "—" if ratio is None else fmt(ratio, count=False) + "×",
        figure.target,
        holds,
    )


def machine() -> str:
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}"
    )


def markdown_table(figures: Sequence[Figure]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for figure in figures:
        cells = (cell.replace("|", "\\|") for cell in row(figure))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def text_table(figures: Sequence[Figure]) -> str:
    rows = [COLUMNS, *(row(f) for f in figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    out = []
    for n, r in enumerate(rows):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def summary(figures: Sequence[Figure]) -> str:
    judged = [f for f in figures if f.holds is not None]
    holding = sum(bool(f.holds) for f in judged)
    return f"{holding} of {len(judged)} targets hold ({len(figures) - len(judged)} recorded only)"


def document(
    figures: Sequence[Figure],
    command: str,
    extra: Sequence[tuple[str, str]] = (),
    when: datetime | None = None,
) -> str:
    """The whole of docs/benchmarks.md: generated, so edit benchmarks/report.py instead."""
    stamp = (when or datetime.now()).strftime("%Y-%m-%d %H:%M")
    parts = [
        "# Speed, memory and early-warning accuracy",
        "",
        "<!-- Generated by `make bench` (benchmarks/report.py): edit the generator, not this file. -->",
        "",
        EXPLAINED,
        "## Figures",
        "",
        f"- date: {stamp}",
        f"- machine: {machine()}",
        f"- command: `{command}`",
        f"- {summary(figures)}",
        "",
        markdown_table(figures),
        "",
    ]
    for title, body in extra:
        parts += [f"## {title}", "", "```", body.rstrip(), "```", ""]
    return "\n".join(parts)


def command_line() -> str:
    args = " ".join(sys.argv[1:])
    return f"benchmarks/run.py {args}".rstrip()
