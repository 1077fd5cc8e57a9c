"""`kneecoach checkins list` shows a window, as the Progress page does (core/windows.py): the
12 weeks up to the latest check-in unless another range or a start date is chosen, and says
how many it leaves out. Years of check-ins stay one screen, not thousands of rows."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.cli_helpers import run_cli
from tests.history import FIVE_YEARS, seed_checkins

LATEST = date(2026, 3, 1)


def listed(*args: str) -> dict:
    result = run_cli("checkins", "list", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_years_of_check_ins_list_the_last_12_weeks_unless_asked() -> None:
    seed_checkins(FIVE_YEARS, LATEST)
    default = listed()
    days = [row["date"] for row in default["checkins"]]
    assert len(days) == 84
    assert days[0] == (LATEST - timedelta(days=83)).isoformat()
    assert days[-1] == LATEST.isoformat()
    assert default["window"] == {
        "range": "12w",
        "first": days[0],
        "last": LATEST.isoformat(),
        "shown": 84,
        "saved": FIVE_YEARS,
    }
    assert len(listed("--range", "4w")["checkins"]) == 28
    assert len(listed("--range", "1y")["checkins"]) == 364
    assert len(listed("--range", "all")["checkins"]) == FIVE_YEARS
    since = listed("--since", "2025-03-01")
    assert since["checkins"][0]["date"] == "2025-03-01" and len(since["checkins"]) == 366
    table = run_cli("checkins", "list")
    assert f"84 of your {FIVE_YEARS} check-ins (the last 12 weeks)" in table.stdout
    first, before = LATEST - timedelta(days=83), LATEST - timedelta(days=84)
    assert first.isoformat() in table.stdout and before.isoformat() not in table.stdout


@pytest.mark.parametrize("bad", ["2w", "forever", ""])
def test_an_unknown_range_is_refused_naming_the_flag(bad: str) -> None:
    result = run_cli("checkins", "list", "--range", bad)
    assert result.exit_code == 2
    assert "--range" in result.stderr and "4w, 12w, 1y, all" in result.stderr
