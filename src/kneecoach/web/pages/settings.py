"""Settings: the country (emergency number and service names), equipment and minutes per day
(a new intake version, and a new plan), the habits tracked in the check-in, data export (JSON
and CSV), and delete-everything with confirmation."""

from __future__ import annotations

import json
import re
from contextlib import suppress
from datetime import date
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.errors import ConflictError, InputError, NotFoundError, each_problem
from kneecoach.core.intake import EQUIPMENT
from kneecoach.services import checkins as checkin_service
from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services import units as unit_service
from kneecoach.services.database import Session
from kneecoach.services.movement_check import forget_checks_of
from kneecoach.services.personal_data import (
    erase_everything,
    export_everything,
    leave_no_remains,
)
from kneecoach.web.country_views import country_form_errors, country_view
from kneecoach.web.deps import SessionDep, person_store_of
from kneecoach.web.forms import FormDep, FormErrors, text, texts, whole_number
from kneecoach.web.queue import QueueSessionDep, owner_of
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Settings", "/settings", 100)

CONFIRM_WORD = "DELETE"
UNIT_CHOICES = (
    ("distance", "Distance", (("km", "Kilometres (km)"), ("miles", "Miles"))),
    ("weight", "Body weight", (("kg", "Kilograms (kg)"), ("lb", "Pounds (lb)"))),
    ("paper", "Paper for printing", (("a4", "A4"), ("letter", "Letter"))),
)
"""The units section of the page: each setting, its name, and its choices."""
COUNTRY_ACTION = "/settings/country"


def _equipment_labels() -> dict[str, str]:
    for section in intake_service.intake_sections():
        for question in section.questions:
            if question.path == "equipment":
                return {choice.value: choice.label for choice in question.choices}
    return {item: item.replace("_", " ") for item in EQUIPMENT}


def _page(
    request: Request,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
    country: str | None = None,
    units: dict[str, str] | None = None,
    *,
    session: Session,
) -> HTMLResponse:
    saved = intake_service.latest_intake(session=session)
    setting = unit_service.current_units(session=session)
    intake = saved.intake() if saved else None
    shown = values
    if shown is None:
        shown = {
            "equipment": list(intake.equipment or []) if intake else [],
            "minutes_per_day": str(intake.minutes_per_day)
            if intake and intake.minutes_per_day is not None
            else "",
        }
    return render(
        request,
        "settings.html",
        {
            "title": "Settings",
            "has_intake": saved is not None,
            "equipment": _equipment_labels(),
            "values": shown,
            "errors": errors or FormErrors(),
            "factors": checkin_service.list_factors(session=session),
            "confirm_word": CONFIRM_WORD,
            "country": country_view(
                COUNTRY_ACTION, only_when_asking=False, selected=country, session=session
            ),
            "unit_values": units or setting.units.as_json(),
            "units_origins": setting.origins,
            "unit_choices": UNIT_CHOICES,
        },
        status_code=status_code,
    )


@router.get("/settings", response_class=HTMLResponse)
def settings(request: Request, *, session: SessionDep) -> HTMLResponse:
    return _page(request, session=session)


