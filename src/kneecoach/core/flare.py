"""A personal flare plan: what to keep and what to pause for a few days, and how to build back.

A flare is a spell of a few days when the knee is clearly worse (evidence.md §6.4). The plan is
data (``data/flare_plan.yaml``); this module only walks it:

- each exercise of the person's current plan goes into the first group that matches it (by id
  or kind, when the group's condition holds for the person): ``keep`` and ``shorter`` give the
  easy dose for days 1 to 3 (the plan's lowest: ``gentlest_dose``), ``pause`` gives none;
- from day 4 the build-back climbs from the easy dose to the usual one, one step at a time
  (progression.yaml's step sizes), so no day jumps more than one step;
- the advice (activities, comfort, pain relief, when to see someone) is each item whose
  condition holds; without an intake, each item that is not known not to apply.

Without a plan the groups themselves are the plan (the general flare plan). Pure: the service
reads the plan, the alerts and the intake and fills the country's words in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Final, Literal

from kneecoach.core.progression import (
    Dose,
    PainZone,
    StepSizes,
    Variant,
    gentlest_dose,
    show_dose,
)
from kneecoach.core.rules import Condition, evaluate
from kneecoach.core.signals.alerts import Alert, Level

Action = Literal["keep", "shorter", "pause"]
ACTIONS: Final[tuple[Action, ...]] = ("keep", "shorter", "pause")
StartSource = Literal["given", "alert", "today"]
Phase = Literal["ease", "build_back"]

BUILD_BACK_RUNGS: Final[dict[str, str]] = {
    "reps_up": "reps",
    "hold_up": "hold_s",
    "minutes_up": "minutes",
    "sets_up": "sets",
}
"""The rungs the build-back may climb, and the part of the dose each one raises."""


# ── The rules, as the data file describes them ──────────────────────────────────────────────


@dataclass(frozen=True)
class ExerciseGroup:
    """Plan exercises handled alike in a flare: matched by id or kind when `when` holds."""

    id: str
    label: str
    action: Action
    why_text: str
    exercises: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    when: Condition | None = None

    def matches(self, exercise_id: str, kind: str, facts: Mapping[str, Any]) -> bool:
        """By id or kind (a group naming neither matches every exercise), for this person."""
        anything = not self.exercises and not self.kinds
        if not (anything or exercise_id in self.exercises or kind in self.kinds):
            return False
        return self.when is None or evaluate(self.when, facts).truth is True


@dataclass(frozen=True)
class AdviceRule:
    """One piece of flare advice, given when `when` holds (None: always)."""

    id: str
    label: str
    text: str
    when: Condition | None = None
    general: bool = False
    """Given in the general plan (no answers to read) even though it has a condition."""

    def applies(self, facts: Mapping[str, Any] | None) -> bool:
        """For a person: the condition must hold. Without an intake (`facts` None): only the
        items meant for anyone."""
        if self.when is None:
            return True
        if facts is None:
            return self.general
        return evaluate(self.when, facts).truth is True


@dataclass(frozen=True)
class BuildBackRule:
    """How the build-back climbs (rungs of progression's ladder) and its lines in plain words;
    `{safe}` and `{ok}` are the tops of the safe and acceptable pain zones."""

    ladder: tuple[str, ...]
    steps_per_day: int
    up: str
    hold: str
    down: str
    done: str


@dataclass(frozen=True)
class NotSettling:
    after_days: int
    label: str
    text: str
    message: str
    """Said instead of `text` once the flare has gone on longer than `after_days`."""


@dataclass(frozen=True)
class StartRule:
    """Where day 1 comes from when the person does not say: these alerts, at `min_level` or
    above, in the last `look_back_days` days; alerts whose first days are at most
    `same_flare_within_days` apart are one flare."""

    alerts: tuple[str, ...]
    min_level: str
    look_back_days: int
    same_flare_within_days: int


@dataclass(frozen=True)
class FlareRules:
    version: str
    title: str
    summary: str
    general_note: str
    on_hold: str
    care_first: str
    """Said instead of a plan when the intake's triage says care comes first."""
    ease_days: int
    phases: Mapping[Phase, tuple[str, str]]
    """Each phase's title and text."""
    start: StartRule
    action_labels: Mapping[Action, str]
    groups: tuple[ExerciseGroup, ...]
    activities: tuple[AdviceRule, ...]
    comfort: tuple[AdviceRule, ...]
    pain_relief: tuple[AdviceRule, ...]
    build_back: BuildBackRule
    not_settling: NotSettling
    red_flags: AdviceRule
    red_flag_rules: tuple[str, ...] = ()

    def group_for(self, exercise_id: str, kind: str, facts: Mapping[str, Any]) -> ExerciseGroup:
        """The first group that matches; the file ends in a group that matches everything."""
        for group in self.groups:
            if group.matches(exercise_id, kind, facts):
                return group
        raise ValueError("the flare plan's groups must end with one that matches every exercise")


# ── What the person gets ────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class CurrentExercise:
    """One exercise of the person's plan as it stands: its slot, its variant and usual dose."""

    slot: str
    name: str
    kind: str
    usual: Dose


@dataclass(frozen=True)
class FlareStart:
    """Day 1 of the flare and where it came from: given by the person, an alert, or today."""

    on: date
    source: StartSource
    alert: str | None = None
    level: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.on.isoformat(),
            "source": self.source,
            "alert": self.alert,
            "level": self.level,
        }


