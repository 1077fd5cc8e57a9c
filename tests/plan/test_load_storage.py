"""Load on a real database: a saved plan keeps each dose's load and tempo; the log's loads and
one-line reasons are worked out again from the log; plans saved before load existed still
load (no `load` is body weight)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest

from kneecoach.core.intake import parse_intake
from kneecoach.services.database import transaction
from kneecoach.services.plan import current_plan, plan_for, save_plan
from kneecoach.services.sessions import (
    DoneExercise,
    log_session,
    record_next_morning,
    session_log,
    todays_doses,
)
from kneecoach.settings import reset_settings
from kneecoach.storage.models.plans import SavedPlan
from kneecoach.web.api.v1.schemas.intake import StoredPlanPublic
from tests.db import in_session
from tests.plan.intakes import OLDER_WALKER, example, with_changes

START = date(2025, 3, 3)  # day 1: strength on days 1, 3 and 5
STRENGTH_DAYS = [START + timedelta(days=7 * week + d) for week in range(6) for d in (0, 2, 4)]
GYM = with_changes(example(OLDER_WALKER), {"person.age": 52, "equipment": ["gym"]})

NEW_KEYS = ("load", "tempo", "extra_sets_painful_side")


def old_plan_json(intake_doc: dict[str, Any]) -> dict[str, Any]:
    """A plan as saved before load and tempo were part of the dose (issue 12): today's plan
    JSON without the keys this change added."""
    plan = in_session(plan_for, parse_intake(intake_doc)).as_json()
    for day in plan["sessions"]:
        for entry in day["exercises"]:
            for key in NEW_KEYS:
                entry.pop(key)
    return plan


@pytest.fixture
def database(any_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    return any_database


def test_a_gym_plan_saves_its_load_and_the_load_goes_up_after_the_reps(database: str) -> None:
    intake = parse_intake(GYM)
    stored = in_session(save_plan, intake, in_session(plan_for, intake), START)
    entry = stored.exercise("leg_extension")
    assert entry is not None
    assert entry["load"] == {"kind": "kg", "value": 10.0, "unit": "kg"}
    assert entry["tempo"] == "2-1-3"
    seen = []
    for day in STRENGTH_DAYS[:9]:
        today = in_session(todays_doses, day)
        item = next(e for e in today.exercises if e.slot == "leg_extension")
        seen.append((item.dose.reps, item.dose.load.value if item.dose.load else None))
        in_session(log_session, [DoneExercise(id="leg_extension", pain_during=1)], day)
        in_session(record_next_morning, day, False)
    # reps 10 → 12 → 14 → 15 (the top), then 12.5 kg with the reps back at 10
    assert seen[0] == (10, 10.0)
    assert (15, 10.0) in seen and (10, 12.5) in seen
    assert seen.index((10, 12.5)) > seen.index((15, 10.0))
    values = [load for _reps, load in seen]
    assert all(b - a in (0, 2.5) for a, b in itertools.pairwise(values))
    log = [row for row in in_session(session_log) if row["slot"] == "leg_extension"]
    assert log[0]["prescribed"] == "2 × 10, 10 kg, tempo 2-1-3"
    assert (
        log[0]["reason"]
        == "Start leg extension machine at 2 × 10, 10 kg, tempo 2-1-3. Log how it went."
    )
    up = next(row for row in log if row["prescribed_load"]["value"] == 12.5)
    assert "goes from 10 kg to 12.5 kg, and the reps start low again" in up["reason"]


def test_a_plan_saved_before_load_existed_still_loads_as_body_weight(database: str) -> None:
    with transaction() as session:
        session.add(
            SavedPlan(
                start_date=START,
                intake_spec="kneecoach-intake/1",
                intake_version=None,
                rules_version="plan_rules 1; advice 1",
                intake=GYM,
                plan=old_plan_json(GYM),
                version=1,
            )
        )
    stored = in_session(current_plan)
    assert "load" not in stored.exercise("leg_extension")  # type: ignore[operator]
    public = StoredPlanPublic.model_validate(stored.as_json())
    for day in public.plan.sessions:
        for entry in day.exercises:
            assert entry.load is None and entry.tempo is None
            assert entry.extra_sets_painful_side == 0
    today = in_session(todays_doses, START)
    doses = {e.slot: e.dose for e in today.exercises}
    # an old plan's leg extension has no saved load: body weight, as it was shown then
    assert doses["leg_extension"].load is None and doses["leg_extension"].reps == 10
    assert all(e["load"] is None for e in today.as_json()["exercises"])
    in_session(log_session, [DoneExercise(id="leg_extension", pain_during=2)], START)
    (row,) = in_session(session_log)
    assert row["prescribed"] == "2 × 10"
    assert row["prescribed_load"] is None


def test_a_daily_tendon_hold_that_moves_on_to_heavy_slow_work_follows_its_3_days(
    database: str,
) -> None:
    """Holds are every day (their text says daily); once progression reaches heavy slow
    squats, the slot is on the strength days only (Kongsgaard: 3 times a week)."""
    from tests.plan.test_plan_shapes import JUMPER

    jumper = with_changes(JUMPER, {"equipment": ["wall", "chair", "resistance_band"]})
    intake = parse_intake(jumper)
    stored = in_session(save_plan, intake, in_session(plan_for, intake), START)
    # the active level starts the hold ladder one step up (wall, not the band on a chair)
    slot = "tendon_wall_sit_hold"
    assert [
        s["day"] for s in stored.plan["sessions"] if any(e["id"] == slot for e in s["exercises"])
    ] == [1, 2, 3, 4, 5, 6, 7]
    day, reached = START, None
    for _ in range(120):
        today = in_session(todays_doses, day)
        item = next((e for e in today.exercises if e.slot == slot), None)
        if item is not None:
            if item.dose.exercise_id == "heavy_slow_squat":
                reached = day
                break
            in_session(log_session, [DoneExercise(id=slot, pain_during=1)], day)
            in_session(record_next_morning, day, False)
        day += timedelta(days=1)
    assert reached is not None, "progression reaches heavy slow squats"
    week = [in_session(todays_doses, reached + timedelta(days=n)) for n in range(7)]
    on = sorted(t.day for t in week if any(e.slot == slot for e in t.exercises))
    assert on == [1, 3, 5]
