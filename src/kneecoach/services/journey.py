"""The person's next step, whatever page they are on: one owner for "what now?".

A newcomer is asked the questions first; someone with answers but no plan makes the plan;
someone with a plan checks in once a day and does today's exercises. A red flag in a check-in
puts "see what to do" first. Interfaces show it as the one primary action at the top.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from kneecoach.core.errors import ConflictError
from kneecoach.services.database import Session

if TYPE_CHECKING:
    from kneecoach.services.intake import SavedIntake

StepId = Literal[
    "answer_questions",
    "continue_questions",
    "make_plan",
    "get_help",
    "see_someone",
    "check_in",
    "exercises",
]
CARE_FIRST = frozenset({"emergency", "urgent"})
"""Intake levels at which care comes before any plan (services/plan refuses one)."""


@dataclass(frozen=True)
class NextStep:
    id: StepId
    label: str
    path: str


STEPS: dict[StepId, NextStep] = {
    "answer_questions": NextStep(
        "answer_questions", "Start: answer the questions about your knee", "/intake"
    ),
    "continue_questions": NextStep(
        "continue_questions", "Carry on with the questions about your knee", "/intake"
    ),
    "make_plan": NextStep("make_plan", "Make my exercise plan", "/today"),
    "get_help": NextStep("get_help", "See what to do about your knee now", "/today"),
    "see_someone": NextStep("see_someone", "See whom to see about your knee", "/results"),
    "check_in": NextStep("check_in", "Do today's check-in", "/checkin"),
    "exercises": NextStep("exercises", "See today's exercises", "/today"),
}


def care_comes_first(saved: SavedIntake | None) -> bool:
    """The saved intake's safety level says care comes before any plan or exercise: its
    advice is to get help, and the exercises of an older plan are not shown meanwhile."""
    return saved is not None and saved.triage.get("level") in CARE_FIRST


def care_first_now(*, session: Session) -> bool:
    """`care_comes_first` for the newest saved intake."""
    from kneecoach.services.intake import latest_intake

    return care_comes_first(latest_intake(session=session))


def care_first_refusal() -> ConflictError:
    """The one-line refusal to log exercises while the newest answers say care comes first."""
    return ConflictError(
        "session: your newest answers say to get care first, so exercises are on hold and "
        "nothing was logged; see whom to contact in your results, then answer the knee "
        "questions again"
    )


def next_step(*, today: date, session: Session, intake_begun: bool = False) -> NextStep:
    """The one thing to do next, in the order a person's day goes. Every page asks, so each
    question is one small read: no plan document is loaded, and nothing is read twice.
    `intake_begun`: a newcomer has answered part of the intake (the web keeps it in the
    browser), so the step is to carry on rather than to start."""
    from kneecoach.services.checkins import checkin_on
    from kneecoach.services.intake import latest_intake
    from kneecoach.services.plan import has_saved_plan
    from kneecoach.services.safety_stop import safety_on

    saved = latest_intake(session=session)
    planned = has_saved_plan(session=session)
    if saved is None and not planned:
        return STEPS["continue_questions" if intake_begun else "answer_questions"]
    if care_comes_first(saved):
        return STEPS["see_someone"]
    if safety_on(today, session=session).stop is not None:
        return STEPS["get_help"]
    if not planned:
        return STEPS["make_plan"]
    if checkin_on(today, session=session) is None:
        return STEPS["check_in"]
    return STEPS["exercises"]
