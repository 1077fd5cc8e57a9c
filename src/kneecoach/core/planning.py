"""A week's plan with a strategy: choose exercises, dose them, put them on days, add advice.

The strategy is data (``data/plan_rules.yaml``, ``data/advice.yaml``); these small pure
functions only walk it:

- ``make_plan`` refuses when triage says care comes first, and keeps the plan gentle when a
  professional should see the knee soon or a whole-plan condition holds (severe pain, a
  swollen or warm knee: ``softening_for``);
- ``needs_for`` lists what the plan must answer, in priority order: the core of hip and thigh
  strength, the patterns that fit, then the contributors, strongest first;
- ``choose_exercises`` fills each need from the catalogue, never with an exercise that needs
  equipment the person lacks or that is left out for their situation, and never past the
  minutes they have each day (what did not fit is said, not hidden); a caution's ``change``
  moves an exercise to its easier variant and starts it at fewer sets or less of its amount;
  each ladder starts at the person's starting level (``core/starting_level.py``): the
  exercise climbs its ``harder`` links while the next rung's ``start_level`` is at or below
  the level, and says why in one line (``start_reason``);
- ``schedule_week`` puts each kind of exercise on its days; ``choose_advice`` adds the advice
  whose conditions hold and, for any contributor no exercise answers, an advice item that does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from kneecoach.core.assessment import Assessment
from kneecoach.core.exercises import (
    Catalogue,
    Exercise,
    cautions_for,
    dose_changes,
    left_out_because,
    start_dose,
)
from kneecoach.core.intake import Intake
from kneecoach.core.progression import Dose as ProgressionDose
from kneecoach.core.progression import LoadLevel, Variant
from kneecoach.core.rules import Condition, evaluate
from kneecoach.core.starting_level import (
    StartingLevel,
    StartingLevelRules,
    rank_of,
    starting_level,
)
from kneecoach.core.triage import REFUSING_PATHWAYS, TriageResult

WEEK: Final[tuple[int, ...]] = (1, 2, 3, 4, 5, 6, 7)
Side = Literal["left", "right", "both"]
LeftOutReason = Literal["time", "equipment", "safety"]


# ── The strategy, as the data file describes it ─────────────────────────────────────────────


@dataclass(frozen=True)
class Select:
    """Which catalogue exercises can answer a need (every given key must match)."""

    kind: str | None = None
    targets_any: tuple[str, ...] = ()
    patterns_any: tuple[str, ...] = ()
    progress: str | None = None

    def matches(self, exercise: Exercise) -> bool:
        """The exercise's main target (its first) must be one of `targets_any`: a thigh
        exercise that also works the buttock does not fill a hip need."""
        return (
            (self.kind is None or exercise.kind == self.kind)
            and (not self.targets_any or primary_target(exercise) in self.targets_any)
            and (not self.patterns_any or bool(set(self.patterns_any) & set(exercise.patterns)))
            and (self.progress is None or exercise.dose.progress == self.progress)
        )


def primary_target(exercise: Exercise) -> str | None:
    """The contributor an exercise works most: the first of its targets."""
    return exercise.targets[0] if exercise.targets else None


@dataclass(frozen=True)
class NeedLevel:
    """A level of a need (GLA:D balance levels): when `when` holds, the need starts at the
    rung `start_at`, and `text` says why."""

    level: int
    when: Condition
    start_at: str
    text: str


@dataclass(frozen=True)
class Need:
    """Something the plan must answer: `count` exercises matching `select`."""

    id: str
    label: str
    why_text: str
    select: Select
    count: int
    source: str
    prefer: tuple[str, ...] = ()
    when: Condition | None = None
    """Only when the person's answers say so (e.g. a stiff knee in the morning); None: always."""
    levels: tuple[NeedLevel, ...] = ()
    """Levels in order: the first whose condition holds picks the starting rung."""
    start_at: str | None = None
    """The rung the need's own level picked (set by `at_level`): the person's starting level
    neither climbs from it nor walks it down; the need's reason says why."""

    def applies(self, facts: Mapping[str, Any]) -> bool:
        return self.when is None or evaluate(self.when, facts).truth is True

    def at_level(self, facts: Mapping[str, Any]) -> Need:
        """The need with its level's rung preferred and its reason added (or as it is)."""
        for level in self.levels:
            if evaluate(level.when, facts).truth is True:
                return replace(
                    self,
                    prefer=(level.start_at, *self.prefer),
                    start_at=level.start_at,
                    why_text=f"{self.why_text} {level.text}",
                )
        return self


@dataclass(frozen=True)
class WholePlanRule:
    """A condition that makes the whole plan gentler, not one exercise: the fewest sets, at
    most ``max_exercises``, and a note in plain words saying why."""

    condition: str
    fewest_sets: bool
    max_exercises: int | None
    text: str
    source: str