@router.post(COUNTRY_ACTION, response_model=None)
def save_country_setting(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    """Change the country; a bad value is shown next to the field and nothing is changed."""
    errors = country_form_errors(values, session=session)
    if errors is not None:
        return _page(
            request, None, errors, status_code=422, country=text(values, "country"), session=session
        )
    return RedirectResponse("/settings?country=1#country-heading", status_code=303)


@router.post("/settings/units", response_model=None)
def save_units(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    """Change the units shown; every bad choice is named next to its field, nothing changes."""
    chosen = {kind: text(values, kind) for kind in unit_service.KINDS}
    try:
        unit_service.set_units(**{k: v or None for k, v in chosen.items()}, session=session)
    except InputError as error:
        errors = FormErrors()
        for problem in each_problem(error):
            errors.add(problem.field, problem.problem)
        return _page(request, None, errors, status_code=422, units=chosen, session=session)
    return RedirectResponse("/settings?units=1#units-heading", status_code=303)


@router.post("/settings/exercise", response_model=None)
def save_exercise_settings(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    picked = texts(values, "equipment")
    shown = {"equipment": picked, "minutes_per_day": text(values, "minutes_per_day")}
    saved = intake_service.latest_intake(session=session)
    try:
        if saved is None:
            raise InputError("equipment", "answer the knee questions first (Start)")
        minutes = whole_number(text(values, "minutes_per_day"), "minutes_per_day", 0, 600)
        unknown = [item for item in picked if item not in EQUIPMENT]
        if unknown:
            raise InputError("equipment", f"{unknown[0]!r} is not a kind of kit we know")
        answers = dict(saved.answers)
        answers["equipment"] = picked
        if minutes is None:
            answers.pop("minutes_per_day", None)
        else:
            answers["minutes_per_day"] = minutes
        new = intake_service.import_intake(answers, session=session)
    except InputError as error:
        errors = FormErrors()
        errors.add(error.field, error.problem)
        return _page(request, shown, errors, status_code=422, session=session)
    remade = ""
    if plan_service.latest_plan(session=session) is not None:
        intake = new.intake()
        plan = plan_service.plan_for(intake, session=session)
        if not plan.refused:
            plan_service.save_plan(intake, plan, intake_version=new.version, session=session)
            remade = "&plan=1"
    return RedirectResponse(f"/settings?saved=1{remade}", status_code=303)


@router.post("/settings/habits", response_model=None)
def add_habit(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    # the name is a key the person never sees again: "Sat a lot?" becomes sat_a_lot
    name = re.sub(r"[^a-z0-9]+", "_", text(values, "habit_name").lower()).strip("_")
    if name[:1].isdigit():  # a key starts with a letter: "10 minutes sitting" is kept too
        name = f"habit_{name}"
    try:
        if not name:
            raise InputError("habit_name", "give the habit a short name, like long sitting")
        checkin_service.add_factor(name, text(values, "habit_question") or None, session=session)
    except InputError as error:
        errors = FormErrors()
        errors.add("habit_name", error.problem)
        return _page(request, None, errors, status_code=422, session=session)
    except ConflictError as error:
        errors = FormErrors()
        errors.add("habit_name", str(error).split(": ", 1)[-1])
        return _page(request, None, errors, status_code=422, session=session)
    return RedirectResponse("/settings?habit=1#habits", status_code=303)


@router.post("/settings/habits/{name}/remove", response_model=None)
def remove_habit(name: str, *, session: SessionDep) -> Response:
    with suppress(NotFoundError):  # already gone: the page shows what is tracked now
        checkin_service.remove_factor(name, session=session)
    return RedirectResponse("/settings#habits", status_code=303)


@router.get("/settings/export.json")
def export_json(*, session: SessionDep) -> Response:
    body = json.dumps(export_everything(session=session), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="kneecoach-{date.today()}.json"'},
    )


@router.get("/settings/checkins.csv")
def export_csv(*, session: SessionDep) -> Response:
    return Response(
        checkin_service.export_checkins_csv(session=session),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="kneecoach-checkins-{date.today()}.csv"'
        },
    )


@router.post("/settings/delete", response_model=None)
def delete_everything(
    request: Request,
    background: BackgroundTasks,
    values: FormDep,
    *,
    session: SessionDep,
    queue: QueueSessionDep,
) -> Response:
    if text(values, "confirm") != CONFIRM_WORD:
        errors = FormErrors()
        errors.add("confirm", f"type {CONFIRM_WORD} in capitals to delete everything")
        return _page(request, None, errors, status_code=422, session=session)
    erase_everything(session=session)
    owner = owner_of(request)
    if owner is not None:  # server mode: their movement checks are in the practice's queue
        forget_checks_of(owner, session=queue)
    # After the erase is committed, before the next page; in server mode the person's store.
    background.add_task(leave_no_remains, person_store_of(request))
    return RedirectResponse("/settings?deleted=1", status_code=303)
