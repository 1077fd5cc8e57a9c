"""A day's alerts come from the trailing days it needs: the same verdicts as the whole history.

Pages and check-ins ask for one day or a few weeks. Working those out from the walk of the
day's anchor (120 to 240 days back) keeps them fast after 20 years (benchmarks/) without
changing what a person is told.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kneecoach.core.checkins import CheckIn
from kneecoach.core.signals import alerts_in, find_alerts, history_for
from kneecoach.core.signals.registry import walked_by
from kneecoach.core.signals.walk import reach
from kneecoach.data.signals import load_signal_thresholds
from tests.signals import synthetic


def a_long_history(seed: int) -> list[CheckIn]:
    """A year and a half of a stable, noisy person, then a creep, so old days are many."""
    stable = synthetic.stable(seed, days=500).checkins
    creep = synthetic.creep(synthetic.CREEPS[seed % 4], seed).checkins
    shift = stable[-1].day - creep[0].day + timedelta(days=1)
    moved = [CheckIn(**{**c.__dict__, "day": c.day + shift}) for c in creep]
    return [*stable, *moved]


@pytest.mark.parametrize("seed", range(4))
def test_each_days_alerts_match_the_whole_history(seed: int) -> None:
    checkins = a_long_history(seed)
    thresholds = load_signal_thresholds()
    whole = find_alerts(checkins, thresholds)
    last = checkins[-1].day
    for offset in range(0, 60):
        day = last - timedelta(days=offset)
        expected = [a for a in whole if a.day == day]
        assert alerts_in(checkins, day, day, thresholds) == expected, (seed, day)


def test_a_window_of_weeks_matches_too() -> None:
    checkins = a_long_history(3)
    thresholds = load_signal_thresholds()
    last = checkins[-1].day
    first = last - timedelta(weeks=12)
    whole = [a for a in find_alerts(checkins, thresholds) if first <= a.day <= last]
    assert alerts_in(checkins, first, last, thresholds) == whole


def test_only_the_days_of_the_walk_are_read() -> None:
    """A day's walk starts 120 to 240 days before it and reads `reach` days before that."""
    thresholds = load_signal_thresholds()
    checkins = a_long_history(0)
    day = checkins[-1].day
    used = history_for(checkins, day, thresholds)
    lookback = reach(walked_by(), thresholds)
    oldest = min(c.day for c in used)
    block = thresholds.day_view_days
    assert day - timedelta(days=2 * block + lookback) < oldest
    assert oldest <= day - timedelta(days=block + lookback)
    assert len(checkins) > 2 * len(used)


def test_no_days_no_alerts() -> None:
    assert alerts_in([], date(2026, 1, 1), date(2026, 1, 1), load_signal_thresholds()) == []


def test_red_flags_in_a_window_match_the_whole_history() -> None:
    """A red flag is one day's answers: only the window's days are judged, with the same result."""
    from kneecoach.core.signals.red_flag import RedFlag
    from kneecoach.data.red_flags import load_red_flags

    checkins = a_long_history(1)
    marked = [
        CheckIn(**{**c.__dict__, "warm": True, "swelling": 2, "fever": i % 3 == 0})
        if i % 17 == 0
        else c
        for i, c in enumerate(checkins)
    ]
    thresholds = load_signal_thresholds()
    red = RedFlag(load_red_flags())
    last = marked[-1].day
    first = last - timedelta(weeks=12)
    whole = [a for a in find_alerts(marked, thresholds, red) if first <= a.day <= last]
    assert any(a.id == "red_flag" for a in whole)
    assert alerts_in(marked, first, last, thresholds, red) == whole
