"""Early-warning accuracy as figures: catches on or after the change, early alerts as false
alarms, and the alarm rate on stable series (benchmarks/signals_accuracy.py does the work)."""

from __future__ import annotations

from benchmarks import signals_accuracy
from benchmarks.common import Figure, Section, judged, recorded

SECTION = "accuracy"


def run(quick: bool) -> Section:
    seeds = 20 if quick else 200
    result = signals_accuracy.measure(seeds)
    figures: list[Figure] = []
    two_weeks = [r for r in result.rows if r.change.endswith("over 14 days") and r.level == "watch"]
    for row in two_weeks:
        median = "-" if row.median is None else f"{row.median:.0f}"
        figures.append(
            recorded(
                SECTION,
                f"{row.change}: caught at watch",
                100 * row.caught,
                "%",
                note=f"median {median} days; false alarms before the change in "
                f"{row.false_alarms} of {seeds}",
            )
        )
    early = sum(r.false_alarms for r in two_weeks)
    figures.append(
        recorded(
            SECTION,
            "14-day creeps with a watch alert before the change",
            100 * early / (seeds * len(two_weeks)),
            "%",
            note=f"{early} of {seeds * len(two_weeks)} series",
        )
    )
    figures.append(
        judged(
            SECTION,
            "stable series: alerts per 100 days",
            result.stable_per_100_days,
            "",
            at_most=4,
            target_unit="",
        )
    )
    figures.append(
        judged(
            SECTION,
            "single bad day: series with an alert above watch",
            100 * result.bad_day_above_watch / seeds,
            "%",
            at_most=5,
            target_unit=" %",
        )
    )
    return Section(figures, [("Early warning (benchmarks/signals_accuracy.py)", result.text)])
