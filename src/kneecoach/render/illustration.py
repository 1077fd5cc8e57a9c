"""Key poses (`core/poses.py`, an angle table like Sports2D's) → one animated SVG figure.

Every exercise is drawn by the same code: a pose is a row of joint angles plus a body
position, never drawing code. Forward kinematics runs in 3-D from the pelvis; the figure is
set on the floor (or its step, box or bench) with its anchor point still; a camera chosen
from the view and the body position (or the pose data's `camera`) looks at it a little from
above. Limbs and trunk are drawn as rounded shapes with a head, near parts over far parts
(painter's order by depth), near limbs dark and far limbs light.

The SVG loops smoothly start → (middle) → end → back with SMIL `<animate>`, shows the end
pose still when the reader asks for reduced motion, has a `<title>` for screen readers, and
needs no external resources. The angle conventions are written down in `core/poses.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from kneecoach.core.poses import SUPPORT_KINDS, Camera, KeyPoses, Limbs, Pose, Prop, Side

# Segment lengths in metres for a figure about 1.75 m tall.
LOWER_TRUNK: Final = 0.26
UPPER_TRUNK: Final = 0.26
NECK: Final = 0.09
HEAD_R: Final = 0.11
UPPER_ARM: Final = 0.30
FOREARM: Final = 0.28
THIGH: Final = 0.44
SHANK: Final = 0.43
FOOT_DROP: Final = 0.06
HEEL_BACK: Final = 0.05
FOOT_FORWARD: Final = 0.14
TOES: Final = 0.05
HIP_HALF: Final = 0.08
SHOULDER_HALF: Final = 0.13

# How thick each part is drawn (metres): rounded capsules, the trunk a rounded slab.
WIDTHS: Final[dict[str, float]] = {
    "thigh": 0.15,
    "shank": 0.11,
    "foot": 0.07,
    "upper_arm": 0.09,
    "forearm": 0.075,
    "neck": 0.09,
    "trunk": 0.2,
}
TRUNK_HALF: Final = 0.07  # how far the trunk slab's corners sit out from the midline

WIDTH: Final = 320
HEIGHT: Final = 240
MARGIN: Final = 10.0

DEFAULT_ANCHOR: Final[dict[str, str]] = {
    "standing": "near_ball",
    "sitting": "pelvis",
    "kneeling": "near_knee",
    "quadruped": "near_knee",
    "supine": "shoulder",
    "prone": "shoulder",
    "side_lying": "shoulder",
}

# The camera for each view and start body: swung round toward the front (turn) and raised
# (look_down). Side-lying work is seen from above the belly: forward (knees bending) shows
# as down the picture and up (a top knee opening, hips lifting) as up it.
SIDE_CAMERAS: Final[dict[str, Camera]] = {
    "standing": Camera(turn=20, look_down=8),
    "sitting": Camera(turn=20, look_down=8),
    "kneeling": Camera(turn=20, look_down=8),
    "quadruped": Camera(turn=15, look_down=15),
    "supine": Camera(turn=15, look_down=15),
    "prone": Camera(turn=15, look_down=15),
    "side_lying": Camera(turn=40, look_down=30),
}
# Propped up on one side (a side plank): seen low from the front, so the hips rising show.
PROPPED_CAMERA: Final = Camera(turn=-20, look_down=10)
PROPPED_TILT: Final = 10.0
FRONT_CAMERA: Final = Camera(turn=55, look_down=8)

Vec = tuple[float, float, float]

# Body frames: forward (belly side), up (toward the head), near (toward the viewer / top side).
_FRAMES: Final[dict[str, tuple[Vec, Vec, Vec]]] = {
    "standing": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "sitting": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "kneeling": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "quadruped": ((0, -1, 0), (1, 0, 0), (0, 0, 1)),
    "supine": ((0, 1, 0), (-1, 0, 0), (0, 0, 1)),
    "prone": ((0, -1, 0), (-1, 0, 0), (0, 0, 1)),
    "side_lying": ((0, 0, 1), (-1, 0, 0), (0, 1, 0)),
}


def _add(*vs: Vec) -> Vec:
    return (sum(v[0] for v in vs), sum(v[1] for v in vs), sum(v[2] for v in vs))


def _mul(k: float, v: Vec) -> Vec:
    return (k * v[0], k * v[1], k * v[2])


def _sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _unit(v: Vec, fallback: Vec = (0.0, 0.0, 1.0)) -> Vec:
    length = math.sqrt(_dot(v, v))
    return fallback if length < 1e-9 else _mul(1 / length, v)


def _turn(a: Vec, b: Vec, degrees: float) -> Vec:
    """Turn unit vector ``a`` toward the perpendicular unit vector ``b`` by ``degrees``."""
    r = math.radians(degrees)
    return _add(_mul(math.cos(r), a), _mul(math.sin(r), b))


def _limb_points(
    side: Side, limbs: Limbs, pelvis: Vec, shoulder: Vec, up: Vec, fwd: Vec, out: Vec
) -> dict[str, Vec]:
    """Forward kinematics of one side's leg and arm in the trunk's frame."""
    # Leg: hip flexion turns "down the trunk line" toward forward; abduction turns it outward.
    down = _mul(-1, up)
    flexed = _turn(down, fwd, limbs.hip)
    knee_fwd = _turn(fwd, up, limbs.hip)  # the leg's own forward, perpendicular to the thigh
    thigh = _turn(flexed, out, limbs.hip_abduction)
    # Rotation turns the kneecap about the thigh: outward (+) swings a bent shank inward.
    outward = _unit(_cross(thigh, knee_fwd))
    if _dot(outward, out) < 0:
        outward = _mul(-1, outward)
    knee_fwd = _turn(knee_fwd, outward, limbs.hip_rotation)
    hip = _add(pelvis, _mul(HIP_HALF, out))
    knee = _add(hip, _mul(THIGH, thigh))
    shank = _turn(thigh, _mul(-1, knee_fwd), limbs.knee)
    ankle = _add(knee, _mul(SHANK, shank))
    foot_fwd_neutral = _turn(knee_fwd, thigh, limbs.knee)
    sole = _turn(foot_fwd_neutral, _mul(-1, shank), limbs.ankle)
    sole_down = _turn(shank, foot_fwd_neutral, limbs.ankle)
    heel = _add(ankle, _mul(FOOT_DROP, sole_down), _mul(-HEEL_BACK, sole))
    ball = _add(ankle, _mul(FOOT_DROP, sole_down), _mul(FOOT_FORWARD, sole))
    toe = _add(ball, _mul(TOES, _turn(sole, _mul(-1, sole_down), limbs.toes)))
    # Arm: shoulder flexion turns "down the trunk line" toward forward; abduction outward.
    arm_flexed = _turn(down, fwd, limbs.shoulder)
    arm_fwd = _turn(fwd, up, limbs.shoulder)
    upper = _turn(arm_flexed, out, limbs.shoulder_abduction)
    sh = _add(shoulder, _mul(SHOULDER_HALF, out))
    elbow = _add(sh, _mul(UPPER_ARM, upper))
    hand = _add(elbow, _mul(FOREARM, _turn(upper, arm_fwd, limbs.elbow)))
    return {
        f"{side}_hip": hip,
        f"{side}_knee": knee,
        f"{side}_ankle": ankle,
        f"{side}_heel": heel,
        f"{side}_ball": ball,
        f"{side}_toe": toe,
        f"{side}_shoulder": sh,
        f"{side}_elbow": elbow,
        f"{side}_hand": hand,
    }


def joint_points(pose: Pose) -> dict[str, Vec]:
    """Every named point of the figure in metres, pelvis at the origin (x fwd, y up, z near),
    plus ``face``: a point on the head toward where the figure looks."""
    fwd0, upright, sideways = _FRAMES[pose.body]
    up0 = _turn(upright, sideways, pose.tilt)
    near = _turn(sideways, _mul(-1, upright), pose.tilt)
    low_up = _turn(up0, fwd0, pose.trunk)
    low_fwd = _turn(fwd0, _mul(-1, up0), pose.trunk)
    high_up = _turn(low_up, low_fwd, pose.spine)
    high_fwd = _turn(low_fwd, _mul(-1, low_up), pose.spine)
    pelvis: Vec = (0.0, 0.0, 0.0)
    mid_back = _mul(LOWER_TRUNK, low_up)
    shoulder = _add(mid_back, _mul(UPPER_TRUNK, high_up))
    head = _add(shoulder, _mul(NECK + HEAD_R, high_up))
    face = _add(head, _mul(HEAD_R * 0.55, high_fwd), _mul(HEAD_R * 0.2, high_up))
    points = {
        "pelvis": pelvis,
        "mid_back": mid_back,
        "shoulder": shoulder,
        "head": head,
        "face": face,
    }
    points |= _limb_points("near", pose.near, pelvis, shoulder, low_up, low_fwd, near)
    # Arms hang from the upper trunk: recompute them in its frame.
    arms_near = _limb_points("near", pose.near, pelvis, shoulder, high_up, high_fwd, near)
    far = _mul(-1, near)
    points |= _limb_points("far", pose.far, pelvis, shoulder, low_up, low_fwd, far)
    arms_far = _limb_points("far", pose.far, pelvis, shoulder, high_up, high_fwd, far)
    for side, arms in (("near", arms_near), ("far", arms_far)):
        for joint in ("shoulder", "elbow", "hand"):
            points[f"{side}_{joint}"] = arms[f"{side}_{joint}"]
    return points


def _support_height(props: tuple[Prop, ...], point: str, key: str) -> float:
    return max(
        (p.height for p in props if p.kind in SUPPORT_KINDS and p.at == point and p.pose == key),
        default=0.0,
    )


def placed_poses(poses: KeyPoses) -> list[dict[str, Vec]]:
    """World points of each key pose (y is the height above the floor): the first rests on
    the floor (or on its step, box, bench or cushion), and the anchor point stays where it is
    in every later pose."""
    keys = poses.keys()
    anchor = poses.anchor or DEFAULT_ANCHOR[keys[0].body]
    raw = [joint_points(p) for p in keys]
    first = raw[0]
    lowest = min(
        min(
            v[1] - _support_height(poses.props, name, "start")
            for name, v in first.items()
            if name not in ("head", "face")
        ),
        first["head"][1] - HEAD_R,
    )
    anchor_at = _add(first[anchor], (0.0, -lowest, 0.0))
    placed = []
    for points in raw:
        shift = _sub(anchor_at, points[anchor])
        placed.append({k: _add(v, shift) for k, v in points.items()})
    return placed


def camera_for(poses: KeyPoses) -> Camera:
    """The pose data's camera, or the default for its view and start body."""
    if poses.camera is not None:
        return poses.camera
    if poses.view == "front":
        return FRONT_CAMERA
    body, keys = poses.start.body, poses.keys()
    if body == "side_lying" and any(abs(p.tilt) >= PROPPED_TILT for p in keys):
        return PROPPED_CAMERA
    return SIDE_CAMERAS[body]


