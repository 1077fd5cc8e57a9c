"""A walk stopped on any day and taken on later gives what one walk gives (core/signals/walk.py).

This is what lets a server keep the detectors' states between requests: if going on from a
stop could differ from walking again, a check-in's alerts would depend on what was viewed
before it.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals.red_flag import RedFlag
from kneecoach.core.signals.registry import TREND_DETECTORS, find_alerts, walked_by
from kneecoach.core.signals.walk import (
    STOP_EVERY_DAYS,
    Stop,
    anchor_for,
    reach,
    start,
    walk_on,
)
from kneecoach.data.red_flags import load_red_flags
from kneecoach.data.signals import load_signal_thresholds
from tests.signals import synthetic

THRESHOLDS = load_signal_thresholds()


def eventful(seed: int) -> list[CheckIn]:
    """Stable weeks, then each kind of creep and a long flare, with gaps and red-flag days:
    episodes that run across any stop."""
    parts = [
        synthetic.stable(seed, days=60).checkins,
        *(synthetic.creep(kind, seed).checkins for kind in synthetic.CREEPS),
        synthetic.flare(seed).checkins,
    ]
    series: list[CheckIn] = []
    for part in parts:
        shift = (series[-1].day - part[0].day + timedelta(days=1)) if series else timedelta()
        series += [CheckIn(**{**c.__dict__, "day": c.day + shift}) for c in part]
    gappy = [c for i, c in enumerate(series) if i % 11 != 5]
    return [
        CheckIn(**{**c.__dict__, "warm": True, "swelling": 2, "fever": True}) if i % 37 == 9 else c
        for i, c in enumerate(gappy)
    ]


def one_walk(checkins: list[CheckIn], anchor: date, last: date, detectors: tuple) -> Stop:  # type: ignore[type-arg]
    return walk_on(start(anchor, detectors, THRESHOLDS), checkins, last, detectors, THRESHOLDS)[-1]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 40), cuts=st.lists(st.integers(1, 400), min_size=1, max_size=4))
def test_a_walk_taken_on_from_a_stop_gives_what_one_walk_gives(seed: int, cuts: list[int]) -> None:
    checkins = eventful(seed)
    detectors = walked_by(RedFlag(load_red_flags()))
    anchor = checkins[0].day
    last = checkins[-1].day
    whole = one_walk(checkins, anchor, last, detectors)
    stop = start(anchor, detectors, THRESHOLDS)
    for cut in sorted(cuts):
        through = min(anchor + timedelta(days=cut), last)
        if through <= stop.through:
            continue
        later = [c for c in checkins if c.day > stop.through]  # the days the tail does not hold
        stop = walk_on(stop, later, through, detectors, THRESHOLDS)[-1]
    stop = walk_on(
        stop, [c for c in checkins if c.day > stop.through], last, detectors, THRESHOLDS
    )[-1]
    assert stop.alerts == whole.alerts


def test_the_series_have_episodes_to_carry() -> None:
    """The property above is only worth something if the series raise alerts of every kind."""
    red = RedFlag(load_red_flags())
    found = {
        alert.id for seed in range(6) for alert in find_alerts(eventful(seed), THRESHOLDS, red)
    }
    assert found == {*(d.id for d in TREND_DETECTORS), "red_flag"}


def test_every_stop_of_a_walk_goes_on_to_the_same_end() -> None:
    checkins = eventful(3)
    anchor, last = checkins[0].day, checkins[-1].day
    stops = walk_on(
        start(anchor, TREND_DETECTORS, THRESHOLDS), checkins, last, TREND_DETECTORS, THRESHOLDS
    )
    assert all(
        (s.through - anchor).days % STOP_EVERY_DAYS == STOP_EVERY_DAYS - 1 for s in stops[:-1]
    )
    for stop in stops[::5]:
        later = [c for c in checkins if c.day > stop.through]
        assert (
            walk_on(stop, later, last, TREND_DETECTORS, THRESHOLDS)[-1].alerts == stops[-1].alerts
        )


def test_a_walk_reads_no_further_back_than_its_reach() -> None:
    """Days before `anchor - reach` change nothing: a stop need not keep them, nor a view
    read them."""
    checkins = eventful(5)
    anchor = checkins[0].day + timedelta(days=150)
    last = checkins[-1].day
    oldest = anchor - timedelta(days=reach(TREND_DETECTORS, THRESHOLDS))
    everything = one_walk(checkins, anchor, last, TREND_DETECTORS)
    clipped = one_walk([c for c in checkins if c.day >= oldest], anchor, last, TREND_DETECTORS)
    assert everything.alerts == clipped.alerts
    assert everything.alerts  # the series has news after the anchor


def test_a_walk_from_the_first_day_is_the_whole_history() -> None:
    checkins = eventful(7)
    red = RedFlag(load_red_flags())
    walked = one_walk(checkins, checkins[0].day, checkins[-1].day, walked_by(red))
    assert walked.alerts_between(checkins[0].day, checkins[-1].day) == find_alerts(
        checkins, THRESHOLDS, red
    )


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_the_anchor_is_120_to_240_days_before_and_shared_by_a_block(day: date) -> None:
    block = THRESHOLDS.day_view_days
    anchor = anchor_for(day, THRESHOLDS)
    assert block <= (day - anchor).days < 2 * block
    assert anchor.toordinal() % block == 0
    assert anchor_for(anchor + timedelta(days=block), THRESHOLDS) == anchor
