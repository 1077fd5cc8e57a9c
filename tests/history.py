"""Years of history in a moment: check-ins and session logs bulk-inserted through the ORM.

Recording a check-in through the services takes a while (revisions, shoes, signals), so tests
that need 5 years of days insert the rows directly, in one transaction, with the ORM's bulk
`insert(Model)` and a list of rows. The days look like a real knee's: mostly quiet, worse
for a week now and then, a factor on some days, so the charts, alerts and insights have
something to show.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services.database import transaction
from kneecoach.services.plan import StoredPlan
from kneecoach.storage.models.checkins import CheckInRow
from kneecoach.storage.models.plans import SessionLog
from tests.conftest import EXAMPLES
from tests.db import in_session

FIVE_YEARS = 5 * 365 + 1


def checkin_rows(days: int, end: date, seed: int = 7) -> list[dict[str, Any]]:
    """`days` daily check-ins ending on `end`."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for i in range(days):
        day = end - timedelta(days=days - 1 - i)
        rough = (i // 7) % 9 == 4
        sitting = rng.random() < 0.4
        rows.append(
            {
                "day": day,
                "pain": float(min(10, 2 + rng.choice([0, 0, 1]) + (2 if rough else 0))),
                "pain_worst": float(min(10, 4 + rng.choice([0, 1]) + (2 if rough else 0))),
                "swelling": rng.choice([0, 0, 1]) + (1 if rough else 0),
                "stiffness_min": float(rng.choice([5, 10, 15]) + (10 if rough else 0)),
                "clicking": rng.random() < 0.2,
                "catching": False,
                "locking": False,
                "giving_way": False,
                "weakness": rng.random() < 0.1,
                "steps": rng.randrange(3000, 12000),
                "factors": {"long_sitting": sitting},
            }
        )
    return rows


def seed_checkins(days: int, end: date | None = None) -> None:
    """Insert `days` check-ins ending on `end` (today) in one transaction."""
    with transaction() as session:
        session.execute(insert(CheckInRow), checkin_rows(days, end or date.today()))


def seed_plan(start: date, examples_dir: Path = EXAMPLES) -> StoredPlan:
    """The hiker's intake and a plan starting on `start`."""
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    saved = in_session(intake_service.import_intake, document)
    intake = saved.intake()
    in_session(
        plan_service.save_plan, intake, in_session(plan_service.plan_for, intake), start=start
    )
    return in_session(plan_service.current_plan)


def session_rows(
    plan: StoredPlan, first: date, last: date, sore_every: int | None = 3
) -> list[dict[str, Any]]:
    """Every exercise the plan asks for from `first` to `last`, logged as done in full; the
    pain during is 2 most days and 4 every third session of each exercise, so safe streaks
    end now and then (as progression would change the dose after two); `sore_every=None`
    keeps every session safe, one unbroken streak at the same dose."""
    rows: list[dict[str, Any]] = []
    day = first
    counts: dict[str, int] = {}
    while day <= last:
        for entry in plan.session_on_day(plan.day_on(day)):
            count = counts[entry["id"]] = counts.get(entry["id"], 0) + 1
            dose = {
                "sets": int(entry["sets"]),
                "reps": entry.get("reps"),
                "hold_s": entry.get("hold_s"),
                "minutes": entry.get("minutes"),
            }
            rows.append(
                {
                    "plan_id": plan.id,
                    "session_date": day,
                    "slot": entry["id"],
                    "prescribed_variant": entry["id"],
                    "done_variant": entry["id"],
                    **{f"prescribed_{k}": v for k, v in dose.items()},
                    **{f"done_{k}": v for k, v in dose.items()},
                    "pain_during": 4 if sore_every and count % sore_every == 0 else 2,
                    "next_morning_worse": False,
                    "warning_signs": [],
                }
            )
        day += timedelta(days=1)
    return rows


def seed_sessions(plan: StoredPlan, first: date, last: date, sore_every: int | None = 3) -> int:
    """Log the plan's sessions from `first` to `last` in one transaction; returns the rows."""
    rows = session_rows(plan, first, last, sore_every)
    if rows:
        with transaction() as session:
            session.execute(insert(SessionLog), rows)
    return len(rows)
