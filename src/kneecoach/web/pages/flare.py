"""Flare plan: what to keep and what to pause for a few days, and how to build back up.

Reached from the alerts of the check-in page and Progress (each carries its date as `since`,
so day 1 is the day of the alert) and from Today; a red flag never links here, it stops the
plan instead. The same `flare_plan_for` as `kneecoach flare` and `GET /api/v1/flare-plan`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kneecoach.core.progression import show_dose
from kneecoach.data.signals import detector_titles
from kneecoach.services import flare as flare_service
from kneecoach.services import safety_stop
from kneecoach.web.deps import SessionDep
from kneecoach.web.forms import optional_day
from kneecoach.web.templating import render

router = APIRouter()


@router.get("/flare", response_class=HTMLResponse)
def flare_page(request: Request, since: str = "", *, session: SessionDep) -> HTMLResponse:
    first = optional_day(since.strip(), "since")
    report = flare_service.flare_plan_for(first, session=session)
    notice = report.safety.stop or report.safety.caution
    return render(
        request,
        "flare.html",
        {
            "title": report.plan.title,
            "plan": report.plan,
            "safety": safety_stop.notice_message(notice, session=session),
            "stop_words": safety_stop.stop_words(),
            "alert_title": detector_titles().get(report.plan.start.alert or "", ""),
            "show_dose": show_dose,
        },
    )
