"""A clinician's plan changes and notes in a person's store (SQLite and PostgreSQL): the change
is recorded as theirs with the reason, progression leaves the exercise where they put it, and
it ends when they release it or a newer intake is saved. Notes are plain text, capped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kneecoach.core.clinic import ChangeRequest
from kneecoach.core.errors import InputError
from kneecoach.core.intake import parse_intake
from kneecoach.services import adjustments, clinic
from kneecoach.services.intake import import_intake
from kneecoach.services.plan import plan_for, save_plan
from kneecoach.services.sessions import (
    DoneExercise,
    log_session,
    record_next_morning,
    todays_doses,
)
from kneecoach.settings import reset_settings
from tests.db import in_session
from tests.plan.intakes import HIKER, example

START = date(2025, 3, 3)  # day 1 of the plan: strength on days 1, 3 and 5
MADE = datetime(2025, 3, 3, 18, 0, tzinfo=UTC)  # the evening of day 1


@pytest.fixture
def saved(any_database: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    intake = parse_intake(example(HIKER))
    return in_session(save_plan, intake, in_session(plan_for, intake), START)


def strength_slot(plan) -> str:  # type: ignore[no-untyped-def]
    return next(e["id"] for e in plan.session_on_day(1) if e["kind"] == "strength" and e["reps"])


def _two_safe_sessions(slot: str) -> None:
    for day in (START, START + timedelta(days=2)):
        in_session(log_session, [DoneExercise(id=slot, pain_during=2)], day)
        in_session(record_next_morning, day, False)


def _item(slot: str, on: date):  # type: ignore[no-untyped-def]
    return next((e for e in in_session(todays_doses, on).exercises if e.slot == slot), None)


def test_a_dose_change_holds_where_progression_would_move_it(saved) -> None:  # type: ignore[no-untyped-def]
    slot = strength_slot(saved)
    sets = saved.exercise(slot)["sets"]
    made = in_session(
        adjustments.adjust_plan,
        "c" * 32,
        "Dr Lee",
        "  your knee needs a lighter week ",
        [ChangeRequest(slot, "dose", sets=max(1, sets - 1))],
        now=MADE,
    )
    assert made.reason == "your knee needs a lighter week" and made.clinician_name == "Dr Lee"
    _two_safe_sessions(slot)  # would progress without the change
    item = _item(slot, START + timedelta(days=4))
    assert item is not None and item.decision.action == "hold"
    assert item.dose.sets == max(1, sets - 1)
    assert item.decision.rule_id == "clinician_adjustment"
    assert item.decision.reason == "Changed by Dr Lee on 3 Mar: your knee needs a lighter week"
    shown = in_session(adjustments.shown_changes)
    assert [change.slot for change in shown] == [slot]

    in_session(adjustments.release, made.id)
    after = _item(slot, START + timedelta(days=4))
    assert after is not None and after.decision.action == "progress"
    assert in_session(adjustments.all_adjustments)[0].ended_by == "released"


def test_a_paused_exercise_is_left_out_until_a_new_intake(saved) -> None:  # type: ignore[no-untyped-def]
    slot = strength_slot(saved)
    in_session(
        adjustments.adjust_plan,
        "c" * 32,
        "Dr Lee",
        "rest it until we talk",
        [ChangeRequest(slot, "pause")],
        now=MADE,
    )
    assert _item(slot, START + timedelta(days=2)) is None
    assert _item(slot, START - timedelta(days=7)) is not None  # held from the day it was made
    in_session(import_intake, example(HIKER))  # a new intake (saved now, after the change)
    assert _item(slot, START + timedelta(days=2)) is not None
    assert in_session(adjustments.all_adjustments)[0].ended_by == "new_intake"
    assert in_session(adjustments.active_adjustments) == ()


def test_a_change_must_say_why_and_stay_within_the_plan(saved) -> None:  # type: ignore[no-untyped-def]
    slot = strength_slot(saved)
    with pytest.raises(InputError) as no_reason:
        in_session(adjustments.adjust_plan, "c" * 32, "Dr Lee", " ", [ChangeRequest(slot, "pause")])
    assert no_reason.value.field == "reason"
    with pytest.raises(InputError) as not_in_plan:
        in_session(
            adjustments.adjust_plan, "c" * 32, "Dr Lee", "why", [ChangeRequest("nope", "pause")]
        )
    assert not_in_plan.value.field == "changes.0.slot"
    with pytest.raises(InputError) as too_many:
        in_session(
            adjustments.adjust_plan,
            "c" * 32,
            "Dr Lee",
            "why",
            [ChangeRequest(slot, "dose", reps=99)],
        )
    assert too_many.value.field == "changes.0.reps"
    assert in_session(adjustments.all_adjustments) == []  # nothing stored


def test_notes_are_plain_text_capped_and_read_once(saved) -> None:  # type: ignore[no-untyped-def]
    note = in_session(clinic.leave_note, "c" * 32, "Dr Lee", "  <script>x()</script>\r\nHi  ")
    assert note.text == "<script>x()</script>\nHi"  # kept as typed; pages escape it
    assert [n.id for n in in_session(clinic.unread_notes)] == [note.id]
    assert in_session(clinic.mark_notes_read) == 1
    assert in_session(clinic.unread_notes) == [] and len(in_session(clinic.notes)) == 1
    limit = clinic.load_clinic().note.max_length
    with pytest.raises(InputError) as too_long:
        in_session(clinic.leave_note, "c" * 32, "Dr Lee", "a" * (limit + 1))
    assert too_long.value.field == "text" and str(limit) in too_long.value.problem
    with pytest.raises(InputError):
        in_session(clinic.leave_note, "c" * 32, "Dr Lee", " \n ")
