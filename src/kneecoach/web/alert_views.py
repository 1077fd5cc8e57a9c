"""Alerts as the pages show them: a plain title and level label from the signals data file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kneecoach.core.checkins import CheckIn
from kneecoach.data.signals import detector_titles, level_labels
from kneecoach.services import signals as signal_service


@dataclass(frozen=True)
class AlertView:
    id: str
    date: date
    level: str
    level_label: str
    title: str
    why: str
    advice: str


def alert_views(checkins: Sequence[CheckIn], day: date | None = None) -> list[AlertView]:
    """Every alert of the series (or only those dated `day`), ready to show."""
    if not checkins:
        return []
    found = (
        signal_service.alerts_on(checkins, day)
        if day is not None
        else signal_service.alerts_for(checkins)
    )
    titles, labels = detector_titles(), level_labels()
    return [
        AlertView(
            id=alert.id,
            date=alert.day,
            level=alert.level.name,
            level_label=labels.get(alert.level.name, alert.level.name),
            title=titles.get(alert.id, alert.id.replace("_", " ").capitalize()),
            why=alert.why,
            advice=alert.advice,
        )
        for alert in found
    ]
