"""A walk: the trend detectors taken day by day from a fixed starting day, with stops to go on from.

A day's trend alerts depend on the days before it (an episode started weeks ago is not news
again). Working them out from the whole history would grow with the years; working them out
from a window that slides with the day asked would give a day different answers on different
pages. So a walk starts on an *anchor*: the start of the block of `day_view.days` days (120)
that begins between 120 and 240 days before the first day wanted. Every view of a day that
shares the anchor gets the same verdicts, and a view never reads more than a year back.

A walk keeps *stops*: the detectors' states after a day, every week and at its end. A later
request goes on from a stop instead of starting again, which is what keeps a check-in cheap
after years of data (services/signal_walks.py keeps the stops and checks they still fit the
stored data).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals.alerts import Alert, in_date_order
from kneecoach.core.signals.series import Series
from kneecoach.core.signals.steps import TrendDetector
from kneecoach.core.signals.thresholds import SignalThresholds

STOP_EVERY_DAYS = 7
"""How often a walk keeps a stop, besides its last day."""


@dataclass(frozen=True)
class Stop:
    """The detectors' states after `through`, and the alerts the walk raised up to then.

    The states are private to the stop: going on from it works on copies."""

    anchor: date
    through: date
    states: tuple[Any, ...]
    alerts: tuple[Alert, ...]
    tail: tuple[CheckIn, ...] = ()
    """The check-ins of the `reach` days up to `through`: what the next steps read of the
    days before them, so going on needs only the days after `through`."""

    def alerts_between(self, first: date, last: date) -> list[Alert]:
        """The alerts dated from `first` to `last`, in date order."""
        return in_date_order([alert for alert in self.alerts if first <= alert.day <= last])


def anchor_for(day: date, thresholds: SignalThresholds) -> date:
    """The first day of the walk that `day` belongs to: a block start 120 to 240 days before."""
    block = thresholds.day_view_days
    ordinal = day.toordinal() - block
    return date.fromordinal(ordinal - ordinal % block)


def reach(detectors: Iterable[TrendDetector], thresholds: SignalThresholds) -> int:
    """How many days before a day any detector's step reads."""
    return max((detector.reach(thresholds) for detector in detectors), default=0)


def start(anchor: date, detectors: Sequence[TrendDetector], thresholds: SignalThresholds) -> Stop:
    """A walk that has not taken a step yet (a stop on the day before its anchor)."""
    states = tuple(detector.start(thresholds) for detector in detectors)
    return Stop(anchor, anchor - timedelta(days=1), states, ())


def walk_on(
    stop: Stop,
    checkins: Iterable[CheckIn],
    through: date,
    detectors: Sequence[TrendDetector],
    thresholds: SignalThresholds,
) -> list[Stop]:
    """Go on from `stop` to `through`, returning a stop at the end of each of the anchor's
    weeks and on `through`.

    `checkins` must hold every check-in after `stop.through` up to `through` (more is fine:
    other days are ignored); the days before come from the stop's tail. `stop` itself is not
    changed."""
    first = stop.through + timedelta(days=1)
    if through < first:
        return [stop]
    states = copy.deepcopy(stop.states)
    lookback = timedelta(days=reach(detectors, thresholds) - 1)
    series = Series([*stop.tail, *(c for c in checkins if first <= c.day <= through)])
    walked = iter(day for day in series.days if day >= first)
    day = next(walked, None)
    alerts = list(stop.alerts)
    stops: list[Stop] = []
    for stop_day in stop_days(stop.anchor, stop.through, through):
        while day is not None and day <= stop_day:
            for detector, state in zip(detectors, states, strict=True):
                alert = detector.step(state, series, day, thresholds)
                if alert is not None:
                    alerts.append(alert)
            day = next(walked, None)
        kept = states if stop_day == through else copy.deepcopy(states)
        tail = tuple(series.between(stop_day - lookback, stop_day))
        stops.append(Stop(stop.anchor, stop_day, kept, tuple(alerts), tail))
    return stops


def stop_days(anchor: date, after: date, through: date) -> list[date]:
    """The days a walk going on from `after` to `through` stops on: the last day of each of
    the anchor's weeks, and `through`."""
    days: list[date] = []
    week_end = _week_end(after + timedelta(days=1), anchor)
    while week_end < through:
        days.append(week_end)
        week_end += timedelta(days=STOP_EVERY_DAYS)
    return [*days, through]


def _week_end(day: date, anchor: date) -> date:
    """The last day of the anchor's week that `day` falls in (weeks counted from the anchor,
    so every walk of an anchor keeps its stops on the same days)."""
    return day + timedelta(days=(STOP_EVERY_DAYS - 1 - (day - anchor).days) % STOP_EVERY_DAYS)
