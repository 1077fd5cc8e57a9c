"""Improve your plan: the optional self-tests, offered after the intake on Results and Today.

Each test shows how to do it, what a pass is and its norms (from `data/self_tests.yaml`), then
asks its result. Saving keeps it with the newest intake and makes the plan again
(`services/self_tests`). It can be done any day, one test at a time.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.core.errors import InputError
from kneecoach.data.intake_questions import Question
from kneecoach.services import intake as intake_service
from kneecoach.services import self_tests as self_test_service
from kneecoach.services.journey import care_comes_first
from kneecoach.web.deps import SessionDep
from kneecoach.web.errors import in_web_words
from kneecoach.web.forms import FormDep, FormErrors, FormValues, text
from kneecoach.web.pages.intake import field_id
from kneecoach.web.templating import render

router = APIRouter()
TITLE = "Improve your plan"


def field_name(question: Question, side: str | None = None) -> str:
    """The form field (and its id) of a self-test answer, one per side for a left/right one."""
    base = field_id(question.path)
    return f"{base}-{side}" if side else base


def read_result(question: Question, values: FormValues) -> Any:
    """One self-test question from the form (None = not done); InputError names the field."""
    if not question.sided:
        return intake_service.read_answer(question, text(values, field_name(question)))
    kind = "number" if question.kind == "left_right_number" else "yes_no"
    sides = {}
    for side in ("left", "right"):
        name = field_name(question, side)
        try:
            value = intake_service.read_answer(question, text(values, name), kind=kind)
        except InputError as error:
            raise InputError(name, f"{side} side: {error.problem}") from None
        if value is not None:
            sides[side] = value
    return sides or None


@router.get("/improve", response_class=HTMLResponse)
def improve_list(request: Request, done: str = "", *, session: SessionDep) -> HTMLResponse:
    steps = self_test_service.self_test_steps(session=session)
    saved = intake_service.latest_intake(session=session)
    done_step = next((s for s in steps if s.test.id == done), None)
    return render(
        request,
        "improve/list.html",
        {
            "title": TITLE,
            "steps": steps,
            "has_intake": saved is not None,
            "care_first": care_comes_first(saved),
            "done": done_step,
            "remade": request.query_params.get("plan") == "1",
        },
    )


def _test_page(
    request: Request,
    test_id: str,
    values: FormValues,
    errors: FormErrors | None = None,
    status_code: int = 200,
    *,
    session: Any,
) -> HTMLResponse:
    step = self_test_service.self_test_step(test_id, session=session)
    saved = intake_service.latest_intake(session=session)
    return render(
        request,
        "improve/test.html",
        {
            "title": step.test.title,
            "step": step,
            "self_test": step.test,
            "values": values,
            "errors": errors or FormErrors(),
            "field_name": field_name,
            "has_intake": saved is not None,
            "care_first": care_comes_first(saved),
        },
        status_code=status_code,
    )


@router.get("/improve/{test_id}", response_class=HTMLResponse)
def improve_test(request: Request, test_id: str, *, session: SessionDep) -> HTMLResponse:
    return _test_page(request, test_id, {}, session=session)


@router.post("/improve/{test_id}", response_model=None)
def save_test(request: Request, test_id: str, values: FormDep, *, session: SessionDep) -> Response:
    step = self_test_service.self_test_step(test_id, session=session)
    errors = FormErrors()
    results: dict[str, Any] = {}
    for question in step.questions:
        try:
            results[question.path] = read_result(question, values)
        except InputError as error:
            name = error.field if error.field and error.field != question.path else None
            errors.add(
                name or field_name(question, "left" if question.sided else None),
                in_web_words(error),
            )
    if not errors:
        try:
            kept = self_test_service.record_self_test(test_id, results, session=session)
        except InputError as error:
            first = step.questions[0]
            errors.add(field_name(first, "left" if first.sided else None), in_web_words(error))
        else:
            plan = "&plan=1" if kept.plan_remade else ""
            return RedirectResponse(f"/improve?done={test_id}{plan}", status_code=303)
    return _test_page(request, test_id, values, errors, status_code=422, session=session)
