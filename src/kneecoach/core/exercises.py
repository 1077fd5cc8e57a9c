"""The exercise catalogue as typed data, and the pure questions the plan asks of it.

The catalogue itself lives in `data/exercises/*.yaml`; this module only knows its shape:
what an exercise is, its dose, its place in a progression chain (easier ↔ harder), which
equipment it needs, and when it is left out or changed. The plan engine picks from here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from kneecoach.core.intake import EQUIPMENT
from kneecoach.core.poses import KeyPoses
from kneecoach.core.rules import Condition, evaluate

Kind = Literal["mobility", "strength", "foam_roll", "balance", "cardio"]
KINDS: Final[tuple[str, ...]] = ("mobility", "strength", "foam_roll", "balance", "cardio")

# Contributors the plan answers with advice rather than exercise (cardio may still help
# with body weight).
ADVICE_CONTRIBUTORS: Final = frozenset({"worn_footwear", "training_load_spike", "body_weight_load"})
EQUIPMENT_IDS: Final[tuple[str, ...]] = EQUIPMENT

Quantity = Literal["reps", "hold_s", "minutes"]
StartLevel = Literal["frail", "general", "active", "athletic"]
START_LEVELS: Final[tuple[str, ...]] = ("frail", "general", "active", "athletic")
SECONDS_PER_REP: Final = 4.0  # a slow, controlled repetition

# How a caution softens the dose, not only what it says: the fewest sets of the dose's range,
# the least of each amount (reps, hold, minutes), or the easier variant of the chain.
Change = Literal["fewest_sets", "least_amount", "easier_variant"]
CHANGES: Final[tuple[str, ...]] = ("fewest_sets", "least_amount", "easier_variant")


@dataclass(frozen=True)
class Amount:
    """A dose number: where to start and the range progression moves within."""

    start: int
    min: int
    max: int


LoadKind = Literal["body_weight", "band", "kg", "rpe", "rir"]
LOAD_KINDS: Final[tuple[str, ...]] = ("body_weight", "band", "kg", "rpe", "rir")
LOAD_UNITS: Final[Mapping[str, tuple[str, ...]]] = {
    "body_weight": ("body weight",),
    "band": ("band",),
    "kg": ("kg",),
    "rpe": ("RPE",),
    "rir": ("RIR",),
}
"""The units each kind of load may be written in (checked when the catalogue loads)."""
BAND_COLOURS: Final[tuple[str, ...]] = ("yellow", "red", "green", "blue", "black")
"""Exercise bands from light to heavy: the usual colour order of the common makes."""


@dataclass(frozen=True)
class Load:
    """How heavy: a kind, where to start and the range with its step.

    Values are numbers on one scale: kilograms, a band's place in ``BAND_COLOURS`` (0 is the
    lightest), an effort on the Borg CR10 scale (``rpe``) or reps in reserve (``rir``, where
    fewer is harder). ``rungs`` lists the values from the lightest to the heaviest.
    """

    kind: LoadKind
    start: float
    min: float
    max: float
    step: float
    unit: str

    def rungs(self) -> tuple[float, ...]:
        if self.kind == "body_weight" or self.step <= 0:
            return (self.start,)
        count = round((self.max - self.min) / self.step) + 1
        values = tuple(round(self.min + n * self.step, 3) for n in range(count))
        return tuple(reversed(values)) if self.kind == "rir" else values


BODY_WEIGHT: Final = Load("body_weight", 0.0, 0.0, 0.0, 0.0, "body weight")


@dataclass(frozen=True)
class Dose:
    """The starting dose. ``progress`` names the number that grows first (then the load, then
    the sets, then the harder variant). No ``load`` means body weight. ``tempo`` is seconds
    down-pause-up ("3-1-3"). ``extra_sets_painful_side`` adds sets on the sore leg when only
    one knee hurts."""

    sets: Amount
    side: Literal["both", "each"]
    rest_s: int
    progress: Quantity
    reps: Amount | None = None
    hold_s: Amount | None = None
    minutes: Amount | None = None
    load: Load | None = None
    tempo: str | None = None
    extra_sets_painful_side: int = 0
    rm_steps: tuple[int, ...] = ()
    """Heavy slow resistance: the repetition maximum of each step (15, 12, 10, 8, 6)."""

    def amount(self, quantity: Quantity) -> Amount | None:
        return {"reps": self.reps, "hold_s": self.hold_s, "minutes": self.minutes}[quantity]


@dataclass(frozen=True)
class Caution:
    """A change for some people: ``when`` is a pattern id or a condition id.

    ``text`` tells the person what to do differently; ``change`` makes the plan's dose follow
    it, so that "do less" is a smaller number in the plan and not only a sentence.
    """

    when: str
    text: str
    change: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    kind: Kind
    targets: tuple[str, ...]
    patterns: tuple[str, ...]
    equipment: tuple[str, ...]
    dose: Dose
    minutes: int
    easier: str | None
    harder: str | None
    contraindications: tuple[str, ...]
    cautions: tuple[Caution, ...]
    steps: tuple[str, ...]
    feel: str
    mistakes: tuple[str, ...]
    source: str
    poses: KeyPoses
    basis: str | None = None
    start_level: StartLevel | None = None
    """The lowest starting level (core/starting_level.LEVELS) for whom this exercise may be the
    first rung of its ladder; None: never a rung the plan climbs to."""
    suits: str | None = None
    schedule: Literal["daily"] | None = None
    """"daily" when the exercise's own text says to do it every day (tendon holds)."""
    stage: Literal["isometric", "heavy_slow", "energy_storage"] | None = None
    """Its stage of the tendon ladder (Breda 2021): moving on is gated by the rules."""