@dataclass(frozen=True)
class Projector:
    """An orthographic camera: world metres → picture metres (x right, y up) and depth
    (larger is nearer the viewer)."""

    right: Vec
    up: Vec
    toward: Vec

    @classmethod
    def of(cls, camera: Camera) -> Projector:
        t, e = math.radians(camera.turn), math.radians(camera.look_down)
        toward = (math.sin(t) * math.cos(e), math.sin(e), math.cos(t) * math.cos(e))
        right = (math.cos(t), 0.0, -math.sin(t))
        return cls(right, _cross(toward, right), toward)

    def flat(self, p: Vec) -> tuple[float, float]:
        return (_dot(p, self.right), _dot(p, self.up))

    def depth(self, p: Vec) -> float:
        return _dot(p, self.toward)


# ----- drawing -------------------------------------------------------------------------------

NEAR_COLOUR: Final = "#1f4e79"
TRUNK_COLOUR: Final = "#3c74a9"
FAR_COLOUR: Final = "#9dbcd9"
PROP_COLOUR: Final = "#c9b28f"
PROP_EDGE: Final = "#8a7454"
METAL: Final = "#5f6b75"
DARK: Final = "#333333"
BAND_COLOUR: Final = "#d9534f"
FLOOR_COLOUR: Final = "#eceff1"

