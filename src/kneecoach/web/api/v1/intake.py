"""/api/v1 triage, assessment, plan and intakes: each takes a kneecoach-intake/1 document.

The body is passed to the same `parse_intake` the CLI uses, so an API client gets the same
field-named errors (422 `{"error": {"field", "problem"}}`) as `kneecoach triage` prints.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from kneecoach.services import assessment as assessment_service
from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services import triage as triage_service
from kneecoach.web.api.v1.models import ERROR_RESPONSES
from kneecoach.web.deps import SessionDep

router = APIRouter(responses=ERROR_RESPONSES)

INTAKE_EXAMPLE = {
    "spec": "kneecoach-intake/1",
    "person": {"age": 45},
    "pain": {"location": ["front"], "worse_with": ["stairs"]},
    "signs": {"warm": False, "swelling": 0},
}
IntakeBody = Body(
    ...,
    description="A kneecoach-intake/1 document (see shared/spec/intake.md).",
    examples=[INTAKE_EXAMPLE],
)


@router.post("/triage", tags=["intake"])
def triage(document: dict[str, Any] = IntakeBody, *, session: SessionDep) -> dict[str, Any]:
    """Whom to see and how soon: `{"level", "flags", "missing"}`."""
    return triage_service.triage_document(document, session=session).as_json()


@router.post("/assessment", tags=["intake"])
def assessment(document: dict[str, Any] = IntakeBody, *, session: SessionDep) -> dict[str, Any]:
    """Triage, then the contributors and patterns (left empty when care comes first)."""
    return assessment_service.assess_document(document, session=session).as_json()


@router.post("/plan", tags=["plan"])
def plan(
    document: dict[str, Any] = IntakeBody, save: bool = False, *, session: SessionDep
) -> dict[str, Any]:
    """A week's plan for the document; `save=true` keeps it as the current plan."""
    intake, made = plan_service.plan_document(document, session=session)
    payload = made.as_json()
    if save:
        stored = plan_service.save_plan(intake, made, session=session)
        payload["saved"] = {"id": stored.id, "start_date": stored.start_date.isoformat()}
    return payload


@router.get("/plan", tags=["plan"])
def current_plan(*, session: SessionDep) -> dict[str, Any]:
    """The saved current plan (404 when none is saved yet)."""
    return plan_service.current_plan(session=session).as_json()


@router.get("/intakes", tags=["intake"])
def intakes(*, session: SessionDep) -> dict[str, Any]:
    """Every saved intake, oldest first, with the triage worked out when it was saved."""
    return {"intakes": [saved.as_json() for saved in intake_service.list_intakes(session=session)]}


@router.post("/intakes", tags=["intake"], status_code=201)
def save_intake(document: dict[str, Any] = IntakeBody, *, session: SessionDep) -> dict[str, Any]:
    """Validate, triage and save an intake document as the next version."""
    return intake_service.import_intake(document, session=session).as_json()
