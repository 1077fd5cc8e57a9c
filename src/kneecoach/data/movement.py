"""Loads `movement.yaml`: the movement check's numbers, angle table and words, checked once.

Every number says where it comes from (`source`, or `basis: product-decision` with a note);
every landmark of the angle table is one the pose model gives, in the role its method needs;
every placeholder in a text is one the code fills. A mistake names the file and the entry.
"""

from __future__ import annotations

import string
from functools import cache
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecoach.core.intake import input_error_from
from kneecoach.core.movement.rules import (
    ROLES,
    AngleSpec,
    IdentityRule,
    Method,
    MovementRules,
    RepRule,
    Test,
    TestRule,
    Text,
    View,
    ViewRule,
)
from kneecoach.core.movement.rules import Field as OutputField
from kneecoach.core.movement.signal import Cleaning
from kneecoach.core.movement.track import LANDMARKS
from kneecoach.data.files import read_yaml

FILE = "movement.yaml"

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Words = Annotated[str, Field(min_length=1)]
Share = Annotated[float, Field(gt=0, lt=1)]

WARNING_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "no_person": frozenset(),
    "person_changed": frozenset({"time_s"}),
    "wrong_view": frozenset({"needed", "seen"}),
    "unknown_view": frozenset(),
    "view_changed": frozenset({"seen"}),
    "low_visibility": frozenset({"share"}),
    "too_few_reps": frozenset({"count", "needed"}),
}
"""Every warning the core raises, with the placeholders it fills in."""

OBSERVATION_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "knee_inward": frozenset({"side", "deg", "count"}),
    "knee_outward": frozenset({"side", "deg", "count"}),
    "knee_in_line": frozenset({"side", "count"}),
    "knee_norms": frozenset(),
    "knee_flagged": frozenset({"flag"}),
    "knee_typical": frozenset(),
    "knees_differ": frozenset({"deg", "flag"}),
    "knees_alike": frozenset({"deg"}),
    "pelvis_drop": frozenset({"free", "deg", "count"}),
    "pelvis_flagged": frozenset({"flag", "side"}),
    "depth": frozenset({"side", "deg", "count"}),
    "knee_past_toes": frozenset({"side"}),
    "knee_behind_toes": frozenset({"side"}),
    "screening": frozenset({"sdd"}),
    "change_none": frozenset({"side", "before", "after", "sdd"}),
    "change_less": frozenset({"side", "before", "after", "change"}),
    "change_more": frozenset({"side", "before", "after", "change"}),
    "change_unknown": frozenset({"side"}),
}
"""Every observation the core writes, with the placeholders it fills in."""


