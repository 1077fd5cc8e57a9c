"""Every detector in one place, each with the same interface: `detect(series, thresholds)`.

Adding a signal is one module with one class (`start`, `step`, `reach`) and one line here (and its numbers in
`data/signals.yaml`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals.alerts import Alert, in_date_order
from kneecoach.core.signals.mechanical import MechanicalSymptoms
from kneecoach.core.signals.pain_flare import PainFlare
from kneecoach.core.signals.red_flag import RedFlag
from kneecoach.core.signals.series import Series
from kneecoach.core.signals.steps import TrendDetector, each_day
from kneecoach.core.signals.stiffness import StiffnessRising
from kneecoach.core.signals.swelling import SwellingRising
from kneecoach.core.signals.thresholds import SignalThresholds
from kneecoach.core.signals.walk import anchor_for, reach, start, walk_on
from kneecoach.core.signals.weakness import WeaknessRising

TREND_DETECTORS: tuple[TrendDetector, ...] = (
    SwellingRising(),
    StiffnessRising(),
    MechanicalSymptoms(),
    WeaknessRising(),
    PainFlare(),
)
ALERT_IDS: tuple[str, ...] = (*(d.id for d in TREND_DETECTORS), RedFlag.id)


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
    for detector in TREND_DETECTORS:
        if wanted is None or detector.id in wanted:
            alerts.extend(each_day(detector, series, thresholds))
    if red_flag is not None and (wanted is None or red_flag.id in wanted):
        alerts.extend(red_flag.detect(series, thresholds))
    return in_date_order(alerts)


def history_for(
    checkins: Iterable[CheckIn], first: date, thresholds: SignalThresholds
) -> list[CheckIn]:
    """The check-ins the alerts from `first` on are worked out from: those the walk from
    `first`'s anchor reads. Older days cannot change those alerts."""
    oldest = anchor_for(first, thresholds) - timedelta(days=reach(TREND_DETECTORS, thresholds))
    return [checkin for checkin in checkins if checkin.day >= oldest]


def alerts_in(
    checkins: Sequence[CheckIn],
    first: date,
    last: date,
    thresholds: SignalThresholds,
    red_flag: RedFlag | None = None,
) -> list[Alert]:
    """The alerts dated from `first` to `last`, from the walk of `first`'s anchor (see
    core/signals/walk.py), so a day view costs the same whatever the length of the history."""
    detectors = walked_by(red_flag)
    anchor = anchor_for(first, thresholds)
    stop = walk_on(start(anchor, detectors, thresholds), checkins, last, detectors, thresholds)[-1]
    return stop.alerts_between(first, last)


def walked_by(red_flag: RedFlag | None = None) -> tuple[TrendDetector, ...]:
    """The detectors a walk takes: the trends, and the red flags when triage's rules are given
    (a red flag is one day's answers; walked along, a view reads no day twice)."""
    return TREND_DETECTORS if red_flag is None else (*TREND_DETECTORS, red_flag)
