"""The shoe services store and read back on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from kneecoach.core.errors import InputError
from kneecoach.services.activities import import_activities, read_activity_file
from kneecoach.services.shoes import (
    add_pair,
    estimate_from_steps,
    list_shoes,
    record_wear_check,
    retire_pair,
    shoe_alerts,
)
from kneecoach.storage import db
from tests.db import in_session
from tests.shoes.files import write_fit, write_gpx

TODAY = date(2026, 6, 15)
START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
NO_SIGNS = {"midsole_creased": False, "outsole_worn": False, "soft_heel_or_twists": False,
            "leans_on_table": False, "holes": False, "new_aches": False}  # fmt: skip


def totals() -> dict[str, float]:
    return {
        o.pair.id: round(o.status.distance_km, 2)
        for o in in_session(list_shoes, today=TODAY, include_retired=True)
    }


def test_the_shoe_tables_exist_after_migration(database: str) -> None:
    db.prepare(database)
    tables = set(inspect(db.engine_for(database)).get_table_names())
    assert {"shoe_pairs", "shoe_defaults", "shoe_activities", "shoe_wear_checks"} <= tables


def test_a_season_of_shoes_round_trips(database: str, tmp_path: Path) -> None:
    in_session(add_pair, "Trail runner", today=TODAY, shoe_type="running", start_date=date(2025, 9, 1),
             start_km=480, default_for=["running"])  # fmt: skip
    in_session(
        add_pair,
        "Walkers",
        today=TODAY,
        shoe_type="walking",
        start_date=date(2026, 5, 1),
        default_for=["walking"],
    )
    run = read_activity_file(write_gpx(tmp_path / "run.gpx", 12.0, START, "running"))
    same_run = read_activity_file(
        write_fit(tmp_path / "run.fit", 12.0, START + timedelta(seconds=40))
    )
    walk = read_activity_file(
        write_fit(tmp_path / "walk.fit", 3.0, START + timedelta(days=1), "walking")
    )
    report = in_session(import_activities, [run, same_run, walk])
    assert len(report.counted) == 2 and len(report.duplicates) == 1
    assert in_session(import_activities, [run, walk]).counted == ()

    walk_day = walk.activities[0].on
    steps = in_session(
        estimate_from_steps,
        [(walk_day, 8000, "walkers"), (walk_day + timedelta(days=1), 4000, "Walkers")],
    )
    assert [round(e.distance_km, 2) for e in steps.estimates] == [6.0, 3.0]
    # the walk day counts its larger figure (6 km from steps), never 3 + 6
    assert totals() == {"trail_runner": pytest.approx(492.0, abs=0.2), "walkers": 9.0}

    in_session(
        record_wear_check, "walkers", {**NO_SIGNS, "outsole_worn": True}, on=TODAY, today=TODAY
    )
    alerts = in_session(shoe_alerts, today=TODAY)
    assert [a.pair.id for a in alerts] == ["walkers"]
    assert "sole worn smooth or uneven" in alerts[0].summary

    more = read_activity_file(
        write_gpx(tmp_path / "long.gpx", 10.0, START + timedelta(days=5), "running")
    )
    in_session(import_activities, [more])
    alerts = {a.pair.id: a for a in in_session(shoe_alerts, today=TODAY)}
    assert alerts["trail_runner"].status.level == "watch"
    assert "over 500 km" in alerts["trail_runner"].summary

    in_session(retire_pair, "trail_runner", on=TODAY, today=TODAY)
    assert [a.pair.id for a in in_session(shoe_alerts, today=TODAY)] == ["walkers"]
    assert [o.pair.id for o in in_session(list_shoes, today=TODAY)] == ["walkers"]
    with pytest.raises(InputError, match="no default pair for running"):
        in_session(
            import_activities,
            [read_activity_file(write_gpx(tmp_path / "new.gpx", 5.0, START + timedelta(days=9)))],
        )


def test_steps_from_check_ins_can_skip_shoes_we_do_not_know(database: str) -> None:
    in_session(add_pair, "Walkers", today=TODAY)
    report = in_session(
        estimate_from_steps,
        [(date(2026, 6, 1), 5000, "walkers"), (date(2026, 6, 2), 5000, "old slippers")],
        height_cm=160,
        skip_unknown_shoes=True,
    )
    assert [e.on for e in report.estimates] == [date(2026, 6, 1)]
    assert report.unknown_shoes == ((date(2026, 6, 2), "old slippers"),)
    assert report.estimates[0].stride_m == pytest.approx(0.664)
    assert totals() == {"walkers": pytest.approx(3.32)}
    with pytest.raises(InputError, match="old slippers"):
        in_session(estimate_from_steps, [(date(2026, 6, 2), 5000, "old slippers")])
