"""Goal: set one goal in SMART form (what, how much, by when, a first weekly step), look back
on it once a week, and see the reviews; changing the goal keeps the old one in the history.

The same services as `kneecoach goal`. Both forms work without JavaScript; a mistake comes
back next to its field with everything typed still there, and nothing stored changes.
"""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.services import goal as goal_service
from kneecoach.services.database import Session
from kneecoach.web.deps import SessionDep
from kneecoach.web.errors import in_web_words
from kneecoach.web.forms import FormDep, FormErrors, FormValues, text
from kneecoach.web.templating import render

router = APIRouter()
"""Not in the navigation: reached from Course, Today's card and Progress."""


def _page(
    request: Request,
    values: FormValues | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
    *,
    session: Session,
) -> HTMLResponse:
    today = date.today()
    overview = goal_service.goal_overview(today, session=session)
    words = goal_service.goal_words()
    done = overview.this_weeks_review
    shown = {  # the review form opens with this week's review, when there is one
        "rating": str(done.rating) if done else "",
        "note": (done.note or "") if done else "",
        "next_step": done.next_step if done else (overview.step or ""),
    }
    context = {
        "title": "Your goal",
        "overview": overview,
        "goal": overview.goal,
        "words": words,
        "suggested": today + timedelta(weeks=words.suggested_weeks),
        "latest": today + timedelta(weeks=words.longest_weeks),
        "tomorrow": today + timedelta(days=1),
        "reviewed_step": done.step if done else overview.step,
        "values": shown | (values or {}),
        "errors": errors or FormErrors(),
    }
    return render(request, "goal.html", context, status_code=status_code)


@router.get("/goal", response_class=HTMLResponse)
def goal_page(request: Request, *, session: SessionDep) -> HTMLResponse:
    return _page(request, session=session)


@router.post("/goal", response_model=None)
def set_goal(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    try:
        goal_service.set_goal(
            text(values, "what"),
            text(values, "how_much"),
            text(values, "by_when"),
            text(values, "first_step"),
            on=date.today(),
            session=session,
        )
    except InputError as error:
        errors = FormErrors()
        errors.add(error.field, error.problem)
        return _page(request, values, errors, 422, session=session)
    return RedirectResponse("/goal?set=1", status_code=303)


@router.post("/goal/review", response_model=None)
def review_goal(request: Request, values: FormDep, *, session: SessionDep) -> Response:
    errors = FormErrors()
    rating = text(values, "rating")
    if not rating:
        errors.add("rating", "choose how much of the step you did")
        return _page(request, values, errors, 422, session=session)
    try:
        status, _saved = goal_service.review_goal(
            rating,
            text(values, "next_step"),
            text(values, "note"),
            on=date.today(),
            session=session,
        )
    except InputError as error:
        errors.add(error.field, error.problem)
        return _page(request, values, errors, 422, session=session)
    except NotFoundError as error:
        errors.add(None, in_web_words(error))
        return _page(request, values, errors, 404, session=session)
    return RedirectResponse(f"/goal?reviewed={status}#reviews", status_code=303)
