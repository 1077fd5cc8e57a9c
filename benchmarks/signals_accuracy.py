"""How well the early-warning detectors work on synthetic series: delay and false alarms.

Run from the project root: `.venv/bin/python benchmarks/signals_accuracy.py [SEEDS]`.
For each kind of real change (tests/signals/synthetic.py) it prints how often the matching
detector caught it, the days from the start of the change to the first alert on or after that
day (median and 90th percentile), how many series raised that alert *before* the change (false
alarms: an alert before anything changed is not a catch, however soon it came), and whether
the pain flare detector stayed quiet before the pain rose. For stable series it prints alerts
per 100 days, by level. docs/signals.md and docs/benchmarks.md quote its output.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.signals import synthetic

from kneecoach.core.signals import Alert, Level, find_alerts
from kneecoach.data.signals import load_signal_thresholds


def first_alert(
    alerts: list[Alert], detector: str, level: Level, since: date | None = None
) -> Alert | None:
    """The first alert of DETECTOR at LEVEL or above, on or after SINCE when given."""
    return next(
        (
            a
            for a in alerts
            if a.id == detector and a.level >= level and (since is None or a.day >= since)
        ),
        None,
    )


def delays(
    make: Callable[[int], synthetic.Scenario], detector: str, level: Level, seeds: int
) -> tuple[list[int], int]:
    """Days from the change to the first alert on or after it, for the series that caught it;
    and how many series raised the alert before the change began (false alarms)."""
    thresholds = load_signal_thresholds()
    found: list[int] = []
    early = 0
    for seed in range(seeds):
        scenario = make(seed)
        assert scenario.change_day is not None
        alerts = find_alerts(scenario.checkins, thresholds)
        before = first_alert(alerts, detector, level)
        if before is not None and before.day < scenario.change_day:
            early += 1
        alert = first_alert(alerts, detector, level, since=scenario.change_day)
        if alert is not None:
            found.append((alert.day - scenario.change_day).days)
    return found, early


@dataclass(frozen=True)
class Row:
    change: str
    detector: str
    level: str
    caught: float  # share of series with an alert on or after the change day
    median: float | None
    p90: float | None
    false_alarms: int  # series with the alert before the change day
    seeds: int


@dataclass
class Accuracy:
    seeds: int
    rows: list[Row] = field(default_factory=list)
    flare_on_flat_pain: int = 0
    creep_series: int = 0
    stable_per_100_days: float = 0.0
    stable_above_watch: int = 0
    bad_day_above_watch: int = 0
    text: str = ""


def percentile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cases() -> list[tuple[str, Callable[[int], synthetic.Scenario], str]]:
    return [
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


def measure(seeds: int = 200) -> Accuracy:
    """Every case over SEEDS seeds; the printed report is in `.text`."""
    thresholds = load_signal_thresholds()
    result = Accuracy(seeds)
    out = [f"Detection on synthetic series ({seeds} seeds each)"]
    out.append(
        f"{'change':<32} {'detector':<20} {'level':<6} {'caught':>7} {'median':>7} {'p90':>5} "
        f"{'false alarms':>12}"
    )
    for name, make, detector in cases():
        for level in (Level.watch, Level.act):
            found, early = delays(make, detector, level, seeds)
            median = statistics.median(found) if found else None
            p90 = percentile(found, 0.9) if found else None
            row = Row(name, detector, level.name, len(found) / seeds, median, p90, early, seeds)
            result.rows.append(row)
            shown_median = "-" if median is None else f"{median:.0f}"
            shown_p90 = "-" if p90 is None else f"{p90:.0f}"
            out.append(
                f"{name:<32} {detector:<20} {level.name:<6} {100 * row.caught:>6.0f}% "
                f"{shown_median:>7} {shown_p90:>5} {early:>12}"
            )
    out.append(
        "(caught: an alert on or after the day the change began; false alarms: series that "
        "raised it before)"
    )

    for seed in range(seeds):
        for kind in synthetic.CREEPS:
            alerts = find_alerts(synthetic.creep(kind, seed).checkins, thresholds)
            result.flare_on_flat_pain += any(a.id == "pain_flare" for a in alerts)
    result.creep_series = seeds * len(synthetic.CREEPS)
    out.append(
        f"\npain_flare raised on creeps with flat pain: {result.flare_on_flat_pain} of "
        f"{result.creep_series} series"
    )

    out.append("\nFalse alarms on stable series (100 days each, after a 14-day start)")
    days = 0
    counts: Counter[tuple[str, str]] = Counter()
    for seed in range(seeds):
        scenario = synthetic.stable(seed)
        alerts = find_alerts(scenario.checkins, thresholds)
        days += len(scenario.checkins)
        result.stable_above_watch += any(a.level > Level.watch for a in alerts)
        for alert in alerts:
            counts[(alert.id, alert.level.name)] += 1
    out.append(f"{'detector':<22} {'level':<17} {'per 100 days':>12}")
    for (detector, level_name), count in sorted(counts.items()):
        out.append(f"{detector:<22} {level_name:<17} {100 * count / days:>12.2f}")
    result.stable_per_100_days = 100 * sum(counts.values()) / days
    out.append(f"{'all':<22} {'any':<17} {result.stable_per_100_days:>12.2f}")
    out.append(f"stable series with any alert above watch: {result.stable_above_watch} of {seeds}")

    for seed in range(seeds):
        alerts = find_alerts(synthetic.single_bad_day(seed).checkins, thresholds)
        result.bad_day_above_watch += any(a.level > Level.watch for a in alerts)
    out.append(
        f"single bad day series with any alert above watch: {result.bad_day_above_watch} of {seeds}"
    )
    result.text = "\n".join(out)
    return result


def main(seeds: int = 200) -> None:
    print(measure(seeds).text)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
