"""The shared engine of the yes/no detectors: more days with an event than usual.

Each day, the days with the event in the last week are counted and set against the person's
own rate from the weeks before: the level fires when that many days would rarely happen by
chance at the usual rate (a binomial tail). So a symptom that is new is noticed on its first
day, while one the person has now and then needs to come clearly more often.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from kneecoach.core.signals.alerts import Alert, Level
from kneecoach.core.signals.episodes import Episode
from kneecoach.core.signals.series import Series
from kneecoach.core.signals.steps import each_day
from kneecoach.core.signals.thresholds import EventThresholds, SignalThresholds


@dataclass(frozen=True)
class EventCount:
    """One column over a window: days with the event out of the days answered."""

    column: str
    days: int
    answered: int
    usual_days: int
    usual_answered: int

    @property
    def usual_rate(self) -> float:
        return self.usual_days / self.usual_answered if self.usual_answered else 0.0


def chance_of_at_least(days: int, answered: int, rate: float) -> float:
    """P(X ≥ days) for X ~ Binomial(answered, rate): how surprising the count is."""
    if days <= 0:
        return 1.0
    rate = min(max(rate, 0.0), 1.0)
    return sum(
        math.comb(answered, k) * rate**k * (1 - rate) ** (answered - k)
        for k in range(days, answered + 1)
    )


class EventDetector:
    """Base for weakness_rising and mechanical_symptoms."""

    id: ClassVar[str]

    def thresholds(self, thresholds: SignalThresholds) -> EventThresholds:
        return thresholds.events[self.id]

    def start(self, thresholds: SignalThresholds) -> Episode[dict[str, tuple[int, int]]]:
        return Episode(self.thresholds(thresholds).calm_days)

    def reach(self, thresholds: SignalThresholds) -> int:
        windows = self.thresholds(thresholds).windows
        return windows.recent_days - 1 + windows.baseline_days

    def detect(self, series: Series, thresholds: SignalThresholds) -> list[Alert]:
        return each_day(self, series, thresholds)

    def step(
        self,
        episode: Episode[dict[str, tuple[int, int]]],
        series: Series,
        day: date,
        thresholds: SignalThresholds,
    ) -> Alert | None:
        limits = self.thresholds(thresholds)
        counts = self.count(series, day, limits, episode.frozen)
        if not counts:
            return None
        level, worst = self.judge(counts, limits)
        usual = {c.column: (c.usual_days, c.usual_answered) for c in counts}
        if not episode.see(day, level, usual) or level is None or worst is None:
            return None
        return Alert(
            id=self.id,
            day=day,
            level=level,
            why=self.explain(worst, limits),
            advice=limits.texts.advice_for(level),
            value=float(worst.days),
            baseline=round(worst.usual_rate * worst.answered, 2),
        )

    def count(
        self,
        series: Series,
        day: date,
        limits: EventThresholds,
        frozen: dict[str, tuple[int, int]] | None,
    ) -> list[EventCount]:
        """The counts for every column answered today with enough recent and usual days."""
        windows = limits.windows
        start = day - timedelta(days=windows.recent_days - 1)
        counts: list[EventCount] = []
        for column in limits.columns:
            if series.value(column, day) is None:
                continue
            recent = series.known(column, start, day)
            if len(recent) < windows.min_recent:
                continue
            if frozen is not None and column in frozen:
                usual_days, usual_answered = frozen[column]
            else:
                before = series.known(
                    column, start - timedelta(days=windows.baseline_days), start - timedelta(1)
                )
                if len(before) < windows.min_baseline:
                    continue
                usual_days, usual_answered = int(sum(before)), len(before)
            counts.append(
                EventCount(column, int(sum(recent)), len(recent), usual_days, usual_answered)
            )
        return counts

    def judge(
        self, counts: list[EventCount], limits: EventThresholds
    ) -> tuple[Level | None, EventCount | None]:
        """The highest level any column reaches, and the column that reached it."""
        best: tuple[Level | None, EventCount | None] = (None, None)
        for count in counts:
            for step in limits.levels:
                if count.days < step.min_days:
                    continue
                rate = max(count.usual_rate, step.rate_floor)
                if chance_of_at_least(count.days, count.answered, rate) > step.chance:
                    continue
                if best[0] is None or step.level > best[0]:
                    best = (step.level, count)
        return best

    def explain(self, count: EventCount, limits: EventThresholds) -> str:
        return limits.texts.message.format(
            what=limits.labels.get(count.column, count.column.replace("_", " ")),
            days=count.days,
            answered=count.answered,
            usual_days=count.usual_days,
            usual_answered=count.usual_answered,
        )
