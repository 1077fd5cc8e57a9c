"""Check-in: the day's record in under 30 seconds, with any alerts shown right after.

Ticked boxes mean "yes, today"; the person saw each one, so an unticked box is "no". The form
only maps its fields to answers by column name: `core.checkins.checkin_from_answers` reads them,
the same parser the CLI, the API and (cell by cell) the CSV import use, so they cannot disagree.

The form carries the version of the day it showed (`version`, with that day in `version_day`):
if someone changed the day since (another tab, the CLI, an import), the service refuses the
save and the form comes back with what the person typed, a plain note, and the version now
stored, so saving again keeps their answers knowingly.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.checkins import FACTOR_PREFIX, CheckIn, checkin_from_answers
from kneecoach.core.errors import ConflictError, InputError, each_problem
from kneecoach.services import checkins as checkin_service
from kneecoach.services import safety_stop
from kneecoach.services import signals as signal_service
from kneecoach.services.database import Session
from kneecoach.web.alert_views import alert_views
from kneecoach.web.deps import SessionDep
from kneecoach.web.forms import FormDep, FormErrors, FormValues, text, texts
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Check-in", "/checkin", 40)

SYMPTOM_FLAGS = (
    ("clicking", "Clicking or grinding"),
    ("catching", "Catching (a brief snag)"),
    ("locking", "Locking (stuck, could not straighten it)"),
    ("giving_way", "Giving way"),
    ("weakness", "The leg felt weak"),
)
WARNING_FLAGS = (
    ("warm", "My knee felt hot"),
    ("fever", "I had a fever or felt hot and shivery"),
    ("calf_pain", "My calf was painful or swollen"),
)
NUMBER_FIELDS = ("pain", "pain_worst", "swelling", "stiffness_min", "steps", "exercise_pain")
SWELLING = ((0, "None"), (1, "Mild"), (2, "Moderate"), (3, "Severe"))
LABELS = {
    "date": "Day",
    "pain": "Usual pain",
    "pain_worst": "Worst pain",
    "swelling": "Swelling",
    "stiffness_min": "Stiffness",
    "steps": "Steps",
    "exercise_pain": "Pain during exercise",
    "next_morning_worse": "This morning",
    "factors": "Your own questions",
    "flags": "What happened today",
    "shoe": "Shoes",
    "note": "Note",
}
"""Each field's short name, so the list of problems at the top says which answer is wrong."""
IN_MORE = frozenset({"date", "pain_worst", "exercise_pain", "next_morning_worse", "steps", "note"})
"""The fields inside "More (if you like)": it opens when one of them has a problem."""


def form_answers(values: FormValues, factor_names: list[str]) -> dict[str, object]:
    """The posted form as raw answers by column name, for `checkin_from_answers`.

    Each form field carries its column's name; a box the person saw and left unticked is a
    "no", and a day left out is today."""
    raw: dict[str, object] = {"date": text(values, "date") or date.today().isoformat()}
    for name in NUMBER_FIELDS:
        raw[name] = text(values, name)
    ticked = set(texts(values, "flags"))
    for name, _ in (*SYMPTOM_FLAGS, *WARNING_FLAGS):
        raw[name] = name in ticked
    morning = text(values, "next_morning_worse")
    if morning in ("yes", "no"):
        raw["next_morning_worse"] = morning == "yes"
    for name in ("shoe", "note"):
        raw[name] = text(values, name)
    picked = texts(values, "factors")
    for name in factor_names:
        raw[FACTOR_PREFIX + name] = name in picked
    for name in picked:
        raw[FACTOR_PREFIX + name] = True
    return raw


def form_field_for(field: str) -> str:
    """The form field that shows a domain field's problem: a factor's is the factors' box."""
    return "factors" if field.startswith(FACTOR_PREFIX) else field


def read_checkin(values: FormValues, factor_names: list[str]) -> CheckIn:
    """The posted form as a CheckIn, or InputError naming the domain field."""
    return checkin_from_answers(form_answers(values, factor_names), today=date.today())


def _form_values_of(checkin: CheckIn) -> dict[str, Any]:
    shown: dict[str, Any] = {"date": checkin.day.isoformat()}
    for name in NUMBER_FIELDS:
        value = checkin.value(name)
        shown[name] = "" if value is None else f"{value:g}"
    shown["flags"] = [n for n, _ in (*SYMPTOM_FLAGS, *WARNING_FLAGS) if checkin.value(n)]
    shown["factors"] = [name for name, answer in checkin.factors if answer]
    if checkin.next_morning_worse is not None:
        shown["next_morning_worse"] = "yes" if checkin.next_morning_worse else "no"
    shown["shoe"] = checkin.shoe or ""
    shown["note"] = checkin.note or ""
    return shown


def _shoe_choices(*, session: Session) -> list[tuple[str, str]]:
    try:
        from kneecoach.services import shoes as shoe_service

        return [
            (o.pair.id, o.pair.name)
            for o in shoe_service.list_shoes(today=date.today(), session=session)
        ]
    except ModuleNotFoundError:
        return []


def expected_version(values: FormValues, day: date) -> int | None:
    """The version of `day` the form showed; None when it showed another day (the person
    changed the date) or carries none."""
    shown = text(values, "version")
    if text(values, "version_day") != day.isoformat() or not shown.isdigit():
        return None
    return int(shown)


def _version_fields(day: date, *, session: Session) -> dict[str, str]:
    stored = checkin_service.stored_checkin_on(day, session=session)
    return {"version": str(stored.version if stored else 0), "version_day": day.isoformat()}


