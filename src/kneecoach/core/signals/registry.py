"""Every detector in one place, each with the same interface: `detect(series, thresholds)`.

Adding a signal is one module with one class and one line here (and its numbers in
`data/signals.yaml`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Protocol

from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals.alerts import Alert, in_date_order
from kneecoach.core.signals.mechanical import MechanicalSymptoms
from kneecoach.core.signals.pain_flare import PainFlare
from kneecoach.core.signals.red_flag import RedFlag
from kneecoach.core.signals.series import Series
from kneecoach.core.signals.stiffness import StiffnessRising
from kneecoach.core.signals.swelling import SwellingRising
from kneecoach.core.signals.thresholds import SignalThresholds
from kneecoach.core.signals.weakness import WeaknessRising


class Detector(Protocol):
    @property
    def id(self) -> str: ...

    def detect(self, series: Series, thresholds: SignalThresholds) -> list[Alert]: ...


TREND_DETECTORS: tuple[Detector, ...] = (
    SwellingRising(),
    StiffnessRising(),
    MechanicalSymptoms(),
    WeaknessRising(),
    PainFlare(),
)
ALERT_IDS: tuple[str, ...] = (*(d.id for d in TREND_DETECTORS), RedFlag.id)


def detectors(red_flag: RedFlag | None = None) -> tuple[Detector, ...]:
    """The trend detectors, and the red-flag one when triage's rules are given."""
    return TREND_DETECTORS if red_flag is None else (*TREND_DETECTORS, red_flag)


def find_alerts(
    checkins: Iterable[CheckIn],
    thresholds: SignalThresholds,
    red_flag: RedFlag | None = None,
    only: Iterable[str] | None = None,
) -> list[Alert]:
    """Run the detectors over a person's check-ins (any order, gaps allowed); date order out."""
    series = Series(checkins)
    wanted = None if only is None else set(only)
    alerts: list[Alert] = []
    for detector in detectors(red_flag):
        if wanted is None or detector.id in wanted:
            alerts.extend(detector.detect(series, thresholds))
    return in_date_order(alerts)


def history_for(
    checkins: Iterable[CheckIn], first: date, thresholds: SignalThresholds
) -> list[CheckIn]:
    """The check-ins the alerts from `first` on are worked out from: `day_view_days` before
    it onwards. Older days cannot change those alerts except through a very long episode."""
    start = first - timedelta(days=thresholds.day_view_days)
    return [checkin for checkin in checkins if checkin.day >= start]


def alerts_in(
    checkins: Sequence[CheckIn],
    first: date,
    last: date,
    thresholds: SignalThresholds,
    red_flag: RedFlag | None = None,
) -> list[Alert]:
    """The alerts dated from `first` to `last`, worked out from the days they need only, so a
    day view costs the same whatever the length of the history."""
    history = [c for c in history_for(checkins, first, thresholds) if c.day <= last]
    found = find_alerts(history, thresholds)  # the trends need the days before
    if red_flag is not None:  # a red flag is one day's answers: only the days asked about
        found += red_flag.detect(Series(c for c in history if c.day >= first), thresholds)
    return [a for a in in_date_order(found) if first <= a.day <= last]
