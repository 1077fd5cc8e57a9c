"""The flare plan service on a real database (SQLite and PostgreSQL): the general plan without
a plan, the person's own plan at the doses they were on before the flare, day 1 from the
latest flare alert, and on hold while a check-in's red flag stops the exercises."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from kneecoach.core.checkins import CheckIn
from kneecoach.core.errors import InputError
from kneecoach.core.intake import parse_intake
from kneecoach.data.flare import load_flare_rules
from kneecoach.services.checkins import record_checkin
from kneecoach.services.flare import flare_plan_for, flare_start
from kneecoach.services.intake import save_intake
from kneecoach.services.plan import current_plan, plan_for, save_plan
from kneecoach.services.sessions import DoneExercise, log_session, todays_doses
from tests.db import in_session
from tests.plan.intakes import HOT_KNEE, OLDER_WALKER, example
from tests.safety_stop.cases import hot_knee

TODAY = date.today()


def start_plan(name: str = OLDER_WALKER, start: date = TODAY) -> None:
    intake = parse_intake(example(name))
    saved = in_session(save_intake, intake)
    in_session(save_plan, intake, in_session(plan_for, intake), start, intake_version=saved.version)


def swelling_creep(last: date) -> None:
    """21 calm days, then swelling creeping up: swelling_rising reaches `act` (signals.yaml)."""
    swelling = [0] * 21 + [1, 1, 2, 2, 2, 2]
    first = last - timedelta(days=len(swelling) - 1)
    for n, value in enumerate(swelling):
        in_session(record_checkin, CheckIn(day=first + timedelta(days=n), pain=2, swelling=value))


def test_without_a_plan_the_general_flare_plan_and_day_1_today(database: str) -> None:
    report = in_session(flare_plan_for)
    plan = report.plan
    assert not plan.personal and plan.exercises == () and plan.groups
    assert plan.note is not None and "no saved plan" in plan.note
    assert (plan.start.on, plan.start.source, plan.day) == (TODAY, "today", 1)
    assert not report.safety.stopped
    assert "{pharmacist}" not in json.dumps(report.as_json())
    assert "{emergency_number}" not in json.dumps(report.as_json())


def test_the_persons_plan_is_sorted_at_the_dose_they_were_on_before_the_flare(
    database: str,
) -> None:
    start_plan(start=TODAY - timedelta(days=10))
    today = in_session(todays_doses, TODAY - timedelta(days=3))
    slot = today.exercises[0].slot
    in_session(log_session, [DoneExercise(id=slot, pain_during=2)], TODAY - timedelta(days=3))
    plan = in_session(flare_plan_for, TODAY - timedelta(days=1)).plan
    assert plan.personal and plan.note is None and plan.groups == ()
    assert plan.start.source == "given" and plan.day == 2 and plan.phase == "ease"
    logged = next(e for e in plan.exercises if e.slot == slot)
    assert logged.usual == today.exercises[0].dose
    assert {e.slot for e in plan.exercises} == set(in_session(current_plan).slots())
    assert "gel_for_arthritis" in {a.id for a in plan.pain_relief}
    assert any(e.action == "shorter" for e in plan.exercises)


def test_day_1_is_the_latest_flare_alert_of_the_last_weeks(database: str) -> None:
    swelling_creep(TODAY - timedelta(days=2))
    start = in_session(flare_start)
    assert start.source == "alert" and start.alert == "swelling_rising"
    assert start.level == "act" and TODAY - timedelta(days=4) <= start.on <= TODAY - timedelta(2)
    plan = in_session(flare_plan_for).plan
    assert plan.start == start and plan.day == (TODAY - start.on).days + 1


def test_a_day_in_the_future_is_refused_naming_since(database: str) -> None:
    with pytest.raises(InputError) as raised:
        in_session(flare_plan_for, TODAY + timedelta(days=1))
    assert raised.value.field == "since"


def test_a_red_flag_in_a_check_in_puts_the_flare_plan_on_hold(database: str) -> None:
    start_plan()
    in_session(record_checkin, hot_knee(TODAY))
    report = in_session(flare_plan_for)
    assert report.safety.stopped and report.plan.on_hold
    assert report.plan.exercises == () and report.plan.activities == ()
    assert {s.id for s in report.plan.see_someone} == {"red_flags", "not_settling"}
    assert report.as_json()["stop"]["level"] in ("urgent", "emergency")


def test_when_the_knee_questions_say_care_comes_first_there_is_no_flare_plan(
    database: str,
) -> None:
    in_session(save_intake, parse_intake(example(HOT_KNEE)))
    plan = in_session(flare_plan_for).plan
    assert plan.on_hold and plan.note == load_flare_rules().care_first
    assert plan.groups == () and plan.activities == () and plan.pain_relief == ()
    assert {s.id for s in plan.see_someone} == {"red_flags", "not_settling"}
