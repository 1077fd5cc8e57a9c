"""Results: the triage, the patterns and the contributors from the latest intake, in plain
words, with a body diagram of the regions that may play a part."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kneecoach.render.body_diagram import REGION_LABELS, body_diagram_svg
from kneecoach.services import assessment as assessment_service
from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services.triage import message_of, question_for
from kneecoach.web.deps import SessionDep
from kneecoach.web.reasons import plain_reason, strength_words
from kneecoach.web.templating import NavItem, render

router = APIRouter()
NAV = NavItem("Results", "/results", 20)


@router.get("/results", response_class=HTMLResponse)
def results(request: Request, new: int = 0, *, session: SessionDep) -> HTMLResponse:
    saved = intake_service.latest_intake(session=session)
    if saved is None:
        return render(request, "results.html", {"title": "Your results", "saved": None})
    intake = saved.intake()
    report = assessment_service.assess_intake(intake, session=session)
    regions: dict[str, float] = {}
    for contributor in report.assessment.contributors:
        regions[contributor.region] = max(regions.get(contributor.region, 0), contributor.strength)
    context: dict[str, Any] = {
        "title": "Your results",
        "saved": saved,
        "new": bool(new),
        "report": report,
        "level": message_of(report.triage, session=session),
        "missing": [question_for(path) for path in report.triage.missing],
        "diagram": body_diagram_svg(regions, intake.knee.side if intake.knee else None),
        "regions": [(REGION_LABELS[r], r) for r in REGION_LABELS if r in regions],
        "plain": plain_reason,
        "strength_words": strength_words,
        "nav_paths": {item.path for item in request.app.state.nav},
        "start": plan_service.starting_level_for(intake, report.triage),
    }
    return render(request, "results.html", context)