@dataclass(frozen=True)
class Limit:
    """The evidence range a dose number must stay within for one kind of exercise."""

    min: int
    max: int


@dataclass(frozen=True)
class KindRules:
    """How each kind of exercise is dosed (from the evidence) and how often in a week."""

    kind: Kind
    sets: Limit
    days_per_week: Limit
    reps: Limit | None
    hold_s: Limit | None
    minutes: Limit | None
    source: str

    def limit(self, quantity: Quantity) -> Limit | None:
        return {"reps": self.reps, "hold_s": self.hold_s, "minutes": self.minutes}[quantity]


@dataclass(frozen=True)
class LeaveOutCondition:
    """A named situation, read from the intake answers, in which exercises change.

    ``keeps_only`` names the few exercises that stay when the condition holds (every other
    exercise is left out for it): a safe default, since a new exercise is left out until a
    reviewer adds it to the list.
    """

    id: str
    label: str
    when: Condition
    source: str
    keeps_only: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    version: str
    exercises: tuple[Exercise, ...]
    kind_rules: tuple[KindRules, ...]
    conditions: tuple[LeaveOutCondition, ...]
    _by_id: Mapping[str, Exercise] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.exercises})

    def get(self, exercise_id: str) -> Exercise | None:
        return self._by_id.get(exercise_id)

    def rules_for(self, kind: str) -> KindRules:
        return next(r for r in self.kind_rules if r.kind == kind)

    def chain(self, exercise_id: str) -> tuple[Exercise, ...]:
        """The whole progression chain an exercise sits in, easiest first."""
        return progression_chain(self._by_id, exercise_id)

    def select(
        self,
        kind: str | None = None,
        target: str | None = None,
        pattern: str | None = None,
        equipment: Iterable[str] | None = None,
    ) -> tuple[Exercise, ...]:
        """Exercises of a kind, for a contributor or pattern, doable with this equipment."""
        return tuple(
            e
            for e in self.exercises
            if (kind is None or e.kind == kind)
            and (target is None or target in e.targets)
            and (pattern is None or pattern in e.patterns)
            and (equipment is None or needs_only(e, equipment))
        )

    def active_conditions(self, facts: Mapping[str, object]) -> tuple[str, ...]:
        """The condition ids that the answers make true (unknown is not evidence)."""
        return tuple(c.id for c in self.conditions if evaluate(c.when, facts).truth is True)


def usable_equipment(have: Iterable[str]) -> frozenset[str]:
    """What a person can use: a gym has every smaller item too."""
    items = frozenset(have)
    return frozenset(EQUIPMENT_IDS) if "gym" in items else items


def needs_only(exercise: Exercise, have: Iterable[str]) -> bool:
    """True when the exercise needs nothing the person lacks."""
    return set(exercise.equipment) <= usable_equipment(have)


def left_out_because(exercise: Exercise, situation: Iterable[str]) -> tuple[str, ...]:
    """The patterns or conditions (of those that apply) for which this exercise is left out."""
    present = set(situation)
    return tuple(c for c in exercise.contraindications if c in present)


def cautions_for(exercise: Exercise, situation: Iterable[str]) -> tuple[Caution, ...]:
    """The changes that apply to this person (patterns and conditions that are present)."""
    present = set(situation)
    return tuple(c for c in exercise.cautions if c.when in present)


def dose_changes(exercise: Exercise, situation: Iterable[str]) -> frozenset[Change]:
    """Every dose change the cautions that apply ask for (several cautions add up)."""
    return frozenset(change for c in cautions_for(exercise, situation) for change in c.change)


@dataclass(frozen=True)
class StartDose:
    """The numbers a plan starts an exercise at."""

    sets: int
    reps: int | None
    hold_s: int | None
    minutes: int | None
    load: float | None = None


