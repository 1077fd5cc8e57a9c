"""/api/v1 today and sessions: today's doses after progression, logging what was done."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Body

from kneecoach.services import sessions as session_service
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.api.v1.schemas.sessions import (
    SESSION_EXAMPLE,
    LoggedPublic,
    SessionCreate,
    SessionLogPublic,
    TodayPublic,
)
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["sessions"], responses=ERROR_RESPONSES)


@router.get("/today", response_model=TodayPublic)
def today(on: dt.date | None = None, *, session: SessionDep) -> TodayPublic:
    """The day's exercises of the saved plan, each at its dose after progression, with why."""
    return TodayPublic.model_validate(session_service.todays_doses(on, session=session).as_json())


@router.post("/sessions", status_code=201, response_model=LoggedPublic)
def log_session(
    body: SessionCreate = Body(..., examples=[SESSION_EXAMPLE]), *, session: SessionDep
) -> LoggedPublic:
    """Log one day's session (the same document as `kneecoach session --file`)."""
    document = session_service.parse_session_document(body.model_dump(), "body")
    entries = session_service.log_session(
        document.exercises, on=document.date, warning_signs=document.warning_signs, session=session
    )
    if document.next_morning is not None:
        session_service.record_next_morning(
            document.next_morning.date, document.next_morning.worse, session=session
        )
    return LoggedPublic.model_validate({"logged": [entry.as_json() for entry in entries]})


@router.get("/sessions", response_model=SessionLogPublic)
def sessions(*, session: SessionDep) -> SessionLogPublic:
    """Every logged exercise of the current plan, oldest first."""
    return SessionLogPublic.model_validate(
        {"sessions": list(session_service.session_log(session=session))}
    )
