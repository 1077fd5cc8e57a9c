"""/api/v1 triage, assessment, plan and intakes: each takes a kneecoach-intake/1 document.

The body is the same `core.intake.Intake` model the CLI reads, so an API client gets the same
field-named errors (422 `{"error": {"field", "pointer", "problem"}}`) as `kneecoach triage`
prints, and the OpenAPI document lists every field of the spec.
"""

from __future__ import annotations

from fastapi import APIRouter, Body, Query

from kneecoach.services import assessment as assessment_service
from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services import triage as triage_service
from kneecoach.web.api.v1.models import ERROR_RESPONSES, ErrorBody
from kneecoach.web.api.v1.schemas.intake import (
    INTAKE_EXAMPLE,
    AssessmentPublic,
    IntakeCreate,
    IntakesPublic,
    PlanPublic,
    SavedIntakePublic,
    SavedPlanRef,
    StoredPlanPublic,
    TriagePublic,
)
from kneecoach.web.deps import SessionDep

router = APIRouter(responses=ERROR_RESPONSES)

IntakeBody = Body(
    ...,
    description="A kneecoach-intake/1 document (see shared/spec/intake.md).",
    examples=[INTAKE_EXAMPLE],
)


@router.post("/triage", tags=["intake"], response_model=TriagePublic)
def triage(document: IntakeCreate = IntakeBody, *, session: SessionDep) -> TriagePublic:
    """Whom to see and how soon: `{"level", "flags", "missing"}`."""
    result = triage_service.triage_intake(document, session=session)
    return TriagePublic.model_validate(result.as_json())


@router.post("/assessment", tags=["intake"], response_model=AssessmentPublic)
def assessment(document: IntakeCreate = IntakeBody, *, session: SessionDep) -> AssessmentPublic:
    """Triage, then the contributors and patterns (left empty when care comes first)."""
    report = assessment_service.assess_intake(document, session=session)
    return AssessmentPublic.model_validate(report.as_json())


@router.post(
    "/plan",
    tags=["plan"],
    response_model=PlanPublic,
    responses={
        409: {
            "model": ErrorBody,
            "description": "Refused for safety, or (with `version`) a newer plan was saved "
            "since the one you read: nothing was saved",
        }
    },
)
def plan(
    document: IntakeCreate = IntakeBody,
    save: bool = False,
    version: int | None = Query(
        None,
        ge=0,
        description="With `save=true`: the version of the current plan you read (0: none). "
        "If someone saved a newer plan since, the answer is 409 and nothing is saved.",
    ),
    *,
    session: SessionDep,
) -> PlanPublic:
    """A week's plan for the document; `save=true` keeps it as the current plan."""
    made = plan_service.plan_for(document, session=session)
    answer = PlanPublic.model_validate(made.as_json())
    if save:
        stored = plan_service.save_plan(document, made, expected_version=version, session=session)
        answer.saved = SavedPlanRef(
            id=stored.id, version=stored.version, start_date=stored.start_date
        )
    return answer


@router.get("/plan", tags=["plan"], response_model=StoredPlanPublic)
def current_plan(*, session: SessionDep) -> StoredPlanPublic:
    """The saved current plan (404 when none is saved yet)."""
    return StoredPlanPublic.model_validate(plan_service.current_plan(session=session).as_json())


@router.get(
    "/intakes", tags=["intake"], response_model=IntakesPublic, response_model_exclude_none=True
)
def intakes(*, session: SessionDep) -> IntakesPublic:
    """Every saved intake, oldest first, with the triage worked out when it was saved (unknown
    answers, and an assessment never worked out, are left out)."""
    return IntakesPublic(
        intakes=[
            SavedIntakePublic.model_validate(saved.as_json())
            for saved in intake_service.list_intakes(session=session)
        ]
    )


@router.post(
    "/intakes",
    tags=["intake"],
    status_code=201,
    response_model=SavedIntakePublic,
    response_model_exclude_none=True,
)
def save_intake(document: IntakeCreate = IntakeBody, *, session: SessionDep) -> SavedIntakePublic:
    """Validate, triage and save an intake document as the next version."""
    saved = intake_service.save_intake(document, session=session)
    return SavedIntakePublic.model_validate(saved.as_json())