def dose_json(dose: Dose | None) -> dict[str, Any] | None:
    if dose is None:
        return None
    return {
        "id": dose.exercise_id,
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_s": dose.hold_s,
        "minutes": dose.minutes,
        "dose": show_dose(dose),
    }


@dataclass(frozen=True)
class FlareExercise:
    """One plan exercise in the flare: its group, the dose for days 1 to 3 (None: paused) and
    the doses of the build-back, ending at the usual dose."""

    slot: str
    name: str
    kind: str
    group: str
    action: Action
    label: str
    why: str
    usual: Dose
    easy: Dose | None
    build_back: tuple[Dose, ...]

    @property
    def paused(self) -> bool:
        return self.easy is None

    def as_json(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "id": self.usual.exercise_id,
            "name": self.name,
            "kind": self.kind,
            "group": self.group,
            "action": self.action,
            "label": self.label,
            "why": self.why,
            "usual": dose_json(self.usual),
            "days_1_to_3": dose_json(self.easy),
            "build_back": [dose_json(dose) for dose in self.build_back],
        }


@dataclass(frozen=True)
class FlareGroupView:
    """A group as the general flare plan shows it."""

    id: str
    label: str
    action: Action
    action_label: str
    why: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "action": self.action,
            "action_label": self.action_label,
            "why": self.why,
        }


@dataclass(frozen=True)
class FlareAdvice:
    """A piece of advice given, with the rule it comes from."""

    id: str
    label: str
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "text": self.text}


@dataclass(frozen=True)
class FlarePhase:
    """A stretch of the flare: its days (counted from day 1) and dates; the last is open."""

    id: Phase
    title: str
    text: str
    first_day: int
    first_date: date
    last_day: int | None
    last_date: date | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "first_day": self.first_day,
            "first_date": self.first_date.isoformat(),
            "last_day": self.last_day,
            "last_date": None if self.last_date is None else self.last_date.isoformat(),
        }


@dataclass(frozen=True)
class FlarePlan:
    title: str
    summary: str
    start: FlareStart
    today: date
    day: int
    phase: Phase
    phases: tuple[FlarePhase, ...]
    personal: bool
    on_hold: bool
    note: str | None
    exercises: tuple[FlareExercise, ...]
    groups: tuple[FlareGroupView, ...]
    activities: tuple[FlareAdvice, ...]
    comfort: tuple[FlareAdvice, ...]
    pain_relief: tuple[FlareAdvice, ...]
    build_back: tuple[str, ...]
    see_someone: tuple[FlareAdvice, ...]
    not_settling: bool
    check_by: date
    """The day by which a flare that has not settled should be checked."""
    rules_version: str = ""

    @property
    def kept(self) -> tuple[FlareExercise, ...]:
        return tuple(e for e in self.exercises if not e.paused)

    @property
    def paused(self) -> tuple[FlareExercise, ...]:
        return tuple(e for e in self.exercises if e.paused)

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "summary": self.summary,
            "start": self.start.as_json(),
            "today": self.today.isoformat(),
            "day": self.day,
            "phase": self.phase,
            "phases": [p.as_json() for p in self.phases],
            "personal": self.personal,
            "on_hold": self.on_hold,
            "note": self.note,
            "exercises": [e.as_json() for e in self.exercises],
            "groups": [g.as_json() for g in self.groups],
            "activities": [a.as_json() for a in self.activities],
            "comfort": [a.as_json() for a in self.comfort],
            "pain_relief": [a.as_json() for a in self.pain_relief],
            "build_back": list(self.build_back),
            "see_someone": [a.as_json() for a in self.see_someone],
            "not_settling": self.not_settling,
            "check_by": self.check_by.isoformat(),
            "rules_version": self.rules_version,
        }


