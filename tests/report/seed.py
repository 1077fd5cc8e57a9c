"""A month of use for the report tests: an intake and a plan, 30 days of check-ins (one with a
red flag and a few notes), the sessions logged, KOOS and KOOS JR answered twice, two pairs of
shoes. Inserted with the real services (and the bulk helpers of tests/history.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from kneecoach.services import outcomes as outcome_service
from kneecoach.services import shoes as shoe_service
from kneecoach.services.database import transaction
from kneecoach.storage.models.checkins import CheckInRow
from kneecoach.storage.models.plans import SessionLog
from tests.db import in_session
from tests.history import checkin_rows, seed_plan, session_rows

DAYS = 30
NOTE = "Walked to the shops with no pain going down the hill"
RED_FLAG_DAY = 10
"""Days before today of the check-in that says the knee felt hot and swollen."""

KOOS_CODES_FIRST = {
    **{f"S{i}": 2 for i in range(1, 8)},
    **{f"P{i}": 2 for i in range(1, 10)},
    **{f"A{i}": 2 for i in range(1, 18)},
    **{f"SP{i}": 3 for i in range(1, 6)},
    **{f"Q{i}": 3 for i in range(1, 5)},
}
KOOS_CODES_LATER = {code: max(0, value - 1) for code, value in KOOS_CODES_FIRST.items()}


def answers_for(first: bool) -> dict[str, int]:
    return dict(KOOS_CODES_FIRST if first else KOOS_CODES_LATER)


def seed_month(today: date | None = None, red_flag: bool = True) -> date:
    """Seed a month of use ending yesterday; returns the first day."""
    today = today or date.today()
    first = today - timedelta(days=DAYS)
    plan = seed_plan(first)
    rows: list[dict[str, Any]] = checkin_rows(DAYS, today - timedelta(days=1))
    for row in rows:
        offset = (today - row["day"]).days
        if offset in (5, 12, 20):
            row["note"] = f"{NOTE} ({offset})"
        if red_flag and offset == RED_FLAG_DAY:
            row.update({"warm": True, "swelling": 2, "note": "Knee felt hot after the walk"})
    with transaction() as session:
        session.execute(insert(CheckInRow), rows)
    logged = session_rows(plan, first, today - timedelta(days=1), sore_every=None)
    harder = next(row["slot"] for row in logged if row["prescribed_reps"])
    for row in logged:  # one exercise went up by 2 reps halfway through the month
        if row["slot"] == harder and row["session_date"] >= first + timedelta(days=15):
            row["prescribed_reps"] += 2
            row["done_reps"] += 2
    with transaction() as session:
        session.execute(insert(SessionLog), logged)
    for instrument in ("koos", "koosjr"):
        in_session(
            outcome_service.save_answers, instrument, answers_for(True), first + timedelta(days=1)
        )
        in_session(
            outcome_service.save_answers, instrument, answers_for(False), today - timedelta(days=2)
        )
    in_session(
        shoe_service.add_pair,
        "Trail runners",
        today=today,
        shoe_type="running",
        start_date=today - timedelta(days=400),
        start_km=700.0,
    )
    in_session(shoe_service.add_pair, "Town shoes", today=today, shoe_type="walking")
    return first


def import_example(examples: Path, name: str) -> None:
    from kneecoach.services import intake as intake_service

    in_session(intake_service.import_intake, json.loads((examples / name).read_text()))