Flat = tuple[float, float]


@dataclass
class _Part:
    """One drawn element in picture metres: its SVG tag, fixed attributes, its points in each
    key frame (one frame: it stays still), a line width or radius, and its depth."""

    tag: str  # polyline, polygon or circle
    style: dict[str, str]
    frames: list[list[Flat]]
    width: float = 0.0  # stroke width in metres (polyline, polygon) or radius (circle)
    depth: float = 0.0
    name: str = ""  # a class naming the body part (tests and styling read it)


def _segments() -> list[tuple[str, str, tuple[str, ...]]]:
    """The figure's capsules: (class name, width key, points)."""
    parts: list[tuple[str, str, tuple[str, ...]]] = []
    for side in ("far", "near"):
        s = side[0]
        parts += [
            (f"{s}-thigh", "thigh", (f"{side}_hip", f"{side}_knee")),
            (f"{s}-shank", "shank", (f"{side}_knee", f"{side}_ankle")),
            (f"{s}-foot", "foot", (f"{side}_heel", f"{side}_ball", f"{side}_toe")),
            (f"{s}-upper-arm", "upper_arm", (f"{side}_shoulder", f"{side}_elbow")),
            (f"{s}-forearm", "forearm", (f"{side}_elbow", f"{side}_hand")),
        ]
    return parts


