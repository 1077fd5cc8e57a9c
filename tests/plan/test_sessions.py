"""Saved plans and the session log on a real database (SQLite and PostgreSQL): the target is
stored next to what was done, and today's doses follow the pain-monitoring rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kneecoach.core.errors import ConflictError, InputError, NotFoundError
from kneecoach.core.intake import parse_intake
from kneecoach.services.database import transaction
from kneecoach.services.plan import current_plan, latest_plan, plan_for, save_plan
from kneecoach.services.sessions import (
    DoneExercise,
    log_session,
    next_morning_due,
    parse_session_document,
    record_next_morning,
    todays_doses,
)
from kneecoach.settings import reset_settings
from kneecoach.storage.models.plans import SessionLog
from tests.db import in_session
from tests.plan.intakes import HIKER, example

START = date(2025, 3, 3)  # day 1 of the plan: strength on days 1, 3 and 5


@pytest.fixture
def saved(any_database: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    intake = parse_intake(example(HIKER))
    return in_session(save_plan, intake, in_session(plan_for, intake), START)


def strength_slot(plan) -> str:  # type: ignore[no-untyped-def]
    return next(e["id"] for e in plan.session_on_day(1) if e["kind"] == "strength" and e["reps"])


def test_saved_plan_reads_back_with_its_intake_and_versions(saved) -> None:  # type: ignore[no-untyped-def]
    again = in_session(current_plan)
    assert again.id == saved.id and again.start_date == START
    assert again.plan["sessions"] == saved.plan["sessions"]
    assert again.intake["spec"] == "kneecoach-intake/1"
    assert "plan_rules" in again.rules_version
    assert again.day_on(START) == 1 and again.day_on(START + timedelta(days=8)) == 2


def test_log_stores_the_target_next_to_what_was_done(saved) -> None:  # type: ignore[no-untyped-def]
    slot = strength_slot(saved)
    planned = saved.exercise(slot)
    in_session(
        log_session, [DoneExercise(id=slot, sets=1, reps=7, pain_during=3, note="tired")], START
    )
    with transaction() as session:
        row = session.scalars(select(SessionLog)).one()
        assert (row.prescribed_variant, row.prescribed_sets, row.prescribed_reps) == (
            slot,
            planned["sets"],
            planned["reps"],
        )
        assert (row.done_variant, row.done_sets, row.done_reps) == (slot, 1, 7)
        assert row.pain_during == 3 and row.note == "tired"
        assert row.next_morning_worse is None and row.warning_signs == []


def test_two_safe_sessions_then_the_dose_goes_up_with_a_reason(saved) -> None:  # type: ignore[no-untyped-def]
    slot = strength_slot(saved)
    reps = saved.exercise(slot)["reps"]
    for day in (START, START + timedelta(days=2)):
        in_session(log_session, [DoneExercise(id=slot, pain_during=2)], day)
        in_session(record_next_morning, day, False)
    today = in_session(todays_doses, START + timedelta(days=4))
    item = next(e for e in today.exercises if e.slot == slot)
    assert item.decision.action == "progress"
    assert item.dose.reps == reps + 2
    assert item.decision.reason.startswith("Last two sessions felt fine (pain 2/10)")


def test_pain_over_5_then_worse_next_morning_regress(saved) -> None:  # type: ignore[no-untyped-def]
    slot = strength_slot(saved)
    reps = saved.exercise(slot)["reps"]
    in_session(log_session, [DoneExercise(id=slot, pain_during=7)], START)
    after_pain = in_session(todays_doses, START + timedelta(days=2))
    first = next(e for e in after_pain.exercises if e.slot == slot)
    assert first.decision.action == "regress" and first.dose.reps == reps - 2
    in_session(log_session, [DoneExercise(id=slot, pain_during=2)], START + timedelta(days=2))
    assert in_session(next_morning_due, START + timedelta(days=3)) == START + timedelta(days=2)
    in_session(record_next_morning, START + timedelta(days=2), True)
    assert in_session(next_morning_due, START + timedelta(days=3)) is None
    again = next(
        e for e in in_session(todays_doses, START + timedelta(days=4)).exercises if e.slot == slot
    )
    assert again.decision.rule_id == "worse_next_morning"
    assert again.dose.reps == reps - 4 or again.dose.exercise_id != slot


def test_todays_dose_stays_the_same_all_day(saved) -> None:  # type: ignore[no-untyped-def]
    slot = strength_slot(saved)
    before = in_session(todays_doses, START)
    in_session(log_session, [DoneExercise(id=slot, pain_during=8)], START)
    assert in_session(todays_doses, START) == before


def test_warning_sign_stops_the_next_session(saved) -> None:  # type: ignore[no-untyped-def]
    slot = strength_slot(saved)
    in_session(
        log_session, [DoneExercise(id=slot, pain_during=2)], START, warning_signs=["hot_or_red"]
    )
    today = in_session(todays_doses, START + timedelta(days=2))
    assert today.stopped


def test_logging_twice_the_same_day_is_a_conflict(saved) -> None:  # type: ignore[no-untyped-def]
    slot = strength_slot(saved)
    in_session(log_session, [DoneExercise(id=slot, pain_during=2)], START)
    with pytest.raises(ConflictError):
        in_session(log_session, [DoneExercise(id=slot, pain_during=2)], START)


def test_bad_session_input_names_the_field(saved) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as error:
        in_session(log_session, [DoneExercise(id="moonwalk", pain_during=2)], START)
    assert error.value.field == "exercises.0.id"
    with pytest.raises(InputError) as error:
        parse_session_document({"exercises": [{"id": "x", "pain_during": 11}]})
    assert error.value.field == "exercises.0.pain_during"
    with pytest.raises(InputError) as error:
        in_session(record_next_morning, START, True)
    assert error.value.field == "next_morning.date"


def test_no_saved_plan_is_not_found(any_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    assert in_session(latest_plan) is None
    with pytest.raises(NotFoundError):
        in_session(todays_doses, START)


def test_a_refused_plan_cannot_be_saved(any_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    intake = parse_intake(example("hot-knee-fever.json"))
    with pytest.raises(ConflictError):
        in_session(save_plan, intake, in_session(plan_for, intake), START)
