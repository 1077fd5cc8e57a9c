"""Speed and memory of the domain pipelines, printed against a baseline measured in the same run.

The baseline is the cost of merely reading the same input (a JSON round trip of the document),
so each ratio says how many times more work the domain logic does than parsing its input: it
does not depend on how fast this machine is. Nothing here asserts a timing.

    make bench        # or: .venv/bin/python benchmarks/run.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kneecoach.core.assessment import assess
from kneecoach.core.checkins import CheckIn
from kneecoach.core.intake import parse_intake
from kneecoach.core.outcomes import score, validate_answers
from kneecoach.core.triage import triage
from kneecoach.data.assessment import load_assessment_knowledge
from kneecoach.data.instruments import load_instrument
from kneecoach.data.red_flags import load_red_flags
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


def per_call_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median of five timed batches, per call."""
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        batches.append((time.perf_counter() - start) / repeat)
    return statistics.median(batches)


def peak_kib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    rules, knowledge, koos = load_red_flags(), load_assessment_knowledge(), load_instrument("koos")
    text = json.dumps(HIKER)
    koos_text = json.dumps(KOOS_ANSWERS)

    def baseline() -> object:
        return json.loads(text)

    def koos_score() -> object:
        return score(koos, validate_answers(json.loads(koos_text)))

    def triage_only() -> object:
        return triage(parse_intake(json.loads(text)), rules)

    def triage_and_assess() -> object:
        intake = parse_intake(json.loads(text))
        return triage(intake, rules), assess(intake, knowledge)

    def whole_plan() -> object:
        return plan_for(parse_intake(json.loads(text)))

    year = a_year_of_checkins()
    year_text = json.dumps([asdict(c) for c in year], default=str)

    def year_baseline() -> object:
        return json.loads(year_text)

    def year_signals() -> object:
        return alerts_for(year)

    cases: list[tuple[str, Callable[[], object]]] = [
        ("KOOS score (42 answers)", koos_score),
        ("triage (one intake)", triage_only),
        ("triage + assessment", triage_and_assess),
        ("triage + assessment + plan", whole_plan),
    ]
    reference = per_call_seconds(baseline, args.repeat)
    print(f"{'pipeline':<28}{'µs/call':>10}{'× baseline':>12}{'peak KiB':>10}")
    print(
        f"{'baseline: JSON round trip':<28}{reference * 1e6:>10.1f}{1.0:>12.1f}{peak_kib(baseline):>10.1f}"
    )
    for name, fn in cases:
        seconds = per_call_seconds(fn, args.repeat)
        print(f"{name:<28}{seconds * 1e6:>10.1f}{seconds / reference:>12.1f}{peak_kib(fn):>10.1f}")
    year_reference = per_call_seconds(year_baseline, max(1, args.repeat // 20))
    seconds = per_call_seconds(year_signals, max(1, args.repeat // 20))
    print(
        f"{'baseline: 365 rows of JSON':<28}{year_reference * 1e6:>10.1f}{1.0:>12.1f}"
        f"{peak_kib(year_baseline):>10.1f}"
    )
    print(
        f"{'signals over 365 check-ins':<28}{seconds * 1e6:>10.1f}"
        f"{seconds / year_reference:>12.1f}{peak_kib(year_signals):>10.1f}"
    )
    print(f"\n(median of 5 batches of {args.repeat}; {Path(__file__).name})")


if __name__ == "__main__":
    main()