def _trunk_corners(p: dict[str, Vec]) -> list[Vec]:
    """The trunk as a bent slab: shoulders, mid back and hips, each side of the midline."""
    hips = _unit(_sub(p["near_hip"], p["far_hip"]))
    shoulders = _unit(_sub(p["near_shoulder"], p["far_shoulder"]), hips)
    mid = _unit(_add(hips, shoulders), hips)
    out = []
    for point, across, k in (
        ("shoulder", shoulders, 1.0),
        ("mid_back", mid, 0.9),
        ("pelvis", hips, 1.0),
    ):
        out.append(_add(p[point], _mul(TRUNK_HALF * k, across)))
    for point, across, k in (
        ("pelvis", hips, 1.0),
        ("mid_back", mid, 0.9),
        ("shoulder", shoulders, 1.0),
    ):
        out.append(_add(p[point], _mul(-TRUNK_HALF * k, across)))
    return out


def _figure_parts(placed: list[dict[str, Vec]], cam: Projector) -> list[_Part]:
    def mean_depth(frames: list[list[Vec]]) -> float:
        values = [cam.depth(v) for frame in frames for v in frame]
        return sum(values) / len(values)

    parts: list[_Part] = []
    for name, width_key, names in _segments():
        world = [[p[n] for n in names] for p in placed]
        colour = NEAR_COLOUR if name.startswith("n") else FAR_COLOUR
        style = {
            "fill": "none",
            "stroke": colour,
            "stroke-linecap": "round",
            "stroke-linejoin": "round",
        }
        frames = [[cam.flat(v) for v in frame] for frame in world]
        parts.append(_Part("polyline", style, frames, WIDTHS[width_key], mean_depth(world), name))
    trunk_world = [_trunk_corners(p) for p in placed]
    trunk_depth = mean_depth(trunk_world)
    trunk_style = {"fill": TRUNK_COLOUR, "stroke": TRUNK_COLOUR, "stroke-linejoin": "round"}
    trunk = [[cam.flat(v) for v in frame] for frame in trunk_world]
    parts.append(_Part("polygon", trunk_style, trunk, WIDTHS["trunk"], trunk_depth, "trunk"))
    neck_world = [[p["shoulder"], p["head"]] for p in placed]
    neck_style = {"fill": "none", "stroke": TRUNK_COLOUR, "stroke-linecap": "round"}
    neck = [[cam.flat(v) for v in frame] for frame in neck_world]
    parts.append(_Part("polyline", neck_style, neck, WIDTHS["neck"], trunk_depth + 1e-3, "neck"))
    head_depth = max(mean_depth([[p["head"]] for p in placed]), trunk_depth + 2e-3)
    heads = [[cam.flat(p["head"])] for p in placed]
    parts.append(_Part("circle", {"fill": TRUNK_COLOUR}, heads, HEAD_R, head_depth, "head"))
    # An eye shows which way the figure faces, when the face is toward the viewer.
    faces = [p["face"] for p in placed]
    if all(
        cam.depth(f) > cam.depth(p["head"]) - HEAD_R * 0.2
        for f, p in zip(faces, placed, strict=True)
    ):
        eyes = [[cam.flat(f)] for f in faces]
        parts.append(_Part("circle", {"fill": "#ffffff"}, eyes, 0.022, head_depth + 1e-3, "eye"))
    return parts


