"""Shoes: the pairs you wear, their distance and age, wear checks and activity uploads."""

from __future__ import annotations

import os
from datetime import date
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from kneecoach.core.activities import ActivityFile
from kneecoach.core.errors import InputError
from kneecoach.core.limits import MAX_UPLOAD_BYTES
from kneecoach.core.shoes import ACTIVITY_TYPES, SHOE_TYPES
from kneecoach.core.units import distance_input, distance_number, km_in, to_km
from kneecoach.services import activities as activity_service
from kneecoach.services import shoes as shoe_service
from kneecoach.services.database import Session
from kneecoach.services.units import units_to_show
from kneecoach.web.deps import SessionDep
from kneecoach.web.errors import in_web_words
from kneecoach.web.forms import FormDataDep, FormDep, FormErrors, optional_day, text, texts
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Shoes", "/shoes", 70)

UPLOAD_FIELDS = frozenset({"files", "shoe", "activity"})


def _page(
    request: Request,
    *,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    upload_errors: FormErrors | None = None,
    report: activity_service.ImportReport | None = None,
    status_code: int = 200,
    session: Session,
) -> HTMLResponse:
    today = date.today()
    watch_km, replace_km = shoe_service.replace_range()
    pairs = shoe_service.list_shoes(today=today, include_retired=True, session=session)
    from_intake = None
    if values is None and not pairs:
        from_intake = shoe_service.pair_from_intake(today=today, session=session)
        if from_intake is not None:  # the form asks in the person's unit
            unit = units_to_show(session=session).distance
            values = from_intake.form_values() | {
                "start_km": distance_input(from_intake.start_km, unit)
            }
    return render(
        request,
        "shoes/list.html",
        {
            "title": "Shoes",
            "pairs": pairs,
            "pair_names": {o.pair.id: o.pair.name for o in pairs},
            "watch_km": watch_km,
            "replace_km": replace_km,
            "honest_note": shoe_service.honest_note(),
            "support": shoe_service.support_advice(),
            "shoe_types": SHOE_TYPES,
            "activity_types": ACTIVITY_TYPES,
            "values": values or {},
            "errors": errors or FormErrors(),
            "upload_errors": upload_errors or FormErrors(),
            "report": report,
            "from_intake": from_intake,
        },
        status_code=status_code,
    )


@router.get("/shoes", response_class=HTMLResponse)
def shoes(request: Request, *, session: SessionDep) -> HTMLResponse:
    return _page(request, session=session)


