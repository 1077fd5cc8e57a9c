"""The plan as use cases: make a week's plan from an intake, save it, read the saved one back.

`make_plan` (core) does the thinking; this module joins it to the triage and assessment
services, the knowledge files and the database. A saved plan keeps the JSON the person saw,
the intake behind it and the rule versions, so later progression and a clinician read
exactly what was asked.

Saved plans form a line: each gets the next `version` (1, 2, 3, …) and the newest is the
current plan. A save that says which version it saw (`expected_version`, 0 for none) is
refused with ConflictError when someone saved another plan since, so two people (or two
tabs) that both saw plan 2 cannot both replace it unknowingly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kneecoach.core.country import fill
from kneecoach.core.errors import (
    ANSWER_INTAKE,
    MAKE_PLAN,
    ConflictError,
    InputError,
    NotFoundError,
)
from kneecoach.core.exercises import left_out_because
from kneecoach.core.intake import Intake, parse_intake
from kneecoach.core.planning import (
    Plan,
    has_equipment,
    make_plan,
    refused_because,
    situation_of,
)
from kneecoach.core.starting_level import StartingLevel, starting_level
from kneecoach.core.triage import TriageResult
from kneecoach.data.exercises import load_catalogue
from kneecoach.data.planning import load_advice, load_plan_rules
from kneecoach.data.starting_levels import load_starting_levels
from kneecoach.services.assessment import assess_intake
from kneecoach.services.country import country_words

if TYPE_CHECKING:  # the database layer loads only for a call that has a session
    from sqlalchemy.orm import Session

    from kneecoach.storage.models.plans import SavedPlan


def plan_for(intake: Intake, *, session: Session | None) -> Plan:
    """Triage, assessment, then the plan (refused when care comes first).

    The advice names services with placeholders; they are filled here with the words of the
    person's country, so a saved plan keeps the words the person was shown.
    """
    report = assess_intake(intake, session=session)
    plan = make_plan(
        intake,
        report.triage,
        report.assessment,
        load_catalogue(),
        load_plan_rules(),
        load_advice(),
        load_starting_levels(),
    )
    words = country_words(intake.country, session=session)
    advice = tuple(replace(item, text=fill(item.text, words)) for item in plan.advice)
    return replace(plan, advice=advice)


def starting_level_for(intake: Intake, triage: TriageResult) -> StartingLevel | None:
    """Where this person's exercise ladders start, and the answers that set it; None when the
    plan is refused (care comes first, or a pathway replaces the plan)."""
    if refused_because(triage, load_plan_rules()) is not None:
        return None
    return starting_level(intake, load_starting_levels())


def plan_document(raw: Any, *, session: Session | None) -> tuple[Intake, Plan]:
    """Validate a `kneecoach-intake/1` document and plan for it; bad input raises InputError."""
    intake = parse_intake(raw)
    return intake, plan_for(intake, session=session)


@dataclass(frozen=True)
class IntakeSource:
    """Where the intake came from when none was given: the latest saved one."""

    intake: Intake
    version: int | None


def latest_saved_intake(*, session: Session) -> IntakeSource:
    """The newest saved intake, or NotFoundError (hint `answer_intake`: what to do)."""
    from kneecoach.services.intake import latest_intake

    saved = latest_intake(session=session)
    if saved is None:
        raise NotFoundError("no saved intake yet", field="answers", hint=ANSWER_INTAKE)
    return IntakeSource(saved.intake(), saved.version)


def rules_version() -> str:
    return (
        f"plan_rules {load_plan_rules().version}; advice {load_advice().version}; "
        f"starting_levels {load_starting_levels().version}; " + load_catalogue().version
    )


@dataclass(frozen=True)
class StoredPlan:
    """A saved plan: the JSON shown, the intake behind it, and day 1 of its week."""

    id: int
    created_at: datetime
    start_date: date
    intake_version: int | None
    rules_version: str
    intake: dict[str, Any]
    plan: dict[str, Any]
    version: int = 1

    def day_on(self, on: date) -> int:
        """Which day of the weekly plan a date falls on (the week repeats)."""
        return (on - self.start_date).days % 7 + 1

    def session_on_day(self, day: int) -> list[dict[str, Any]]:
        for session in self.plan.get("sessions", []):
            if session["day"] == day:
                return list(session["exercises"])
        return []

    def exercise(self, slot: str) -> dict[str, Any] | None:
        """The plan's entry for an exercise id (its starting dose), whatever the day."""
        for session in self.plan.get("sessions", []):
            for entry in session["exercises"]:
                if entry["id"] == slot:
                    return dict(entry)
        return None

    def slots(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for session in self.plan.get("sessions", []):
            for entry in session["exercises"]:
                seen.setdefault(entry["id"], None)
        return tuple(seen)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "start_date": self.start_date.isoformat(),
            "intake_version": self.intake_version,
            "rules_version": self.rules_version,
            "plan": self.plan,
        }


