"""pain_flare: a sudden rise of pain over the person's own baseline that lasts at least a day.

The definition follows evidence §6.4 (a sudden worsening sustained for at least 24 hours,
Thomas 2021; Parry 2018) with the size of a clinically important change from §1.8 (about 2
points or 30 %, Farrar 2001). One bad day is not a flare: the alert comes on the second
raised day in a row, the first day the data show it lasted. The level says how sure: `act`
when the raised days stand clear of the person's usual ups and downs, `watch` when the rise
matters but their ordinary days sometimes reach it. A flare that has not settled
after about two weeks is a reason to see someone.
"""

from __future__ import annotations

import copy
import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kneecoach.core.signals.alerts import Alert, Level, show_number
from kneecoach.core.signals.baseline import Baseline, baseline_before
from kneecoach.core.signals.episodes import Episode
from kneecoach.core.signals.series import Series
from kneecoach.core.signals.steps import each_day
from kneecoach.core.signals.thresholds import FlareThresholds, SignalThresholds


def clinical_rise(usual: float, limits: FlareThresholds) -> float:
    """How far above the usual pain must go to matter: about 2 points or 30 % (whichever is
    less), but never under `min_rise_points` (30 % of a low usual pain is too small to tell)."""
    return min(limits.rise_points, max(limits.rise_fraction * usual, limits.min_rise_points))


def rarely_reached(pain: float, baseline: Baseline, limits: FlareThresholds) -> bool:
    """True when the person's usual days seldom reached this pain (a share of at most
    `max_usual_share`): a level their ordinary ups and downs often reach is not a flare."""
    values = baseline.values
    if not values:
        return True
    reached = sum(1 for value in values if value >= pain)
    return reached <= limits.max_usual_share * len(values)


@dataclass
class FlareState:
    """What the flare detector carries from day to day."""

    episode: Episode[Baseline]
    run: list[tuple[date, float, bool]] = field(default_factory=list)
    """Raised check-ins in a row: day, pain, and whether the rise stood clear."""
    onset: date | None = None
    """The first raised day of the running flare."""

    def __deepcopy__(self, memo: dict[int, Any]) -> FlareState:
        """A copy to walk on (core/signals/walk.py): the run's entries are immutable tuples,
        so a new list of the same entries is a whole copy."""
        return FlareState(copy.deepcopy(self.episode, memo), list(self.run), self.onset)


class PainFlare:
    id = "pain_flare"

    def start(self, thresholds: SignalThresholds) -> FlareState:
        return FlareState(Episode(thresholds.flare.calm_days))

    def reach(self, thresholds: SignalThresholds) -> int:
        """A baseline ends before the first day of a run; a run no flare has started yet
        spans less than `lasting_days`, after a gap of at most `max_gap_days`."""
        limits = thresholds.flare
        return limits.baseline_days + limits.lasting_days + limits.max_gap_days

    def detect(self, series: Series, thresholds: SignalThresholds) -> list[Alert]:
        return each_day(self, series, thresholds)

    def step(
        self, state: FlareState, series: Series, day: date, thresholds: SignalThresholds
    ) -> Alert | None:
        limits = thresholds.flare
        episode = state.episode
        pain = series.value("pain", day)
        if pain is None:
            return None
        if state.run and (day - state.run[-1][0]).days > limits.max_gap_days:
            state.run = []
        run = state.run
        baseline = episode.frozen or baseline_before(
            series, "pain", run[0][0] if run else day, limits.baseline_days, limits.min_baseline
        )
        if baseline is None:
            state.run = []
            return None
        usual = baseline.median
        rise = pain - usual
        if rise < clinical_rise(usual, limits):
            state.run = []
            episode.see(day, None, None)
            if not episode.active:
                state.onset = None
            return None
        spread = baseline.spread("median", limits.spread_floor)
        clear = rise >= limits.spreads * spread and rarely_reached(pain, baseline, limits)
        run.append((day, pain, clear))
        level = self.level_of(run, episode.level, state.onset or run[0][0], day, limits)
        if level is None or not episode.see(day, level, baseline):
            return None
        state.onset = state.onset if episode.started != day else run[0][0]
        return self.alert(day, level, run, usual, limits, state.onset or run[0][0])

    @staticmethod
    def level_of(
        run: list[tuple[date, float, bool]],
        running: Level | None,
        onset: date,
        day: date,
        limits: FlareThresholds,
    ) -> Level | None:
        """act when the raised days stand clear of the person's usual ups and downs, watch
        when the rise is big enough to matter but within what their usual days can reach."""
        lasted = (run[-1][0] - run[0][0]).days + 1
        if len(run) < 2 or lasted < limits.lasting_days:
            return running  # one raised day: a flare already running goes on, none starts
        if running is not None and (day - onset).days + 1 >= limits.not_settling_days:
            return Level.see_professional
        return Level.act if run[-1][2] and run[-2][2] else Level.watch

    @staticmethod
    def alert(
        day: date,
        level: Level,
        run: list[tuple[date, float, bool]],
        usual: float,
        limits: FlareThresholds,
        onset: date,
    ) -> Alert:
        average = statistics.fmean(p for _, p, _ in run)
        values = dict(
            pain=show_number(run[-1][1]),
            average=show_number(average),
            days=len(run),
            usual=show_number(usual),
            rise=show_number(average - usual),
            since=onset.isoformat(),
            weeks=max(1, round(((day - onset).days + 1) / 7)),
        )
        template = limits.not_settling_message if level is Level.see_professional else None
        why = (template or limits.texts.message).format(**values)
        return Alert(
            id=PainFlare.id,
            day=day,
            level=level,
            why=why,
            advice=limits.texts.advice_for(level),
            value=average,
            baseline=usual,
        )