# ── Walking the rules ───────────────────────────────────────────────────────────────────────


def step_toward(dose: Dose, target: Dose, ladder: Sequence[str], steps: StepSizes) -> Dose:
    """One step from `dose` toward `target`: the first rung of the ladder whose part is still
    below the target goes up by its step size (a set at a time), never past the target."""
    sizes = {"reps": steps.reps, "hold_s": steps.hold_s, "minutes": steps.minutes, "sets": 1}
    for rung in ladder:
        part = BUILD_BACK_RUNGS[rung]
        now, goal = getattr(dose, part), getattr(target, part)
        if now is not None and goal is not None and now < goal:
            return replace(dose, **{part: min(goal, now + sizes[part])})
    return target


def build_back_doses(
    easy: Dose, usual: Dose, ladder: Sequence[str], steps: StepSizes
) -> tuple[Dose, ...]:
    """The doses after `easy`, one step each, up to and including `usual` (none when equal)."""
    doses: list[Dose] = []
    current = easy
    while current != usual:
        current = step_toward(current, usual, ladder, steps)
        doses.append(current)
    return tuple(doses)


def flare_exercise(
    exercise: CurrentExercise,
    group: ExerciseGroup,
    rules: FlareRules,
    chain: Mapping[str, Variant],
    steps: StepSizes,
) -> FlareExercise:
    """One plan exercise in the flare: kept at its easiest dose, or paused and brought back
    at it on day 4; then step by step back to the usual dose."""
    gentle = gentlest_dose(exercise.usual, chain, steps)
    ladder = rules.build_back.ladder
    climb = build_back_doses(gentle, exercise.usual, ladder, steps)
    paused = group.action == "pause"
    return FlareExercise(
        slot=exercise.slot,
        name=exercise.name,
        kind=exercise.kind,
        group=group.id,
        action=group.action,
        label=rules.action_labels[group.action],
        why=group.why_text,
        usual=exercise.usual,
        easy=None if paused else gentle,
        build_back=(gentle, *climb) if paused else climb,
    )


def first_day_of(alert: Alert, not_settling_days: int) -> date:
    """The day an alert's sign went up: its date, but for a pain flare that has not settled
    (dated `not_settling_days` after its first raised day), that first day."""
    if alert.id == "pain_flare" and alert.level is Level.see_professional:
        return alert.day - timedelta(days=not_settling_days - 1)
    return alert.day


def start_from_alerts(
    alerts: Sequence[Alert], rule: StartRule, today: date, not_settling_days: int
) -> FlareStart:
    """Day 1 from the alerts of the last weeks (`alerts` may hold any; the rule picks).

    Each alert spans its first day to its date; spans at most `same_flare_within_days` apart
    are one flare, and day 1 is the first day of the latest flare. Today when no alert starts
    one. The start names the alert that opened the flare and the highest level in it (a pain
    flare that has not settled makes it `see_professional`)."""
    first_seen = today - timedelta(days=rule.look_back_days - 1)
    least = Level.named(rule.min_level)
    wanted = [
        a
        for a in alerts
        if a.id in rule.alerts and a.level >= least and first_seen <= a.day <= today
    ]
    if not wanted:
        return FlareStart(today, "today")
    spans = sorted(
        ((first_day_of(a, not_settling_days), a) for a in wanted),
        key=lambda span: (span[0], -span[1].level, span[1].day),
    )
    flare = [spans[0]]
    end = spans[0][1].day
    for first, found in spans[1:]:
        if (first - end).days > rule.same_flare_within_days:
            flare = []
        flare.append((first, found))
        end = found.day if len(flare) == 1 else max(end, found.day)
    first, opening = flare[0]
    level = max(found.level for _, found in flare)
    return FlareStart(first, "alert", opening.id, level.name)


