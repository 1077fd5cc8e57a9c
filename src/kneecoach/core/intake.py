"""The `kneecoach-intake/1` document: one person's knee situation, validated at the boundary.

The models follow `shared/spec/intake.md` field for field. Unknown fields are rejected with the
field named; a field left out is *unknown* (never read as false), except the conditional
fields whose absence has a definite meaning (see `facts`).

A command may read just one document (`kneecoach triage --answers F`), so defining the models
costs as little as it can: they are built (pydantic's schema and validator) once, as part of
`Intake` when the first document is read, not one by one at import; and this module leaves
out `from __future__ import annotations`, so pydantic gets the field types as objects rather
than as strings it must evaluate.
"""

from functools import cache
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from kneecoach.core.errors import InputError
from kneecoach.core.rules import ABSENT

SPEC_ID = "kneecoach-intake/1"

T = TypeVar("T")

Number = Annotated[float, Field(strict=True)]
Pain = Annotated[float, Field(strict=True, ge=0, le=10)]
NonNegative = Annotated[float, Field(strict=True, ge=0)]
Equipment = Literal[
    "resistance_band", "foam_roller", "step", "chair", "wall", "ankle_weight", "gym"
]
EQUIPMENT: tuple[str, ...] = Equipment.__args__  # type: ignore[attr-defined]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class Sides(_Section, Generic[T]):
    """A left/right pair; either side may be absent."""

    left: T | None = None
    right: T | None = None


class Person(_Section):
    age: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    sex: Literal["female", "male", "other"] | None = None
    height_cm: Annotated[float, Field(strict=True, ge=50, le=250)] | None = None
    weight_kg: Annotated[float, Field(strict=True, ge=10, le=400)] | None = None


class Knee(_Section):
    side: Literal["left", "right", "both"] | None = None


class Injury(_Section):
    mechanism: (
        Literal["twist", "direct_blow", "fall", "landing", "hyperextension", "other"] | None
    ) = None
    days_ago: NonNegative | None = None
    high_energy: StrictBool | None = None
    heard_pop: StrictBool | None = None
    swelling_within_hours: NonNegative | None = None
    could_walk_4_steps_right_after: StrictBool | None = None


class History(_Section):
    onset: Literal["gradual", "injury", "after_surgery", "unknown"] | None = None
    weeks_since_onset: NonNegative | None = None
    injury: Injury | None = None
    recent_surgery_weeks: Annotated[float, Field(strict=True, ge=0, le=12)] | None = None
    immobilised_last_4_weeks: StrictBool | None = None
    knee_injection_or_surgery_last_6_weeks: StrictBool | None = None
    knee_replacement: StrictBool | None = None
    kneecap_dislocation: Literal["never", "once", "recurrent"] | None = None
    training_change_last_4_weeks: Literal["increase", "same", "decrease"] | None = None
    activities: list[str] | None = None
    medicines: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = None
    knee_surgery_type: Annotated[str, Field(min_length=1, max_length=100)] | None = None


PainLocation = Literal[
    "front", "behind_kneecap", "below_kneecap", "inner", "outer", "back", "whole"
]
PainTrigger = Literal[
    "stairs",
    "squatting",
    "kneeling",
    "sitting_long",
    "running",
    "jumping",
    "walking",
    "standing",
    "twisting",
]


class PainAnswers(_Section):
    now: Pain | None = None
    worst_last_week: Pain | None = None
    location: list[PainLocation] | None = None
    at_night: StrictBool | None = None
    at_rest: StrictBool | None = None
    worse_with: list[PainTrigger] | None = None


class Signs(_Section):
    swelling: Annotated[StrictInt, Field(ge=0, le=3)] | None = None
    swelling_started_days_ago: NonNegative | None = None
    warm: StrictBool | None = None
    red: StrictBool | None = None
    morning_stiffness_min: NonNegative | None = None
    clicking: StrictBool | None = None
    catching: StrictBool | None = None
    locking: StrictBool | None = None
    clicking_painful: StrictBool | None = None
    cannot_fully_straighten: StrictBool | None = None
    cannot_bend_to_90: StrictBool | None = None
    giving_way: StrictBool | None = None
    weakness: StrictBool | None = None
    can_walk_4_steps_now: StrictBool | None = None
    can_straight_leg_raise: StrictBool | None = None
    tender_kneecap: StrictBool | None = None
    tender_fibula_head: StrictBool | None = None
    looks_deformed: StrictBool | None = None
    lump: StrictBool | None = None
    locked_now: StrictBool | None = None


class General(_Section):
    fever: StrictBool | None = None
    feels_unwell: StrictBool | None = None
    unexplained_weight_loss: StrictBool | None = None
    cancer_history: StrictBool | None = None
    immunosuppressed: StrictBool | None = None
    other_swollen_joints: Annotated[StrictInt, Field(ge=0, le=100)] | None = None
    calf_pain_or_swelling: StrictBool | None = None
    short_of_breath_or_chest_pain: StrictBool | None = None
    numbness_or_tingling: StrictBool | None = None
    foot_cold_pale_or_blue: StrictBool | None = None
    anticoagulants_or_bleeding_disorder: StrictBool | None = None
    rapidly_worsening: StrictBool | None = None
    wound_or_skin_infection_near_knee: StrictBool | None = None
    tight_painful_calf_or_shin_after_injury: StrictBool | None = None
    diabetes: StrictBool | None = None


class Hip(_Section):
    groin_or_hip_pain: StrictBool | None = None
    hip_stiff: StrictBool | None = None
    limp: StrictBool | None = None


class Back(_Section):
    low_back_pain: StrictBool | None = None
    leg_pain_below_knee: StrictBool | None = None
    pain_changes_with_back_movement: StrictBool | None = None
    saddle_numbness_or_bladder_bowel_change: StrictBool | None = None