@dataclass(frozen=True)
class Softening:
    """How gentle the whole plan is for this person: from triage (``soon``) and from the
    whole-plan rules whose condition holds."""

    fewest_sets: bool = False
    max_exercises: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanRules:
    version: str
    refuse_levels: frozenset[str]
    gentle_levels: frozenset[str]
    pattern_min_fit: float
    max_contributors: int
    default_minutes: int
    least_minutes: int
    gentle_sets: Literal["min", "start"]
    gentle_max_exercises: int
    schedule: Mapping[str, tuple[int, ...]]
    core: tuple[Need, ...]
    patterns: Mapping[str, tuple[Need, ...]]
    contributors: Mapping[str, tuple[Need, ...]]
    messages: Mapping[str, str]
    extras: tuple[Need, ...] = ()
    whole_plan: tuple[WholePlanRule, ...] = ()


@dataclass(frozen=True)
class AdviceItem:
    """Advice for what exercise cannot fix; without `when` it is only used to cover a gap."""

    id: str
    topic: str
    text: str
    targets: tuple[str, ...]
    when: Condition | None
    source: str
    basis: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "text": self.text,
            "targets": list(self.targets),
        }


@dataclass(frozen=True)
class AdviceBook:
    version: str
    topics: tuple[str, ...]
    items: tuple[AdviceItem, ...]


# ── The plan ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PlannedExercise:
    """One exercise of the plan with its starting dose and the need that chose it."""

    id: str
    name: str
    kind: str
    targets: tuple[str, ...]
    equipment: tuple[str, ...]
    sets: int
    reps: int | None
    hold_s: int | None
    minutes: int | None
    side: Side
    time_min: int
    need: str
    why: str
    cautions: tuple[str, ...] = ()
    start_reason: str = ""
    """Why the exercise starts on this rung of its ladder (one line; empty without a level)."""
    load: LoadLevel | None = None
    tempo: str | None = None
    extra_sets_painful_side: int = 0
    daily: bool = False

    def dose(self) -> ProgressionDose:
        return ProgressionDose(
            self.id,
            self.sets,
            self.reps,
            self.hold_s,
            self.minutes,
            self.load,
            self.tempo,
            self.extra_sets_painful_side,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "targets": list(self.targets),
            "equipment": list(self.equipment),
            "sets": self.sets,
            "reps": self.reps,
            "hold_s": self.hold_s,
            "side": self.side,
            "minutes": self.minutes,
            "time_min": self.time_min,
            "why": self.why,
            "cautions": list(self.cautions),
            "start_reason": self.start_reason,
            "load": None if self.load is None else self.load.as_json(),
            "tempo": self.tempo,
            "extra_sets_painful_side": self.extra_sets_painful_side,
        }


@dataclass(frozen=True)
class DaySession:
    day: int
    exercises: tuple[PlannedExercise, ...]

    @property
    def minutes(self) -> int:
        return sum(e.time_min for e in self.exercises)

    def as_json(self) -> dict[str, Any]:
        return {"day": self.day, "exercises": [e.as_json() for e in self.exercises]}


@dataclass(frozen=True)
class LeftOut:
    """A need the plan could not fill, why, and the exercises it would have used."""

    need: str
    label: str
    reason: LeftOutReason
    exercises: tuple[str, ...]
    names: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "need": self.need,
            "label": self.label,
            "reason": self.reason,
            "exercises": list(self.exercises),
        }


@dataclass(frozen=True)
class Plan:
    refused: bool
    gentle: bool
    triage: TriageResult
    sessions: tuple[DaySession, ...]
    advice: tuple[AdviceItem, ...]
    minutes_per_day: int
    left_out: tuple[LeftOut, ...] = ()
    notes: tuple[str, ...] = ()
    rules_version: str = ""
    contributors: tuple[str, ...] = field(default=())
    refused_reason: str | None = None
    """Why there is no plan: the triage level (`urgent`, `emergency`) or the pathway that
    replaces a generic plan (`after_surgery`, `child_under_9`)."""
    starting_level: StartingLevel | None = None
    """Where the ladders start for this person, and why (None when refused or not worked out)."""

    @property
    def exercises(self) -> tuple[PlannedExercise, ...]:
        """Each exercise of the week once, in the order it was chosen."""
        seen: dict[str, PlannedExercise] = {}
        for session in self.sessions:
            for exercise in session.exercises:
                seen.setdefault(exercise.id, exercise)
        return tuple(sorted(seen.values(), key=lambda e: _order_of(self, e.id)))

    def session_for(self, day: int) -> DaySession | None:
        return next((s for s in self.sessions if s.day == day), None)

    def as_json(self) -> dict[str, Any]:
        """The `kneecoach plan --format json` document (shared/spec/intake.md), extended with
        the minutes per day, what was left out and why, and notes."""
        return {
            "refused": self.refused,
            "refused_reason": self.refused_reason,
            "triage": self.triage.as_json(),
            "sessions": [s.as_json() for s in self.sessions],
            "advice": [a.as_json() for a in self.advice],
            "gentle": self.gentle,
            "minutes_per_day": self.minutes_per_day,
            "left_out": [item.as_json() for item in self.left_out],
            "notes": list(self.notes),
            "starting_level": (
                self.starting_level.as_json() if self.starting_level is not None else None
            ),
        }