def _typed(values: FormValues) -> dict[str, Any]:
    """The posted form as the template shows it again: nothing the person typed is lost."""
    shown: dict[str, Any] = {key: text(values, key) for key in values}
    shown["flags"] = texts(values, "flags")
    shown["factors"] = texts(values, "factors")
    shown["change"] = texts(values, "change")
    return shown


def _recorded(
    day: date, values: dict[str, Any], changing: list[str], *, session: Session
) -> dict[str, Any]:
    """The answers Today already collected for `day` that the page shows as recorded (with a
    link to change each) instead of asking again; `changing` are those the person reopened.
    Each recorded answer also goes into the form's values, so saving keeps it."""
    recorded = {
        column: answer
        for column, answer in checkin_service.recorded_answers(day, session=session).items()
        if column not in changing
    }
    for column, answer in recorded.items():
        if column == "next_morning_worse":
            values[column] = "yes" if answer else "no"
        else:
            values[column] = f"{answer:g}"
    return recorded


def _page(
    request: Request,
    values: dict[str, Any],
    errors: FormErrors,
    status_code: int = 200,
    conflict: bool = False,
    *,
    session: Session,
) -> HTMLResponse:
    try:
        day = date.fromisoformat(str(values.get("date") or ""))
    except ValueError:
        day = date.today()
    changing = list(values.get("change") or [])
    recorded = _recorded(day, values, changing, session=session)
    return render(
        request,
        "checkin/form.html",
        {
            "title": "Daily check-in",
            "values": values,
            "errors": errors,
            "symptoms": SYMPTOM_FLAGS,
            "warnings": WARNING_FLAGS,
            "swelling": SWELLING,
            "factors": checkin_service.list_factors(session=session),
            "shoes": _shoe_choices(session=session),
            "today": date.today().isoformat(),
            "day_words": day.strftime("%A %d %B %Y"),
            "conflict": conflict,
            "recorded": recorded,
            "changing": changing,
            "labels": LABELS,
            "open_more": any(name in IN_MORE for name in errors.by_field),
        },
        status_code=status_code,
    )


@router.get("/checkin", response_class=HTMLResponse)
def checkin_form(request: Request, day: str | None = None, *, session: SessionDep) -> HTMLResponse:
    """Today's form; a day already logged comes back filled in, to change it. What Today
    already collected that day is shown as recorded, not asked again, unless `?change=NAME`
    reopens it."""
    chosen = date.today()
    if day:
        try:
            chosen = date.fromisoformat(day)
        except ValueError:
            chosen = date.today()
    existing = checkin_service.checkin_on(chosen, session=session)
    if existing is not None:
        values = _form_values_of(existing)
    else:
        values = {"date": chosen.isoformat()}
        yesterday = checkin_service.checkin_on(chosen - timedelta(days=1), session=session)
        values["pain"] = f"{yesterday.pain:g}" if yesterday else "0"
    values |= _version_fields(chosen, session=session)
    values["change"] = request.query_params.getlist("change")
    return _page(request, values, FormErrors(), session=session)


def _recorded_for_posted_day(values: FormValues, *, session: Session) -> None:
    """The answers shown as recorded belong to the day the page showed: if the person moved
    the form to another day, they give way to what Today recorded for that day (if anything),
    so one day's session never lands in another day's check-in."""
    shown_day, posted = (
        text(values, "version_day"),
        text(values, "date") or date.today().isoformat(),
    )
    if shown_day == posted:
        return
    for name in texts(values, "recorded"):
        values.pop(name, None)
    try:
        day = date.fromisoformat(posted)
    except ValueError:
        return  # the date's own problem is reported by the parser
    for column, answer in checkin_service.recorded_answers(day, session=session).items():
        if column not in values:
            values[column] = (
                ("yes" if answer else "no") if column == "next_morning_worse" else f"{answer:g}"
            )


@router.post("/checkin", response_model=None)
def checkin_submit(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    factor_names = [factor.name for factor in checkin_service.list_factors(session=session)]
    _recorded_for_posted_day(values, session=session)
    try:
        checkin = read_checkin(values, factor_names)
        checkin_service.record_checkin(
            checkin,
            merge=False,
            source="web",
            expected_version=expected_version(values, checkin.day),
            session=session,
        )
    except InputError as error:
        errors = FormErrors()
        for problem in each_problem(error):
            errors.add(form_field_for(problem.field), problem.problem)
        return _page(request, _typed(values), errors, status_code=422, session=session)
    except ConflictError as error:
        if error.field != "version":
            raise
        shown = _typed(values) | _version_fields(checkin.day, session=session)
        return _page(request, shown, FormErrors(), status_code=409, conflict=True, session=session)
    return RedirectResponse(f"/checkin/done?day={checkin.day.isoformat()}", status_code=303)


@router.get("/checkin/done", response_class=HTMLResponse)
def checkin_done(request: Request, day: str, *, session: SessionDep) -> HTMLResponse:
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        raise InputError("day", f"{day!r} is not a date like 2026-03-14") from None
    checkin = checkin_service.checkin_on(chosen, session=session)
    alerts = alert_views(signal_service.stored_alerts_on(chosen, session=session))
    safety = None if checkin is None else safety_stop.checkin_safety(checkin, session=session)
    if safety is not None:  # the safety message says it all, in the intake's words and level
        alerts = [alert for alert in alerts if alert.id != "red_flag"]
    return render(
        request,
        "checkin/done.html",
        {
            "title": safety.level.title if safety else "Check-in saved",
            "checkin": checkin,
            "day": chosen,
            "alerts": alerts,
            "safety": safety,
            "stop_words": safety_stop.stop_words(),
            # a red flag stops the plan: no flare plan beside it, only the safety message
            "flare_links": safety is None and all(a.flare_link for a in alerts),
        },
    )
