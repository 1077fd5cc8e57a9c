"""Every detector on synthetic series over many seeds: detection delay and false alarms.

The bounds are a little looser than what `benchmarks/signals_accuracy.py` measures (see
docs/signals.md), so they hold for any seed here but fail if a detector gets clearly worse.

A catch is the first alert on or after the day the change began. An alert before that day is a
false alarm, however close it came: it is counted on its own, never as a catch with a negative
delay.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from kneecoach.core.signals import Alert, Level, find_alerts
from kneecoach.data.signals import load_signal_thresholds
from tests.signals import synthetic

SEEDS = range(40)


def run(scenario: synthetic.Scenario) -> list[Alert]:
    return find_alerts(scenario.checkins, load_signal_thresholds())


def first(
    alerts: list[Alert], detector: str, level: Level = Level.watch, since: dt.date | None = None
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


@dataclass
class Detection:
    delays: list[int | None]  # days from the change to the first alert on or after it
    early: int  # series that raised the alert before the change began: false alarms

    @property
    def caught(self) -> list[int]:
        return [d for d in self.delays if d is not None]


def detect(make: Callable[[int], synthetic.Scenario], detector: str, level: Level) -> Detection:
    delays: list[int | None] = []
    early = 0
    for seed in SEEDS:
        scenario = make(seed)
        assert scenario.change_day is not None
        alerts = run(scenario)
        before = first(alerts, detector, level)
        early += before is not None and before.day < scenario.change_day
        alert = first(alerts, detector, level, since=scenario.change_day)
        delays.append(None if alert is None else (alert.day - scenario.change_day).days)
    return Detection(delays, early)


# Measured over these 40 seeds (caught at watch, median and max delay in days, caught at act,
# false alarms at watch): swelling 40, 6, 12, 40, 1; stiffness 40, 7, 10, 40, 0; weakness 40,
# 8, 18, 37, 3; mechanical 37, 5, 19, 33, 17. Each bound below is a little looser than that.
# The mechanical detector's watch fires before the change in 17 of 40 series: a real weakness
# of that detector, bounded here so it cannot get worse unnoticed.
@pytest.mark.parametrize(
    ("kind", "watch_share", "watch_median", "watch_max", "act_share", "early_max"),
    [
        ("swelling", 0.95, 8, 14, 0.95, 3),
        ("stiffness", 0.95, 9, 13, 0.95, 2),
        ("weakness", 0.95, 10, 21, 0.85, 6),
        ("mechanical", 0.85, 7, 22, 0.75, 22),
    ],
)
def test_a_creep_over_two_weeks_is_caught_in_days(
    kind: synthetic.Creep,
    watch_share: float,
    watch_median: int,
    watch_max: int,
    act_share: float,
    early_max: int,
) -> None:
    detector = synthetic.DETECTOR_OF[kind]
    watch = detect(lambda s: synthetic.creep(kind, s), detector, Level.watch)
    assert len(watch.caught) >= watch_share * len(SEEDS)
    assert statistics.median(watch.caught) <= watch_median
    assert max(watch.caught) <= watch_max
    assert watch.early <= early_max
    act = detect(lambda s: synthetic.creep(kind, s), detector, Level.act)
    assert len(act.caught) >= act_share * len(SEEDS)
    assert act.early == 0


@pytest.mark.parametrize("kind", synthetic.CREEPS)
def test_the_sign_is_flagged_before_any_pain_flare(kind: synthetic.Creep) -> None:
    """A caught sign comes before any pain flare (how often it is caught at all is bounded
    above; a sign seen only before the change does not count)."""
    for seed in SEEDS:
        scenario = synthetic.creep(kind, seed)
        alerts = run(scenario)
        sign = first(alerts, synthetic.DETECTOR_OF[kind], since=scenario.change_day)
        flare = first(alerts, "pain_flare", Level.act)
        if sign is not None:
            assert flare is None or sign.day < flare.day, (kind, seed)


def test_a_flare_is_caught_on_its_second_day() -> None:
    seen = detect(synthetic.flare, "pain_flare", Level.watch)
    assert sum(d == 1 for d in seen.delays) >= 0.9 * len(SEEDS)
    act = detect(synthetic.flare, "pain_flare", Level.act)
    assert sum(d is not None and 1 <= d <= 3 for d in act.delays) >= 0.9 * len(SEEDS)
    assert act.early == 0
    assert all(d is None or d >= 1 for d in act.delays)


def test_stable_noisy_series_stay_quiet() -> None:
    days = 0
    alerts: list[Alert] = []
    for seed in SEEDS:
        scenario = synthetic.stable(seed)
        days += len(scenario.checkins)
        found = run(scenario)
        assert all(a.level is Level.watch for a in found), (seed, found)
        alerts += found
    per_100_days = 100 * len(alerts) / days
    assert per_100_days <= 4.0
    for detector in ("swelling_rising", "stiffness_rising", "pain_flare"):
        assert 100 * sum(a.id == detector for a in alerts) / days <= 0.5


def test_a_perfectly_steady_series_raises_nothing() -> None:
    steady = synthetic.stable(
        1,
        person=synthetic.Person(
            pain_sd=0, swelling_sd=0, stiffness_sd=0, weakness_p=0, catching_p=0, giving_way_p=0
        ),
    )
    assert run(steady) == []


def test_one_bad_day_raises_nothing_above_watch() -> None:
    """Only when noise happens to keep the next day high too (a real 2-day rise) may a flare
    show; the trend detectors never go above watch for one day."""
    above_watch = 0
    for seed in SEEDS:
        found = run(synthetic.single_bad_day(seed))
        assert all(a.level is Level.watch for a in found if a.id != "pain_flare"), seed
        above_watch += any(a.level > Level.watch for a in found)
    assert above_watch <= 0.05 * len(SEEDS)


def test_gaps_and_unknown_cells_still_catch_a_swelling_creep() -> None:
    caught = 0
    for seed in SEEDS:
        scenario = synthetic.with_unknowns(
            synthetic.with_gaps(synthetic.creep("swelling", seed), 0.3, seed), 0.1, seed
        )
        assert scenario.change_day is not None
        alert = first(run(scenario), "swelling_rising", since=scenario.change_day)
        caught += alert is not None and (alert.day - scenario.change_day).days <= 21
    assert caught >= 0.9 * len(SEEDS)
