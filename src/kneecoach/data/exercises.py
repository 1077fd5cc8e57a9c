"""Loads and checks the exercise catalogue (`data/exercises/*.yaml`).

One file per kind of exercise, plus `dosing.yaml` (the evidence range each kind's dose must
stay within) and `conditions.yaml` (situations, read from the intake answers, in which an
exercise is left out or changed). Everything is checked when it loads: unknown fields, ids
that do not exist, doses outside the evidence, progression chains that loop. A problem is
one line naming the file and the entry.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kneecoach.core.exercises import (
    BAND_COLOURS,
    EQUIPMENT_IDS,
    KINDS,
    LOAD_UNITS,
    Amount,
    Catalogue,
    Caution,
    Dose,
    Exercise,
    KindRules,
    LeaveOutCondition,
    Limit,
    Load,
    chain_problems,
    with_keeps_only,
)
from kneecoach.core.intake import answer_paths
from kneecoach.core.poses import (
    ANGLE_RANGES,
    CAMERA_RANGES,
    LIMB_ANGLES,
    POINT_NAMES,
    Camera,
    KeyPoses,
    Limbs,
    Pose,
    Prop,
    PropKind,
)
from kneecoach.core.rules import parse_condition, paths_in
from kneecoach.core.vocabulary import CONTRIBUTORS, PATTERNS
from kneecoach.data.files import read_yaml

KIND_FILES: dict[str, str] = {kind: f"exercises/{kind}.yaml" for kind in KINDS}
LADDER_FILES: dict[str, str] = {
    kind: f"exercises/{kind}_ladders.yaml" for kind in ("strength", "balance", "cardio")
}
"""The full ladders (issue 12): squat, lunge, step-up, gym, tendon, hop, balance and running
rungs, one file per kind beside the first catalogue."""
DOSING_FILE = "exercises/dosing.yaml"
CONDITIONS_FILE = "exercises/conditions.yaml"

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, Field(min_length=1)]


class CatalogueError(ValueError):
    """The packaged catalogue is wrong: a reviewer must fix the named file and entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ----- dosing.yaml -------------------------------------------------------------------------


class _Range(_Strict):
    min: Annotated[int, Field(ge=0)]
    max: Annotated[int, Field(ge=1)]

    def limit(self) -> Limit:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return Limit(self.min, self.max)


class _KindRulesModel(_Strict):
    sets: _Range
    days_per_week: _Range
    reps: _Range | None = None
    hold_s: _Range | None = None
    minutes: _Range | None = None
    source: Text
    basis: Literal["product-decision"] | None = None


class _DosingFile(_Strict):
    version: Text
    kinds: dict[Literal["mobility", "strength", "foam_roll", "balance", "cardio"], _KindRulesModel]


# ----- conditions.yaml ---------------------------------------------------------------------


class _ConditionModel(_Strict):
    id: Id
    label: Text
    when: dict[str, Any]
    source: Text | None = None
    basis: Literal["product-decision"] | None = None
    note: Text | None = None
    keeps_only: list[Id] = []

    @model_validator(mode="after")
    def _sourced(self) -> _ConditionModel:
        if self.source is None and self.basis is None:
            raise ValueError("give a source or basis: product-decision")
        if self.basis is not None and self.source is None and self.note is None:
            raise ValueError("a product decision needs a note saying why")
        return self


class _ConditionsFile(_Strict):
    version: Text
    conditions: list[_ConditionModel]


# ----- <kind>.yaml -------------------------------------------------------------------------


class _AmountModel(_Strict):
    start: Annotated[int, Field(ge=1)]
    min: Annotated[int, Field(ge=1)]
    max: Annotated[int, Field(ge=1)]


LoadValue = float | str