def _order_of(plan: Plan, exercise_id: str) -> tuple[int, int]:
    for session in plan.sessions:
        for index, exercise in enumerate(session.exercises):
            if exercise.id == exercise_id:
                return session.day, index
    return 99, 0


# ── Walking the strategy ───────────────────────────────────────────────────────────────────


def plan_facts(intake: Intake, triage: TriageResult, assessment: Assessment) -> dict[str, Any]:
    """The answers the advice conditions read: intake answers, contributor.<id> (strength),
    pattern.<id> (fit), triage.level and triage.pathways."""
    facts: dict[str, Any] = intake.facts()
    facts.update({f"contributor.{c.id}": c.strength for c in assessment.contributors})
    facts.update({f"pattern.{p.id}": p.fit for p in assessment.patterns})
    facts["triage.level"] = triage.level
    facts["triage.pathways"] = list(triage.pathways)
    facts.update({f"equipment.{item}": True for item in intake.equipment or ()})
    return facts


def minutes_per_day(intake: Intake, rules: PlanRules) -> tuple[int, tuple[str, ...]]:
    """The daily time budget, and a note when it is not the person's own number."""
    given = intake.minutes_per_day
    if given is None:
        minutes = rules.default_minutes
        return minutes, (rules.messages["minutes_default"].format(minutes=minutes),)
    if given < rules.least_minutes:
        minutes = rules.least_minutes
        return minutes, (rules.messages["minutes_least"].format(minutes=minutes),)
    return given, ()


def needs_for(
    assessment: Assessment, rules: PlanRules, facts: Mapping[str, Any] | None = None
) -> tuple[Need, ...]:
    """What the plan must answer, most important first: the core, the patterns, then the
    contributors (strongest first, at most `max_contributors`), then the extras; a need with
    a `when` only if the answers say so (`facts`: `plan_facts`, and `situation.<id>` for each
    catalogue condition that applies)."""
    needs = list(rules.core)
    for pattern in assessment.patterns:
        if pattern.fit >= rules.pattern_min_fit:
            needs.extend(rules.patterns.get(pattern.id, ()))
    for contributor in assessment.contributors[: rules.max_contributors]:
        needs.extend(rules.contributors.get(contributor.id, ()))
    needs.extend(rules.extras)
    return tuple(need.at_level(facts or {}) for need in needs if need.applies(facts or {}))


def situation_of(
    intake: Intake, triage: TriageResult, assessment: Assessment, catalogue: Catalogue
) -> frozenset[str]:
    """Pattern ids, catalogue condition ids and triage flag ids that apply to this person."""
    present = {p.id for p in assessment.patterns}
    present |= set(catalogue.active_conditions(intake.facts()))
    present |= {flag.id for flag in triage.flags}
    return frozenset(present)


def has_equipment(exercise: Exercise, equipment: Iterable[str]) -> bool:
    """Only what the person listed counts (nothing is assumed, not even a chair)."""
    return set(exercise.equipment) <= set(equipment)


def side_for(exercise: Exercise, intake: Intake) -> Side:
    """One-sided exercises train both legs: strength lost on one side is lost on the other
    too, and the sore leg gets its extra sets instead (``extra_sets_for``)."""
    return "both"


def extra_sets_for(exercise: Exercise, intake: Intake) -> int:
    """Extra sets on the sore leg: only when one knee hurts and the exercise works one leg."""
    if exercise.dose.side == "each" and intake.knee.side in ("left", "right"):
        return exercise.dose.extra_sets_painful_side
    return 0


def time_for(exercise: Exercise, sets: int) -> int:
    """Minutes the exercise takes at this many sets (the catalogue's minutes are for its
    starting sets)."""
    start = max(exercise.dose.sets.start, 1)
    return max(1, math.ceil(exercise.minutes * sets / start))


def starting_sets(
    exercise: Exercise, gentle: bool, rules: PlanRules, situation: Iterable[str] = ()
) -> int:
    """The sets to start at: the fewest when the plan is gentle or a caution asks for it."""
    fewest = gentle and rules.gentle_sets == "min"
    return start_dose(exercise.dose, dose_changes(exercise, situation), fewest).sets


