"""How far back a screen looks: the ranges a person chooses from (the last 4 weeks, 12
weeks, a year, or everything), shared by the Progress page and `kneecoach checkins list`, so
a long history is shown a window at a time and both say it the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kneecoach.core.errors import InputError


@dataclass(frozen=True)
class Range:
    key: str
    label: str
    days: int | None  # None: the whole history

    def first_day(self, last: date) -> date | None:
        """The window's first day when it ends on `last` (None: from the very first)."""
        return None if self.days is None else last - timedelta(days=self.days - 1)


RANGES: tuple[Range, ...] = (
    Range("4w", "4 weeks", 28),
    Range("12w", "12 weeks", 84),
    Range("1y", "1 year", 364),
    Range("all", "All", None),
)
DEFAULT_RANGE = "12w"
RANGE_KEYS = ", ".join(r.key for r in RANGES)


def range_named(key: str) -> Range | None:
    """The range with this key, or None."""
    return next((r for r in RANGES if r.key == key), None)


def choose_range(key: str | None) -> Range:
    """The range with this key; the default (12 weeks) when it is missing or unknown."""
    found = range_named(key) if key else None
    return found or next(r for r in RANGES if r.key == DEFAULT_RANGE)


def check_range(first: date | None, last: date | None) -> None:
    """Two days asked for as a range (either may be open) must not be the wrong way round."""
    if first is not None and last is not None and last < first:
        raise InputError("last", f"must be on or after first ({first.isoformat()})")
