"""Turn the core's errors into HTTP answers: 422 for bad input, 404, 409; JSON or a page.

The API always answers `{"error": {"field": ..., "pointer": ..., "problem": ...}}` so a client
can put the message next to the right field (bad input adds `"errors": [...]`, every problem
found, so a client can mark them all at once): `field` is the services' domain name
(`start_date`, `answers.P1`) and `pointer` the same place in the request body as a JSON pointer
(`/start_date`, `/answers/P1`); an error pointing to a next step adds `hint` (its id, such as
`make_plan`). Pages show a calm error page, with the next step in the web's words (forms catch
InputError themselves and show it next to the field, keeping what was typed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from kneecoach.core.errors import (
    ANSWER_INTAKE,
    CHOOSE_OR_SET_DEFAULT_SHOE,
    CHOOSE_SHOE_OR_ACTIVITY,
    LEAVE_EMPTY,
    LIST_COURSE,
    LIST_EXERCISES,
    LIST_SHOES,
    MAKE_PLAN,
    SET_GOAL,
    ConflictError,
    InputError,
    KneecoachError,
    NotFoundError,
    UnavailableError,
    each_problem,
)
from kneecoach.web.templating import render

ANSWER_ERROR = "kneecoach_answer"
"""The pydantic error type of an answer a core rule refused (its message is the core's)."""

API_PREFIX = "/api/"


def status_for(error: KneecoachError) -> int:
    if isinstance(error, InputError):
        return 422
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ConflictError):
        return 409
    if isinstance(error, UnavailableError):
        return 503
    return 400


WEB_HINTS: dict[str, str] = {
    MAKE_PLAN: "make one on the Today page",
    ANSWER_INTAKE: "answer the questions about your knee first",
    LIST_SHOES: "the Shoes page lists your pairs",
    LIST_EXERCISES: "your plan on the Today page lists yours",
    LIST_COURSE: "the Course page lists the sessions",
    SET_GOAL: "set one on the Goal page",
    CHOOSE_SHOE_OR_ACTIVITY: "choose a pair in “Shoes worn”, or choose the “Activity”",
    CHOOSE_OR_SET_DEFAULT_SHOE: "choose a pair in “Shoes worn”, or make a pair the default "
    "for {activity_type}",
    LEAVE_EMPTY: "or leave it empty if you are not sure",
}
"""The next step an error points to, in the words of the web pages."""


def in_web_words(error: KneecoachError) -> str:
    """The problem as a page shows it: with its next step in the web's words, when it has one."""
    hint = WEB_HINTS.get(error.hint or "")
    return error.problem + (f"; {hint.format(**error.details)}" if hint else "")


def json_pointer(field: str) -> str:
    """`answers.P1` → `/answers/P1`: a domain field as a JSON pointer into the request body."""
    parts = (part.replace("~", "~0").replace("/", "~1") for part in field.split("."))
    return "/" + "/".join(parts)


def error_body(error: KneecoachError) -> dict[str, Any]:
    """`{"error": {"field", "pointer", "problem"[, "hint"]}}`; field and pointer are None when
    the problem belongs to no one field (the problem then reads as one whole line). Bad input
    adds `errors`: every problem found, the first being `error`, so a client fixes all at once."""
    body = _detail(error)
    if isinstance(error, InputError):
        return {"error": body, "errors": [_detail(problem) for problem in each_problem(error)]}
    return {"error": body}


def _detail(error: KneecoachError) -> dict[str, str | None]:
    if error.field is not None:
        body: dict[str, str | None] = {
            "field": error.field,
            "pointer": json_pointer(error.field),
            "problem": error.problem,
        }
    else:
        body = {"field": None, "pointer": None, "problem": str(error)}
    if error.hint is not None:
        body["hint"] = error.hint
    return body


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _field_of(location: tuple[int | str, ...]) -> str:
    """`("body", "answers", "S1")` → `answers.S1`: the path a person or client can find."""
    parts = [str(part) for part in location if part not in ("body", "query", "path", "form")]
    return ".".join(parts) or "body"


async def on_kneecoach_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, KneecoachError)
    status = status_for(error)
    if _is_api(request):
        return JSONResponse(error_body(error), status_code=status)
    field = f"{error.field}: " if error.field else ""
    return render(
        request,
        "error.html",
        {
            "status": status,
            "problem": field + in_web_words(error),
            "title": "Something needs fixing",
        },
        status_code=status,
    )


def _in_words(detail: Mapping[str, Any]) -> str:
    """A body's first problem in the words `core.intake.input_error_from` uses; an answer a
    core rule refused keeps the core's own message (`11 is out of range 0–10`)."""
    kind = detail.get("type")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field kneecoach knows (check the spelling)"
    message = str(detail.get("msg", "is not valid"))
    if kind == ANSWER_ERROR or not message:
        return message
    return f"{message[0].lower()}{message[1:]}"


async def on_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    found = list(error.errors()) or [{"loc": (), "msg": "is not valid"}]
    each = [
        {"field": name, "pointer": json_pointer(name), "problem": _in_words(detail)}
        for detail in found
        for name in [_field_of(tuple(detail.get("loc", ())))]
    ]
    field, problem = each[0]["field"], each[0]["problem"]
    if _is_api(request):  # every problem at once: `error` is the first, `errors` all of them
        return JSONResponse({"error": each[0], "errors": each}, status_code=422)
    return render(
        request,
        "error.html",
        {"status": 422, "problem": f"{field}: {problem}", "title": "Something needs fixing"},
        status_code=422,
    )


async def on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if _is_api(request):
        return JSONResponse(
            {"error": {"field": None, "pointer": None, "problem": str(error.detail)}},
            status_code=error.status_code,
            headers=error.headers,
        )
    title = "Page not found" if error.status_code == 404 else "Something went wrong"
    return render(
        request,
        "error.html",
        {"status": error.status_code, "problem": str(error.detail), "title": title},
        status_code=error.status_code,
    )


async def on_unexpected(request: Request, error: Exception) -> Response:
    """The last line of defence: a calm message, never a traceback in the browser."""
    problem = (
        "Something unexpected went wrong on this machine. Nothing you saved before is lost. "
        f"({type(error).__name__})"
    )
    if _is_api(request):
        body = {"field": None, "pointer": None, "problem": problem}
        return JSONResponse({"error": body}, status_code=500)
    return render(
        request,
        "error.html",
        {"status": 500, "problem": problem, "title": "Something went wrong"},
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(KneecoachError, on_kneecoach_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
