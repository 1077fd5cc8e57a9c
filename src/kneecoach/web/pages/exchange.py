"""Downloads for clinics and other software (FHIR, the CSV files, a full backup) and the
calendar the person's phone can subscribe to (`/plan.ics`). Thin: the services build them."""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter
from fastapi.responses import Response

from kneecoach.services.database import Session
from kneecoach.web.deps import SessionDep

router = APIRouter()


def _download(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/settings/fhir.json")
def fhir_bundle(*, session: SessionDep) -> Response:
    from kneecoach.services.fhir import build_bundle, bundle_json

    return _download(
        bundle_json(build_bundle(session=session)),
        "application/fhir+json",
        f"kneecoach-fhir-{date.today()}.json",
    )


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
