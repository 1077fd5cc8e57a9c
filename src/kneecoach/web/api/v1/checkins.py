"""/api/v1 check-ins and signals: record a day, list the days, the alerts and the insights.

A check-in body uses the CSV columns of shared/spec/checkins.md as keys; each value is read
by the same cell rules as the CSV import (so `"pain": 11` fails the same way in both).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Body

from kneecoach.core.checkins import (
    FACTOR_PREFIX,
    FACTOR_RULE,
    RULES_BY_COLUMN,
    CellProblem,
    make_checkin,
    parse_cell,
)
from kneecoach.core.errors import InputError
from kneecoach.services import checkins as checkin_service
from kneecoach.services import safety_stop
from kneecoach.services import signals as signal_service
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["check-ins"], responses=ERROR_RESPONSES)

CHECKIN_EXAMPLE = {"date": "2026-03-14", "pain": 3, "swelling": 1, "stiffness_min": 10}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def checkin_from_json(raw: dict[str, Any]) -> Any:
    """A check-in from JSON, each value checked by its column's rule."""
    typed: dict[str, Any] = {}
    for key, value in raw.items():
        if key.startswith(FACTOR_PREFIX):
            rule = FACTOR_RULE
        elif key in RULES_BY_COLUMN:
            rule = RULES_BY_COLUMN[key]
        else:
            raise InputError(key, "is not a check-in column (see shared/spec/checkins.md)")
        try:
            typed[key] = parse_cell(rule, _cell_text(value))
        except CellProblem as problem:
            raise InputError(key, str(problem)) from None
    return make_checkin(typed)


@router.post("/checkins", status_code=201)
def record_checkin(
    body: dict[str, Any] = Body(..., examples=[CHECKIN_EXAMPLE]),
    merge: bool = True,
    *,
    session: SessionDep,
) -> dict[str, Any]:
    """Store one day's check-in (a later one for the same date updates it, keeping a revision).
    Answers the alerts dated that day, so a client can show them right after."""
    checkin = checkin_from_json(body)
    recorded = checkin_service.record_checkin(checkin, merge=merge, source="api", session=session)
    alerts = signal_service.stored_alerts_on(checkin.day, session=session)
    safety = safety_stop.checkin_safety(recorded.checkin, session=session)
    return {
        "status": recorded.status,
        "checkin": recorded.checkin.values(),
        **signal_service.alerts_document(alerts),
        "safety": None if safety is None else safety.as_json(),
    }


@router.get("/checkins")
def list_checkins(
    first: dt.date | None = None, last: dt.date | None = None, *, session: SessionDep
) -> dict[str, Any]:
    return {
        "checkins": [
            c.values() for c in checkin_service.list_checkins(first, last, session=session)
        ]
    }


@router.get("/signals")
def signals(*, session: SessionDep) -> dict[str, Any]:
    """The alerts the stored check-ins raise, in date order (shared/spec/checkins.md)."""
    return signal_service.alerts_document(
        signal_service.alerts_for(checkin_service.list_checkins(session=session), session=session)
    )


@router.get("/insights")
def insights(*, session: SessionDep) -> dict[str, Any]:
    """What seems to help or hurt: symptoms on days with and without each factor."""
    return signal_service.insights_for(checkin_service.list_checkins(session=session)).as_json()
