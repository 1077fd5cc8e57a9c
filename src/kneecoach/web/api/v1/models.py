"""Shapes shared by the API routers: the error body every 4xx answer uses."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    field: str | None
    problem: str


class ErrorBody(BaseModel):
    """`{"error": {"field": "answers.S1", "problem": "..."}}`: what was wrong and where; bad
    input (422) adds `errors`, every problem found (the first is `error`)."""

    error: ErrorDetail
    errors: list[ErrorDetail] | None = None


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    422: {"model": ErrorBody, "description": "Bad input: the field and the problem"},
    404: {"model": ErrorBody, "description": "Not found"},
    409: {"model": ErrorBody, "description": "Clashes with what is stored"},
    413: {"model": ErrorBody, "description": "The body is larger than kneecoach reads"},
    415: {"model": ErrorBody, "description": "A body that is not JSON (content-type)"},
}