def softening_for(gentle: bool, situation: Iterable[str], rules: PlanRules) -> Softening:
    """The whole plan's softening: triage's gentle level, then every whole-plan rule whose
    condition holds (the smallest exercise limit wins; their notes in the file's order)."""
    present = set(situation)
    applying = [r for r in rules.whole_plan if r.condition in present]
    limits = [r.max_exercises for r in applying if r.max_exercises is not None]
    if gentle:
        limits.append(rules.gentle_max_exercises)
    return Softening(
        fewest_sets=(gentle and rules.gentle_sets == "min") or any(r.fewest_sets for r in applying),
        max_exercises=min(limits) if limits else None,
        notes=tuple(r.text for r in applying),
    )


def gentler_variant(
    exercise: Exercise,
    catalogue: Catalogue,
    situation: frozenset[str],
    equipment: Iterable[str],
    need: Need,
) -> Exercise:
    """Walk down the chain while a caution asks for the easier variant and the easier one is
    safe, doable with this equipment and still answers the need."""
    current = exercise
    seen = {current.id}
    while "easier_variant" in dose_changes(current, situation) and current.easier is not None:
        easier = catalogue.get(current.easier)
        if (
            easier is None
            or easier.id in seen
            or left_out_because(easier, situation)
            or not has_equipment(easier, equipment)
            or not need.select.matches(easier)
        ):
            break
        current = easier
        seen.add(current.id)
    return current


@dataclass(frozen=True)
class StartRung:
    """What the plan needs to start each ladder at the person's level (starting_levels.yaml).

    ``level`` None starts every ladder where the catalogue's ranking puts it (the easy end);
    ``keep_low`` (triage `soon`, or a whole-plan condition such as severe pain or a swollen
    knee) never climbs a ladder, though the level is still worked out and shown."""

    level: str | None = None
    level_name: str = ""
    texts: Mapping[str, str] = field(default_factory=dict)
    keep_low: bool = False
    equipment: tuple[str, ...] = ()
    because: str = ""
    held: str = ""


def within_level(exercise: Exercise, level: str) -> bool:
    """May this exercise be a first rung at this level? Untagged exercises always may."""
    return exercise.start_level is None or rank_of(exercise.start_level) <= rank_of(level)


def _usable_rung(
    exercise: Exercise, situation: frozenset[str], equipment: Iterable[str], need: Need
) -> bool:
    return (
        not left_out_because(exercise, situation)
        and has_equipment(exercise, equipment)
        and need.select.matches(exercise)
    )


def down_to_level(
    exercise: Exercise,
    catalogue: Catalogue,
    situation: frozenset[str],
    equipment: Iterable[str],
    need: Need,
    level: str,
) -> Exercise | None:
    """Walk down the chain until the rung suits the level; None when no usable rung does."""
    current = exercise
    seen = {current.id}
    while not within_level(current, level):
        easier = catalogue.get(current.easier) if current.easier else None
        if (
            easier is None
            or easier.id in seen
            or not _usable_rung(easier, situation, equipment, need)
        ):
            return None
        current = easier
        seen.add(current.id)
    return current


def up_to_level(
    exercise: Exercise,
    catalogue: Catalogue,
    situation: frozenset[str],
    equipment: Iterable[str],
    need: Need,
    level: str,
) -> Exercise:
    """Walk up the chain while the next rung is tagged at or below the level, is safe, doable
    with this equipment and still answers the need. A caution asking for the easier variant
    (on this rung or the next) stops the climb: safety first. So does the next stage of a
    staged ladder (tendon holds → heavy slow → energy storage): a stage is earned by the
    stage rules of progression.yaml, never skipped by a level; and a rung done on other days
    (a daily hold → three times a week) is reached by progression, which moves its days."""
    current = exercise
    seen = {current.id}
    while current.harder is not None:
        harder = catalogue.get(current.harder)
        if (
            harder is None
            or harder.id in seen
            or harder.start_level is None
            or not within_level(harder, level)
            or not _usable_rung(harder, situation, equipment, need)
            or "easier_variant" in dose_changes(current, situation)
            or "easier_variant" in dose_changes(harder, situation)
            or harder.stage != current.stage
            or harder.schedule != current.schedule
        ):
            break
        current = harder
        seen.add(current.id)
    return current