def _box(lo: Vec, hi: Vec, cam: Projector, colour: str = PROP_COLOUR) -> list[_Part]:
    """The faces of a box the camera sees (not its bottom), as still polygons."""
    shades = {0: "#ad9672", 1: "#e3d3b8", 2: colour}  # sides darker, the top lighter
    parts = []
    for axis in range(3):
        a, b = [i for i in range(3) if i != axis]
        for end, sign in ((lo, -1.0), (hi, 1.0)):
            normal = tuple(sign if i == axis else 0.0 for i in range(3))
            if (axis == 1 and sign < 0) or _dot(normal, cam.toward) <= 1e-6:  # type: ignore[arg-type]
                continue
            corners = []
            for ua, ub in ((0, 0), (1, 0), (1, 1), (0, 1)):
                c = [0.0, 0.0, 0.0]
                c[axis], c[a], c[b] = end[axis], (lo, hi)[ua][a], (lo, hi)[ub][b]
                corners.append(cam.flat((c[0], c[1], c[2])))
            style = {"fill": shades[axis], "stroke": PROP_EDGE, "stroke-linejoin": "round"}
            parts.append(_Part("polygon", style, [corners], 0.008))
    return parts


def _line(points: list[Vec], width: float, colour: str, cam: Projector) -> _Part:
    style = {
        "fill": "none",
        "stroke": colour,
        "stroke-linecap": "round",
        "stroke-linejoin": "round",
    }
    return _Part("polyline", style, [[cam.flat(p) for p in points]], width)


def _ring(centre: Vec, r: float) -> list[Vec]:
    """A wheel standing upright in the figure's forward-up plane."""
    steps = [2 * math.pi * i / 16 for i in range(16)]
    return [_add(centre, (r * math.cos(a), r * math.sin(a), 0.0)) for a in steps]


def _key_index(prop: Prop, count: int) -> int:
    return {"start": 0, "middle": 1 if count == 3 else 0, "end": count - 1}[prop.pose]


def _still_props(poses: KeyPoses, placed: list[dict[str, Vec]], cam: Projector) -> list[_Part]:
    """Furniture and kit that stays put, drawn behind the figure."""
    parts: list[_Part] = []
    for prop in poses.props:
        p = placed[_key_index(prop, len(placed))][prop.at]
        x, y, z = p
        if prop.kind == "wall":
            top = max(v[1] for pts in placed for v in pts.values()) + 0.15
            face = x + (0.1 if prop.side == "front" else -0.1)
            thick = 0.06 if prop.side == "front" else -0.06
            back, front = min(face, face + thick), max(face, face + thick)
            parts += _box((back, 0.0, -0.55), (front, top, 0.55), cam)
        elif prop.kind == "chair":
            parts += _chair(p, placed[0]["pelvis"], prop.at.endswith("_hand"), cam)
        elif prop.kind in ("step", "cushion"):
            half = 0.13 if prop.kind == "cushion" else 0.2
            top = max(y, 0.03)
            parts += _box((x - half, 0.0, z - 0.22), (x + half, top, z + 0.22), cam)
        elif prop.kind in ("box", "bench"):
            along = 0.2 if prop.kind == "box" else 0.4
            # A foot stands on its sole; a hip, knee or ankle rests on its flesh.
            top = max(y if prop.at.endswith(FOOT_POINTS) else y - 0.05, 0.03)
            lo, hi = (x - along, 0.0, z - 0.2), (x + along, top, z + 0.2)
            if prop.kind == "box":
                parts += _box(lo, hi, cam)
            else:  # a padded top on legs
                parts += _box((lo[0], top - 0.06, lo[2]), (hi[0], top, hi[2]), cam)
                for lx in (lo[0] + 0.05, hi[0] - 0.05):
                    parts.append(_line([(lx, 0.0, z), (lx, top - 0.06, z)], 0.04, PROP_EDGE, cam))
        elif prop.kind == "foam_roller":
            r = max(0.075, prop.height / 2)
            ends = [(x, r, z - 0.28), (x, r, z + 0.28)]
            parts.append(_line(ends, 2 * r, "#7fa88a", cam))
        elif prop.kind == "ball" and not _held(prop):
            style = {"fill": "#e8a33d", "stroke": "#b07a25"}
            parts.append(_Part("circle", style, [[cam.flat((x, BALL_R, z))]], BALL_R))
        elif prop.kind == "bike":
            parts += _bike(p, placed, cam)
    return parts


FOOT_POINTS: Final = ("_ball", "_heel", "_toe")
BALL_R: Final = 0.11


def _held(prop: Prop) -> bool:
    """A ball at a hand is held and moves with it; elsewhere it rests on the floor."""
    return prop.kind == "ball" and prop.at.endswith("_hand")