@router.post("/shoes", response_model=None)
def add_pair(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    unit = units_to_show(session=session).distance
    try:
        start_km_text = text(values, "start_km")
        try:
            start = float(start_km_text) if start_km_text else 0.0
        except ValueError:
            raise InputError("start_km", f"{start_km_text!r} is not a number of {unit}") from None
        if not 0 <= start <= km_in(shoe_service.MAX_START_KM, unit):  # said in their unit
            top = distance_number(shoe_service.MAX_START_KM, unit, 0)
            raise InputError("start_km", f"must be between 0 and {top} {unit}")
        start_km = min(to_km(start, unit), shoe_service.MAX_START_KM)  # stored in km
        shoe_service.add_pair(
            text(values, "name"),
            today=date.today(),
            brand=text(values, "brand") or None,
            model=text(values, "model") or None,
            shoe_type=text(values, "type") or "other",
            start_date=optional_day(text(values, "start_date"), "start_date"),
            start_km=start_km,
            default_for=texts(values, "default_for"),
            session=session,
        )
    except InputError as error:
        errors = FormErrors()
        errors.add(error.field, in_web_words(error))  # the form's fields are the domain's names
        shown = {key: text(values, key) for key in values} | {
            "default_for": texts(values, "default_for")
        }
        return _page(request, values=shown, errors=errors, status_code=422, session=session)
    return RedirectResponse("/shoes?added=1", status_code=303)


@router.post("/shoes/activities", response_model=None)
def upload_activities(request: Request, form: FormDataDep, *, session: SessionDep) -> Response:
    """A plain `def`: it runs in the threadpool, reading each upload from its temporary file
    in chunks, so a big file neither blocks other requests nor is held in memory whole."""
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    shoe = str(form.get("shoe") or "") or None
    activity = str(form.get("activity") or "") or None
    errors = FormErrors()
    files: list[ActivityFile] = []
    try:
        chosen = [u for u in uploads if u.filename]
        if not chosen:
            raise InputError("files", "choose a .gpx, .fit or .csv file to upload")
        for upload in chosen:
            files.append(_read_upload(upload))
        report = activity_service.import_activities(
            files, shoe=shoe, activity=activity, session=session
        )
    except InputError as error:
        # "shoe" and "activity" are fields of the form; any other field names a file or a row
        field = error.field if error.field in UPLOAD_FIELDS else "files"
        where = "" if error.field in UPLOAD_FIELDS else f"{error.field}: "
        errors.add(field, where + in_web_words(error))
        return _page(request, upload_errors=errors, status_code=422, session=session)
    return _page(request, report=report, session=session)


def _read_upload(upload: UploadFile) -> ActivityFile:
    name = PurePath(upload.filename or "upload").name
    stream = upload.file
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > MAX_UPLOAD_BYTES:
        raise InputError("files", f"{name} is too big (over {MAX_UPLOAD_BYTES // 2**20} MB)")
    suffix = PurePath(name).suffix.lower()
    if suffix == ".gpx":
        return activity_service.read_gpx(name, stream)
    if suffix == ".fit":
        return activity_service.read_fit(name, stream)
    if suffix == ".csv":
        return activity_service.read_csv(name, stream)
    raise InputError("files", f"{name}: use a .gpx, .fit or .csv file")


@router.get("/shoes/{pair_id}/wear", response_class=HTMLResponse)
def wear_form(request: Request, pair_id: str, *, session: SessionDep) -> HTMLResponse:
    return _wear_page(request, pair_id, {}, FormErrors(), session=session)


@router.post("/shoes/{pair_id}/wear", response_model=None)
def wear_submit(
    request: Request, pair_id: str, values: FormDep, *, session: SessionDep
) -> Response:
    errors = FormErrors()
    answers: dict[str, bool] = {}
    for question in shoe_service.wear_questions():
        said = text(values, question.id)
        if said not in ("yes", "no"):
            errors.add(question.id, "answer yes or no")
        else:
            answers[question.id] = said == "yes"
    if errors:
        return _wear_page(request, pair_id, values, errors, status_code=422, session=session)
    try:
        result = shoe_service.record_wear_check(
            pair_id, answers, on=date.today(), today=date.today(), session=session
        )
    except InputError as error:
        errors.add(None, error.problem)
        return _wear_page(request, pair_id, values, errors, status_code=422, session=session)
    return render(request, "shoes/wear_done.html", {"title": "Wear check saved", "result": result})


def _wear_page(
    request: Request,
    pair_id: str,
    values: Any,
    errors: FormErrors,
    status_code: int = 200,
    *,
    session: Session,
) -> HTMLResponse:
    pairs = {
        o.pair.id: o
        for o in shoe_service.list_shoes(today=date.today(), include_retired=True, session=session)
    }
    overview = pairs.get(pair_id)
    if overview is None:
        from fastapi import HTTPException

        raise HTTPException(404, f"There is no pair of shoes called {pair_id!r}.")
    return render(
        request,
        "shoes/wear.html",
        {
            "title": f"Wear check: {overview.pair.name}",
            "overview": overview,
            "questions": shoe_service.wear_questions(),
            "values": {key: text(values, key) for key in values},
            "errors": errors,
        },
        status_code=status_code,
    )


@router.post("/shoes/{pair_id}/retire", response_model=None)
def retire(pair_id: str, *, session: SessionDep) -> Response:
    shoe_service.retire_pair(pair_id, on=date.today(), today=date.today(), session=session)
    return RedirectResponse("/shoes", status_code=303)
