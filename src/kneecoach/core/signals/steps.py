"""A trend detector works day by day from a state it carries: one step per day with a value.

Written as `start` and `step`, a detector can stop after any day and go on later from the
state it had (core/signals/walk.py keeps such states), and give exactly what one pass over
the whole series gives.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from kneecoach.core.signals.alerts import Alert
from kneecoach.core.signals.series import Series
from kneecoach.core.signals.thresholds import SignalThresholds


class TrendDetector(Protocol):
    @property
    def id(self) -> str: ...

    def start(self, thresholds: SignalThresholds) -> Any:
        """A fresh state: nothing seen yet."""
        ...

    def step(
        self, state: Any, series: Series, day: date, thresholds: SignalThresholds
    ) -> Alert | None:
        """Judge one day (updating `state` in place); the alert it raises, if any."""
        ...

    def reach(self, thresholds: SignalThresholds) -> int:
        """How many days before the day a step reads (its longest window), so a walk knows
        which check-ins to load to go on from a kept state."""
        ...


def each_day(detector: TrendDetector, series: Series, thresholds: SignalThresholds) -> list[Alert]:
    """One pass over the whole series from a fresh state: the detector's alerts in date order."""
    state = detector.start(thresholds)
    alerts: list[Alert] = []
    for day in series.days:
        alert = detector.step(state, series, day, thresholds)
        if alert is not None:
            alerts.append(alert)
    return alerts
