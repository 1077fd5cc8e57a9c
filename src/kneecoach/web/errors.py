"""Turn the core's errors into HTTP answers: 422 for bad input, 404, 409; JSON or a page.

The API always answers `{"error": {"field": ..., "problem": ...}}` so a client can put the
message next to the right field; pages show a calm error page (forms catch InputError
themselves and show it next to the field, keeping what was typed).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from kneecoach.core.errors import ConflictError, InputError, KneecoachError, NotFoundError
from kneecoach.web.templating import render

API_PREFIX = "/api/"


def status_for(error: KneecoachError) -> int:
    if isinstance(error, InputError):
        return 422
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ConflictError):
        return 409
    return 400


def error_body(error: KneecoachError) -> dict[str, dict[str, str | None]]:
    if isinstance(error, InputError):
        return {"error": {"field": error.field, "problem": error.problem}}
    return {"error": {"field": None, "problem": str(error)}}


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
    return render(
        request,
        "error.html",
        {"status": status, "problem": str(error), "title": "Something needs fixing"},
        status_code=status,
    )


async def on_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0] if error.errors() else {"loc": (), "msg": "is not valid"}
    field = _field_of(tuple(first.get("loc", ())))
    problem = str(first.get("msg", "is not valid"))
    if _is_api(request):
        return JSONResponse({"error": {"field": field, "problem": problem}}, status_code=422)
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
            {"error": {"field": None, "problem": str(error.detail)}},
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
        return JSONResponse({"error": {"field": None, "problem": problem}}, status_code=500)
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
