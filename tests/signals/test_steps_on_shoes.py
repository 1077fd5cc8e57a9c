"""Steps in check-ins become walking distance on the pair worn that day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kneecoach.services.shoes import list_shoes
from tests.cli_helpers import run_cli
from tests.db import in_session


def test_steps_in_checkins_count_on_the_named_pair(tmp_path: Path) -> None:
    """A check-in's steps and shoe put walking distance on that pair, once per day."""

    assert run_cli("shoes", "add", "--name", "Daily walker", "--type", "walking").exit_code == 0
    csv = tmp_path / "c.csv"
    csv.write_text(
        "date,pain,steps,shoe\n"
        "2026-03-01,2,10000,daily_walker\n"
        "2026-03-02,2,8000,Daily walker\n"
        "2026-03-03,2,9000,no_such_pair\n"
        "2026-03-04,2,,daily_walker\n"
    )
    first = run_cli("checkins", "import", str(csv))
    assert first.exit_code == 0, first.stderr
    assert "on 2 days was added to your shoes" in first.stdout
    [pair] = in_session(list_shoes, today=date(2026, 3, 5))
    assert pair.status.distance_km == pytest.approx(18000 * 0.75 / 1000, rel=0.01)
    # importing the same days again replaces them: nothing is counted twice
    assert run_cli("checkins", "import", str(csv)).exit_code == 0
    [again] = in_session(list_shoes, today=date(2026, 3, 5))
    assert again.status.distance_km == pytest.approx(pair.status.distance_km)
