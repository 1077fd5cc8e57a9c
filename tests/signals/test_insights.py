"""What helps or hurts: symptoms with and without each factor, same day and next day."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from kneecoach.core.checkins import CheckIn, write_checkins_csv
from kneecoach.core.insights import find_insights
from tests.cli_helpers import run_cli

START = date(2026, 3, 1)


def days() -> list[CheckIn]:
    """Long sitting makes the next day's pain 2 points higher; the shoe makes no difference."""
    out = []
    sat = [i % 3 == 0 for i in range(20)]
    for i in range(20):
        pain = 5.0 if i > 0 and sat[i - 1] else 3.0
        out.append(
            CheckIn(
                day=START + timedelta(days=i),
                pain=pain,
                swelling=1,
                steps=4000 + 500 * i,
                exercise_pain=2 if i % 2 else None,
                shoe="trail" if i % 2 else "walker",
                factors=(("long_sitting", sat[i]),),
            )
        )
    return out


def test_a_lagged_effect_shows_the_next_day_not_the_same_day() -> None:
    insights = find_insights(days())
    sitting = next(f for f in insights.factors if f.factor == "factor:long_sitting")
    by_key = {(c.symptom, c.lag): c for c in sitting.comparisons}
    next_day = by_key[("pain", 1)]
    assert (next_day.with_mean, next_day.without_mean) == (5.0, 3.0)
    assert next_day.with_days == 7 and next_day.without_days == 12
    assert by_key[("pain", 0)].difference < 0.5
    assert by_key[("swelling", 0)].difference == 0


def test_each_kind_of_factor_is_compared() -> None:
    factors = {f.factor for f in find_insights(days()).factors}
    assert {"exercise", "steps_high", "shoe:trail", "shoe:walker", "factor:long_sitting"} <= factors


def test_fewer_than_three_days_on_a_side_gives_no_comparison() -> None:
    few = days()[:4]  # long_sitting true on days 0 and 3 only
    insights = find_insights(few)
    assert "factor:long_sitting" in insights.too_few_days
    assert all(f.factor != "factor:long_sitting" for f in insights.factors)


def test_insights_command_prints_differences_and_the_caution(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(write_checkins_csv(days()), encoding="utf-8")
    result = run_cli("insights", "--checkins", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert "not proof" in document["caution"]
    top = document["comparisons"][0]
    assert (top["factor"], top["symptom"], top["lag_days"], top["difference"]) == (
        "factor:long_sitting", "pain", 1, 2.0,
    )  # fmt: skip
    table = run_cli("signals", "--checkins", str(path), "--insights")
    assert table.exit_code == 0
    flat = " ".join(table.stdout.split())
    assert "Pain the day after days with long sitting: 5 (7 days). Other days: 3 (12 days)." in flat
    assert "not proof" in flat
