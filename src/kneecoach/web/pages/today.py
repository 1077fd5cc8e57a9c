"""Today: the day's exercises as cards (illustration, dose, hold/rest timer), ticking off sets,
the pain during each (a row of 0 to 10 buttons), the warning signs, and the next-morning
question the day after.

The form posts plain checkboxes and radio buttons, so it works without JavaScript; the timer is
an enhancement. Logging goes through the same `log_session` as `kneecoach session`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.errors import ConflictError, InputError
from kneecoach.data.planning import load_progression_rules
from kneecoach.services import adjustments, clinic, journey, safety_stop
from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services import sessions as session_service
from kneecoach.services.database import Session, is_server_mode
from kneecoach.web.course_views import course_card
from kneecoach.web.deps import SessionDep
from kneecoach.web.exercise_views import exercise_card
from kneecoach.web.forms import FormDep, FormErrors, FormValues, text, texts
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Today", "/today", 30)


def _logged_today(
    plan: plan_service.StoredPlan, on: date, *, session: Session
) -> list[dict[str, Any]]:
    return list(session_service.session_log(plan, on, on, session=session))


def _page(
    request: Request,
    values: FormValues | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
    conflict: bool = False,
    *,
    session: Session,
) -> HTMLResponse:
    plan = plan_service.latest_plan(session=session)
    saved = intake_service.latest_intake(session=session)
    care_first = journey.care_comes_first(saved)
    context: dict[str, Any] = {
        "title": "Today",
        "plan": plan,
        "values": values or {},
        "errors": errors or FormErrors(),
        "conflict": conflict,
        "has_intake": saved is not None,
        "care_first": care_first,
        "course": course_card(date.today(), session=session),
    }
    if is_server_mode():  # notes and plan changes come only from a clinician on a server
        context |= {
            "clinician_notes": clinic.unread_notes(session=session),
            "plan_changes": adjustments.shown_changes(session=session),
        }
    if plan is not None and not care_first:
        on = date.today()
        today = session_service.todays_doses(on, plan, session=session)
        rules = load_progression_rules()
        context |= {
            "today": today,
            "safety": safety_stop.notice_message(today.stop or today.caution, session=session),
            "stop_words": safety_stop.stop_words(),
            "cards": {e.slot: exercise_card(e.dose.exercise_id) for e in today.exercises},
            "logged": _logged_today(plan, on, session=session),
            "morning_due": session_service.next_morning_due(on, plan, session=session),
            "morning_question": rules.next_morning_question,
            "warning_signs": rules.warning_signs,
            "advice": plan.plan.get("advice", []),
            "starting_level": plan.plan.get("starting_level"),
            "start_reasons": {
                e.slot: (plan.exercise(e.slot) or {}).get("start_reason", "")
                for e in today.exercises
            },
        }
    return render(request, "today.html", context, status_code=status_code)


@router.get("/today", response_class=HTMLResponse)
def today_page(request: Request, *, session: SessionDep) -> HTMLResponse:
    return _page(request, session=session)


@router.post("/today/plan", response_model=None)
def make_plan(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    """Make and keep a plan from the latest intake (refused when care comes first). The form
    carries the version of the plan the page showed (0: none); if a plan was saved since
    (another tab), none is added and the page says so."""
    saved = intake_service.latest_intake(session=session)
    if saved is None:
        return RedirectResponse("/intake", status_code=303)
    intake = saved.intake()
    plan = plan_service.plan_for(intake, session=session)
    if plan.refused:
        return RedirectResponse("/results", status_code=303)
    seen = text(values, "version")
    try:
        plan_service.save_plan(
            intake,
            plan,
            intake_version=saved.version,
            expected_version=int(seen) if seen.isdigit() else None,
            session=session,
        )
    except ConflictError as error:
        if error.field != "version":
            raise
        return _page(request, status_code=409, conflict=True, session=session)
    return RedirectResponse("/today", status_code=303)


@router.post("/today/log", response_model=None)
def log_today(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    plan = plan_service.current_plan(session=session)
    today = session_service.todays_doses(date.today(), plan, session=session)
    errors = FormErrors()
    done: list[session_service.DoneExercise] = []
    for exercise in today.exercises:
        slot = exercise.slot
        sets_done = len(texts(values, f"sets_{slot}"))
        if sets_done == 0:
            continue
        raw_pain = text(values, f"pain_{slot}")
        try:
            pain = int(raw_pain)
            if not 0 <= pain <= 10:
                raise ValueError
        except ValueError:
            errors.add(f"pain_{slot}", "give the pain during this exercise, from 0 to 10")
            continue
        raw_effort = text(values, f"effort_{slot}")
        effort: int | None = None
        if raw_effort:
            try:
                effort = int(raw_effort)
                if not 0 <= effort <= 10:
                    raise ValueError
            except ValueError:
                errors.add(f"effort_{slot}", "pick how hard it was, from 0 to 10, or skip it")
                continue
        done.append(
            session_service.DoneExercise(id=slot, sets=sets_done, pain_during=pain, effort=effort)
        )
    if not errors and not done:
        errors.add(None, "Tick the sets you did, then save.")
    if errors:
        return _page(request, values, errors, status_code=422, session=session)
    try:
        session_service.log_session(
            done,
            on=date.today(),
            warning_signs=texts(values, "warning_signs"),
            plan=plan,
            session=session,
        )
    except (InputError, ConflictError) as error:
        errors.add(None, str(error).split(": ", 1)[-1])
        return _page(request, values, errors, status_code=422, session=session)
    stopped = "1" if texts(values, "warning_signs") else "0"
    return RedirectResponse(f"/today?logged=1&stopped={stopped}", status_code=303)


@router.post("/today/next-morning", response_model=None)
def next_morning(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    answer = text(values, "worse")
    day_text = text(values, "session_date")
    errors = FormErrors()
    if answer not in ("yes", "no"):
        errors.add("worse", "answer yes or no")
        return _page(request, values, errors, status_code=422, session=session)
    try:
        session_date = date.fromisoformat(day_text)
        session_service.record_next_morning(session_date, answer == "yes", session=session)
    except ValueError:
        errors.add("worse", "the session day is missing; reload the page")
        return _page(request, values, errors, status_code=422, session=session)
    return RedirectResponse("/today?morning=1", status_code=303)