def flare_day(start: date, today: date) -> int:
    """Today's day of the flare: day 1 is the day it started."""
    return (today - start).days + 1


def phases_of(rules: FlareRules, start: date) -> tuple[FlarePhase, ...]:
    ease_title, ease_text = rules.phases["ease"]
    back_title, back_text = rules.phases["build_back"]
    last_easy = start + timedelta(days=rules.ease_days - 1)
    first_back = last_easy + timedelta(days=1)
    return (
        FlarePhase("ease", ease_title, ease_text, 1, start, rules.ease_days, last_easy),
        FlarePhase(
            "build_back", back_title, back_text, rules.ease_days + 1, first_back, None, None
        ),
    )


def build_back_lines(rules: BuildBackRule, zones: Sequence[PainZone]) -> tuple[str, ...]:
    """The resume rule in plain words, with the project's pain zones filled in."""
    safe, ok = zones[0].max_pain, zones[1].max_pain
    return tuple(
        line.format(safe=safe, ok=ok) for line in (rules.up, rules.hold, rules.down, rules.done)
    )


def flare_plan(
    rules: FlareRules,
    start: FlareStart,
    today: date,
    exercises: Sequence[CurrentExercise],
    facts: Mapping[str, Any] | None,
    chain: Mapping[str, Variant],
    steps: StepSizes,
    zones: Sequence[PainZone],
    *,
    has_plan: bool,
    on_hold: bool = False,
    care_first: bool = False,
) -> FlarePlan:
    """The flare plan for this person today.

    `exercises` are the current plan's exercises at their usual doses (none without a plan:
    the general plan's groups are given instead); `facts` the intake's answers and pattern
    fits (None without an intake). `on_hold`: a check-in's red flag stopped the plan, so no
    exercise or activity advice is given, only the see-someone rules; `care_first`: the same
    when the intake's triage says care comes first (no plan is made then)."""
    held = rules.care_first if care_first else rules.on_hold
    on_hold = on_hold or care_first
    day = flare_day(start.on, today)
    settle = rules.not_settling
    not_settling = day > settle.after_days or start.level == "see_professional"
    see = [FlareAdvice("red_flags", rules.red_flags.label, rules.red_flags.text)]
    if not_settling:
        see.insert(0, FlareAdvice("not_settling", settle.label, settle.message))
    else:
        see.append(FlareAdvice("not_settling", settle.label, settle.text))
    given = facts or {}
    chosen: tuple[FlareExercise, ...] = ()
    groups: tuple[FlareGroupView, ...] = ()
    if not on_hold and has_plan:
        chosen = tuple(
            flare_exercise(
                e, rules.group_for(e.usual.exercise_id, e.kind, given), rules, chain, steps
            )
            for e in exercises
        )
    elif not on_hold:
        groups = tuple(
            FlareGroupView(g.id, g.label, g.action, rules.action_labels[g.action], g.why_text)
            for g in rules.groups
            if facts is None or g.when is None or evaluate(g.when, facts).truth is True
        )

    def given_advice(items: Sequence[AdviceRule]) -> tuple[FlareAdvice, ...]:
        if on_hold:
            return ()
        return tuple(FlareAdvice(i.id, i.label, i.text) for i in items if i.applies(facts))

    return FlarePlan(
        title=rules.title,
        summary=rules.summary,
        start=start,
        today=today,
        day=day,
        phase="ease" if day <= rules.ease_days else "build_back",
        phases=phases_of(rules, start.on),
        personal=has_plan,
        on_hold=on_hold,
        note=held if on_hold else (None if has_plan else rules.general_note),
        exercises=chosen,
        groups=groups,
        activities=given_advice(rules.activities),
        comfort=given_advice(rules.comfort),
        pain_relief=given_advice(rules.pain_relief),
        build_back=() if on_hold else build_back_lines(rules.build_back, zones),
        see_someone=tuple(see),
        not_settling=not_settling,
        check_by=start.on + timedelta(days=settle.after_days),
        rules_version=rules.version,
    )
