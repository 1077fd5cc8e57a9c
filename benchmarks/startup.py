"""Start-up: how long a fresh `kneecoach` process takes, against what it cannot avoid paying.

`kneecoach --help` is compared with `python -c "import typer"` (any Typer CLI pays that);
`triage` and `plan` on the hiker example are compared with `kneecoach --help` (so the ratio is
the cost of the command's own work and imports); `kneecoach serve` is timed from launch to
listening, with its peak memory after answering one page. Medians of several runs each.

The floor of a command that reads an answers file is recorded beside them: a process that loads
the CLI and Rich and checks the hiker's intake with pydantic (the house rule for a boundary),
and does nothing else. No knowledge file is read and nothing is printed. Its ratio to `--help`
is how much of the 2× budget is gone before `triage` or `plan` does any work of its own.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import (
    KNEECOACH,
    PYTHON,
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

SECTION = "startup"
FLOOR = (
    "import json, os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'; "
    "import rich.console, kneecoach.cli.app; from kneecoach.core.intake import parse_intake; "
    "parse_intake(json.load(open({path!r})))"
)
"""What any command reading an answers file pays (the CLI's `main` turns plugins off too)."""


def process_seconds(command: Sequence[str], env: dict[str, str]) -> float:
    """Wall time of one fresh process (which must exit 0)."""
    start = time.perf_counter()
    subprocess.run(list(command), env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, float]:
    """Median wall time of each command, run in turn RUNS times (a, b, c, a, b, c, ...), so a
    change in the machine's load during the section falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(process_seconds(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


def run(quick: bool) -> Section:
    runs = 3 if quick else 7
    serve_runs = 2 if quick else 5
    hiker = str(example_path("hiker-downhill-front-pain.json"))
    with tempfile.TemporaryDirectory(prefix="kneecoach-bench-startup-") as tmp:
        env = environment(Path(tmp))
        run_cli(["db", "upgrade"], env)  # a first run's migration is not start-up
        medians = interleaved(
            {
                "typer": [PYTHON, "-c", "import typer"],
                "help": [KNEECOACH, "--help"],
                "triage": [KNEECOACH, "triage", "--answers", hiker],
                "plan": [KNEECOACH, "plan", "--answers", hiker],
                "floor": [PYTHON, "-c", FLOOR.format(path=hiker)],
            },
            env,
            runs,
        )
        typer_only, help_ = medians["typer"], medians["help"]
        triage, plan, floor = medians["triage"], medians["plan"], medians["floor"]
        listening: list[float] = []
        rss: list[float] = []
        for _ in range(serve_runs):
            with serve_kneecoach(env) as server:
                listening.append(server.seconds_to_ready)
                rss.append(peak_rss_mb(server.pid))
    note = f"median of {runs}"
    # (figure, its time, at most this many times the baseline, the baseline and its name)
    commands = (
        ("kneecoach --help", help_, 1.5, typer_only, "import typer"),
        ("kneecoach triage --answers hiker", triage, 2, help_, "--help"),
        ("kneecoach plan --answers hiker", plan, 2, help_, "--help"),
    )
    figures: list[Figure] = [
        *(
            judged(
                SECTION,
                name,
                seconds * 1000,
                "ms",
                at_most=limit,
                baseline=baseline * 1000,
                baseline_name=baseline_name,
                note=note,
            )
            for name, seconds, limit, baseline, baseline_name in commands
        ),
        recorded(
            SECTION,
            "floor of an answers file: CLI, Rich and pydantic's intake check",
            floor * 1000,
            "ms",
            baseline=help_ * 1000,
            baseline_name="--help",
            note=note,
        ),
        judged(
            SECTION,
            "kneecoach serve: launch to listening",
            statistics.median(listening),
            "s",
            at_most=3,
            target_unit=" s",
            note=f"median of {serve_runs}",
        ),
        judged(
            SECTION,
            "kneecoach serve: peak RSS after one page",
            statistics.median(rss),
            "MB",
            note=f"median of {serve_runs}",
        ),
    ]
    return Section(figures)
