"""The domain pipelines in-process, against a fixed pure-Python workload run alongside.

The baseline is `py_steps`: 1,000 steps of a dict look-up, a store, integer arithmetic and a
function call. It is interpreted Python like the pipelines, so the ratio ("as much work as N
thousand such steps") barely moves between machines; the old baseline, a `json.loads` of the
same document, runs in C, and its ratio swung from 327x to 1,626x for the same plan. The two
are timed in alternating batches. Peak memory is from tracemalloc. These figures are recorded
(no targets yet).
"""

from __future__ import annotations

import json
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from benchmarks.common import Figure, Section, recorded
from kneecoach.core.assessment import assess
from kneecoach.core.checkins import CheckIn
from kneecoach.core.intake import parse_intake
from kneecoach.core.outcomes import score, validate_answers
from kneecoach.core.triage import triage
from kneecoach.data.assessment import load_assessment_knowledge
from kneecoach.data.instruments import load_instrument
from kneecoach.data.red_flags import load_red_flags
from kneecoach.services.database import transaction
from kneecoach.services.plan import plan_for
from kneecoach.services.signals import alerts_for

HIKER: dict[str, Any] = {
    "spec": "kneecoach-intake/1",
    "person": {"age": 45, "sex": "female", "height_cm": 168, "weight_kg": 66},
    "knee": {"side": "right"},
    "history": {"onset": "gradual", "weeks_since_onset": 8, "training_change_last_4_weeks": "same"},
    "pain": {"now": 3, "location": ["front"], "worse_with": ["stairs", "squatting"]},
    "signs": {"swelling": 0, "warm": False, "locking": False, "can_walk_4_steps_now": True},
    "self_tests": {"knee_to_wall_cm": {"left": 11, "right": 7}},
}
KOOS_ANSWERS = {code: (i % 5) for i, code in enumerate(
    [f"S{n}" for n in range(1, 8)] + [f"P{n}" for n in range(1, 10)] + [f"A{n}" for n in range(1, 18)]
    + [f"SP{n}" for n in range(1, 6)] + [f"Q{n}" for n in range(1, 5)]
)}  # fmt: skip


def a_year_of_checkins() -> list[CheckIn]:
    """A seeded, noisy year: swelling creeps up in month 10 while pain stays flat."""
    rng = random.Random(7)
    start = date(2026, 1, 1)
    return [
        CheckIn(
            day=start + timedelta(days=i),
            pain=float(max(0, min(10, 3 + rng.choice([-1, 0, 0, 1])))),
            swelling=(1 if 270 <= i < 290 else 2 if i >= 290 else rng.choice([0, 0, 1])),
            stiffness_min=float(rng.choice([5, 10, 15])),
            clicking=rng.random() < 0.2,
            steps=rng.randint(4000, 12000),
        )
        for i in range(365)
    ]


SECTION = "pipelines"
STEPS = 1000


def _step(i: int) -> int:
    return (i * 7 + 3) % 11


def py_steps() -> dict[int, int]:
    """The baseline: a fixed amount of ordinary interpreted work (STEPS steps)."""
    table: dict[int, int] = {}
    for i in range(STEPS):
        key = i & 63
        table[key] = table.get(key, 0) + _step(i)
    return table


def batch_seconds(fn: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def paired_seconds(
    fn: Callable[[], object], repeat: int, baseline_repeat: int, rounds: int = 5
) -> tuple[float, float]:
    """Per-call seconds of FN and of the baseline, in alternating batches, so a machine that
    gets busier or quieter during the run slows both alike. Returns (median of FN, baseline),
    where the baseline is scaled so that their ratio is the median of the per-round ratios."""
    runs, ratios = [], []
    for _ in range(rounds):
        base = batch_seconds(py_steps, baseline_repeat)
        seconds = batch_seconds(fn, repeat)
        runs.append(seconds)
        ratios.append(seconds / base)
    measured = statistics.median(runs)
    return measured, measured / statistics.median(ratios)


def peak_kib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def run(quick: bool) -> Section:
    repeat = 20 if quick else 200
    rules, knowledge, koos = load_red_flags(), load_assessment_knowledge(), load_instrument("koos")
    text = json.dumps(HIKER)
    koos_text = json.dumps(KOOS_ANSWERS)
    year = a_year_of_checkins()

    def triage_and_assess() -> object:
        intake = parse_intake(json.loads(text))
        return triage(intake, rules), assess(intake, knowledge)

    cases: list[tuple[str, Callable[[], object], int]] = [
        (
            "KOOS score (42 answers)",
            lambda: score(koos, validate_answers(json.loads(koos_text))),
            repeat,
        ),
        ("triage (one intake)", lambda: triage(parse_intake(json.loads(text)), rules), repeat),
        ("triage + assessment", triage_and_assess, repeat),
        (
            "triage + assessment + plan",
            lambda: in_unit_of_work(plan_for, parse_intake(json.loads(text))),
            repeat,
        ),
        (
            "signals over 365 check-ins",
            lambda: in_unit_of_work(alerts_for, year),
            max(1, repeat // 50),
        ),
    ]
    figures: list[Figure] = []
    for name, fn, times in cases:
        seconds, reference = paired_seconds(fn, times, repeat * 2)
        figures.append(
            recorded(
                SECTION,
                name,
                seconds * 1e6,
                "µs",
                baseline=reference * 1e6,
                baseline_name=f"py_steps: {STEPS:,} steps",
                note=f"peak {peak_kib(fn):.0f} KiB",
            )
        )
    return Section(figures)


def in_unit_of_work(service: Callable[..., object], *args: object) -> object:
    """A service call as an interface makes it: in a session of its own (the country words
    are read there; with no database file yet, nothing is opened)."""
    with transaction() as session:
        return service(*args, session=session)
