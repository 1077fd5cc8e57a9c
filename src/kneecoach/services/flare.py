"""The flare plan as a use case: the person's own flare plan today, or the general one.

`core/flare.py` does the thinking; this joins it to the current plan (each exercise at the
dose it was last asked for before the flare began), the intake behind it (patterns, activities,
medicines), the stored alerts (when the flare began), the check-in safety stop (a red flag puts
the flare plan on hold too) and the words of the person's country.

Day 1 of the flare is the day the person gives (a link from an alert carries its date), else
the latest flare alert of the last weeks (`start` in flare_plan.yaml), else today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from kneecoach.core.country import ServiceWords, fill
from kneecoach.core.errors import InputError
from kneecoach.core.flare import (
    CurrentExercise,
    FlareAdvice,
    FlarePlan,
    FlareStart,
    flare_plan,
    start_from_alerts,
)
from kneecoach.core.intake import Intake, parse_intake
from kneecoach.core.planning import plan_facts, variants_of
from kneecoach.core.progression import Variant
from kneecoach.core.safety_stop import SafetyState
from kneecoach.data.exercises import load_catalogue
from kneecoach.data.flare import load_flare_rules
from kneecoach.data.planning import load_progression_rules
from kneecoach.data.signals import load_signal_thresholds
from kneecoach.services.assessment import assess_intake
from kneecoach.services.country import country_words
from kneecoach.services.database import Session
from kneecoach.services.plan import StoredPlan, latest_plan
from kneecoach.services.safety_stop import notices_json, safety_on
from kneecoach.services.sessions import usual_doses
from kneecoach.services.signals import stored_alerts_between


@dataclass(frozen=True)
class FlareReport:
    """The flare plan of the day and the check-ins' safety state (a stop puts it on hold)."""

    plan: FlarePlan
    safety: SafetyState

    def as_json(self) -> dict[str, Any]:
        return {**self.plan.as_json(), **notices_json(self.safety)}


def flare_start(
    since: date | None = None, today: date | None = None, *, session: Session
) -> FlareStart:
    """Day 1 of the flare: `since` when given (not after today), else the first day of the
    latest flare in the alerts of the last weeks, else today."""
    today = today or date.today()
    if since is not None:
        if since > today:
            raise InputError("since", f"{since.isoformat()} is in the future")
        return FlareStart(since, "given")
    rule = load_flare_rules().start
    first = today - timedelta(days=rule.look_back_days - 1)
    found = stored_alerts_between(first, today, session=session)
    not_settling = load_signal_thresholds().flare.not_settling_days
    return start_from_alerts(found, rule, today, not_settling)


def _intake_of(plan: StoredPlan | None, *, session: Session) -> Intake | None:
    """The latest saved intake, else the one behind the current plan, else none (as the
    check-in safety stop reads them)."""
    from kneecoach.services.intake import latest_intake

    saved = latest_intake(session=session)
    if saved is not None:
        return saved.intake()
    return None if plan is None else parse_intake(plan.intake)


@dataclass(frozen=True)
class _Person:
    """What the intake says for the flare plan: its facts, and whether care comes first."""

    facts: dict[str, Any] | None = None
    care_first: bool = False


def _person(intake: Intake | None, *, session: Session) -> _Person:
    if intake is None:
        return _Person()
    report = assess_intake(intake, session=session)
    return _Person(plan_facts(intake, report.triage, report.assessment), report.care_first)


def _current_exercises(
    plan: StoredPlan, before: date, chain: Mapping[str, Variant], *, session: Session
) -> tuple[CurrentExercise, ...]:
    """The plan's exercises at the dose each was last asked for before the flare began."""
    doses = usual_doses(plan, before, session=session)
    found = []
    for slot, dose in doses.items():
        entry = plan.exercise(slot) or {}
        variant = chain.get(dose.exercise_id)
        name = variant.name if variant is not None else str(entry.get("name", slot))
        found.append(CurrentExercise(slot, name, str(entry.get("kind", "")), dose))
    return tuple(found)


def in_local_words(plan: FlarePlan, words: ServiceWords) -> FlarePlan:
    """The plan's texts with the country's service names ({pharmacist}, {doctor}, …)."""

    def local(items: tuple[FlareAdvice, ...]) -> tuple[FlareAdvice, ...]:
        return tuple(replace(item, text=fill(item.text, words)) for item in items)

    return replace(
        plan,
        summary=fill(plan.summary, words),
        note=None if plan.note is None else fill(plan.note, words),
        activities=local(plan.activities),
        comfort=local(plan.comfort),
        pain_relief=local(plan.pain_relief),
        see_someone=local(plan.see_someone),
    )


def flare_plan_for(
    since: date | None = None, today: date | None = None, *, session: Session
) -> FlareReport:
    """The person's flare plan today: from their current plan and intake, or the general flare
    plan without a plan; on hold (see-someone rules only) while a check-in's red flag stops
    the exercises, or when the latest intake's triage says care comes first."""
    today = today or date.today()
    start = flare_start(since, today, session=session)
    safety = safety_on(today, session=session)
    stored = latest_plan(session=session)
    intake = _intake_of(stored, session=session)
    person = _person(intake, session=session)
    progression = load_progression_rules()
    chain = variants_of(load_catalogue())
    exercises = (
        ()
        if stored is None or safety.stopped
        else _current_exercises(stored, start.on, chain, session=session)
    )
    plan = flare_plan(
        load_flare_rules(),
        start,
        today,
        exercises,
        person.facts,
        chain,
        progression.steps,
        progression.zones,
        has_plan=stored is not None,
        on_hold=safety.stopped,
        care_first=person.care_first,
    )
    words = country_words(None if intake is None else intake.country, session=session)
    return FlareReport(in_local_words(plan, words), safety)
