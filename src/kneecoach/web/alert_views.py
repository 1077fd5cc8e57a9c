"""Alerts as the pages show them: a plain title and level label from the signals data file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kneecoach.core.signals import Alert
from kneecoach.data.signals import detector_titles, level_labels

FLARE_PAGE = "/flare"
RED_FLAG = "red_flag"


@dataclass(frozen=True)
class AlertView:
    id: str
    date: date
    level: str
    level_label: str
    title: str
    why: str
    advice: str

    @property
    def flare_link(self) -> str | None:
        """The flare plan, dated from this alert; none for a red flag: it stops the plan."""
        return None if self.id == RED_FLAG else f"{FLARE_PAGE}?since={self.date.isoformat()}"


def alert_views(found: Sequence[Alert]) -> list[AlertView]:
    """Alerts ready to show: titles and level labels from the signals file."""
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