class _LoadModel(_Strict):
    """`load: {kind, start, min, max, step, unit}`; a band's values are colour names."""

    kind: Literal["body_weight", "band", "kg", "rpe", "rir"]
    start: LoadValue = 0
    min: LoadValue = 0
    max: LoadValue = 0
    step: Annotated[float, Field(ge=0)] = 0
    unit: Text

    @model_validator(mode="after")
    def _fits(self) -> _LoadModel:
        units = LOAD_UNITS[self.kind]
        if self.unit not in units:
            raise ValueError(f"unit {self.unit!r} does not fit kind {self.kind}: use {units[0]!r}")
        if self.kind == "body_weight":
            return self
        values = [self.value(v, name) for name, v in self._named()]
        start, low, high = values
        if self.step <= 0:
            raise ValueError(f"a {self.kind} load needs a step above 0")
        if not low <= start <= high:
            raise ValueError(
                f"start {self.start} must lie within min {self.min} and max {self.max}"
            )
        if self.kind in ("rpe", "rir") and not 0 <= low <= high <= 10:
            raise ValueError(f"{self.kind} values must lie within 0..10")
        for name, value in (("max", high), ("start", start)):
            rungs = (value - low) / self.step
            if abs(rungs - round(rungs)) > 1e-6:
                raise ValueError(f"{name} {value:g} is not min plus whole steps of {self.step:g}")
        return self

    def _named(self) -> list[tuple[str, LoadValue]]:
        return [("start", self.start), ("min", self.min), ("max", self.max)]

    def value(self, raw: LoadValue, name: str) -> float:
        if self.kind == "band":
            if raw not in BAND_COLOURS:
                raise ValueError(f"{name}: {raw!r} is not a band colour {list(BAND_COLOURS)}")
            return float(BAND_COLOURS.index(str(raw)))
        if isinstance(raw, str):
            raise ValueError(f"{name}: {raw!r} is not a number")
        return float(raw)

    def load(self) -> Load:
        if self.kind == "body_weight":
            return Load("body_weight", 0.0, 0.0, 0.0, 0.0, self.unit)
        start, low, high = (self.value(v, n) for n, v in self._named())
        return Load(self.kind, start, low, high, self.step, self.unit)


Tempo = Annotated[str, Field(pattern=r"^[0-9]{1,2}-[0-9]{1,2}-[0-9]{1,2}$")]


class _DoseModel(_Strict):
    sets: _AmountModel
    reps: _AmountModel | None = None
    hold_s: _AmountModel | None = None
    minutes: _AmountModel | None = None
    side: Literal["both", "each"]
    rest_s: Annotated[int, Field(ge=0, le=300)]
    progress: Literal["reps", "hold_s", "minutes"]
    load: _LoadModel | None = None
    tempo: Tempo | None = None
    extra_sets_painful_side: Annotated[int, Field(ge=0, le=2)] = 0
    rm_steps: list[Annotated[int, Field(ge=1, le=30)]] = []


Angle = float | tuple[float, float]


class _PoseModel(_Strict):
    """One row of the angle table. A limb angle is one number (both sides) or [near, far]."""

    body: (
        Literal["standing", "sitting", "kneeling", "quadruped", "supine", "prone", "side_lying"]
        | None
    ) = None
    tilt: float = 0.0
    trunk: float = 0.0
    spine: float = 0.0
    hip: Angle = 0.0
    hip_abduction: Angle = 0.0
    hip_rotation: Angle = 0.0
    knee: Angle = 0.0
    ankle: Angle = 0.0
    toes: Angle = 0.0
    shoulder: Angle = 0.0
    shoulder_abduction: Angle = 0.0
    elbow: Angle = 0.0

    @field_validator("*")
    @classmethod
    def _within_range(cls, value: Any, info: Any) -> Any:
        bounds = ANGLE_RANGES.get(info.field_name)
        if bounds is None:
            return value
        for v in value if isinstance(value, tuple) else (value,):
            if not math.isfinite(v) or not bounds[0] <= v <= bounds[1]:
                raise ValueError(f"{v} is outside {bounds[0]:g}..{bounds[1]:g} degrees")
        return value

    def pose(self, default_body: str) -> Pose:
        def side(index: int) -> Limbs:
            values = {}
            for name in LIMB_ANGLES:
                raw = getattr(self, name)
                values[name] = float(raw[index] if isinstance(raw, tuple) else raw)
            return Limbs(**values)

        return Pose(
            body=self.body or default_body,  # type: ignore[arg-type]
            tilt=self.tilt,
            trunk=self.trunk,
            spine=self.spine,
            near=side(0),
            far=side(1),
        )


class _PropModel(_Strict):
    kind: PropKind
    at: str
    to: str | None = None
    fixed: tuple[float, float] | None = None
    pose: Literal["start", "middle", "end"] = "start"
    height: Annotated[float, Field(ge=0, le=0.6)] = 0.0
    side: Literal["front", "back"] = "front"


class _CameraModel(_Strict):
    turn: Annotated[float, Field(ge=CAMERA_RANGES["turn"][0], le=CAMERA_RANGES["turn"][1])] = 0.0
    look_down: Annotated[
        float, Field(ge=CAMERA_RANGES["look_down"][0], le=CAMERA_RANGES["look_down"][1])
    ] = 0.0