def start_dose(dose: Dose, changes: Iterable[Change] = (), fewest_sets: bool = False) -> StartDose:
    """The starting dose, softened: ``fewest_sets`` (from a caution or the whole plan) starts
    at the low end of the sets; ``least_amount`` starts every amount at the low end of its
    range. The range is the evidence floor, so softening never goes below it."""
    wanted = set(changes)
    least = "least_amount" in wanted

    def pick(amount: Amount | None) -> int | None:
        if amount is None:
            return None
        return amount.min if least else amount.start

    sets = dose.sets.min if fewest_sets or "fewest_sets" in wanted else dose.sets.start
    load = None
    if dose.load is not None and dose.load.kind != "body_weight":
        load = dose.load.rungs()[0] if least else dose.load.start
    return StartDose(sets, pick(dose.reps), pick(dose.hold_s), pick(dose.minutes), load)


def with_keeps_only(
    exercises: Iterable[Exercise], conditions: Iterable[LeaveOutCondition]
) -> tuple[Exercise, ...]:
    """Each exercise with the conditions that keep only others added to its
    ``contraindications``, so every reader of ``left_out_because`` sees them."""
    narrowing = [c for c in conditions if c.keeps_only]
    out = []
    for exercise in exercises:
        extra = tuple(
            c.id
            for c in narrowing
            if exercise.id not in c.keeps_only and c.id not in exercise.contraindications
        )
        out.append(
            replace(exercise, contraindications=exercise.contraindications + extra)
            if extra
            else exercise
        )
    return tuple(out)


def progression_chain(by_id: Mapping[str, Exercise], exercise_id: str) -> tuple[Exercise, ...]:
    """Walk to the easiest variant, then up through every harder one (chains are checked
    for cycles when the catalogue loads)."""
    current = by_id[exercise_id]
    seen = {current.id}
    while current.easier is not None and current.easier in by_id and current.easier not in seen:
        current = by_id[current.easier]
        seen.add(current.id)
    chain = [current]
    while current.harder is not None and current.harder in by_id:
        current = by_id[current.harder]
        if current in chain:
            break
        chain.append(current)
    return tuple(chain)


def chain_problems(exercises: Iterable[Exercise]) -> list[str]:
    """Everything wrong with the easier/harder links, each naming the entry.

    Links must point to existing exercises, be mutual (A.harder = B ⇔ B.easier = A), never
    point to the exercise itself, and never loop back.
    """
    by_id = {e.id: e for e in exercises}
    problems: list[str] = []
    for e in by_id.values():
        for link, back in (("harder", "easier"), ("easier", "harder")):
            other_id = getattr(e, link)
            if other_id is None:
                continue
            if other_id == e.id:
                problems.append(f"{e.id}.{link}: points to itself")
                continue
            other = by_id.get(other_id)
            if other is None:
                problems.append(f"{e.id}.{link}: no exercise called {other_id!r}")
            elif getattr(other, back) != e.id:
                problems.append(
                    f"{e.id}.{link}: {other_id!r} must have {back}: {e.id} "
                    f"(it has {getattr(other, back)!r})"
                )
    for e in by_id.values():
        seen = [e.id]
        current = e
        while current.harder is not None and current.harder in by_id:
            if current.harder in seen:
                loop = " → ".join([*seen[seen.index(current.harder) :], current.harder])
                problems.append(f"{e.id}.harder: the chain loops ({loop})")
                break
            seen.append(current.harder)
            current = by_id[current.harder]
    return problems


def active_seconds(dose: Dose) -> float:
    """Time under work for one session of the dose, without rests."""
    sides = 2 if dose.side == "each" else 1
    if dose.minutes is not None:
        per_set = dose.minutes.start * 60.0
    else:
        reps = dose.reps.start if dose.reps is not None else 1
        hold = dose.hold_s.start if dose.hold_s is not None else seconds_per_rep(dose.tempo)
        per_set = reps * hold
    return dose.sets.start * sides * per_set


def seconds_per_rep(tempo: str | None) -> float:
    """A rep's seconds: its tempo's down, pause and up added ("3-0-3": 6 s), else a slow rep."""
    if not tempo:
        return SECONDS_PER_REP
    return float(sum(int(part) for part in tempo.split("-")))


def estimated_minutes(dose: Dose) -> int:
    """Minutes an exercise takes with its rests, rounded up (a check on the data's own
    ``minutes``). Working one side while the other rests, the rests come between sets."""
    rests = max(dose.sets.start - 1, 0) * dose.rest_s
    return max(1, math.ceil((active_seconds(dose) + rests) / 60.0))
