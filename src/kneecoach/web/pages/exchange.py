"""Downloads for clinics and other software (FHIR, the CSV files, a full backup) and the
calendar the person's phone can subscribe to (`/plan.ics`). Thin: the services build them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from kneecoach.services.database import Session, Store, transaction
from kneecoach.web.deps import SessionDep, person_store_of

router = APIRouter()


def _attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def _download(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": _attachment(filename)}
    )


@router.get("/settings/fhir.json")
def fhir_bundle(request: Request) -> StreamingResponse:
    """The FHIR Bundle, sent as it is written (years of data never sit in memory whole). The
    access check comes first; the reading runs in the threadpool, off the event loop."""
    from kneecoach.services.fhir import MEDIA_TYPE

    store = person_store_of(request)  # raises 401/403 before anything is read
    return StreamingResponse(
        _fhir_pieces(store),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": _attachment(f"kneecoach-fhir-{date.today()}.json")},
    )


def _fhir_pieces(store: Store | None) -> Iterator[str]:
    """A sync generator: Starlette runs each step in its threadpool. The request's own session
    is closed before a streamed body is sent, so the stream opens a read-only unit of its own."""
    from kneecoach.services.fhir import BundleStream

    with transaction(store) as session:
        yield from BundleStream(session=session)


@router.get("/settings/kneecoach-csv.zip")
def csv_zip(*, session: SessionDep) -> Response:
    from kneecoach.services.csv_export import csv_zip

    return _download(
        csv_zip(session=session), "application/zip", f"kneecoach-csv-{date.today()}.zip"
    )


@router.get("/settings/backup.json")
def backup(*, session: SessionDep) -> Response:
    from kneecoach import __version__
    from kneecoach.services.backup import make_backup

    body = json.dumps(make_backup(session=session, app_version=__version__), ensure_ascii=False)
    return _download(body, "application/json", f"kneecoach-backup-{date.today()}.json")


def _calendar(session: Session, tz: str | None) -> Response:
    from kneecoach.services.calendar import plan_calendar

    made = plan_calendar(session=session, time_zone=tz)
    return Response(
        made.text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="kneecoach-plan.ics"'},
    )


@router.get("/plan.ics")
def plan_ics(*, session: SessionDep, tz: str | None = None) -> Response:
    return _calendar(session, tz)
