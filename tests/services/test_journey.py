"""The next step follows the person's day: questions, plan, check-in, exercises; help first
when a check-in's red flag has stopped the plan."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from kneecoach.core.checkins import CheckIn
from kneecoach.services import checkins as checkin_service
from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services.journey import next_step
from tests.db import in_session


def step() -> str:
    return in_session(next_step, today=date.today()).id


def test_the_next_step_follows_the_day(examples_dir: Path) -> None:
    assert step() == "answer_questions"
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    saved = in_session(intake_service.import_intake, document)
    assert step() == "make_plan"
    intake = saved.intake()
    in_session(plan_service.save_plan, intake, in_session(plan_service.plan_for, intake))
    assert step() == "check_in"
    in_session(checkin_service.record_checkin, CheckIn(day=date.today(), pain=3))
    assert step() == "exercises"


def test_a_red_flag_in_todays_check_in_puts_help_first(examples_dir: Path) -> None:
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    saved = in_session(intake_service.import_intake, document)
    intake = saved.intake()
    in_session(plan_service.save_plan, intake, in_session(plan_service.plan_for, intake))
    hot = CheckIn(day=date.today(), pain=6, warm=True, swelling=2, fever=True)
    in_session(checkin_service.record_checkin, hot)
    assert step() == "get_help"


def test_an_intake_that_needs_care_first_points_to_whom_to_see(examples_dir: Path) -> None:
    document = json.loads((examples_dir / "hot-knee-fever.json").read_text())
    in_session(intake_service.import_intake, document)
    assert step() == "see_someone"
