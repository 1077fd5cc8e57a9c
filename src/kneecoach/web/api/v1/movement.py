"""/api/v1/movement/jobs/{id}: where a movement check stands (the page's progress bar polls it).

The analysis itself is in `result` once the job is done: the JSON of `kneecoach movement
analyze --format json`, with its pictures named relative to the check's folder.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.services import movement_check as checks
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.deps import SessionDep
from kneecoach.web.queue import QueueSessionDep, owner_of

router = APIRouter(tags=["movement"], responses=ERROR_RESPONSES)


class MovementJobPublic(BaseModel):
    """A movement check's job. `progress` is 0..1; `error` (when failed) is for the person."""

    id: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(ge=0, le=1)
    message: str | None
    error: str | None
    test: str = Field(description="single_leg_squat or double_leg_squat")
    side: str = Field(description="the standing leg: left or right")
    attempts: int
    created_at: datetime
    finished_at: datetime | None
    page: str = Field(description="the web page of this check")
    strip_png: str | None = Field(description="the annotated frames, once done")
    result: dict[str, Any] | None = Field(description="the analysis, once done")


@router.get("/movement/jobs/{job_id}", response_model=MovementJobPublic)
def movement_job(
    request: Request, job_id: str, *, queue: QueueSessionDep, session: SessionDep
) -> MovementJobPublic:
    """`session`: only a person with a store of their own asks (a clinician or admin: 403)."""
    try:
        check = checks.movement_check(job_id, owner=owner_of(request), session=queue)
    except InputError:
        raise NotFoundError("there is no such movement check", field="job") from None
    job = check.job
    page = f"/movement/jobs/{job.id}"
    outputs = (check.analysis or {}).get("outputs") or {}
    return MovementJobPublic(
        id=job.id,
        status=job.status,
        progress=job.progress,
        message=job.message,
        error=job.error,
        test=check.test,
        side=check.side,
        attempts=job.attempts,
        created_at=job.created_at,
        finished_at=job.finished_at,
        page=page,
        strip_png=f"{page}/strip.png" if outputs.get("strip_png") else None,
        result=check.analysis,
    )