class MovementDataError(ValueError):
    """movement.yaml is wrong: the message names the file and the entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    """A number: where it comes from, and whether kneecoach chose it."""

    source: Annotated[str, Field(min_length=3)]
    basis: Literal["product-decision"] | None = None


class _Visibility(_Sourced):
    min: Share


class _LowVisibility(_Sourced):
    max_share_left_out: Share


class _Hampel(_Sourced):
    window: Annotated[int, Field(ge=3, le=31)]
    sigmas: Annotated[float, Field(gt=0)]

    @model_validator(mode="after")
    def _odd(self) -> Self:
        if self.window % 2 == 0:
            raise ValueError("the Hampel window must be odd (centred on the frame)")
        return self


class _Gaps(_Sourced):
    max_gap_s: Annotated[float, Field(ge=0, le=2)]


class _Butterworth(_Sourced):
    order: Literal[2, 4, 6, 8]
    cutoff_hz: Annotated[float, Field(gt=0, le=12)]
    min_run: Annotated[int, Field(ge=2)]


class _View(_Sourced):
    front_min_ratio: Annotated[float, Field(gt=0)]
    side_max_ratio: Annotated[float, Field(gt=0)]
    agree: Annotated[float, Field(gt=0.5, le=1)]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.side_max_ratio >= self.front_min_ratio:
            raise ValueError("side_max_ratio must be below front_min_ratio")
        return self


class _Repetitions(_Sourced):
    min_depth: Share
    min_duration_s: Annotated[float, Field(gt=0, le=10)]


class _MinReps(_Sourced):
    count: Annotated[int, Field(ge=1, le=20)]


class _Identity(_Sourced):
    max_jump: Share
    max_scale_change: Annotated[float, Field(gt=1)]
    settle_s: Annotated[float, Field(ge=0, le=3)]


class _FppaFlag(_Sourced):
    mean_deg: Annotated[float, Field(gt=0, lt=90)]
    difference_deg: Annotated[float, Field(gt=0, lt=90)]


class _Degrees(_Sourced):
    deg: Annotated[float, Field(gt=0, lt=90)]


class _Body(_Sourced):
    torso_share: Annotated[float, Field(gt=0.1, lt=0.6)]


class _Steps(_Strict):
    visibility: _Visibility
    low_visibility: _LowVisibility
    hampel: _Hampel
    gaps: _Gaps
    butterworth: _Butterworth
    view: _View
    repetitions: _Repetitions
    min_reps: _MinReps
    identity: _Identity
    fppa_flag: _FppaFlag
    fppa_sdd: _Degrees
    pelvis_drop_flag: _Degrees
    body: _Body


class _Angle(_Strict):
    id: Id
    method: Method
    side: Literal["left", "right"]
    field: OutputField
    views: list[Literal["front", "side"]] = Field(min_length=1)
    unit: Literal["deg", "px"]
    landmarks: dict[str, str]


class _Test(_Strict):
    views: list[Literal["front", "side"]] = Field(min_length=1)
    needs: list[str] = Field(min_length=1)
    knees: Literal["standing", "both"]


class _Warning(_Strict):
    id: Id
    message: Words


class _Observation(_Sourced):
    text: Words


class _MovementFile(_Strict):
    version: Words
    steps: _Steps
    angles: list[_Angle] = Field(min_length=1)
    tests: dict[Literal["single_leg_squat", "double_leg_squat"], _Test]
    warnings: dict[Id, _Warning]
    observations: dict[Id, _Observation]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _check_placeholders(text: str, allowed: frozenset[str], where: str) -> None:
    used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    unknown = used - allowed
    if unknown:
        raise MovementDataError(f"{FILE}: {where}: unknown placeholders {sorted(unknown)}")


def _angle(a: _Angle) -> AngleSpec:
    where = f"angles.{a.id}"
    roles = ROLES[a.method]
    if set(a.landmarks) != set(roles):
        raise MovementDataError(f"{FILE}: {where}: {a.method} needs the roles {list(roles)}")
    for role, name in a.landmarks.items():
        if name not in LANDMARKS:
            raise MovementDataError(f"{FILE}: {where}.{role}: {name!r} is not a landmark")
    own = [n for r, n in a.landmarks.items() if not r.startswith(("other", "free"))]
    if a.method in ("fppa", "knee_bend", "knee_travel") and any(
        not n.startswith(a.side) for n in own
    ):
        raise MovementDataError(f"{FILE}: {where}: a {a.side} angle uses the other leg")
    unit = "px" if a.method == "knee_travel" else "deg"
    if a.unit != unit:
        raise MovementDataError(f"{FILE}: {where}: {a.method} is measured in {unit}")
    views: frozenset[View] = frozenset(a.views)
    return AngleSpec(a.id, a.method, a.side, a.field, dict(a.landmarks), views, a.unit)


def _test(name: Test, t: _Test) -> TestRule:
    for need in t.needs:
        for side in ("left", "right"):
            landmark = need.format(side=side, other="right" if side == "left" else "left")
            if landmark not in LANDMARKS:
                raise MovementDataError(f"{FILE}: tests.{name}.needs: {need!r} is not a landmark")
    views: frozenset[View] = frozenset(t.views)
    return TestRule(views, tuple(t.needs), t.knees)


def _source(entry: _Sourced) -> str:
    label = "Product decision: " if entry.basis else ""
    return label + _flat(entry.source)


def build_movement_rules(raw: Any) -> MovementRules:
    """The movement rules from the parsed file, checked; raises MovementDataError."""
    try:
        m = _MovementFile.model_validate(raw)
    except ValidationError as error:
        problem = input_error_from(error)
        raise MovementDataError(f"{FILE}: {problem.field}: {problem.problem}") from None
    angles = tuple(_angle(a) for a in m.angles)
    if len({a.id for a in angles}) != len(angles):
        raise MovementDataError(f"{FILE}: angles: an id is used twice")
    seen: set[tuple[str, str, str]] = set()
    for a in angles:
        for view in a.views:
            slot = (a.side, a.field, view)
            if slot in seen:
                raise MovementDataError(f"{FILE}: angles.{a.id}: two angles give {slot}")
            seen.add(slot)
    for side in ("left", "right"):
        for field, view in (("fppa_deg", "front"), ("flexion_deg", "side")):
            if (side, field, view) not in seen:
                raise MovementDataError(f"{FILE}: angles: no {field} for the {side} knee")
    for key, allowed in WARNING_PLACEHOLDERS.items():
        if key not in m.warnings:
            raise MovementDataError(f"{FILE}: warnings: {key} is missing")
        _check_placeholders(m.warnings[key].message, allowed, f"warnings.{key}")
    for key, allowed in OBSERVATION_PLACEHOLDERS.items():
        if key not in m.observations:
            raise MovementDataError(f"{FILE}: observations: {key} is missing")
        _check_placeholders(m.observations[key].text, allowed, f"observations.{key}")
    for key in set(m.warnings) - set(WARNING_PLACEHOLDERS):
        raise MovementDataError(f"{FILE}: warnings: {key} is not one the check raises")
    for key in set(m.observations) - set(OBSERVATION_PLACEHOLDERS):
        raise MovementDataError(f"{FILE}: observations: {key} is not one the check writes")
    if set(m.tests) != {"single_leg_squat", "double_leg_squat"}:
        raise MovementDataError(f"{FILE}: tests: give single_leg_squat and double_leg_squat")
    s = m.steps
    return MovementRules(
        version=m.version,
        visibility=s.visibility.min,
        cleaning=Cleaning(
            hampel_window=s.hampel.window,
            hampel_sigmas=s.hampel.sigmas,
            max_gap_s=s.gaps.max_gap_s,
            butterworth_order=s.butterworth.order,
            cutoff_hz=s.butterworth.cutoff_hz,
            min_run=s.butterworth.min_run,
        ),
        low_visibility_share=s.low_visibility.max_share_left_out,
        view=ViewRule(s.view.front_min_ratio, s.view.side_max_ratio, s.view.agree),
        reps=RepRule(s.repetitions.min_depth, s.repetitions.min_duration_s, s.min_reps.count),
        identity=IdentityRule(
            s.identity.max_jump, s.identity.max_scale_change, s.identity.settle_s
        ),
        fppa_flag_deg=s.fppa_flag.mean_deg,
        fppa_difference_flag_deg=s.fppa_flag.difference_deg,
        fppa_sdd_deg=s.fppa_sdd.deg,
        pelvis_drop_flag_deg=s.pelvis_drop_flag.deg,
        torso_share=s.body.torso_share,
        angles=angles,
        tests={name: _test(name, t) for name, t in m.tests.items()},
        warnings={key: (w.id, _flat(w.message)) for key, w in m.warnings.items()},
        observations={key: Text(_flat(o.text), _source(o)) for key, o in m.observations.items()},
    )


@cache
def load_movement_rules() -> MovementRules:
    """The packaged movement rules, checked once per process."""
    return build_movement_rules(read_yaml(FILE))


__all__ = ["MovementDataError", "build_movement_rules", "load_movement_rules"]