class _PosesModel(_Strict):
    start: _PoseModel
    middle: _PoseModel | None = None
    end: _PoseModel
    anchor: str | None = None
    view: Literal["side", "front"] = "side"
    props: list[_PropModel] = []
    seconds: Annotated[float, Field(gt=1, le=20)] = 4.0
    camera: _CameraModel | None = None  # optional: the view's default camera otherwise


class _CautionModel(_Strict):
    when: Id
    text: Text
    change: list[Literal["fewest_sets", "least_amount", "easier_variant"]] = []


class _ExerciseModel(_Strict):
    id: Id
    name: Text
    kind: Literal["mobility", "strength", "foam_roll", "balance", "cardio"]
    targets: list[Id] = []
    patterns: list[Id] = []
    equipment: list[Id]
    dose: _DoseModel
    minutes: Annotated[int, Field(ge=1, le=60)]
    easier: Id | None
    harder: Id | None
    start_level: Literal["frail", "general", "active", "athletic"] | None = None
    contraindications: list[Id] = []
    cautions: list[_CautionModel] = []
    steps: Annotated[list[Text], Field(min_length=2)]
    feel: Text
    mistakes: Annotated[list[Text], Field(min_length=1)]
    source: Text
    basis: Literal["product-decision"] | None = None
    poses: _PosesModel
    suits: Text | None = None
    schedule: Literal["daily"] | None = None
    stage: Literal["isometric", "heavy_slow", "energy_storage"] | None = None


class _KindFile(_Strict):
    version: Text
    exercises: list[_ExerciseModel]


# ----- building ----------------------------------------------------------------------------


def _where(error: ValidationError, raw: Any, list_key: str) -> str:
    """The place of the first problem, with the entry's id when there is one."""
    first = error.errors()[0]
    loc = list(first["loc"])
    parts: list[str] = []
    if len(loc) >= 2 and loc[0] == list_key and isinstance(loc[1], int):
        entries = raw.get(list_key) if isinstance(raw, Mapping) else None
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
        name = entry.get("id") if isinstance(entry, Mapping) else None
        parts.append(str(name) if name else f"{list_key}[{loc[1]}]")
        loc = loc[2:]
    parts += [f"[{p}]" if isinstance(p, int) else str(p) for p in loc]
    return ".".join(parts).replace(".[", "[") or "file"


def _validate(model: type[BaseModel], raw: Any, name: str, list_key: str) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        problem = first["msg"]
        if first["type"] == "extra_forbidden":
            problem = "unknown field"
        raise CatalogueError(f"{name}: {_where(error, raw, list_key)}: {problem}") from None


def _kind_rules(model: _DosingFile) -> tuple[KindRules, ...]:
    missing = [k for k in KINDS if k not in model.kinds]
    if missing:
        raise CatalogueError(f"{DOSING_FILE}: kinds: missing {missing}")
    rules = []
    for kind, m in model.kinds.items():
        try:
            rules.append(
                KindRules(
                    kind=kind,
                    sets=m.sets.limit(),
                    days_per_week=m.days_per_week.limit(),
                    reps=m.reps.limit() if m.reps else None,
                    hold_s=m.hold_s.limit() if m.hold_s else None,
                    minutes=m.minutes.limit() if m.minutes else None,
                    source=m.source,
                )
            )
        except ValueError as error:
            raise CatalogueError(f"{DOSING_FILE}: kinds.{kind}: {error}") from None
    return tuple(rules)