def start_options(
    exercise: Exercise,
    catalogue: Catalogue,
    situation: frozenset[str],
    equipment: Iterable[str],
    need: Need,
    start: StartRung,
) -> list[tuple[Exercise, str]]:
    """The rungs to try for a ranked candidate, best first, each with its one-line reason:
    the rung at the person's level, then (if that one does not fit the day) each rung below
    it down to the one it climbed from, so a full day takes the highest rung that fits. A
    need's own level (GLA:D balance) gives its rung, and says so. Empty when no rung of the
    chain suits the level."""
    gentler = gentler_variant(exercise, catalogue, situation, equipment, need)
    if start.level is None:
        return [(gentler, "")]
    if gentler.id == need.start_at:
        return [(gentler, start.texts["need_level"])]
    levelled = down_to_level(gentler, catalogue, situation, equipment, need, start.level)
    if levelled is None:
        return []
    top = levelled
    if not start.keep_low:
        top = up_to_level(levelled, catalogue, situation, equipment, need, start.level)
    ids = [e.id for e in catalogue.chain(levelled.id)]
    low, high = ids.index(levelled.id), ids.index(top.id)
    rungs = list(catalogue.chain(levelled.id)[low : high + 1])
    options = [(top, start_reason(top, exercise, gentler, levelled, start, catalogue))]
    held = start.texts["held_back_time"]
    return options + [(rung, held) for rung in reversed(rungs[:-1])]


def start_reason(
    chosen: Exercise,
    candidate: Exercise,
    gentler: Exercise,
    levelled: Exercise,
    start: StartRung,
    catalogue: Catalogue,
) -> str:
    """Why this rung, in one line (rung_texts of starting_levels.yaml)."""
    assert start.level is not None
    equipment = start.equipment
    chain = [e.id for e in catalogue.chain(chosen.id)]
    words = {
        "level": start.level_name,
        "steps": 0,
        "bottom": "",
        "because": start.because,
        "held": start.held,
    }
    if len(chain) == 1:
        key = "single"
    elif chosen.id != levelled.id:
        steps = chain.index(chosen.id) - chain.index(levelled.id)
        key = "walked_up_one" if steps == 1 else "walked_up"
        words |= {"steps": steps, "bottom": levelled.name.lower()}
    elif gentler.id != candidate.id and levelled.id == gentler.id:
        key = "caution_easier"
    else:
        harder = catalogue.get(chosen.harder) if chosen.harder else None
        more = (
            harder is not None
            and harder.start_level is not None
            and within_level(harder, start.level)
        )
        if more and start.keep_low:
            key = "kept_low"
        elif more:
            assert harder is not None
            key = "held_back_kit" if not has_equipment(harder, equipment) else "held_back_knee"
        elif harder is not None and start.held:
            key = "held_by_level"
        elif chain.index(chosen.id) == 0:
            key = "first_rung"
        elif levelled.id == gentler.id:
            key = "entered_above"  # started above the easier rungs, not walked down to here
        else:
            key = "walked_down"
    return start.texts[key].format(**words)


@dataclass
class _Week:
    """Minutes used on each day while exercises are being chosen."""

    budget: int
    schedule: Mapping[str, tuple[int, ...]]
    used: dict[int, int] = field(default_factory=lambda: dict.fromkeys(WEEK, 0))

    def days_of(self, kind: str) -> tuple[int, ...]:
        return self.schedule.get(kind, ())

    def fits(self, kind: str, minutes: int) -> bool:
        days = self.days_of(kind)
        return bool(days) and all(self.used[d] + minutes <= self.budget for d in days)

    def add(self, kind: str, minutes: int) -> None:
        for day in self.days_of(kind):
            self.used[day] += minutes


def schedule_key(exercise: Exercise) -> str:
    """The `schedule` entry an exercise follows: `daily` when its text says daily, else its
    kind."""
    return "daily" if exercise.schedule == "daily" else exercise.kind


def rank(
    candidates: Iterable[Exercise],
    need: Need,
    contributors: Iterable[str],
    catalogue: Catalogue,
    situation: Iterable[str] = (),
) -> list[Exercise]:
    """Preferred ids first, then those that answer more of the person's contributors, then
    those meant for more of their patterns, then the easier end of a chain, then the shorter."""
    wanted = set(contributors)
    present = set(situation)

    def key(e: Exercise) -> tuple[int, int, int, int, int, str]:
        chain_ids = [c.id for c in catalogue.chain(e.id)]
        return (
            0 if e.id in need.prefer else 1,
            -len(wanted & set(e.targets)),
            -len(present & set(e.patterns)),
            chain_ids.index(e.id),
            e.minutes,
            e.id,
        )

    return sorted(candidates, key=key)


@dataclass(frozen=True)
class Choice:
    exercises: tuple[PlannedExercise, ...]
    left_out: tuple[LeftOut, ...]