def _chair(at: Vec, pelvis: Vec, for_the_hand: bool, cam: Projector) -> list[_Part]:
    """A chair: its seat under the point, or (for a hand) its backrest under the hand, the
    seat on the far side of the backrest from the body."""
    x, y, z = at
    if for_the_hand:
        seat, back_top = 0.45, max(y - 0.04, 0.6)
        away = 1.0 if x >= pelvis[0] else -1.0
        back_x = x
        seat_x = (x, x + away * 0.42) if away > 0 else (x - 0.42, x)
        zc = z
    else:
        seat, back_top = y - 0.06, y + 0.39
        back_x = x - 0.25
        seat_x = (x - 0.24, x + 0.18)
        zc = 0.0
    lo_x, hi_x = seat_x
    parts = _box((lo_x, seat - 0.05, zc - 0.22), (hi_x, seat, zc + 0.22), cam)
    for lx in (lo_x + 0.02, hi_x - 0.02):
        for lz in (zc - 0.2, zc + 0.2):
            parts.append(_line([(lx, 0.0, lz), (lx, seat - 0.05, lz)], 0.035, PROP_EDGE, cam))
    parts += _box((back_x - 0.02, seat, zc - 0.22), (back_x + 0.02, back_top, zc + 0.22), cam)
    return parts


def _bike(seat_at: Vec, placed: list[dict[str, Vec]], cam: Projector) -> list[_Part]:
    """A static bike: seat under the point, pedals where the feet turn, bars by the hands."""
    feet = [p[f"{s}_ball"] for p in placed for s in ("near", "far")]
    crank: Vec = (sum(f[0] for f in feet) / len(feet), sum(f[1] for f in feet) / len(feet), 0.0)
    hands = [p["near_hand"] for p in placed]
    bars: Vec = (sum(h[0] for h in hands) / len(hands), sum(h[1] for h in hands) / len(hands), 0.0)
    seat: Vec = (seat_at[0], seat_at[1] - 0.08, 0.0)
    wheel: Vec = (bars[0] + 0.05, 0.27, 0.0)
    parts = [
        _Part(
            "polygon",
            {"fill": "#d5dbe0", "stroke": METAL, "stroke-linejoin": "round"},
            [[cam.flat(v) for v in _ring(wheel, 0.24)]],
            0.03,
        ),
        _line([(seat[0] - 0.35, 0.02, 0.0), (wheel[0] + 0.3, 0.02, 0.0)], 0.05, METAL, cam),
        _line([(seat[0] - 0.05, 0.02, 0.0), seat, crank, wheel], 0.045, METAL, cam),
        _line([crank, (bars[0] - 0.05, bars[1] - 0.05, 0.0), bars], 0.045, METAL, cam),
        _line([(seat[0] - 0.1, seat[1], 0.0), (seat[0] + 0.08, seat[1], 0.0)], 0.06, DARK, cam),
        _line([(bars[0], bars[1], -0.2), (bars[0], bars[1], 0.2)], 0.035, DARK, cam),
    ]
    return parts


def _body_frame(p: dict[str, Vec]) -> tuple[Vec, Vec]:
    """The trunk's up and forward directions in one placed pose."""
    up = _unit(_sub(p["shoulder"], p["pelvis"]), (0.0, 1.0, 0.0))
    across = _unit(_sub(p["near_hip"], p["far_hip"]))
    return up, _unit(_cross(up, across), (1.0, 0.0, 0.0))


