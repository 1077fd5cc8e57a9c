"""A person's check-ins as a series: in date order, one per date, with gaps left as gaps."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import date

from kneecoach.core.checkins import CheckIn


class Series:
    """Check-ins by date. Unsorted input is sorted; for a repeated date the later one wins."""

    def __init__(self, checkins: Iterable[CheckIn]) -> None:
        by_day: dict[date, CheckIn] = {}
        for checkin in checkins:
            by_day[checkin.day] = checkin
        self._by_day = dict(sorted(by_day.items()))
        self.days: tuple[date, ...] = tuple(self._by_day)
        self._columns: dict[str, tuple[list[int], list[float]]] = {}

    def __len__(self) -> int:
        return len(self.days)

    def __iter__(self) -> Iterator[CheckIn]:
        return iter(self._by_day.values())

    def on(self, day: date) -> CheckIn | None:
        return self._by_day.get(day)

    def between(self, first: date, last: date) -> list[CheckIn]:
        """The check-ins from `first` to `last` (both included), in date order."""
        low = bisect_left(self.days, first)
        return [self._by_day[day] for day in self.days[low : bisect_right(self.days, last)]]

    def known(self, column: str, first: date, last: date) -> list[float]:
        """The known values of a column from `first` to `last` (both included), in date order."""
        ordinals, values = self._column(column)
        return values[
            bisect_left(ordinals, first.toordinal()) : bisect_right(ordinals, last.toordinal())
        ]

    def _column(self, column: str) -> tuple[list[int], list[float]]:
        """The known values of a column with their day numbers, built once per column."""
        if column not in self._columns:
            ordinals: list[int] = []
            values: list[float] = []
            for day, checkin in self._by_day.items():
                value = checkin.measure(column)
                if value is not None:
                    ordinals.append(day.toordinal())
                    values.append(value)
            self._columns[column] = (ordinals, values)
        return self._columns[column]

    def value(self, column: str, day: date) -> float | None:
        checkin = self._by_day.get(day)
        return None if checkin is None else checkin.measure(column)