def _stored(record: SavedPlan) -> StoredPlan:
    created = record.created_at
    if created.tzinfo is None:  # SQLite gives naive datetimes back; they were stored as UTC
        created = created.replace(tzinfo=UTC)
    return StoredPlan(
        id=record.id,
        created_at=created,
        start_date=record.start_date,
        intake_version=record.intake_version,
        rules_version=record.rules_version,
        intake=dict(record.intake),
        plan=dict(record.plan),
        version=record.version,
    )


SAVE_ATTEMPTS = 5
"""How often a save without `expected_version` takes the next number again when another save
took it at the same moment (PostgreSQL only: SQLite's writers go one at a time)."""


def save_plan(
    intake: Intake,
    plan: Plan,
    start: date | None = None,
    intake_version: int | None = None,
    expected_version: int | None = None,
    *,
    session: Session,
) -> StoredPlan:
    """Keep the plan as the person's current plan; day 1 is `start` (today by default).

    With `expected_version` (the version of the current plan the person saw; 0 for none), a
    newer plan saved meanwhile is a ConflictError and nothing is saved."""
    if plan.refused:
        raise ConflictError(
            "this plan was refused for safety, so there is nothing to save; "
            "see a professional first",
            field="save",
        )
    if expected_version is not None and expected_version < 0:
        raise InputError("version", f"{expected_version} is not a version: give 0 or more")
    from sqlalchemy.exc import IntegrityError

    from kneecoach.storage.locking import lock_for_write
    from kneecoach.storage.models.plans import SavedPlan

    lock_for_write(session)
    for _attempt in range(SAVE_ATTEMPTS):
        newest = _newest_version(session)
        _check_plan_version(expected_version, newest)
        record = SavedPlan(
            start_date=start or date.today(),
            intake_spec=intake.spec,
            intake_version=intake_version,
            rules_version=rules_version(),
            intake=intake.model_dump(mode="json", exclude_none=True),
            plan=plan.as_json(),
            version=newest + 1,
        )
        try:
            with session.begin_nested():
                session.add(record)
        except IntegrityError:
            continue  # another save took this number and committed: read the newest again
        return _stored(record)
    raise ConflictError("many plans are being saved at once; try again", field="version")


def _newest_version(session: Session) -> int:
    from sqlalchemy import func, select

    from kneecoach.storage.models.plans import SavedPlan

    return int(session.scalar(select(func.max(SavedPlan.version))) or 0)


def _check_plan_version(expected: int | None, newest: int) -> None:
    if expected is not None and expected != newest:
        seen = f"plan version {expected}" if expected else "no plan"
        now = f"version {newest}" if newest else "no plan"
        raise ConflictError(
            f"someone saved a new plan since you opened yours (you saw {seen}; the newest is "
            f"{now}). Nothing was saved: reload and try again",
            field="version",
        )


def latest_plan(*, session: Session) -> StoredPlan | None:
    from sqlalchemy import select

    from kneecoach.storage.models.plans import SavedPlan

    record = session.scalar(select(SavedPlan).order_by(SavedPlan.id.desc()).limit(1))
    return None if record is None else _stored(record)


def has_saved_plan(*, session: Session) -> bool:
    """Whether any plan is saved: one indexed row, no plan document read."""
    from sqlalchemy import select

    from kneecoach.storage.models.plans import SavedPlan

    return session.scalar(select(SavedPlan.id).limit(1)) is not None


def first_start_date(*, session: Session) -> date | None:
    """Day 1 of the earliest plan saved (making the plan again never moves it), or None."""
    from sqlalchemy import func, select

    from kneecoach.storage.models.plans import SavedPlan

    return session.scalar(select(func.min(SavedPlan.start_date)))


def current_plan(*, session: Session) -> StoredPlan:
    """The newest saved plan, or NotFoundError (hint `make_plan`: how to make one)."""
    stored = latest_plan(session=session)
    if stored is None:
        raise NotFoundError("plan: no saved plan yet", hint=MAKE_PLAN)
    return stored


def allowed_variants(intake: Intake, *, session: Session) -> Callable[[str], bool]:
    """Which exercises progression may move to: the person's equipment, nothing left out for
    their situation."""
    report = assess_intake(intake, session=session)
    catalogue = load_catalogue()
    situation = situation_of(intake, report.triage, report.assessment, catalogue)
    equipment = tuple(intake.equipment or ())

    def allowed(exercise_id: str) -> bool:
        exercise = catalogue.get(exercise_id)
        return (
            exercise is not None
            and has_equipment(exercise, equipment)
            and not left_out_because(exercise, situation)
        )

    return allowed
