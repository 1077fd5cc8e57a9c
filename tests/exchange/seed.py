"""A month of use, stored through the services as a person would: two intake versions, a plan
and its logged sessions, daily check-ins (some edited, so their history has revisions), KOOS and
KOOS JR at the start and the end, shoes with counted walks and a wear check, the course, a goal
with a review, a factor and the country setting."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from kneecoach.core.checkins import CheckIn
from kneecoach.services import checkins as checkin_service
from kneecoach.services import country as country_service
from kneecoach.services import course as course_service
from kneecoach.services import goal as goal_service
from kneecoach.services import intake as intake_service
from kneecoach.services import outcomes as outcome_service
from kneecoach.services import shoes as shoe_service
from tests.conftest import EXAMPLES
from tests.db import in_session
from tests.history import seed_plan, seed_sessions
from tests.outcomes.answers import worked_example

DAYS = 30
NOTE_ATTACK = '=HYPERLINK("http://x")'  # a note a spreadsheet must not run


def koos_answers(shift: int) -> dict[str, int]:
    """The worked example, `shift` points better on each item (never below 0)."""
    return {code: max(0, value - shift) for code, value in worked_example().items()}


def seed_month(end: date | None = None) -> date:
    """Store a month ending on `end` (today); returns day 1."""
    end = end or date.today()
    start = end - timedelta(days=DAYS - 1)
    in_session(country_service.set_country, "GB")
    document = json.loads((EXAMPLES / "hiker-downhill-front-pain.json").read_text())
    in_session(intake_service.import_intake, document)
    plan = seed_plan(start)
    seed_sessions(plan, start, end - timedelta(days=1))
    pair = in_session(
        shoe_service.add_pair,
        "Trail shoes",
        today=end,
        brand="Acme",
        shoe_type="walking",
        start_date=start - timedelta(days=200),
        start_km=120.0,
        default_for=("walking",),
    )
    in_session(checkin_service.add_factor, "long_sitting")
    for n in range(DAYS):
        day = start + timedelta(days=n)
        checkin = CheckIn(
            day=day,
            pain=float(5 - n // 8),
            pain_worst=float(min(10, 7 - n // 8)),
            swelling=1 if n % 5 else 2,
            stiffness_min=float(20 - n // 3),
            clicking=n % 4 == 0,
            catching=False,
            locking=False,
            giving_way=n == 11,
            weakness=n % 6 == 0,
            warm=False,
            fever=False,
            calf_pain=False,
            steps=6000 + 150 * n,
            exercise_pain=3.0 if n % 2 else None,
            next_morning_worse=n % 9 == 0,
            shoe=pair.pair.id,
            note=NOTE_ATTACK if n == 3 else ("Sore after the stairs, café day" if n == 7 else None),
            factors=(("long_sitting", n % 3 == 0),),
        )
        in_session(checkin_service.record_checkin, checkin)
        if n % 10 == 5:  # edited later: the old answers go into the history
            in_session(checkin_service.record_checkin, replace(checkin, pain=checkin.pain + 1))
    in_session(outcome_service.save_answers, "koos", koos_answers(0), start)
    in_session(outcome_service.save_answers, "koosjr", koos_answers(0), start)
    in_session(outcome_service.save_answers, "koos", koos_answers(1), end)
    in_session(outcome_service.save_answers, "koosjr", koos_answers(1), end)
    in_session(
        shoe_service.record_wear_check,
        pair.pair.id,
        {
            "midsole_creased": True,
            "outsole_worn": False,
            "soft_heel_or_twists": False,
            "leans_on_table": False,
            "holes": False,
            "new_aches": False,
        },
        on=end,
        today=end,
    )
    in_session(course_service.mark_done, "hurt_and_harm", "Pain is not damage", on=start)
    in_session(
        goal_service.set_goal,
        "Walk to the shop",
        "20 minutes",
        (end + timedelta(days=30)).isoformat(),
        "Walk 10 minutes twice",
        on=start + timedelta(days=2),
    )
    in_session(goal_service.review_goal, 4, None, "Went well", on=start + timedelta(days=9))
    return start
