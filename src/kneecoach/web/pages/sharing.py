"""The person's side of sharing (server mode): `/settings/access` — make a share code, see the
clinicians who can see your data and stop any of them, and read who looked at what and when
(the audit) — and `/notes`, "From your clinician". In personal mode these pages do not exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.services import adjustments, audit, clinic, sharing
from kneecoach.services.database import transaction
from kneecoach.web.clinic_views import PersonDep
from kneecoach.web.deps import SessionDep
from kneecoach.web.templating import render

router = APIRouter()


def _access_page(request: Request, person: PersonDep, code: Any = None) -> HTMLResponse:
    with transaction() as session:
        clinicians = sharing.clinicians_of(person.id, session=session)
        entries = audit.entries_about(person.id, session=session)
    context = {
        "title": "Who can see your data",
        "clinicians": clinicians,
        "entries": entries,
        "code": code,
    }
    return render(request, "sharing/access.html", context)


@router.get("/settings/access", response_class=HTMLResponse)
def access(request: Request, person: PersonDep) -> HTMLResponse:
    return _access_page(request, person)


@router.post("/settings/access/code", response_class=HTMLResponse)
def make_code(request: Request, person: PersonDep) -> HTMLResponse:
    with transaction() as session:
        code = sharing.make_share_code(person.id, session=session)
    return _access_page(request, person, code)


@router.post("/settings/access/clinicians/{clinician_id}/revoke", response_model=None)
def revoke(clinician_id: str, person: PersonDep) -> Response:
    with transaction() as session:
        sharing.revoke(person.id, clinician_id, session=session)
    return RedirectResponse("/settings/access?revoked=1", status_code=303)


@router.get("/notes", response_class=HTMLResponse)
def notes(request: Request, person: PersonDep, *, session: SessionDep) -> HTMLResponse:
    shown = clinic.notes(session=session)
    clinic.mark_notes_read(session=session)
    context = {
        "title": "From your clinician",
        "notes": shown,
        "changes": adjustments.shown_changes(session=session),
    }
    return render(request, "sharing/notes.html", context)
