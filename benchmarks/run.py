"""Speed and memory of the domain pipelines, printed against a baseline measured in the same run.

The baseline is the cost of merely reading the same input (a JSON round trip of the document),
so each ratio says how many times more work the domain logic does than parsing its input: it
does not depend on how fast this machine is. Nothing here asserts a timing.

    make bench        # or: .venv/bin/python benchmarks/run.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kneecoach.core.assessment import assess
from kneecoach.core.intake import parse_intake
from kneecoach.core.outcomes import score, validate_answers
from kneecoach.core.triage import triage
from kneecoach.data.assessment import load_assessment_knowledge
from kneecoach.data.instruments import load_instrument
from kneecoach.data.red_flags import load_red_flags

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

    cases: list[tuple[str, Callable[[], object]]] = [
        ("KOOS score (42 answers)", koos_score),
        ("triage (one intake)", triage_only),
        ("triage + assessment", triage_and_assess),
    ]
    reference = per_call_seconds(baseline, args.repeat)
    print(f"{'pipeline':<28}{'µs/call':>10}{'× baseline':>12}{'peak KiB':>10}")
    print(
        f"{'baseline: JSON round trip':<28}{reference * 1e6:>10.1f}{1.0:>12.1f}{peak_kib(baseline):>10.1f}"
    )
    for name, fn in cases:
        seconds = per_call_seconds(fn, args.repeat)
        print(f"{name:<28}{seconds * 1e6:>10.1f}{seconds / reference:>12.1f}{peak_kib(fn):>10.1f}")
    print(f"\n(median of 5 batches of {args.repeat}; {Path(__file__).name})")


if __name__ == "__main__":
    main()
