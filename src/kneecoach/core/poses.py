"""How a movement is written down: key poses as rows of joint angles (like Sports2D's table).

An exercise's movement is data, never drawing code: a body position plus every joint angle,
for a start, an end and an optional middle pose, with the props drawn beside the figure.
`render/illustration.py` turns these into an animated SVG figure with body volume.

Angle conventions, in degrees (0 = standing tall, arms by the sides, feet flat):
- ``tilt``: the whole body turns about its front-to-back axis, head toward the near side
  (+): lying on one side, this lifts the head and chest, as in a side plank.
- ``trunk``: the lower trunk leans forward from the body position's upright line (+) or
  back (−); ``spine``: the upper trunk bends forward (+, rounding) or arches (−).
- ``hip``: the thigh swings forward (flexion, +) or back (−) from the trunk line;
  ``hip_abduction``: the thigh swings out to its own side; ``hip_rotation``: the leg turns
  about the thigh, kneecap outward (+, external rotation: with the knee bent, the foot moves
  toward the other leg, as in a clamshell) or inward (−).
- ``knee``: bend (0 straight). ``ankle``: toes pulled up toward the shin (+) or pointed (−).
  ``toes``: toes lifted (+) or curled (−).
- ``shoulder``: the arm swings forward (180 = overhead); ``shoulder_abduction``: out to the
  side; ``elbow``: bend.
Limb angles are given for the ``near`` limbs (toward the viewer; the top leg when lying on
one side) and the ``far`` limbs.

The camera is chosen from ``view`` and the start body (a side view looks a little down and
round to the front; side-lying work is seen from above the belly so bent knees and an opening
top knee both show). ``camera`` overrides it: ``turn`` swings the camera round toward the
figure's front, ``look_down`` raises it (degrees).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

Body = Literal["standing", "sitting", "kneeling", "quadruped", "supine", "prone", "side_lying"]
BODIES: Final[tuple[str, ...]] = (
    "standing",
    "sitting",
    "kneeling",
    "quadruped",
    "supine",
    "prone",
    "side_lying",
)
View = Literal["side", "front"]
Side = Literal["near", "far"]

TRUNK_ANGLES: Final = ("tilt", "trunk", "spine")
LIMB_ANGLES: Final = (
    "hip",
    "hip_abduction",
    "hip_rotation",
    "knee",
    "ankle",
    "toes",
    "shoulder",
    "shoulder_abduction",
    "elbow",
)
# The range each angle may take: wide enough for any exercise, narrow enough to stay human.
ANGLE_RANGES: Final[dict[str, tuple[float, float]]] = {
    "tilt": (-90.0, 90.0),
    "trunk": (-90.0, 120.0),
    "spine": (-45.0, 90.0),
    "hip": (-45.0, 150.0),
    "hip_abduction": (-45.0, 90.0),
    "hip_rotation": (-60.0, 60.0),
    "knee": (0.0, 160.0),
    "ankle": (-60.0, 40.0),
    "toes": (-40.0, 60.0),
    "shoulder": (-60.0, 200.0),
    "shoulder_abduction": (-30.0, 180.0),
    "elbow": (0.0, 160.0),
}

POINT_NAMES: Final[tuple[str, ...]] = (
    "pelvis",
    "mid_back",
    "shoulder",
    "head",
    *(
        f"{side}_{joint}"
        for side in ("near", "far")
        for joint in ("shoulder", "elbow", "hand", "hip", "knee", "ankle", "heel", "ball", "toe")
    ),
)

PropKind = Literal[
    "chair",
    "step",
    "box",
    "cushion",
    "wall",
    "foam_roller",
    "ball",
    "band",
    "weight",
    "bench",
    "bike",
    "kettlebell",
    "backpack",
]
PROP_KINDS: Final[tuple[str, ...]] = get_args(PropKind)
# Props that hold part of the body up (at ``height``) and so lift the figure off the floor.
SUPPORT_KINDS: Final[tuple[str, ...]] = ("step", "box", "cushion", "foam_roller", "bench", "bike")


@dataclass(frozen=True)
class Limbs:
    """The angles of one side's arm and leg."""

    hip: float = 0.0
    hip_abduction: float = 0.0
    hip_rotation: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    toes: float = 0.0
    shoulder: float = 0.0
    shoulder_abduction: float = 0.0
    elbow: float = 0.0


@dataclass(frozen=True)
class Pose:
    """One key position: where the body is and every joint angle (one row of the table)."""

    body: Body = "standing"
    tilt: float = 0.0
    trunk: float = 0.0
    spine: float = 0.0
    near: Limbs = Limbs()
    far: Limbs = Limbs()


@dataclass(frozen=True)
class Prop:
    """Something drawn with the figure.

    Placed at a point of the figure in the key pose ``pose`` (chair, step, box, cushion, wall,
    foam roller, ball, bench, bike: still), or tied to the figure as it moves (band, an ankle
    weight, a kettlebell in the hand, a backpack on the back). A band runs
    from ``at`` to ``to`` (another point) or to a fixed post ``fixed`` metres (forward, up)
    from ``at`` in the first pose. Step, box, cushion, bench and bike hold the point
    ``height`` m above the floor (a bike's seat is under the point, usually the pelvis, its
    pedals under the feet); a wall stands on the ``side`` of the point (front or back).
    """

    kind: PropKind
    at: str
    to: str | None = None
    fixed: tuple[float, float] | None = None
    pose: Literal["start", "middle", "end"] = "start"
    height: float = 0.0
    side: Literal["front", "back"] = "front"


@dataclass(frozen=True)
class Camera:
    """Where the camera stands: swung ``turn`` degrees round toward the figure's front and
    raised to look ``look_down`` degrees down at it."""

    turn: float = 0.0
    look_down: float = 0.0


CAMERA_RANGES: Final[dict[str, tuple[float, float]]] = {
    "turn": (-90.0, 180.0),
    "look_down": (0.0, 80.0),
}


@dataclass(frozen=True)
class KeyPoses:
    """The movement: start and end (and an optional middle), plus how to show it."""

    start: Pose
    end: Pose
    middle: Pose | None = None
    anchor: str | None = None  # the point that stays still; default from the start body
    view: View = "side"
    props: tuple[Prop, ...] = ()
    seconds: float = 4.0  # one full loop
    camera: Camera | None = None  # None: chosen from the view and the start body

    def keys(self) -> tuple[Pose, ...]:
        return (
            (self.start, self.end) if self.middle is None else (self.start, self.middle, self.end)
        )
