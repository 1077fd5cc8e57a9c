"""Intake, triage, assessment and plan bodies and answers.

The body is the `kneecoach-intake/1` document itself (`core.intake.Intake`, the model the CLI
reads), so the API and its OpenAPI document describe exactly the fields the spec has.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from kneecoach.core.intake import Intake
from kneecoach.web.api.v1.schemas.common import LoadPublic, left_out_when_unknown

IntakeCreate = Intake
"""A `kneecoach-intake/1` document (shared/spec/intake.md)."""

INTAKE_EXAMPLE = {
    "spec": "kneecoach-intake/1",
    "person": {"age": 45},
    "pain": {"location": ["front"], "worse_with": ["stairs"]},
    "signs": {"warm": False, "swelling": 0},
}


class FlagPublic(BaseModel):
    """A fired red-flag rule: what to do, its source, and the answers behind it."""

    id: str
    level: str
    title: str
    advice: str
    source: str
    why: list[str]
    pathway: str | None = left_out_when_unknown()


class LevelMessagePublic(BaseModel):
    title: str
    summary: str
    advice: str


class TriagePublic(BaseModel):
    """Whom to see and how soon (the `kneecoach triage --format json` document)."""

    level: str
    flags: list[FlagPublic]
    missing: list[str]
    message: LevelMessagePublic | None = left_out_when_unknown()


class PatternPublic(BaseModel):
    id: str
    fit: float
    why: list[str]
    against: list[str]
    evidence: list[str]
    title: str
    summary: str
    advice: str
    see_someone: str


class ContributorPublic(BaseModel):
    id: str
    region: str
    strength: float
    why: list[str]
    evidence: list[str]
    title: str
    explanation: str


class AssessmentPublic(BaseModel):
    """Triage, then the contributors and patterns (empty when care comes first)."""

    triage: TriagePublic
    patterns: list[PatternPublic]
    contributors: list[ContributorPublic]


class PlannedExercisePublic(BaseModel):
    id: str
    name: str
    kind: str
    targets: list[str]
    equipment: list[str]
    sets: int
    reps: int | None
    hold_s: int | None
    side: str
    minutes: int | None
    time_min: int
    why: str
    cautions: list[str]
    start_reason: str = Field(
        "", description="Why the exercise starts on this rung of its ladder (one line)."
    )
    load: LoadPublic | None = None
    tempo: str | None = None
    extra_sets_painful_side: int = 0


class DayPublic(BaseModel):
    day: int
    exercises: list[PlannedExercisePublic]


class AdvicePublic(BaseModel):
    id: str
    topic: str
    text: str
    targets: list[str]


class LeftOutPublic(BaseModel):
    need: str
    label: str
    reason: str
    exercises: list[str]


PLAN_VERSION = "The plan's place in the line of saved plans (1, 2, 3, …); the newest is current."


class StartingLevelPublic(BaseModel):
    """Where each exercise ladder starts for this person (data/starting_levels.yaml)."""

    level: Literal["frail", "general", "active", "athletic"]
    name: str = Field("", description="The word shown for the level (frail shows as supported).")
    text: str = Field("", description="What the level means, in plain words.")
    reasons: list[str] = Field(description="One plain sentence per answer that set the level.")
    set_by: list[str] = Field(default_factory=list, description="The ids of those rules.")


class SavedPlanRef(BaseModel):
    id: int
    version: int = Field(ge=1, description=PLAN_VERSION)
    start_date: dt.date


class PlanPublic(BaseModel):
    """A week's plan (the `kneecoach plan --format json` document); `saved` when kept."""

    refused: bool
    refused_reason: str | None = None
    triage: TriagePublic
    sessions: list[DayPublic]
    advice: list[AdvicePublic]
    gentle: bool = False
    minutes_per_day: int = 0
    left_out: list[LeftOutPublic] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    starting_level: StartingLevelPublic | None = Field(
        None, description="Where the ladders start, and why (null when refused or saved before)."
    )
    saved: SavedPlanRef | None = left_out_when_unknown("The plan as kept (with `save=true`)")


class StoredPlanPublic(BaseModel):
    """The saved current plan."""

    id: int
    version: int = Field(ge=1, description=PLAN_VERSION)
    created_at: dt.datetime
    start_date: dt.date
    intake_version: int | None
    rules_version: str
    plan: PlanPublic


class SavedIntakePublic(BaseModel):
    """A saved intake version with the triage and assessment worked out when it was saved."""

    id: int
    version: int
    recorded_at: dt.datetime
    spec: str
    answers: Intake
    triage: TriagePublic
    assessment: AssessmentPublic | None


class IntakesPublic(BaseModel):
    intakes: list[SavedIntakePublic]
