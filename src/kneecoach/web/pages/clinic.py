"""The clinician's pages (server mode): the panel `/clinic` (their people, newest alerts and
worst changes first) with the share-code box, and for one person who shares with them
`/clinic/people/{person_id}`: the summary, their report (HTML and PDF), handover letter and
results, read-only, plus a note to the person and changes to their plan.

Every route under `/clinic/people/{person_id}` passes `shared_person` first (the share asked
again on each request, the read recorded in the person's audit), so it reads that person's
store and nobody else's; a person who does not share gets 404.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from kneecoach.core.accounts import TooManyTries
from kneecoach.core.clinic import CHANGE_ACTIONS, ChangeRequest
from kneecoach.core.errors import InputError
from kneecoach.core.report import Period, date_of
from kneecoach.data.report import report_words
from kneecoach.render.report import handover_body, handover_style, pdf_of, report_html
from kneecoach.services import adjustments, clinic, sharing
from kneecoach.services import handover as handover_service
from kneecoach.services import plan as plan_service
from kneecoach.services import report as report_service
from kneecoach.services.database import transaction
from kneecoach.web.clinic_views import (
    ClinicianDep,
    SharedPersonDep,
    panel_rows,
    person_name,
    shared_person,
)
from kneecoach.web.deps import SessionDep
from kneecoach.web.forms import FormDep, FormErrors, FormValues, text
from kneecoach.web.pages.report import DEFAULT_DAYS
from kneecoach.web.pages.results import results as results_page
from kneecoach.web.templating import render

router = APIRouter()
person_router = APIRouter(
    prefix="/clinic/people/{person_id}", dependencies=[Depends(shared_person)]
)
"""Routes about one person: the share check runs before anything opens their store."""


def _panel(
    request: Request,
    clinician: ClinicianDep,
    errors: FormErrors | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "title": "Your people",
        "rows": panel_rows(clinician, date.today()),
        "errors": errors or FormErrors(),
        "linked": request.query_params.get("linked", ""),
    }
    page = render(request, "clinic/panel.html", context, status_code=status_code)
    page.headers.update(headers or {})
    return page


@router.get("/clinic", response_class=HTMLResponse)
def panel(request: Request, clinician: ClinicianDep) -> HTMLResponse:
    return _panel(request, clinician)


@router.post("/clinic/link", response_model=None)
def link(request: Request, values: FormDep, clinician: ClinicianDep) -> Response:
    errors = FormErrors()
    try:
        with transaction() as session:
            linked = sharing.link_with_code(clinician.id, text(values, "code"), session=session)
    except TooManyTries as wait:
        errors.add("code", wait.problem)
        return _panel(request, clinician, errors, 429, {"Retry-After": str(wait.retry_after)})
    except InputError as error:
        with transaction() as session:
            sharing.count_wrong_code(clinician.id, session=session)
        errors.add("code", error.problem)
        return _panel(request, clinician, errors, 400)
    return RedirectResponse(f"/clinic?linked={linked.person_id}", status_code=303)


def _person_page(
    request: Request,
    person_id: str,
    errors: FormErrors | None = None,
    values: FormValues | None = None,
    status_code: int = 200,
    *,
    session: Any,
) -> HTMLResponse:
    today = date.today()
    plan = plan_service.latest_plan(session=session)
    name = person_name(person_id)
    context = {
        "title": name,
        "person_id": person_id,
        "row": clinic.panel_row(person_id, name, today, session=session),
        "notes": clinic.notes(session=session),
        "adjustments": adjustments.all_adjustments(session=session),
        "slots": [] if plan is None else plan.slots(),
        "actions": CHANGE_ACTIONS,
        "errors": errors or FormErrors(),
        "values": values or {},
        "report_from": today - timedelta(days=DEFAULT_DAYS - 1),
        "report_to": today,
    }
    return render(request, "clinic/person.html", context, status_code=status_code)


@person_router.get("", response_class=HTMLResponse)
def person(request: Request, person_id: SharedPersonDep, *, session: SessionDep) -> HTMLResponse:
    return _person_page(request, person_id, session=session)


def _period(request: Request) -> Period:
    """The report's dates from the query (`from`, `to`), the last 4 weeks when not given."""
    today = date.today()
    query = request.query_params
    first = query.get("from") or today - timedelta(days=DEFAULT_DAYS - 1)
    return Period.checked(date_of(first, "from"), date_of(query.get("to") or today, "to"), today)


