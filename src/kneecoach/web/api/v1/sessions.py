"""/api/v1 today and sessions: today's doses after progression, logging what was done."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from kneecoach.services import sessions as session_service
from kneecoach.web.api.v1.idempotency import (
    IdempotencyKeyDep,
    json_answer,
    keyed_answer,
    replayed,
)
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.api.v1.schemas.sessions import (
    SESSION_EXAMPLE,
    LoggedPublic,
    SessionCreate,
    SessionLogPublic,
    SessionLogQuery,
    TodayPublic,
)
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["sessions"], responses=ERROR_RESPONSES)
SESSIONS_ROUTE = "POST /api/v1/sessions"


@router.get("/today", response_model=TodayPublic)
def today(on: dt.date | None = None, *, session: SessionDep) -> TodayPublic:
    """The day's exercises of the saved plan, each at its dose after progression, with why."""
    return TodayPublic.model_validate(session_service.todays_doses(on, session=session).as_json())


@router.post("/sessions", status_code=201, response_model=LoggedPublic)
def log_session(
    key: IdempotencyKeyDep,
    body: SessionCreate = Body(..., examples=[SESSION_EXAMPLE]),
    *,
    session: SessionDep,
) -> Response:
    """Log one day's session (the same document as `kneecoach session --file`). With an
    `Idempotency-Key`, the same request sent again gets the first answer and logs nothing."""
    if key is not None:
        sent = {"body": body.model_dump(mode="json", exclude_unset=True)}
        first = replayed(key, SESSIONS_ROUTE, sent, session=session)
        if first is not None:
            return first
    document = session_service.parse_session_document(body.model_dump(), "body")
    entries = session_service.log_session(
        document.exercises, on=document.date, warning_signs=document.warning_signs, session=session
    )
    if document.next_morning is not None:
        session_service.record_next_morning(
            document.next_morning.date, document.next_morning.worse, session=session
        )
    answer = LoggedPublic.model_validate({"logged": [entry.as_json() for entry in entries]})
    return (
        json_answer(201, answer) if key is None else keyed_answer(key, 201, answer, session=session)
    )


@router.get("/sessions", response_model=SessionLogPublic)
def sessions(
    query: Annotated[SessionLogQuery, Query()], *, session: SessionDep
) -> SessionLogPublic:
    """The current plan's logged exercises on the `limit` latest days with sessions (30 unless
    asked), oldest first; `next_before` asks for the page of older days."""
    page = session_service.session_page(query.limit, query.before, session=session)
    return SessionLogPublic.model_validate(
        {"sessions": list(page.sessions), "next_before": page.next_before}
    )