def _moving_props(
    poses: KeyPoses, placed: list[dict[str, Vec]], cam: Projector
) -> tuple[list[_Part], list[_Part]]:
    """Kit that moves with the figure: weights and packs (placed by depth among the body
    parts), and bands (drawn over everything)."""
    among: list[_Part] = []
    over: list[_Part] = []
    for prop in poses.props:
        at = [p[prop.at] for p in placed]
        if prop.kind == "band":
            if prop.to is not None:
                ends = [
                    [cam.flat(a), cam.flat(p[prop.to])] for a, p in zip(at, placed, strict=True)
                ]
            else:
                fx, fy = prop.fixed or (0.5, 0.0)
                post = _add(at[0], (fx, fy, 0.0))
                ends = [[cam.flat(a), cam.flat(post)] for a in at]
            style = {"fill": "none", "stroke": BAND_COLOUR, "stroke-linecap": "round"}
            over.append(_Part("polyline", style, ends, 0.025, name="band"))
        elif prop.kind == "weight":  # an ankle cuff, or a dumbbell in the hand
            depth = sum(cam.depth(a) for a in at) / len(at) + 0.05
            frames = [[cam.flat(a)] for a in at]
            r = 0.075 if prop.at.endswith("_hand") else 0.06
            among.append(_Part("circle", {"fill": "#4a4a4a"}, frames, r, depth, "weight"))
        elif _held(prop):  # a ball in the hands
            depth = sum(cam.depth(a) for a in at) / len(at) + 0.05
            frames = [[cam.flat(a)] for a in at]
            style = {"fill": "#e8a33d", "stroke": "#b07a25"}
            among.append(_Part("circle", style, frames, BALL_R, depth, "ball"))
        elif prop.kind == "kettlebell":  # hangs below the hand
            bells = [_add(a, (0.0, -0.13, 0.0)) for a in at]
            depth = sum(cam.depth(a) for a in at) / len(at) + 0.05
            handle = {"fill": "none", "stroke": DARK, "stroke-linecap": "round"}
            grip = [[cam.flat(a), cam.flat(b)] for a, b in zip(at, bells, strict=True)]
            among.append(_Part("polyline", handle, grip, 0.05, depth, "kettlebell"))
            frames = [[cam.flat(b)] for b in bells]
            among.append(_Part("circle", {"fill": DARK}, frames, 0.09, depth, "kettlebell"))
        elif prop.kind == "backpack":  # on the back, between the shoulder blades
            frames = []
            depths = []
            for p in placed:
                up, fwd = _body_frame(p)
                low = _add(p["mid_back"], _mul(-0.15, fwd), _mul(-0.05, up))
                high = _add(p["shoulder"], _mul(-0.15, fwd), _mul(-0.06, up))
                frames.append([cam.flat(low), cam.flat(high)])
                depths.append((cam.depth(low) + cam.depth(high)) / 2)
            style = {"fill": "none", "stroke": "#6d4c41", "stroke-linecap": "round"}
            depth = sum(depths) / len(depths)
            among.append(_Part("polyline", style, frames, 0.2, depth, "backpack"))
    return among, over


def _floor(placed: list[dict[str, Vec]], cam: Projector) -> _Part:
    """A floor mat under the figure and its kit."""
    xs = [v[0] for p in placed for v in p.values()]
    zs = [v[2] for p in placed for v in p.values()]
    x0, x1 = min(xs) - 0.3, max(xs) + 0.3
    z0, z1 = min(zs) - 0.3, max(zs) + 0.3
    corners = [(x0, 0.0, z0), (x1, 0.0, z0), (x1, 0.0, z1), (x0, 0.0, z1)]
    style = {"fill": FLOOR_COLOUR, "stroke": "#cfd8dc", "stroke-linejoin": "round"}
    return _Part("polygon", style, [[cam.flat(c) for c in corners]], 0.01)


LYING: Final = frozenset({"supine", "prone", "side_lying", "quadruped"})


def _shadow(placed: list[dict[str, Vec]], cam: Projector) -> _Part:
    """The trunk's shadow on the floor: the gap to it shows how high the hips are."""
    names = ("pelvis", "mid_back", "shoulder")
    frames = [[cam.flat((p[n][0], 0.0, p[n][2])) for n in names] for p in placed]
    style = {"fill": "none", "stroke": "#d3dae0", "stroke-linecap": "round"}
    return _Part("polyline", style, frames, 0.2, name="shadow")


class _Canvas:
    """Fits every frame of every part into the view box with one scale."""

    def __init__(self, parts: list[_Part]) -> None:
        xs: list[float] = []
        ys: list[float] = []
        for part in parts:
            pad = part.width if part.tag == "circle" else part.width / 2
            for frame in part.frames:
                for x, y in frame:
                    xs += [x - pad, x + pad]
                    ys += [y - pad, y + pad]
        left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
        span_x = max(right - left, 0.5)
        span_y = max(top - bottom, 0.5)
        self.scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
        self.offset_x = (WIDTH - (right - left) * self.scale) / 2 - left * self.scale
        self.offset_y = (HEIGHT - (top - bottom) * self.scale) / 2 + top * self.scale

    def xy(self, p: Flat) -> Flat:
        return (self.offset_x + p[0] * self.scale, self.offset_y - p[1] * self.scale)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