def choose_exercises(
    needs: Sequence[Need],
    intake: Intake,
    catalogue: Catalogue,
    situation: frozenset[str],
    contributors: Sequence[str],
    budget: int,
    softening: Softening,
    rules: PlanRules,
    start: StartRung | None = None,
) -> Choice:
    """Fill each need in order, within equipment, safety and the minutes of every day.

    A candidate is first moved down its chain when a caution asks for the easier variant,
    then moved to the rung of the person's starting level (``start``: down when its rung is
    above the level, up the ``harder`` links while the next rung suits the level, is safe,
    doable and answers the need), then dosed with every change its cautions and the whole
    plan ask for."""
    start = start or StartRung()
    equipment = tuple(intake.equipment or ())
    week = _Week(budget, rules.schedule)
    chosen: list[PlannedExercise] = []
    used_chains: set[str] = set()
    left_out: list[LeftOut] = []
    limit = softening.max_exercises
    for need in needs:
        have = sum(1 for p in chosen if _planned_matches(p, need, catalogue))
        matching = [
            e
            for e in catalogue.exercises
            if need.select.matches(e)
            and may_enter_at(e, start, situation, catalogue, equipment, need)
        ]
        while have < need.count:
            if limit is not None and len(chosen) >= limit:
                break
            fresh = [e for e in matching if _chain_key(e, catalogue) not in used_chains]
            safe = [e for e in fresh if not left_out_because(e, situation)]
            doable = [e for e in safe if has_equipment(e, equipment)]
            ranked = rank(doable, need, contributors, catalogue, situation)
            reasons: dict[str, str] = {}
            for candidate in ranked:
                for rung, why in start_options(
                    candidate, catalogue, situation, equipment, need, start
                ):
                    reasons.setdefault(rung.id, why)
            ranked = [e for e in (catalogue.get(i) for i in reasons) if e is not None]
            picked = _first_that_fits(ranked, week, softening.fewest_sets, situation)
            if picked is None:
                if doable and not ranked:  # no step of these ladders suits the level
                    safe = doable = []
                left_out.append(_why_not(need, fresh, safe, doable, contributors, catalogue))
                break
            exercise, sets, minutes = picked
            week.add(schedule_key(exercise), minutes)
            used_chains.add(_chain_key(exercise, catalogue))
            chosen.append(
                _planned(exercise, sets, minutes, need, intake, situation, reasons[exercise.id])
            )
            have += 1
    return Choice(tuple(chosen), tuple(left_out))


ENTRY_LEVELS: Final[frozenset[str | None]] = frozenset({None, "frail", "general"})
"""The rungs a plan may enter a ladder at on its own: those any person may start on. Higher
rungs (`start_level` active or athletic) are reached by progression, by climbing to the
person's starting level, or entered directly when that level allows them (a ladder whose
first rung is already loaded or sport work, such as hops, for an athletic person)."""


def may_enter_at(
    exercise: Exercise,
    start: StartRung,
    situation: frozenset[str] = frozenset(),
    catalogue: Catalogue | None = None,
    equipment: Iterable[str] = (),
    need: Need | None = None,
) -> bool:
    """May the plan start a ladder at this rung? Entry rungs always may. A higher rung only
    at the person's level, never in a plan kept low, never past the first stage of a staged
    ladder (the tendon's heavy slow work and hops are earned by the stage rules of
    progression.yaml), never where a caution asks for the easier step (lunges for outer knee
    pain), and only when no easier rung of its ladder can be done (no kit, left out, or not
    for this need): where one can, the ladder starts there and climbs, and the climb's own
    stops hold (a caution on the way, a stage, a change of days)."""
    if exercise.start_level in ENTRY_LEVELS:
        return True
    if not (
        start.level is not None
        and not start.keep_low
        and within_level(exercise, start.level)
        and exercise.stage in FIRST_STAGES
        and "easier_variant" not in dose_changes(exercise, situation)
    ):
        return False
    if catalogue is None or need is None:
        return True
    chain = catalogue.chain(exercise.id)
    below = chain[: [e.id for e in chain].index(exercise.id)]
    return not any(_usable_rung(e, situation, equipment, need) for e in below)


FIRST_STAGES: Final[frozenset[str | None]] = frozenset({None, "isometric"})
"""The stages a staged ladder may start at: the first (or none, for a ladder without stages)."""


def _first_that_fits(
    ranked: Sequence[Exercise], week: _Week, fewest_sets: bool, situation: frozenset[str]
) -> tuple[Exercise, int, int] | None:
    """The best candidate that fits at its starting sets, else the best at its fewest sets."""
    for exercise in ranked:
        sets = start_dose(exercise.dose, dose_changes(exercise, situation), fewest_sets).sets
        if week.fits(schedule_key(exercise), time_for(exercise, sets)):
            return exercise, sets, time_for(exercise, sets)
    for exercise in ranked:
        sets = exercise.dose.sets.min
        if week.fits(schedule_key(exercise), time_for(exercise, sets)):
            return exercise, sets, time_for(exercise, sets)
    return None


