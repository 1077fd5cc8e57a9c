"""What seems to help or hurt: symptoms on days with and without each logged factor.

For every factor the person logs (exercise done, more or fewer steps than their median, the
shoe worn, their own yes/no factors) the average pain, swelling and stiffness are compared on
days with and without it, the same day and the next day (effects often show the morning
after). A comparison needs at least a few days of each. This is a pattern in one person's
notes, not proof: the words shown with it say so.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals.alerts import show_number
from kneecoach.core.signals.series import Series

SYMPTOMS: tuple[str, ...] = ("pain", "swelling", "stiffness_min")
LAGS: tuple[int, ...] = (0, 1)


@dataclass(frozen=True)
class Comparison:
    """One symptom on days with and without a factor (`lag` 1: the day after)."""

    symptom: str
    lag: int
    with_mean: float
    with_days: int
    without_mean: float
    without_days: int

    @property
    def difference(self) -> float:
        return self.with_mean - self.without_mean


@dataclass(frozen=True)
class FactorInsight:
    """A factor (`exercise`, `steps_high`, `shoe:NAME`, `factor:NAME`) and its comparisons."""

    factor: str
    detail: str
    comparisons: tuple[Comparison, ...]


@dataclass(frozen=True)
class Insights:
    factors: tuple[FactorInsight, ...]
    too_few_days: tuple[str, ...]


Split = Callable[[CheckIn], bool | None]  # True: with the factor, False: without, None: unknown


def _splits(series: Series) -> list[tuple[str, str, Split]]:
    """Every factor the series logs, with the rule that puts a day on one side or the other."""
    checkins = list(series)
    splits: list[tuple[str, str, Split]] = [("exercise", "", lambda c: c.exercise_pain is not None)]
    steps = [c.steps for c in checkins if c.steps is not None]
    if steps:
        median = statistics.median(steps)
        splits.append(
            (
                "steps_high",
                show_number(median, 0),
                lambda c: None if c.steps is None else c.steps > median,
            )
        )
    for shoe in sorted({c.shoe for c in checkins if c.shoe}):
        splits.append((f"shoe:{shoe}", shoe, _wearing(shoe)))
    for name in sorted({name for c in checkins for name, _ in c.factors}):
        splits.append((f"factor:{name}", name, _answered(name)))
    return splits


def _wearing(shoe: str) -> Split:
    return lambda c: None if not c.shoe else c.shoe == shoe


def _answered(name: str) -> Split:
    return lambda c: c.factor(name)


def compare(
    series: Series, split: Split, symptom: str, lag: int, min_days: int
) -> Comparison | None:
    """The symptom `lag` days after days with and without the factor; None with too few days."""
    with_values: list[float] = []
    without_values: list[float] = []
    for checkin in series:
        side = split(checkin)
        if side is None:
            continue
        value = series.value(symptom, checkin.day + timedelta(days=lag))
        if value is None:
            continue
        (with_values if side else without_values).append(value)
    if len(with_values) < min_days or len(without_values) < min_days:
        return None
    return Comparison(
        symptom,
        lag,
        statistics.fmean(with_values),
        len(with_values),
        statistics.fmean(without_values),
        len(without_values),
    )


def find_insights(
    checkins: Iterable[CheckIn],
    min_days: int = 3,
    symptoms: tuple[str, ...] = SYMPTOMS,
    lags: tuple[int, ...] = LAGS,
) -> Insights:
    """Compare symptoms with and without each factor; largest differences first."""
    series = Series(checkins)
    found: list[FactorInsight] = []
    too_few: list[str] = []
    for factor, detail, split in _splits(series):
        comparisons = tuple(
            comparison
            for symptom in symptoms
            for lag in lags
            if (comparison := compare(series, split, symptom, lag, min_days)) is not None
        )
        if comparisons:
            found.append(FactorInsight(factor, detail, comparisons))
        else:
            too_few.append(factor)
    return Insights(tuple(found), tuple(too_few))


def describe(
    comparison: Comparison,
    label: str,
    templates: Mapping[str, str],
    symptom_names: Mapping[str, str],
) -> str:
    """One plain line, e.g. "Pain the next day: 3.4 after days with exercises (9 days), 2.9
    without (12 days)." from the data file's templates."""
    digits = 0 if comparison.symptom == "stiffness_min" else 1
    key = "same_day" if comparison.lag == 0 else "next_day"
    return templates[key].format(
        symptom=symptom_names.get(comparison.symptom, comparison.symptom),
        factor=label,
        with_mean=show_number(comparison.with_mean, digits),
        with_days=comparison.with_days,
        without_mean=show_number(comparison.without_mean, digits),
        without_days=comparison.without_days,
        difference=show_number(comparison.difference, digits),
    )
