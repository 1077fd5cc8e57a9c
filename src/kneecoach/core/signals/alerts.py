"""What a detector says: an alert with its id, the day it became justified, a level and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any


class Level(IntEnum):
    """How strongly to react, in rising order (so levels compare with < and max())."""

    watch = 1  # an early sign: keep an eye on it
    act = 2  # a clear rise: ease the load, follow the flare plan
    see_professional = 3  # get it checked by a physio or doctor

    @classmethod
    def named(cls, name: str) -> Level:
        return cls[name]


@dataclass(frozen=True)
class Alert:
    """One alert, dated the first day the data justified it; `why` is one line with the numbers."""

    id: str
    day: date
    level: Level
    why: str
    advice: str = ""
    value: float | None = None
    baseline: float | None = None
    flags: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The spec's alert object (id, date, level, why) plus the extra keys kneecoach adds."""
        out: dict[str, Any] = {
            "id": self.id,
            "date": self.day.isoformat(),
            "level": self.level.name,
            "why": self.why,
        }
        if self.advice:
            out["advice"] = self.advice
        if self.value is not None:
            out["value"] = round(self.value, 2)
        if self.baseline is not None:
            out["baseline"] = round(self.baseline, 2)
        if self.flags:
            out["flags"] = list(self.flags)
        return out


def in_date_order(alerts: list[Alert]) -> list[Alert]:
    """Date order; on the same day the most serious first, then by id (a stable order)."""
    return sorted(alerts, key=lambda a: (a.day, -a.level, a.id))


def show_number(value: float, digits: int = 1) -> str:
    """Numbers in messages: one decimal at most, no needless '.0'."""
    rounded = round(value, digits)
    if float(rounded).is_integer():
        return str(int(rounded))
    return f"{rounded:.{digits}f}"