EASE: Final = "0.42 0 0.58 1"


def _loop_order(count: int) -> list[int]:
    """Key indexes for one smooth loop: there and back again."""
    forward = list(range(count))
    return forward + forward[-2::-1]


def _fmt_time(t: float) -> str:
    return f"{t:.4f}".rstrip("0").rstrip(".") if t else "0"


def _attributes(part: _Part, frame: list[Flat], canvas: _Canvas) -> dict[str, str]:
    pixels = [canvas.xy(p) for p in frame]
    if part.tag == "circle":
        return {"cx": _fmt(pixels[0][0]), "cy": _fmt(pixels[0][1])}
    return {"points": " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pixels)}


# What the figure's groups set once for every part inside them (a part's own value wins).
GROUP_STYLE: Final = {"fill": "none", "stroke-linecap": "round", "stroke-linejoin": "round"}


def _render(
    part: _Part,
    canvas: _Canvas,
    order: list[int] | None,
    seconds: float,
    inherited: dict[str, str] | None = None,
) -> str:
    """One part: still (``order`` None: its last frame) or animated through ``order``;
    attributes its group already sets are left out."""
    attrs = {"class": part.name} if part.name else {}
    attrs |= {k: v for k, v in part.style.items() if (inherited or {}).get(k) != v}
    size = _fmt(part.width * canvas.scale)
    attrs["r" if part.tag == "circle" else "stroke-width"] = size
    frames = [_attributes(part, f, canvas) for f in part.frames]
    moving = order is not None and len(frames) > 1 and len({str(f) for f in frames}) > 1
    attrs |= frames[0] if moving else frames[-1]
    opening = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    if not moving or order is None:
        return f"<{part.tag} {opening}/>"
    steps = len(order) - 1
    key_times = ";".join(_fmt_time(i / steps) for i in range(len(order)))
    splines = ";".join([EASE] * steps)
    animations = []
    for name in frames[0]:
        values = ";".join(frames[i][name] for i in order)
        animations.append(
            f'<animate attributeName="{name}" values="{values}" keyTimes="{key_times}" '
            f'calcMode="spline" keySplines="{splines}" dur="{_fmt(seconds)}s" '
            'repeatCount="indefinite"/>'
        )
    return f"<{part.tag} {opening}>" + "".join(animations) + f"</{part.tag}>"


# The moving figure, or (for readers who ask for reduced motion) the end pose standing still.
MOTION_STYLE: Final = (
    "<style>.kc-still{display:none}@media (prefers-reduced-motion:reduce)"
    "{.kc-move{display:none}.kc-still{display:inline}}</style>"
)


def _layers(poses: KeyPoses) -> tuple[list[_Part], list[_Part], Projector]:
    """The still floor and kit (behind), and the moving parts: the shadow, the body in
    painter's order (farthest first), then bands."""
    placed = placed_poses(poses)
    cam = Projector.of(camera_for(poses))
    still = _still_props(poses, placed, cam)
    among, over = _moving_props(poses, placed, cam)
    body = _figure_parts(placed, cam) + among
    shadow = [_shadow(placed, cam)] if poses.start.body in LYING else []
    ordered = [*shadow, *sorted(body, key=lambda part: part.depth), *over]
    return [_floor(placed, cam), *still], ordered, cam


def draw(title: str, poses: KeyPoses, description: str = "") -> str:
    """The animated SVG of an exercise: one function for every exercise."""
    still, moving, _ = _layers(poses)
    canvas = _Canvas(still + moving)
    order = _loop_order(len(moving[0].frames))
    background = "".join(_render(p, canvas, None, poses.seconds) for p in still)
    animated = "".join(_render(p, canvas, order, poses.seconds, GROUP_STYLE) for p in moving)
    end = "".join(_render(p, canvas, None, poses.seconds, GROUP_STYLE) for p in moving)
    group = " ".join(f'{k}="{v}"' for k, v in GROUP_STYLE.items())
    desc = f"<desc>{_escape(description)}</desc>" if description else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img">'
        f"<title>{_escape(title)}</title>{desc}{MOTION_STYLE}"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        f'{background}<g class="kc-move" {group}>{animated}</g>'
        f'<g class="kc-still" {group}>{end}</g></svg>'
    )
