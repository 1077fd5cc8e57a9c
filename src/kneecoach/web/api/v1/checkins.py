"""/api/v1 check-ins and signals: record a day, list the days, the alerts and the insights.

A check-in body uses the CSV columns of shared/spec/checkins.md as keys (its model is generated
from the column rules); it only maps the JSON to answers: `core.checkins.checkin_from_answers`
reads them, the same parser as the form, the CLI and (cell by cell) the CSV import, so
`"pain": 11` fails the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response

from kneecoach.core.checkins import CheckIn, checkin_from_answers
from kneecoach.services import checkins as checkin_service
from kneecoach.services import safety_stop
from kneecoach.services import signals as signal_service
from kneecoach.web.api.v1.idempotency import (
    IdempotencyKeyDep,
    json_answer,
    keyed_answer,
    replayed,
)
from kneecoach.web.api.v1.models import ERROR_RESPONSES, ErrorBody
from kneecoach.web.api.v1.schemas.checkins import (
    CHECKIN_EXAMPLE,
    AlertsPublic,
    CheckInCreate,
    CheckInPublic,
    CheckInRecorded,
    CheckInsPublic,
    CheckInsQuery,
    InsightsPublic,
    SafetyMessagePublic,
)
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["check-ins"], responses=ERROR_RESPONSES)
CHECKINS_ROUTE = "POST /api/v1/checkins"


@router.post(
    "/checkins",
    status_code=201,
    response_model=CheckInRecorded,
    responses={
        409: {
            "model": ErrorBody,
            "description": "The day changed since the `version` you read: nothing was saved",
        }
    },
)
def record_checkin(
    request: Request,
    key: IdempotencyKeyDep,
    body: CheckInCreate = Body(..., examples=[CHECKIN_EXAMPLE]),
    merge: bool = True,
    *,
    session: SessionDep,
) -> Response:
    """Store one day's check-in (a later one for the same date updates it, keeping a revision).
    With `version` (the one you read, 0 for none), a day someone changed since is refused with
    409 and nothing is saved. Answers with the safety message the day raised, and with
    `alerts_url`, where that day's trend alerts are (GET it to show them). With an
    `Idempotency-Key`, the same request sent again gets the first answer and writes nothing
    (a phone replaying what it queued offline).

    The alerts are a link, not part of the answer: working them out is a walk over the days
    before, which costs more than the write itself when several writes of nearby days come at
    once (a phone sending a backlog, an import), and every write would pay for it. The safety
    message, which can say "get help now", stays in the answer."""
    if key is not None:
        document = {"body": body.model_dump(mode="json", exclude_unset=True), "merge": merge}
        first = replayed(key, CHECKINS_ROUTE, document, session=session)
        if first is not None:
            return first
    checkin = checkin_from_answers(body.answers(), today=dt.date.today())
    # What the safety check needs is read before the write (a read takes no lock), so a quiet
    # day's answer needs nothing more from the database once the write is kept.
    judge = safety_stop.checkin_judge(session=session)
    recorded = checkin_service.record_checkin(
        checkin, merge=merge, source="api", expected_version=body.version, session=session
    )
    if key is None:
        # The write is kept at once, and SQLite's single write lock is released before a red
        # flag's stop is read, so other writers do not queue behind that reading. A keyed
        # write keeps its answer in the same unit of work, so it waits.
        session.commit()
    safety = judge.message_for(recorded.checkin, session=session)
    answer = CheckInRecorded.model_validate(
        {
            "status": recorded.status,
            "checkin": _public(recorded.checkin, recorded.version),
            "alerts_url": alerts_url(request, checkin.day),
            "safety": None
            if safety is None
            else SafetyMessagePublic.model_validate(safety.as_json()),
        }
    )
    if key is None:
        session.commit()  # the reading done too: the request's unit of work has nothing left
        return json_answer(201, answer)
    keyed = keyed_answer(key, 201, answer, session=session)
    session.commit()  # the check-in, its key and its answer, together
    return keyed


@router.get("/checkins", response_model=CheckInsPublic)
def list_checkins(
    query: Annotated[CheckInsQuery, Query()], *, session: SessionDep
) -> CheckInsPublic:
    """The stored check-ins from `first` to `last` (either open), oldest first: the `limit`
    latest days (30 unless asked); `next_before` asks for the page of older days."""
    page = checkin_service.checkin_page(
        query.first, query.last, query.limit, query.before, session=session
    )
    return CheckInsPublic(
        checkins=[_public(s.checkin, s.version) for s in page.checkins],
        next_before=page.next_before,
    )


def _public(checkin: CheckIn, version: int) -> Any:
    return CheckInPublic.model_validate({**checkin.values(), "version": version})


@router.get("/signals", response_model=AlertsPublic)
def signals(
    first: dt.date | None = None, last: dt.date | None = None, *, session: SessionDep
) -> AlertsPublic:
    """The alerts the stored check-ins raise, in date order (shared/spec/checkins.md); with
    `first` and/or `last`, only those dated in that range (both included). A range costs what
    its days need, however long the history."""
    alerts = signal_service.stored_alerts_dated(first, last, session=session)
    return AlertsPublic.model_validate(signal_service.alerts_document(alerts))


def alerts_url(request: Request, day: dt.date) -> str:
    """Where one day's alerts are: this API's `/signals` for that day (under any root path)."""
    path = request.app.url_path_for("signals")
    return (
        f"{request.scope.get('root_path', '')}{path}?first={day.isoformat()}&last={day.isoformat()}"
    )


@router.get("/insights", response_model=InsightsPublic)
def insights(last: dt.date | None = None, *, session: SessionDep) -> InsightsPublic:
    """What seems to help or hurt: symptoms on days with and without each factor, over the 12
    weeks up to `last` (the latest check-in's day unless given), as the progress page shows."""
    recent = signal_service.recent_insights(last, session=session)
    return InsightsPublic.model_validate(
        {**recent.report.as_json(), "first": recent.first, "last": recent.last}
    )
