"""/api/v1/flare-plan: the flare plan of the day (the same as `kneecoach flare`)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query

from kneecoach.services import flare as flare_service
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.api.v1.schemas.flare import FlarePlanPublic
from kneecoach.web.deps import SessionDep

router = APIRouter(tags=["flare"], responses=ERROR_RESPONSES)


@router.get("/flare-plan", response_model=FlarePlanPublic)
def flare_plan(
    since: dt.date | None = Query(
        None, description="Day 1 of the flare; the latest flare alert, or today, if left out"
    ),
    *,
    session: SessionDep,
) -> FlarePlanPublic:
    """What to keep and what to pause for a few days, and how to build back up: from the saved
    plan, or the general flare plan without one."""
    report = flare_service.flare_plan_for(since, session=session)
    return FlarePlanPublic.model_validate(report.as_json())
