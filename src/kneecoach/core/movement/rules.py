"""The movement check's numbers, angle table and words, as typed values.

The data loader (`kneecoach.data.movement`) reads `data/movement.yaml`, checks it and builds
these; the core never reads the file, so any step can be run on other rules in tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from kneecoach.core.movement.signal import Cleaning

View = Literal["front", "side", "unknown"]
Side = Literal["left", "right"]
Test = Literal["single_leg_squat", "double_leg_squat"]
Method = Literal[
    "fppa", "knee_bend", "knee_travel", "pelvis_drop", "trunk_sideways", "trunk_forward"
]
Field = Literal["fppa_deg", "flexion_deg", "knee_travel_px", "pelvis_drop_deg", "trunk_lean_deg"]

SIDES: tuple[Side, Side] = ("left", "right")
TESTS: tuple[Test, Test] = ("single_leg_squat", "double_leg_squat")
VIEWS: tuple[View, View] = ("front", "side")

ROLES: Mapping[Method, tuple[str, ...]] = {
    "fppa": ("hip", "knee", "ankle", "other_hip"),
    "knee_bend": ("hip", "knee", "ankle"),
    "knee_travel": ("knee", "heel", "toe"),
    "pelvis_drop": ("stance_hip", "free_hip"),
    "trunk_sideways": ("stance_shoulder", "free_shoulder", "stance_hip", "free_hip"),
    "trunk_forward": ("shoulder", "hip", "heel", "toe"),
}
"""The landmarks each way of measuring needs, by the role each one plays."""

KNEE_FIELDS: tuple[Field, ...] = ("fppa_deg", "flexion_deg", "knee_travel_px")
"""Fields reported per knee; the others belong to the standing side's pelvis and trunk."""


def other(side: Side) -> Side:
    return "right" if side == "left" else "left"


@dataclass(frozen=True)
class AngleSpec:
    """One row of the angle table: what it measures, from which landmarks, in which view."""

    id: str
    method: Method
    side: Side
    field: Field
    landmarks: Mapping[str, str]  # role -> landmark name
    views: frozenset[View]
    unit: Literal["deg", "px"]


@dataclass(frozen=True)
class TestRule:
    """Which views a test can be measured in and the landmarks a frame must have."""

    views: frozenset[View]
    needs: tuple[str, ...]  # landmark names, "{side}" for the standing or chosen leg
    knees: Literal["standing", "both"]  # a lifted leg's knee angles mean nothing

    def needed(self, side: Side) -> tuple[str, ...]:
        return tuple(name.format(side=side, other=other(side)) for name in self.needs)


@dataclass(frozen=True)
class ViewRule:
    """Front or side from (shoulder width + hip width) / torso length, per frame; the
    clip's view is the one most frames show, when they are at least `agree` of them."""

    front_min_ratio: float
    side_max_ratio: float
    agree: float


@dataclass(frozen=True)
class RepRule:
    min_depth: float  # the hips go down at least this share of body height
    min_duration_s: float
    min_reps: int


@dataclass(frozen=True)
class IdentityRule:
    max_jump: float  # the hip midpoint moves at most this share of body height per frame
    max_scale_change: float  # torso length changes by at most this factor per frame
    settle_s: float = 0.0  # the tracker locks on over the clip's first moments: no check


@dataclass(frozen=True)
class Text:
    """An observation's words (a template with {placeholders}) and where its number is from."""

    text: str
    source: str


@dataclass(frozen=True)
class MovementRules:
    version: str
    visibility: float
    cleaning: Cleaning
    low_visibility_share: float  # warn when more of the frames with a person are left out
    view: ViewRule
    reps: RepRule
    identity: IdentityRule
    fppa_flag_deg: float
    fppa_difference_flag_deg: float
    fppa_sdd_deg: float
    pelvis_drop_flag_deg: float
    torso_share: float  # shoulder midpoint to hip midpoint, share of nose-to-heel height
    angles: tuple[AngleSpec, ...]
    tests: Mapping[Test, TestRule]
    warnings: Mapping[str, tuple[str, str]]  # key -> (warning id, message template)
    observations: Mapping[str, Text]

    def angle(self, angle_id: str) -> AngleSpec:
        for spec in self.angles:
            if spec.id == angle_id:
                return spec
        raise KeyError(angle_id)