def _why_not(
    need: Need,
    fresh: Sequence[Exercise],
    safe: Sequence[Exercise],
    doable: Sequence[Exercise],
    contributors: Sequence[str],
    catalogue: Catalogue,
) -> LeftOut:
    if doable:
        reason: LeftOutReason = "time"
        shown = doable
    elif safe:
        reason, shown = "equipment", safe
    else:
        reason, shown = "safety", fresh
    best = rank(shown, need, contributors, catalogue)[:1]
    return LeftOut(
        need.id, need.label, reason, tuple(e.id for e in best), tuple(e.name for e in best)
    )


def _chain_key(exercise: Exercise, catalogue: Catalogue) -> str:
    return catalogue.chain(exercise.id)[0].id


def _planned_matches(planned: PlannedExercise, need: Need, catalogue: Catalogue) -> bool:
    exercise = catalogue.get(planned.id)
    return exercise is not None and need.select.matches(exercise)


def _planned(
    exercise: Exercise,
    sets: int,
    minutes: int,
    need: Need,
    intake: Intake,
    situation: frozenset[str],
    start_reason: str = "",
) -> PlannedExercise:
    start = start_dose(exercise.dose, dose_changes(exercise, situation))
    load = None
    if start.load is not None and exercise.dose.load is not None:
        load = LoadLevel(exercise.dose.load.kind, start.load, exercise.dose.load.unit)
    return PlannedExercise(
        id=exercise.id,
        name=exercise.name,
        kind=exercise.kind,
        targets=exercise.targets,
        equipment=exercise.equipment,
        sets=sets,
        reps=start.reps,
        hold_s=start.hold_s,
        minutes=start.minutes,
        side=side_for(exercise, intake),
        time_min=minutes,
        need=need.id,
        why=need.why_text,
        cautions=tuple(dict.fromkeys(c.text for c in cautions_for(exercise, situation))),
        start_reason=start_reason,
        load=load,
        tempo=exercise.dose.tempo,
        extra_sets_painful_side=extra_sets_for(exercise, intake),
        daily=exercise.schedule == "daily",
    )


def schedule_week(
    exercises: Sequence[PlannedExercise], schedule: Mapping[str, tuple[int, ...]]
) -> tuple[DaySession, ...]:
    """Each exercise on the days of its kind; days with nothing are rest days (left out)."""
    sessions = []
    for day in WEEK:
        todays = tuple(
            e for e in exercises if day in schedule.get("daily" if e.daily else e.kind, ())
        )
        if todays:
            sessions.append(DaySession(day, todays))
    return tuple(sessions)


def choose_advice(
    book: AdviceBook,
    facts: Mapping[str, Any],
    contributors: Sequence[str],
    covered_by_exercise: Iterable[str],
    refused: bool,
) -> tuple[AdviceItem, ...]:
    """Advice whose condition holds, plus cover for every contributor no exercise answers.

    When the plan is refused, only the see-a-professional items are given.
    """
    chosen = [
        item
        for item in book.items
        if item.when is not None and evaluate(item.when, facts).truth is True
    ]
    if refused:
        chosen = [item for item in chosen if item.topic == "see_professional"]
    else:
        covered = set(covered_by_exercise) | {t for item in chosen for t in item.targets}
        for contributor in contributors:
            if contributor in covered:
                continue
            cover = cover_for(contributor, book, facts)
            if cover is not None:
                chosen.append(cover)
                covered |= set(cover.targets)
    order = {topic: n for n, topic in enumerate(book.topics)}
    position = {item.id: n for n, item in enumerate(book.items)}
    unique = {item.id: item for item in chosen}.values()
    return tuple(sorted(unique, key=lambda i: (order.get(i.topic, 99), position[i.id])))


def cover_for(contributor: str, book: AdviceBook, facts: Mapping[str, Any]) -> AdviceItem | None:
    """An advice item that answers the contributor: a fallback item (no condition) first, then
    one whose condition is not known to be false."""
    targeting = [item for item in book.items if contributor in item.targets]
    for item in targeting:
        if item.when is None:
            return item
    for item in targeting:
        if item.when is not None and evaluate(item.when, facts).truth is not False:
            return item
    return None


def uncovered(plan: Plan) -> tuple[str, ...]:
    """Contributors no exercise and no advice item of the plan answers (should be none)."""
    targeted = {t for e in plan.exercises for t in e.targets}
    targeted |= {t for a in plan.advice for t in a.targets}
    return tuple(c for c in plan.contributors if c not in targeted)


def refused_because(triage: TriageResult, rules: PlanRules) -> str | None:
    """Why no generic plan is given, or None: the pathway of the most urgent flags that
    replaces the plan (after surgery, a young child), else the level when care comes first,
    else a replacing pathway of a less urgent flag."""
    leading = [f.pathway for f in triage.leading_flags if f.pathway in REFUSING_PATHWAYS]
    if leading:
        return leading[0]
    if triage.level in rules.refuse_levels:
        return triage.level
    others = [p for p in triage.pathways if p in REFUSING_PATHWAYS]
    return others[0] if others else None


