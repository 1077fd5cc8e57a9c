"""/api/v1 for sharing with a clinician (server mode), the same services as the pages.

The person: `POST /sharing/codes` (a one-time share code), `GET /sharing/clinicians`,
`GET|DELETE /sharing/clinicians/{clinician_id}`, `GET /audit` (who looked at what),
`GET /notes` (from their clinicians, marked read).
The clinician: `POST /clinic/links` (type a code), `GET /clinic/people` (the panel),
and for a person who shares with them, `GET|POST /clinic/people/{person_id}/notes`,
`GET|POST /clinic/people/{person_id}/adjustments`,
`DELETE /clinic/people/{person_id}/adjustments/{adjustment_id}` (release). Those pass the
share check on every request (404 when not shared) and are written to the person's audit.
In personal mode none of these exists (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kneecoach.core.accounts import TooManyTries
from kneecoach.core.clinic import Adjustment, ChangeRequest, PanelRow
from kneecoach.core.errors import InputError
from kneecoach.services import adjustments, audit, clinic, sharing
from kneecoach.services.database import transaction
from kneecoach.services.sharing import Link
from kneecoach.web.api.v1.models import ERROR_RESPONSES, ErrorBody
from kneecoach.web.clinic_views import ClinicianDep, PersonDep, SharedPersonDep, panel_rows
from kneecoach.web.clinic_views import shared_person as shared_person_guard
from kneecoach.web.deps import SessionDep

RESPONSES: dict[int | str, dict[str, object]] = {
    **ERROR_RESPONSES,
    401: {"model": ErrorBody, "description": "Not signed in"},
    403: {"model": ErrorBody, "description": "This account's role cannot use this"},
    429: {"model": ErrorBody, "description": "Too many wrong codes: wait Retry-After seconds"},
}
router = APIRouter(tags=["sharing"], responses=RESPONSES)
person_router = APIRouter(
    prefix="/clinic/people/{person_id}",
    tags=["sharing"],
    responses=RESPONSES,
    dependencies=[Depends(shared_person_guard)],
)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ShareCodePublic(BaseModel):
    code: str = Field(examples=["HXKE-BRDD-9HXR"])
    expires_at: dt.datetime


class ClinicianPublic(BaseModel):
    clinician_id: str
    name: str
    since: dt.datetime


class PersonLinkPublic(BaseModel):
    person_id: str
    name: str
    since: dt.datetime


class LinkCreate(_Body):
    code: str = Field(max_length=64, examples=["HXKE-BRDD-9HXR"])


class AuditEntryPublic(BaseModel):
    at: dt.datetime
    actor_name: str
    actor_role: str
    action: str
    detail: str


class NoteCreate(_Body):
    text: str = Field(max_length=10_000, examples=["Well done this week. Keep the squats slow."])


class NotePublic(BaseModel):
    id: int
    at: dt.datetime
    clinician_name: str
    text: str
    read_at: dt.datetime | None


class PanelRowPublic(BaseModel):
    person_id: str
    name: str
    latest_pain: int | None
    alerts: list[str]
    newest_alert_on: dt.date | None
    change: float | None = Field(description="The worst score change since the first, points")
    mic: float | None = Field(description="The minimal important change of that score")
    change_in_mics: float | None
    last_checkin: dt.date | None


class ChangeCreate(_Body):
    slot: str = Field(description="The plan's exercise id")
    action: Literal["swap", "dose", "pause"]
    exercise_id: str | None = Field(None, description="swap: the exercise on the same ladder")
    sets: int | None = Field(None, ge=0, le=100)
    reps: int | None = Field(None, ge=0, le=1000)
    hold_s: int | None = Field(None, ge=0, le=3600)
    minutes: int | None = Field(None, ge=0, le=600)
    load: float | None = None


class AdjustmentCreate(_Body):
    reason: str = Field(max_length=2000, examples=["The knee flared after the long walk."])
    changes: list[ChangeCreate] = Field(min_length=1, max_length=50)


class DosePublic(BaseModel):
    exercise_id: str
    sets: int
    reps: int | None
    hold_s: int | None
    minutes: int | None


class ChangePublic(BaseModel):
    slot: str
    action: Literal["swap", "dose", "pause"]
    dose: DosePublic | None


class AdjustmentPublic(BaseModel):
    id: int
    at: dt.datetime
    clinician_name: str
    reason: str
    changes: list[ChangePublic]
    ended_by: Literal["released", "new_intake"] | None


def _clinician(link: Link) -> ClinicianPublic:
    return ClinicianPublic(
        clinician_id=link.clinician_id, name=link.clinician_name, since=link.since
    )


def _note(note: clinic.Note) -> NotePublic:
    return NotePublic(
        id=note.id,
        at=note.at,
        clinician_name=note.clinician_name,
        text=note.text,
        read_at=note.read_at,
    )


def _row(row: PanelRow) -> PanelRowPublic:
    return PanelRowPublic(
        person_id=row.person_id,
        name=row.name,
        latest_pain=row.latest_pain,
        alerts=list(row.alerts),
        newest_alert_on=row.newest_alert_on,
        change=row.change,
        mic=row.mic,
        change_in_mics=row.change_in_mics,
        last_checkin=row.last_checkin,
    )


def _adjustment(adjustment: Adjustment) -> AdjustmentPublic:
    return AdjustmentPublic(
        id=adjustment.id,
        at=adjustment.at,
        clinician_name=adjustment.clinician_name,
        reason=adjustment.reason,
        changes=[
            ChangePublic(
                slot=change.slot,
                action=change.action,
                dose=None
                if change.dose is None
                else DosePublic(
                    exercise_id=change.dose.exercise_id,
                    sets=change.dose.sets,
                    reps=change.dose.reps,
                    hold_s=change.dose.hold_s,
                    minutes=change.dose.minutes,
                ),
            )
            for change in adjustment.changes
        ],
        ended_by=adjustment.ended_by,
    )


# ── The person ──────────────────────────────────────────────────────────────────────────────


@router.post("/sharing/codes", response_model=ShareCodePublic, status_code=201)
def make_code(person: PersonDep) -> ShareCodePublic:
    with transaction() as session:
        made = sharing.make_share_code(person.id, session=session)
    return ShareCodePublic(code=made.code, expires_at=made.expires_at)


@router.get("/sharing/clinicians", response_model=list[ClinicianPublic])
def clinicians(person: PersonDep) -> list[ClinicianPublic]:
    with transaction() as session:
        return [_clinician(link) for link in sharing.clinicians_of(person.id, session=session)]


def _one_clinician(person_id: str, clinician_id: str) -> Link:
    with transaction() as session:
        for link in sharing.clinicians_of(person_id, session=session):
            if link.clinician_id == clinician_id:
                return link
    raise HTTPException(status_code=404, detail="You do not share with this clinician.")


@router.get("/sharing/clinicians/{clinician_id}", response_model=ClinicianPublic)
def clinician(clinician_id: str, person: PersonDep) -> ClinicianPublic:
    return _clinician(_one_clinician(person.id, clinician_id))


@router.delete("/sharing/clinicians/{clinician_id}", status_code=204)
def revoke(clinician_id: str, person: PersonDep) -> Response:
    with transaction() as session:
        sharing.revoke(person.id, clinician_id, session=session)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditEntryPublic])
def audit_entries(person: PersonDep) -> list[AuditEntryPublic]:
    with transaction() as session:
        found = audit.entries_about(person.id, session=session)
    return [
        AuditEntryPublic(
            at=entry.at,
            actor_name=entry.actor_name,
            actor_role=entry.actor_role,
            action=entry.action,
            detail=entry.detail,
        )
        for entry in found
    ]


@router.get("/notes", response_model=list[NotePublic])
def my_notes(person: PersonDep, *, session: SessionDep) -> list[NotePublic]:
    shown = [_note(note) for note in clinic.notes(session=session)]
    clinic.mark_notes_read(session=session)
    return shown


# ── The clinician ───────────────────────────────────────────────────────────────────────────


@router.post("/clinic/links", response_model=PersonLinkPublic, status_code=201)
def link(body: LinkCreate, clinician: ClinicianDep) -> Response | PersonLinkPublic:
    try:
        with transaction() as session:
            made = sharing.link_with_code(clinician.id, body.code, session=session)
    except TooManyTries as wait:
        return JSONResponse(
            {"error": {"field": "code", "problem": wait.problem}},
            status_code=429,
            headers={"Retry-After": str(wait.retry_after)},
        )
    except InputError:
        with transaction() as session:
            sharing.count_wrong_code(clinician.id, session=session)
        raise
    return PersonLinkPublic(person_id=made.person_id, name=made.person_name, since=made.since)


@router.get("/clinic/people", response_model=list[PanelRowPublic])
def people(clinician: ClinicianDep) -> list[PanelRowPublic]:
    return [_row(row) for row in panel_rows(clinician, dt.date.today())]


@person_router.get("/notes", response_model=list[NotePublic])
def notes(person_id: SharedPersonDep, *, session: SessionDep) -> list[NotePublic]:
    return [_note(note) for note in clinic.notes(session=session)]


@person_router.post("/notes", response_model=NotePublic, status_code=201)
def add_note(
    body: NoteCreate, person_id: SharedPersonDep, clinician: ClinicianDep, *, session: SessionDep
) -> NotePublic:
    return _note(
        clinic.leave_note(clinician.id, clinician.display_name, body.text, session=session)
    )


@person_router.get("/adjustments", response_model=list[AdjustmentPublic])
def list_adjustments(person_id: SharedPersonDep, *, session: SessionDep) -> list[AdjustmentPublic]:
    return [_adjustment(a) for a in adjustments.all_adjustments(session=session)]


@person_router.post("/adjustments", response_model=AdjustmentPublic, status_code=201)
def adjust(
    body: AdjustmentCreate,
    person_id: SharedPersonDep,
    clinician: ClinicianDep,
    *,
    session: SessionDep,
) -> AdjustmentPublic:
    requests = [ChangeRequest(**change.model_dump()) for change in body.changes]
    made = adjustments.adjust_plan(
        clinician.id, clinician.display_name, body.reason, requests, session=session
    )
    return _adjustment(made)


@person_router.delete("/adjustments/{adjustment_id}", response_model=AdjustmentPublic)
def release(
    adjustment_id: int, person_id: SharedPersonDep, *, session: SessionDep
) -> AdjustmentPublic:
    return _adjustment(adjustments.release(adjustment_id, session=session))


router.include_router(person_router)
