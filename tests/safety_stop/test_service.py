"""The service on a real database (SQLite and PostgreSQL): only the check-ins since the latest
intake count, a new intake clears the stop, a session cannot be logged while stopped, and a
caution eases the day's doses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kneecoach.core.checkins import CheckIn
from kneecoach.core.errors import ConflictError
from kneecoach.core.intake import parse_intake
from kneecoach.services.checkins import record_checkin
from kneecoach.services.intake import save_intake
from kneecoach.services.plan import plan_for, save_plan
from kneecoach.services.safety_stop import checkin_safety, safety_on
from kneecoach.services.sessions import DoneExercise, log_session, todays_doses
from tests.db import in_session
from tests.safety_stop.cases import STOP_LEVELS, all_clear, hiker, hiker_with, hot_knee

TODAY = date.today()


def start_plan(raw: dict[str, object] | None = None) -> None:
    """Save an intake and a plan from it that starts today (so today has exercises)."""
    intake = parse_intake(raw or hiker())
    saved = in_session(save_intake, intake)
    in_session(save_plan, intake, in_session(plan_for, intake), TODAY, intake_version=saved.version)


def test_a_red_flag_check_in_stops_today_and_a_session_is_refused(database: str) -> None:
    start_plan()
    assert in_session(todays_doses, TODAY).exercises and not in_session(todays_doses, TODAY).stopped
    slot = in_session(todays_doses, TODAY).exercises[0].slot
    in_session(record_checkin, hot_knee(TODAY))
    today = in_session(todays_doses, TODAY)
    assert today.stopped and today.exercises == () and not today.rest_day
    assert today.stop is not None and today.stop.level in STOP_LEVELS
    assert today.stop.since == TODAY
    with pytest.raises(ConflictError, match="on hold since"):
        in_session(log_session, [DoneExercise(id=slot, pain_during=2)], TODAY)
    message = in_session(checkin_safety, hot_knee(TODAY))
    assert message is not None and message.stopped and message.level.id in STOP_LEVELS
    assert all(flag.level == message.level.id for flag in message.leading_flags)


def test_a_new_intake_clears_the_stop(database: str) -> None:
    start_plan()
    in_session(record_checkin, hot_knee(TODAY))
    assert in_session(safety_on, TODAY).stopped
    in_session(save_intake, parse_intake(hiker()))
    assert not in_session(safety_on, TODAY).stopped
    assert in_session(todays_doses, TODAY).exercises


def test_check_ins_from_before_the_intake_do_not_count(database: str) -> None:
    in_session(record_checkin, hot_knee(TODAY - timedelta(days=3)))
    in_session(record_checkin, hot_knee(TODAY))
    start_plan()  # the intake is saved after both
    assert not in_session(safety_on, TODAY).stopped


def test_a_later_check_in_without_the_sign_ends_the_stop(database: str) -> None:
    start_plan()
    in_session(record_checkin, hot_knee(TODAY - timedelta(days=0)))
    tomorrow = TODAY + timedelta(days=1)
    assert in_session(safety_on, tomorrow).stopped  # carried over
    in_session(record_checkin, all_clear(tomorrow))
    assert not in_session(safety_on, tomorrow).stopped
    assert in_session(safety_on, TODAY).stopped  # that day itself stays as it was


def test_a_caution_eases_the_days_doses_and_the_log_keeps_the_eased_target(
    database: str,
) -> None:
    start_plan(hiker_with({"back.low_back_pain": True}))
    before = {e.slot: e.dose for e in in_session(todays_doses, TODAY).exercises}
    in_session(record_checkin, CheckIn(day=TODAY, pain=3, weakness=True))
    today = in_session(todays_doses, TODAY)
    assert not today.stopped and today.caution is not None and today.caution.level == "soon"
    assert today.exercises, "a caution keeps the exercises"
    for item in today.exercises:
        assert item.dose.sets <= before[item.slot].sets
    eased = [item for item in today.exercises if item.decision.changed]
    assert eased and all(item.decision.rule_id == "checkin_caution" for item in eased)
    slot = eased[0].slot
    (entry,) = in_session(log_session, [DoneExercise(id=slot, pain_during=1)], TODAY)
    assert entry.prescribed == eased[0].dose