def make_plan(
    intake: Intake,
    triage: TriageResult,
    assessment: Assessment,
    catalogue: Catalogue,
    rules: PlanRules,
    advice: AdviceBook,
    levels: StartingLevelRules | None = None,
) -> Plan:
    """A week of exercise and advice for this person, or a refusal when care comes first.

    With ``levels`` (starting_levels.yaml) each ladder starts at the person's starting level;
    without, every ladder starts at its easy end."""
    facts = plan_facts(intake, triage, assessment)
    contributor_ids = tuple(c.id for c in assessment.contributors)
    budget, notes = minutes_per_day(intake, rules)
    reason = refused_because(triage, rules)
    if reason is not None:
        items = choose_advice(advice, facts, contributor_ids, (), refused=True)
        return Plan(
            refused=True,
            refused_reason=reason,
            gentle=False,
            triage=triage,
            sessions=(),
            advice=items,
            minutes_per_day=budget,
            rules_version=rules.version,
            contributors=contributor_ids,
        )
    gentle = triage.level in rules.gentle_levels
    situation = situation_of(intake, triage, assessment, catalogue)
    softening = softening_for(gentle, situation, rules)
    situation_facts = {f"situation.{id_}": True for id_ in situation}
    level = starting_level(intake, levels) if levels is not None else None
    start = StartRung()
    if level is not None and levels is not None:
        start = StartRung(
            level=level.level,
            level_name=level.name,
            texts=levels.rung_texts,
            keep_low=gentle or softening.fewest_sets or bool(softening.notes),
            equipment=tuple(intake.equipment or ()),
            because=level.because,
            held=level.held,
        )
    choice = choose_exercises(
        needs_for(assessment, rules, {**facts, **situation_facts}),
        intake,
        catalogue,
        situation,
        contributor_ids,
        budget,
        softening,
        rules,
        start,
    )
    sessions = schedule_week(choice.exercises, rules.schedule)
    covered = {t for e in choice.exercises for t in e.targets}
    items = choose_advice(advice, facts, contributor_ids, covered, refused=False)
    notes += _left_out_notes(choice.left_out, budget, rules)
    if gentle:
        notes = (rules.messages["gentle"], *notes)
    notes = (*softening.notes, *notes)
    return Plan(
        refused=False,
        gentle=gentle,
        triage=triage,
        sessions=sessions,
        advice=items,
        minutes_per_day=budget,
        left_out=choice.left_out,
        notes=notes,
        rules_version=rules.version,
        contributors=contributor_ids,
        starting_level=level,
    )


def _left_out_notes(left_out: Sequence[LeftOut], budget: int, rules: PlanRules) -> tuple[str, ...]:
    notes = []
    for reason, key in (("time", "left_out_time"), ("equipment", "left_out_equipment"),
                        ("safety", "left_out_safety")):  # fmt: skip
        names = list(
            dict.fromkeys(n for item in left_out if item.reason == reason for n in item.names)
        )
        if names:
            notes.append(rules.messages[key].format(minutes=budget, names=", ".join(names)))
    return tuple(notes)


# ── Progression needs to know the chains ─────────────────────────────────────────────────


def variant_of(exercise: Exercise) -> Variant:
    """The progression view of a catalogue exercise: its start dose, ranges and neighbours."""
    dose = exercise.dose

    def bounds(amount: Any) -> tuple[int, int] | None:
        return None if amount is None else (amount.min, amount.max)

    rungs: tuple[LoadLevel, ...] = ()
    load = None
    if dose.load is not None and dose.load.kind != "body_weight":
        rungs = tuple(LoadLevel(dose.load.kind, v, dose.load.unit) for v in dose.load.rungs())
        load = LoadLevel(dose.load.kind, dose.load.start, dose.load.unit)
    start = ProgressionDose(
        exercise.id,
        dose.sets.start,
        dose.reps.start if dose.reps is not None else None,
        dose.hold_s.start if dose.hold_s is not None else None,
        dose.minutes.start if dose.minutes is not None else None,
        load,
        dose.tempo,
    )
    return Variant(
        id=exercise.id,
        name=exercise.name,
        start=start,
        reps_range=bounds(dose.reps),
        hold_range=bounds(dose.hold_s),
        minutes_range=bounds(dose.minutes),
        sets_range=bounds(dose.sets),
        easier=exercise.easier,
        harder=exercise.harder,
        load_rungs=rungs,
        rm_steps=dose.rm_steps,
        tendon=exercise.stage is not None,
    )


def variants_of(catalogue: Catalogue) -> dict[str, Variant]:
    return {e.id: variant_of(e) for e in catalogue.exercises}
