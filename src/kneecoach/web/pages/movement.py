"""The movement check: film a squat, upload it, watch it being measured, read the result.

The video is analysed in the background (a `movement_analysis` job, services/jobs.py): the
upload answers at once with the job's page, whose progress bar follows the JSON endpoint
`/api/v1/movement/jobs/{id}` (or, without JavaScript, reloads itself every few seconds). The
result adds to the self-tests only when the person presses "Add this to my assessment".
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from kneecoach.core.errors import InputError, KneecoachError, NotFoundError
from kneecoach.core.limits import MAX_VIDEO_BYTES, MAX_VIDEO_SECONDS
from kneecoach.data.movement_filming import load_filming
from kneecoach.services import intake as intake_service
from kneecoach.services import movement_check as checks
from kneecoach.services.journey import care_comes_first
from kneecoach.services.worker import wake_local_workers
from kneecoach.web.deps import SessionDep
from kneecoach.web.errors import in_web_words
from kneecoach.web.forms import FormDataDep, FormDep, FormErrors, text
from kneecoach.web.queue import QueueSessionDep, owner_of
from kneecoach.web.templating import render

router = APIRouter()
TITLE = "Movement check"
FIELDS = frozenset({"test", "side", "video"})
TEST_NAMES = {"single_leg_squat": "One-leg squat", "double_leg_squat": "Two-leg squat"}
REFRESH_SECONDS = 3


def _home(
    request: Request,
    *,
    queue: Any,
    session: Any,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    owner = owner_of(request)
    found = checks.movement_checks(owner=owner, session=queue)
    pair = checks.latest_pair(found)
    saved = intake_service.latest_intake(session=session)
    return render(
        request,
        "movement/home.html",
        {
            "title": TITLE,
            "filming": load_filming(),
            "checks": found[:10],
            "pair": pair,
            "to_add": checks.findings_to_add(pair),
            "has_intake": saved is not None,
            "care_first": care_comes_first(saved),
            "values": values or {"test": "single_leg_squat"},
            "errors": errors or FormErrors(),
            "test_names": TEST_NAMES,
            "max_mb": MAX_VIDEO_BYTES // 2**20,
            "max_bytes": MAX_VIDEO_BYTES,
            "max_seconds": MAX_VIDEO_SECONDS,
            "added": request.query_params.get("added") == "1",
        },
        status_code=status_code,
    )


@router.get("/movement", response_class=HTMLResponse)
def movement(request: Request, *, queue: QueueSessionDep, session: SessionDep) -> HTMLResponse:
    return _home(request, queue=queue, session=session)


@router.post("/movement", response_model=None)
def upload(
    request: Request, form: FormDataDep, *, queue: QueueSessionDep, session: SessionDep
) -> Response:
    """A plain `def` (the threadpool): the video is copied from the form parser's temporary
    file in chunks, checked as it goes."""
    values = {name: str(form.get(name) or "") for name in ("test", "side")}
    video = form.get("video")
    stream = video.file if isinstance(video, UploadFile) and video.filename else None
    try:
        job_id = checks.start_movement_check(
            stream,
            test=values["test"],
            side=values["side"],
            owner=owner_of(request),
            session=queue,
        )
    except InputError as error:
        errors = FormErrors()
        errors.add(error.field if error.field in FIELDS else "video", in_web_words(error))
        return _home(
            request, queue=queue, session=session, values=values, errors=errors, status_code=422
        )
    queue.commit()  # queued for the worker now, not after the page is drawn
    wake_local_workers()
    return RedirectResponse(f"/movement/jobs/{job_id}", status_code=303)


@router.get("/movement/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request, job_id: str, *, queue: QueueSessionDep, session: SessionDep
) -> HTMLResponse:
    check = _check(request, job_id, queue)
    pair = checks.latest_pair(checks.movement_checks(owner=owner_of(request), session=queue))
    return render(
        request,
        "movement/job.html",
        {
            "title": TITLE,
            "check": check,
            "job": check.job,
            "analysis": check.analysis,
            "test_name": TEST_NAMES.get(check.test, check.test),
            "refresh": REFRESH_SECONDS,
            "pair": pair,
            "to_add": checks.findings_to_add(pair),
            "has_intake": intake_service.latest_intake(session=session) is not None,
            "has_strip": _has_picture(check),
        },
    )


def _check(request: Request, job_id: str, queue: Any) -> checks.MovementCheck:
    try:
        return checks.movement_check(job_id, owner=owner_of(request), session=queue)
    except InputError:  # not even a job id: as missing as any other
        raise NotFoundError("there is no such movement check", field="job") from None


def _has_picture(check: checks.MovementCheck) -> bool:
    try:
        checks.picture_file(check)
    except KneecoachError:
        return False
    return True


@router.get("/movement/jobs/{job_id}/strip.png", response_class=FileResponse)
def strip(
    request: Request, job_id: str, *, queue: QueueSessionDep, session: SessionDep
) -> FileResponse:
    """The annotated deepest frames; only the job's owner gets them (`session`: only a
    person with a store of their own, as every movement page)."""
    path = checks.picture_file(_check(request, job_id, queue))
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.post("/movement/accept", response_model=None)
def accept(
    request: Request, values: FormDep, *, queue: QueueSessionDep, session: SessionDep
) -> Response:
    """Add the paired results to the self-tests; the form names the two checks it showed, so
    what is added is what the person saw."""
    pair: dict[str, checks.MovementCheck | None] = {"left": None, "right": None}
    for side in pair:
        job_id = text(values, side)
        if job_id:
            check = _check(request, job_id, queue)
            if check.side == side and check.analysis is not None:
                pair[side] = check
    try:
        checks.accept_findings(pair, session=session)
    except KneecoachError as error:
        errors = FormErrors()
        errors.add(None, in_web_words(error))
        return _home(request, queue=queue, session=session, errors=errors, status_code=422)
    return RedirectResponse("/movement?added=1", status_code=303)
