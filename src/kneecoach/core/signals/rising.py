"""The shared engine of the "rising" detectors: a recent average against the usual level.

Each day with a value, the mean of the last few days is compared with the person's own
baseline from the weeks before. A rise counts when it is both big enough to matter (an
absolute amount) and big compared with how much this person's values usually jump about
(a number of standard errors), so a noisy but stable series stays quiet. While an episode
lasts, the baseline from its first day is kept, so a slow creep cannot become its own normal.
"""

from __future__ import annotations

import math
import statistics
from datetime import date, timedelta
from typing import ClassVar

from kneecoach.core.signals.alerts import Alert, Level, show_number
from kneecoach.core.signals.baseline import Baseline, baseline_before
from kneecoach.core.signals.episodes import Episode
from kneecoach.core.signals.series import Series
from kneecoach.core.signals.steps import each_day
from kneecoach.core.signals.thresholds import RisingThresholds, SignalThresholds


class RisingDetector:
    """Base for swelling_rising and stiffness_rising; subclasses name the id and the units."""

    id: ClassVar[str]
    unit_digits: ClassVar[int] = 1

    def thresholds(self, thresholds: SignalThresholds) -> RisingThresholds:
        return thresholds.rising[self.id]

    def start(self, thresholds: SignalThresholds) -> Episode[Baseline]:
        return Episode(self.thresholds(thresholds).calm_days)

    def reach(self, thresholds: SignalThresholds) -> int:
        limits = self.thresholds(thresholds)
        windows = limits.windows
        ceiling = 0 if limits.ceiling is None else limits.ceiling.days
        return max(windows.recent_days - 1 + windows.baseline_days, ceiling)

    def detect(self, series: Series, thresholds: SignalThresholds) -> list[Alert]:
        return each_day(self, series, thresholds)

    def step(
        self, episode: Episode[Baseline], series: Series, day: date, thresholds: SignalThresholds
    ) -> Alert | None:
        limits = self.thresholds(thresholds)
        windows = limits.windows
        if series.value(limits.column, day) is None:
            return None
        start = day - timedelta(days=windows.recent_days - 1)
        recent = series.known(limits.column, start, day)
        if len(recent) < windows.min_recent:
            return None
        baseline = episode.frozen or baseline_before(
            series, limits.column, start, windows.baseline_days, windows.min_baseline
        )
        if baseline is None:
            return None
        level, why = self.judge(series, day, recent, baseline, limits)
        if not episode.see(day, level, baseline) or level is None:
            return None
        return Alert(
            id=self.id,
            day=day,
            level=level,
            why=why,
            advice=limits.texts.advice_for(level),
            value=statistics.fmean(recent),
            baseline=baseline.center(limits.center),
        )

    def judge(
        self,
        series: Series,
        day: date,
        recent: list[float],
        baseline: Baseline,
        limits: RisingThresholds,
    ) -> tuple[Level | None, str]:
        """The level the recent days reach (None: no sign) and the one-line reason."""
        usual = baseline.center(limits.center)
        spread = baseline.spread(limits.center, limits.spread_floor)
        error = spread * math.sqrt(1 / len(recent) + 1 / baseline.count)
        average = statistics.fmean(recent)
        rise = average - usual
        level: Level | None = None
        for step in limits.levels:
            if rise >= step.rise and rise >= step.spreads * error:
                level = step.level if level is None else max(level, step.level)
        why = limits.texts.message.format(
            recent=show_number(average, self.unit_digits),
            usual=show_number(usual, self.unit_digits),
            rise=show_number(rise, self.unit_digits),
            days=len(recent),
            window=limits.windows.recent_days,
            baseline_days=baseline.count,
        )
        ceiling = limits.ceiling
        if ceiling is not None and usual <= ceiling.above:
            first = day - timedelta(days=ceiling.days - 1)
            long = series.known(limits.column, first, day)
            if len(long) >= ceiling.min_days and statistics.median(long) > ceiling.above:
                median = statistics.median(long)
                if level is None or ceiling.level > level:
                    level = ceiling.level
                    why = ceiling.message.format(
                        median=show_number(median, self.unit_digits),
                        days=ceiling.days,
                        above=show_number(ceiling.above, self.unit_digits),
                        usual=show_number(usual, self.unit_digits),
                    )
        return level, why