@person_router.get("/report", response_class=HTMLResponse)
def report(request: Request, person_id: SharedPersonDep, *, session: SessionDep) -> HTMLResponse:
    data = report_service.gather_report(_period(request), today=date.today(), session=session)
    paper = report_service.paper_for(request.query_params.get("paper"), session=session)
    return HTMLResponse(report_html(data, paper))


@person_router.get("/report.pdf", response_model=None)
def report_pdf(request: Request, person_id: SharedPersonDep, *, session: SessionDep) -> Response:
    period = _period(request)
    data = report_service.gather_report(period, today=date.today(), session=session)
    paper = report_service.paper_for(request.query_params.get("paper"), session=session)
    name = f"kneecoach-report-{period.first.isoformat()}-to-{period.last.isoformat()}.pdf"
    return Response(
        pdf_of(report_html(data, paper)).data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@person_router.get("/handover", response_class=HTMLResponse)
def handover(request: Request, person_id: SharedPersonDep, *, session: SessionDep) -> HTMLResponse:
    letter = handover_service.handover(session=session)
    context = {
        "title": report_words()["handover_title"],
        "words": report_words(),
        "letter": Markup(handover_body(letter)) if letter is not None else None,
        "style": Markup(handover_style()),
        "person_id": person_id,
    }
    return render(request, "clinic/letter.html", context)


@person_router.get("/results", response_class=HTMLResponse)
def results(request: Request, person_id: SharedPersonDep, *, session: SessionDep) -> HTMLResponse:
    return results_page(request, session=session)


@person_router.post("/notes", response_model=None)
def add_note(
    request: Request,
    values: FormDep,
    person_id: SharedPersonDep,
    clinician: ClinicianDep,
    *,
    session: SessionDep,
) -> Response:
    try:
        clinic.leave_note(
            clinician.id, clinician.display_name, text(values, "text"), session=session
        )
    except InputError as error:
        errors = FormErrors()
        errors.add("text", error.problem)
        return _person_page(request, person_id, errors, values, 400, session=session)
    return RedirectResponse(f"/clinic/people/{person_id}?noted=1", status_code=303)


def _number(values: FormValues, name: str) -> int | None:
    raw = text(values, name)
    if not raw:
        return None
    if not raw.isdigit():
        raise InputError(name, f"{raw!r} is not a whole number")
    return int(raw)


@person_router.post("/adjustments", response_model=None)
def adjust(
    request: Request,
    values: FormDep,
    person_id: SharedPersonDep,
    clinician: ClinicianDep,
    *,
    session: SessionDep,
) -> Response:
    try:
        action = text(values, "action")
        if action not in CHANGE_ACTIONS:
            raise InputError("action", f"choose one of {', '.join(CHANGE_ACTIONS)}")
        change = ChangeRequest(
            slot=text(values, "slot"),
            action=action,
            exercise_id=text(values, "exercise_id") or None,
            sets=_number(values, "sets"),
            reps=_number(values, "reps"),
            hold_s=_number(values, "hold_s"),
            minutes=_number(values, "minutes"),
        )
        adjustments.adjust_plan(
            clinician.id, clinician.display_name, text(values, "reason"), [change], session=session
        )
    except InputError as error:
        errors = FormErrors()
        errors.add(error.field.rsplit(".", 1)[-1], error.problem)
        return _person_page(request, person_id, errors, values, 400, session=session)
    return RedirectResponse(f"/clinic/people/{person_id}?adjusted=1", status_code=303)


@person_router.post("/adjustments/{adjustment_id}/release", response_model=None)
def release(adjustment_id: int, person_id: SharedPersonDep, *, session: SessionDep) -> Response:
    adjustments.release(adjustment_id, session=session)
    return RedirectResponse(f"/clinic/people/{person_id}?released=1", status_code=303)


router.include_router(person_router)
