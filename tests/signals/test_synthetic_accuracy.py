"""Every detector on synthetic series over many seeds: detection delay and false alarms.

The bounds are a little looser than what `benchmarks/signals_accuracy.py` measures (see
docs/signals.md), so they hold for any seed here but fail if a detector gets clearly worse.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

import pytest

from kneecoach.core.signals import Alert, Level, find_alerts
from kneecoach.data.signals import load_signal_thresholds
from tests.signals import synthetic

SEEDS = range(40)


def run(scenario: synthetic.Scenario) -> list[Alert]:
    return find_alerts(scenario.checkins, load_signal_thresholds())


def first(alerts: list[Alert], detector: str, level: Level = Level.watch) -> Alert | None:
    return next((a for a in alerts if a.id == detector and a.level >= level), None)


def delays_of(
    make: Callable[[int], synthetic.Scenario], detector: str, level: Level
) -> list[int | None]:
    out: list[int | None] = []
    for seed in SEEDS:
        scenario = make(seed)
        assert scenario.change_day is not None
        alert = first(run(scenario), detector, level)
        out.append(None if alert is None else (alert.day - scenario.change_day).days)
    return out


@pytest.mark.parametrize(
    ("kind", "watch_median", "watch_max", "act_share"),
    [
        ("swelling", 8, 14, 0.95),
        ("stiffness", 9, 14, 0.95),
        ("weakness", 8, 16, 0.85),
        ("mechanical", 4, 14, 0.75),
    ],
)
def test_a_creep_over_two_weeks_is_caught_in_days(
    kind: synthetic.Creep, watch_median: int, watch_max: int, act_share: float
) -> None:
    detector = synthetic.DETECTOR_OF[kind]
    watch = delays_of(lambda s: synthetic.creep(kind, s), detector, Level.watch)
    caught = [d for d in watch if d is not None]
    assert len(caught) >= 0.95 * len(watch)
    # a watch may come a little early only when the person's usual noise already showed the sign
    assert statistics.median(caught) <= watch_median
    assert max(caught) <= watch_max
    act = delays_of(lambda s: synthetic.creep(kind, s), detector, Level.act)
    assert sum(d is not None and d >= 0 for d in act) >= act_share * len(act)


@pytest.mark.parametrize("kind", synthetic.CREEPS)
def test_the_sign_is_flagged_before_any_pain_flare(kind: synthetic.Creep) -> None:
    for seed in SEEDS:
        alerts = run(synthetic.creep(kind, seed))
        sign = first(alerts, synthetic.DETECTOR_OF[kind])
        flare = first(alerts, "pain_flare", Level.act)
        assert sign is not None
        assert flare is None or sign.day < flare.day, (kind, seed)


def test_a_flare_is_caught_on_its_second_day() -> None:
    seen = delays_of(synthetic.flare, "pain_flare", Level.watch)
    assert sum(d == 1 for d in seen) >= 0.9 * len(seen)
    act = delays_of(synthetic.flare, "pain_flare", Level.act)
    assert sum(d is not None and 1 <= d <= 3 for d in act) >= 0.9 * len(act)
    assert all(d is None or d >= 1 for d in act)


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
        alert = first(run(scenario), "swelling_rising")
        assert scenario.change_day is not None
        caught += alert is not None and (alert.day - scenario.change_day).days <= 21
    assert caught >= 0.9 * len(SEEDS)