class Foot(_Section):
    flat_feet: StrictBool | None = None
    ankle_rolls_in: StrictBool | None = None
    foot_or_heel_pain: StrictBool | None = None


class Shoes(_Section):
    main_pair_months: NonNegative | None = None
    main_pair_km: NonNegative | None = None
    uneven_heel_wear: StrictBool | None = None
    midsole_creased: StrictBool | None = None
    heel_counter_soft: StrictBool | None = None
    type: Literal["running", "walking", "work", "casual", "minimal", "other"] | None = None


class SelfTests(_Section):
    knee_to_wall_cm: Sides[Annotated[float, Field(strict=True, ge=0, le=40)]] | None = None
    single_leg_squat_knee_caves_in: Sides[StrictBool] | None = None
    single_leg_squat_pelvis_drops: Sides[StrictBool] | None = None
    bridge_hold_s: Annotated[float, Field(strict=True, ge=0, le=60)] | None = None
    chair_stand_30s: Annotated[float, Field(strict=True, ge=0, le=60)] | None = None
    side_plank_s: Sides[Annotated[float, Field(strict=True, ge=0, le=600)]] | None = None
    thomas_test_positive: Sides[StrictBool] | None = None
    navicular_drop_mm: Sides[Annotated[float, Field(strict=True, ge=0, le=40)]] | None = None
    single_leg_stance_s: Sides[Annotated[float, Field(strict=True, ge=0, le=45)]] | None = None
    timed_up_and_go_s: Annotated[float, Field(strict=True, gt=0, le=300)] | None = None
    fast_walk_40m_s: Annotated[float, Field(strict=True, gt=0, le=600)] | None = None
    stair_climb_s: Annotated[float, Field(strict=True, gt=0, le=600)] | None = None


class Intake(_Section):
    """A whole `kneecoach-intake/1` document."""

    spec: Literal["kneecoach-intake/1"]
    # The empty sections are made without validation, which would build each one's validator.
    person: Person = Person.model_construct()
    knee: Knee = Knee.model_construct()
    history: History = History.model_construct()
    pain: PainAnswers = PainAnswers.model_construct()
    signs: Signs = Signs.model_construct()
    general: General = General.model_construct()
    hip: Hip = Hip.model_construct()
    back: Back = Back.model_construct()
    foot: Foot = Foot.model_construct()
    shoes: Shoes = Shoes.model_construct()
    self_tests: SelfTests = SelfTests.model_construct()
    equipment: list[Equipment] | None = None
    minutes_per_day: Annotated[StrictInt, Field(ge=0, le=600)] | None = None
    activity_level: Annotated[StrictInt, Field(ge=1, le=10)] | None = None
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")] | None = None

    def facts(self) -> dict[str, Any]:
        """Flat answers by path (``signs.warm``) for the rule evaluator.

        Unknown answers are left out. Conditional answers whose absence means "no" are given
        as ABSENT, as the spec says: no injury object (and onset not `injury`) means no injury;
        no `recent_surgery_weeks` means no operation in 12 weeks; no
        `injury.swelling_within_hours` means no swelling after the injury; no
        `signs.swelling_started_days_ago` with little or no swelling is not evidence. With
        swelling of 2 or more, an absent start is *unknown*: a red-flag question.
        """
        flat: dict[str, Any] = {}
        _flatten(self.model_dump(exclude_none=True), "", flat)
        flat.pop("spec", None)
        if self.history.injury is None and self.history.onset != "injury":
            for name in Injury.model_fields:
                flat[f"history.injury.{name}"] = ABSENT
        elif self.history.injury is not None and self.history.injury.swelling_within_hours is None:
            flat["history.injury.swelling_within_hours"] = ABSENT
        flat.setdefault("history.recent_surgery_weeks", ABSENT)
        if self.signs.swelling is None or self.signs.swelling < 2:
            flat.setdefault("signs.swelling_started_days_ago", ABSENT)
        return flat


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else key, out)
    else:
        out[prefix] = value


@cache
def answer_paths() -> frozenset[str]:
    """Every answer path an intake can hold; data files may only refer to these."""
    paths: set[str] = set()
    _collect_paths(Intake, "", paths)
    return frozenset(paths - {"spec"})


def _collect_paths(model: type[BaseModel], prefix: str, out: set[str]) -> None:
    for name, field in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        nested = _model_in(field.annotation)
        if nested is not None:
            _collect_paths(nested, path, out)
        else:
            out.add(path)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def parse_intake(raw: Any) -> Intake:
    """Validate an intake document; the first problem becomes one InputError naming the field."""
    if not isinstance(raw, dict):
        raise InputError("intake", 'must be a JSON object with a "spec" field')
    if raw.get("spec") != SPEC_ID:
        raise InputError("spec", f'must be "{SPEC_ID}", got {raw.get("spec")!r}')
    try:
        return Intake.model_validate(raw)
    except ValidationError as error:
        raise input_error_from(error) from None


def input_error_from(error: ValidationError, prefix: str = "") -> InputError:
    """Turn pydantic's report into kneecoach's one line: the field path and the problem."""
    first = error.errors()[0]
    parts = [str(p) for p in first["loc"] if not str(p).startswith(("function-", "json-"))]
    parts = [p for p in parts if p not in {"constrained-float", "float", "int", "bool"}]
    field = ".".join([prefix, *parts] if prefix else parts) or prefix or "input"
    kind = first["type"]
    value = first.get("input")
    if kind == "extra_forbidden":
        problem = "is not a field kneecoach knows (check the spelling)"
    elif kind == "missing":
        problem = "is required"
    else:
        problem = f"{first['msg'][0].lower()}{first['msg'][1:]} (got {value!r})"
    return InputError(field, problem)