def _conditions(model: _ConditionsFile) -> tuple[LeaveOutCondition, ...]:
    known = answer_paths()
    out = []
    for c in model.conditions:
        try:
            condition = parse_condition(c.when, f"{c.id}.when")
        except ValueError as error:
            raise CatalogueError(f"{CONDITIONS_FILE}: {error}") from None
        unknown = [p for p in paths_in(condition) if p not in known]
        if unknown:
            raise CatalogueError(
                f"{CONDITIONS_FILE}: {c.id}.when: {unknown[0]!r} is not an intake answer path"
            )
        source = c.source or "product decision"
        out.append(LeaveOutCondition(c.id, c.label, condition, source, tuple(c.keeps_only)))
    ids = [c.id for c in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogueError(f"{CONDITIONS_FILE}: {dupes[0]}: the id is used twice")
    return tuple(out)


def _amount(model: _AmountModel | None, where: str) -> Amount | None:
    if model is None:
        return None
    if not model.min <= model.start <= model.max:
        raise CatalogueError(
            f"{where}: start {model.start} must lie within min {model.min} and max {model.max}"
        )
    return Amount(model.start, model.min, model.max)


def _dose(m: _DoseModel, rules: KindRules, where: str) -> Dose:
    dose = Dose(
        sets=_amount(m.sets, f"{where}.sets"),  # type: ignore[arg-type]
        reps=_amount(m.reps, f"{where}.reps"),
        hold_s=_amount(m.hold_s, f"{where}.hold_s"),
        minutes=_amount(m.minutes, f"{where}.minutes"),
        side=m.side,
        rest_s=m.rest_s,
        progress=m.progress,
        load=None if m.load is None or m.load.kind == "body_weight" else m.load.load(),
        tempo=m.tempo,
        extra_sets_painful_side=m.extra_sets_painful_side,
        rm_steps=tuple(m.rm_steps),
    )
    if dose.rm_steps and (
        list(dose.rm_steps) != sorted(dose.rm_steps, reverse=True)
        or dose.reps is None
        or dose.reps.start != dose.rm_steps[0]
        or not dose.reps.min <= dose.rm_steps[-1]
        or dose.rm_steps[0] > dose.reps.max
    ):
        raise CatalogueError(
            f"{where}.rm_steps: must fall from the starting reps and stay within the reps range"
        )
    if dose.extra_sets_painful_side and dose.side != "each":
        raise CatalogueError(
            f"{where}.extra_sets_painful_side: only a one-leg exercise (side: each) has a sore leg"
        )
    if dose.amount(dose.progress) is None:
        raise CatalogueError(f"{where}.progress: {dose.progress} has no amount in the dose")
    checks: list[tuple[str, Amount | None, Limit | None]] = [
        ("sets", dose.sets, rules.sets),
        ("reps", dose.reps, rules.reps),
        ("hold_s", dose.hold_s, rules.hold_s),
        ("minutes", dose.minutes, rules.minutes),
    ]
    for name, amount, limit in checks:
        if amount is None:
            continue
        if limit is None:
            raise CatalogueError(
                f"{where}.{name}: {rules.kind} exercises are not dosed in {name} ({DOSING_FILE})"
            )
        if amount.min < limit.min or amount.max > limit.max:
            raise CatalogueError(
                f"{where}.{name}: {amount.min}..{amount.max} is outside the evidence range "
                f"{limit.min}..{limit.max} for {rules.kind} ({DOSING_FILE})"
            )
    return dose


def _point(name: str, where: str) -> str:
    if name not in POINT_NAMES:
        raise CatalogueError(f"{where}: {name!r} is not a point of the figure")
    return name


def _poses(m: _PosesModel, where: str) -> KeyPoses:
    body = m.start.body
    if body is None:
        raise CatalogueError(f"{where}.start.body: the start pose needs a body position")
    props = []
    for i, p in enumerate(m.props):
        at = _point(p.at, f"{where}.props[{i}].at")
        to = _point(p.to, f"{where}.props[{i}].to") if p.to else None
        if p.kind == "band" and to is None and p.fixed is None:
            raise CatalogueError(f"{where}.props[{i}]: a band needs `to` or `fixed`")
        if p.pose == "middle" and m.middle is None:
            raise CatalogueError(f"{where}.props[{i}].pose: there is no middle pose")
        props.append(Prop(p.kind, at, to, p.fixed, p.pose, p.height, p.side))
    return KeyPoses(
        start=m.start.pose(body),
        middle=m.middle.pose(body) if m.middle else None,
        end=m.end.pose(body),
        anchor=_point(m.anchor, f"{where}.anchor") if m.anchor else None,
        view=m.view,
        props=tuple(props),
        seconds=m.seconds,
        camera=Camera(m.camera.turn, m.camera.look_down) if m.camera else None,
    )


def _only_known(
    values: list[str], known: set[str] | tuple[str, ...], what: str, where: str
) -> None:
    for i, value in enumerate(values):
        if value not in known:
            raise CatalogueError(f"{where}[{i}]: unknown {what} {value!r}")


def _exercise(m: _ExerciseModel, file: str, rules: KindRules, situations: set[str]) -> Exercise:
    where = f"{file}: {m.id}"
    if m.kind != rules.kind:
        raise CatalogueError(f"{where}.kind: {m.kind} does not belong in {file}")
    _only_known(m.targets, CONTRIBUTORS, "contributor", f"{where}.targets")
    _only_known(m.patterns, PATTERNS, "pattern", f"{where}.patterns")
    _only_known(m.equipment, EQUIPMENT_IDS, "equipment", f"{where}.equipment")
    _only_known(
        m.contraindications,
        situations,
        "pattern or condition",
        f"{where}.contraindications",
    )
    for i, c in enumerate(m.cautions):
        if c.when not in situations:
            raise CatalogueError(
                f"{where}.cautions[{i}].when: unknown pattern or condition {c.when!r}"
            )
        if "easier_variant" in c.change and m.easier is None:
            raise CatalogueError(
                f"{where}.cautions[{i}].change: easier_variant, but the exercise has no easier one"
            )
    if not m.targets and not m.patterns:
        raise CatalogueError(f"{where}: give at least one target or pattern")
    return Exercise(
        id=m.id,
        name=m.name,
        kind=m.kind,
        targets=tuple(m.targets),
        patterns=tuple(m.patterns),
        equipment=tuple(m.equipment),
        dose=_dose(m.dose, rules, f"{where}.dose"),
        minutes=m.minutes,
        easier=m.easier,
        harder=m.harder,
        start_level=m.start_level,
        contraindications=tuple(m.contraindications),
        cautions=tuple(Caution(c.when, c.text, tuple(c.change)) for c in m.cautions),
        steps=tuple(m.steps),
        feel=m.feel,
        mistakes=tuple(m.mistakes),
        source=m.source,
        poses=_poses(m.poses, f"{where}.poses"),
        basis=m.basis,
        suits=m.suits,
        schedule=m.schedule,
        stage=m.stage,
    )


def build_catalogue(files: Mapping[str, Any]) -> Catalogue:
    """Check raw YAML documents (by file name) and build the catalogue, or raise
    CatalogueError naming the file and the entry."""
    for name in (DOSING_FILE, CONDITIONS_FILE, *KIND_FILES.values(), *LADDER_FILES.values()):
        if name not in files:
            raise CatalogueError(f"{name}: the file is missing")
    dosing = _validate(_DosingFile, files[DOSING_FILE], DOSING_FILE, "kinds")
    rules: dict[str, KindRules] = {r.kind: r for r in _kind_rules(dosing)}
    conditions_model = _validate(
        _ConditionsFile, files[CONDITIONS_FILE], CONDITIONS_FILE, "conditions"
    )
    conditions = _conditions(conditions_model)
    situations = set(PATTERNS) | {c.id for c in conditions}
    exercises: list[Exercise] = []
    versions = [f"{DOSING_FILE} {dosing.version}", f"{CONDITIONS_FILE} {conditions_model.version}"]
    seen: dict[str, str] = {}
    for kind, name in [*KIND_FILES.items(), *LADDER_FILES.items()]:
        model = _validate(_KindFile, files[name], name, "exercises")
        versions.append(f"{name} {model.version}")
        for entry in model.exercises:
            if entry.id in seen:
                raise CatalogueError(f"{name}: {entry.id}: the id is also used in {seen[entry.id]}")
            seen[entry.id] = name
            exercises.append(_exercise(entry, name, rules[kind], situations))
    problems = chain_problems(exercises)
    if problems:
        first = problems[0].split(".", 1)[0]
        raise CatalogueError(f"{seen.get(first, 'exercises')}: {problems[0]}")
    _check_keeps_only(conditions, exercises)
    return Catalogue(
        version="; ".join(versions),
        exercises=with_keeps_only(exercises, conditions),
        kind_rules=tuple(rules[k] for k in KINDS),
        conditions=conditions,
    )


def _check_keeps_only(conditions: tuple[LeaveOutCondition, ...], exercises: list[Exercise]) -> None:
    """A kept exercise must exist and must not also be left out for the same condition."""
    by_id = {e.id: e for e in exercises}
    for c in conditions:
        for i, kept in enumerate(c.keeps_only):
            exercise = by_id.get(kept)
            if exercise is None:
                raise CatalogueError(
                    f"{CONDITIONS_FILE}: {c.id}.keeps_only[{i}]: no exercise called {kept!r}"
                )
            if c.id in exercise.contraindications:
                raise CatalogueError(
                    f"{CONDITIONS_FILE}: {c.id}.keeps_only[{i}]: {kept} is also left out "
                    f"for {c.id} (its contraindications)"
                )


def catalogue_files() -> dict[str, Any]:
    """The packaged YAML documents, by file name."""
    names = [DOSING_FILE, CONDITIONS_FILE, *KIND_FILES.values(), *LADDER_FILES.values()]
    return {name: read_yaml(name) for name in names}


@functools.cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue, checked once per process."""
    return build_catalogue(catalogue_files())
