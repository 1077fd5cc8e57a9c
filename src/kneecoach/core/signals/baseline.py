"""The person's own usual level: robust statistics over their recent weeks.

A median and a spread from the median absolute deviation (MAD) or the interquartile range
are not thrown by one bad day, which is what a personal baseline needs. The window ends
before the days being judged, so a rise cannot hide in its own baseline.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from kneecoach.core.signals.series import Series

MAD_TO_SD = 1.4826  # MAD × this estimates the standard deviation of normal data
IQR_TO_SD = 1.349  # IQR ÷ this does the same

Center = Literal["median", "mean"]


@dataclass(frozen=True)
class Baseline:
    """Summary of the known values in a window of days."""

    first: date
    last: date
    count: int
    median: float
    mean: float
    mad: float
    iqr: float
    sd: float
    values: tuple[float, ...] = ()
    """The window's known values, sorted: a baseline kept through an episode still answers
    questions about its own days without reading them again."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Baseline:
        """Itself: every field is immutable, so a copy of a walk's state (core/signals/walk.py)
        can share it instead of copying each of its values."""
        return self

    def center(self, kind: Center) -> float:
        return self.median if kind == "median" else self.mean

    def spread(self, kind: Center, floor: float) -> float:
        """A robust standard deviation for a median; the plain one for a mean (rates, scales)."""
        if kind == "median":
            return max(MAD_TO_SD * self.mad, self.iqr / IQR_TO_SD, floor)
        return max(self.sd, floor)


def summarise(values: list[float], first: date, last: date) -> Baseline | None:
    if not values:
        return None
    ordered = sorted(values)
    median = statistics.median(ordered)
    mad = statistics.median(abs(v - median) for v in ordered)
    mean = math.fsum(ordered) / len(ordered)
    if len(ordered) >= 2:
        iqr = _quantile(ordered, 0.75) - _quantile(ordered, 0.25)
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in ordered) / (len(ordered) - 1))
    else:
        iqr = sd = 0.0
    return Baseline(first, last, len(ordered), median, mean, mad, iqr, sd, tuple(ordered))


def _quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks (the 'inclusive' method)."""
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def baseline_before(
    series: Series, column: str, start: date, days: int, min_days: int
) -> Baseline | None:
    """The baseline of `column` over the `days` days before `start`; None with too few values."""
    last = start - timedelta(days=1)
    first = start - timedelta(days=days)
    values = series.known(column, first, last)
    if len(values) < min_days:
        return None
    return summarise(values, first, last)
