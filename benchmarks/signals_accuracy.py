"""How well the early-warning detectors work on synthetic series: delay and false alarms.

Run from the project root: `.venv/bin/python benchmarks/signals_accuracy.py [SEEDS]`.
For each kind of real change (tests/signals/synthetic.py) it prints how often the matching
detector caught it, the days from the start of the change to the first alert (median and
90th percentile), and whether the pain flare detector stayed quiet before the pain rose. For
stable series it prints alerts per 100 days, by level. docs/signals.md quotes its output.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.signals import synthetic

from kneecoach.core.signals import Alert, Level, find_alerts
from kneecoach.data.signals import load_signal_thresholds


def first_alert(alerts: list[Alert], detector: str, level: Level) -> Alert | None:
    return next((a for a in alerts if a.id == detector and a.level >= level), None)


def delays(
    make: Callable[[int], synthetic.Scenario], detector: str, level: Level, seeds: int
) -> tuple[list[int], int]:
    thresholds = load_signal_thresholds()
    found: list[int] = []
    early = 0
    for seed in range(seeds):
        scenario = make(seed)
        assert scenario.change_day is not None
        alerts = find_alerts(scenario.checkins, thresholds)
        alert = first_alert(alerts, detector, level)
        if alert is None:
            continue
        delay = (alert.day - scenario.change_day).days
        if delay < 0:
            early += 1
        found.append(delay)
    return found, early


def percentile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(seeds: int = 200) -> None:
    thresholds = load_signal_thresholds()
    print(f"Detection on synthetic series ({seeds} seeds each)")
    print(
        f"{'change':<30} {'detector':<20} {'level':<6} {'caught':>7} {'median':>7} {'p90':>5} {'early':>6}"
    )
    cases: list[tuple[str, Callable[[int], synthetic.Scenario], str]] = [
        *(
            (
                f"{kind} creep over 14 days",
                lambda s, k=kind: synthetic.creep(k, s),
                synthetic.DETECTOR_OF[kind],
            )
            for kind in synthetic.CREEPS
        ),
        *(
            (
                f"{kind} creep over 21 days",
                lambda s, k=kind: synthetic.creep(k, s, creep_days=21),
                synthetic.DETECTOR_OF[kind],
            )
            for kind in synthetic.CREEPS
        ),
        (
            "swelling creep, 30% days missing",
            lambda s: synthetic.with_gaps(synthetic.creep("swelling", s), 0.3, s),
            "swelling_rising",
        ),
        ("pain flare (+3 to +4)", lambda s: synthetic.flare(s), "pain_flare"),
        ("pain flare (+2)", lambda s: synthetic.flare(s, rise=2.0), "pain_flare"),
    ]
    for name, make, detector in cases:
        for level in (Level.watch, Level.act):
            found, early = delays(make, detector, level, seeds)
            caught = f"{100 * len(found) / seeds:.0f}%"
            if found:
                print(
                    f"{name:<30} {detector:<20} {level.name:<6} {caught:>7} {statistics.median(found):>7.0f} {percentile(found, 0.9):>5.0f} {early:>6}"
                )
            else:
                print(
                    f"{name:<30} {detector:<20} {level.name:<6} {caught:>7} {'-':>7} {'-':>5} {early:>6}"
                )

    flare_before = 0
    for seed in range(seeds):
        for kind in synthetic.CREEPS:
            alerts = find_alerts(synthetic.creep(kind, seed).checkins, thresholds)
            flare_before += any(a.id == "pain_flare" for a in alerts)
    print(
        f"\npain_flare raised on creeps with flat pain: {flare_before} of {seeds * len(synthetic.CREEPS)} series"
    )

    print("\nFalse alarms on stable series (100 days each, after a 14-day start)")
    days = 0
    counts: Counter[tuple[str, str]] = Counter()
    series_above_watch = 0
    for seed in range(seeds):
        scenario = synthetic.stable(seed)
        alerts = find_alerts(scenario.checkins, thresholds)
        days += len(scenario.checkins)
        series_above_watch += any(a.level > Level.watch for a in alerts)
        for alert in alerts:
            counts[(alert.id, alert.level.name)] += 1
    print(f"{'detector':<22} {'level':<17} {'per 100 days':>12}")
    for (detector, level), count in sorted(counts.items()):
        print(f"{detector:<22} {level:<17} {100 * count / days:>12.2f}")
    total = sum(counts.values())
    print(f"{'all':<22} {'any':<17} {100 * total / days:>12.2f}")
    print(f"stable series with any alert above watch: {series_above_watch} of {seeds}")

    bad_days = 0
    for seed in range(seeds):
        alerts = find_alerts(synthetic.single_bad_day(seed).checkins, thresholds)
        bad_days += any(a.level > Level.watch for a in alerts)
    print(f"single bad day series with any alert above watch: {bad_days} of {seeds}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
