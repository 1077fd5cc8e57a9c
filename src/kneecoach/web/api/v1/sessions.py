"""/api/v1 today and sessions: today's doses after progression, logging what was done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Body

from kneecoach.services import sessions as session_service
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["sessions"], responses=ERROR_RESPONSES)

SESSION_EXAMPLE = {
    "date": "2026-03-14",
    "exercises": [{"id": "bridge", "sets": 2, "pain_during": 3}],
    "warning_signs": [],
}


@router.get("/today")
def today(on: dt.date | None = None, *, session: SessionDep) -> dict[str, Any]:
    """The day's exercises of the saved plan, each at its dose after progression, with why."""
    return session_service.todays_doses(on, session=session).as_json()


@router.post("/sessions", status_code=201)
def log_session(
    body: dict[str, Any] = Body(..., examples=[SESSION_EXAMPLE]), *, session: SessionDep
) -> dict[str, Any]:
    """Log one day's session (the same document as `kneecoach session --file`)."""
    document = session_service.parse_session_document(body, "body")
    entries = session_service.log_session(
        document.exercises, on=document.date, warning_signs=document.warning_signs, session=session
    )
    if document.next_morning is not None:
        session_service.record_next_morning(
            document.next_morning.date, document.next_morning.worse, session=session
        )
    return {"logged": [entry.as_json() for entry in entries]}


@router.get("/sessions")
def sessions(*, session: SessionDep) -> dict[str, Any]:
    """Every logged exercise of the current plan, oldest first."""
    return {"sessions": list(session_service.session_log(session=session))}
