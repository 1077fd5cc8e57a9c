"""Course: the self-management sessions by week (what is due, what is done, when the rest
open), and each session with its short lessons and its question, marked done with the answer.

The same services as `kneecoach course`: a form posts the answer (plain text, no JavaScript);
a mistake comes back next to the field with what was typed still there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.errors import ConflictError, InputError
from kneecoach.data.course import CourseSession, find_session, load_course
from kneecoach.services import course as course_service
from kneecoach.services.database import Session
from kneecoach.web.deps import SessionDep
from kneecoach.web.errors import in_web_words
from kneecoach.web.forms import FormDep, FormErrors, FormValues, text
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Course", "/course", 55)


@router.get("/course", response_class=HTMLResponse)
def course_list(request: Request, *, session: SessionDep) -> HTMLResponse:
    overview = course_service.course_overview(date.today(), session=session)
    weeks: dict[int, list[tuple[CourseSession, Any]]] = {}
    for entry in overview.state.sessions:
        found = find_session(entry.id)
        if found is not None:
            weeks.setdefault(entry.week, []).append((found, entry))
    due = overview.state.due
    context = {
        "title": "Course",
        "overview": overview,
        "state": overview.state,
        "weeks": weeks,
        "next_due": find_session(due[0].id) if due else None,
    }
    return render(request, "course/list.html", context)


def _found(session_id: str) -> CourseSession:
    found = find_session(session_id)
    if found is None:
        raise HTTPException(404, f"There is no course session called {session_id!r}.")
    return found


def _session_page(
    request: Request,
    found: CourseSession,
    values: FormValues | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
    *,
    session: Session,
) -> HTMLResponse:
    overview = course_service.course_overview(date.today(), session=session)
    entry = overview.state.find(found.id)
    sessions = load_course().sessions
    index = sessions.index(found)
    context = {
        "title": found.title,
        "found": found,
        "entry": entry,
        "answer": overview.answers.get(found.id),
        "texts": course_service.session_texts(found, session=session),
        "next": sessions[index + 1] if index + 1 < len(sessions) else None,
        "values": values or {},
        "errors": errors or FormErrors(),
    }
    return render(request, "course/session.html", context, status_code=status_code)


@router.get("/course/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, session_id: str, *, session: SessionDep) -> HTMLResponse:
    return _session_page(request, _found(session_id), session=session)


@router.post("/course/{session_id}/done", response_model=None)
def mark_done(
    request: Request, session_id: str, values: FormDep, *, session: SessionDep
) -> Response:
    found = _found(session_id)
    errors = FormErrors()
    try:
        course_service.mark_done(found.id, text(values, "answer"), on=date.today(), session=session)
    except InputError as error:
        errors.add("answer", error.problem)
        return _session_page(request, found, values, errors, 422, session=session)
    except ConflictError as error:
        errors.add(None, in_web_words(error))
        return _session_page(request, found, values, errors, 409, session=session)
    return RedirectResponse(f"/course/{found.id}?done=1", status_code=303)
