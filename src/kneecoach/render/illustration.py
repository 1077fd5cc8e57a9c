"""Key poses (`core/poses.py`, an angle table like Sports2D's) → one animated stick-figure SVG.

Every exercise is drawn by the same code: a pose is a row of joint angles plus a body
position, never drawing code. Forward kinematics runs in 3-D from the pelvis (so side
steps and clamshells show), a fixed oblique camera flattens it, and the figure is placed on
a ground line. The SVG loops smoothly start → (middle) → end → back with SMIL `<animate>` on
coordinates, has a `<title>` for screen readers, and needs no external resources.
The angle conventions are written down in `core/poses.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

from kneecoach.core.poses import KeyPoses, Limbs, Pose, Prop, Side, View

SUPPORTS: Final = frozenset({"step", "box", "cushion", "foam_roller"})

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
DEPTH: Final = (0.35, 0.22)  # how a metre toward the viewer shows on screen (oblique camera)

WIDTH: Final = 320
HEIGHT: Final = 240
MARGIN: Final = 14.0
LIMB_WIDTH: Final = 0.075  # metres, scaled with the figure


DEFAULT_ANCHOR: Final[dict[str, str]] = {
    "standing": "near_ball",
    "sitting": "pelvis",
    "kneeling": "near_knee",
    "quadruped": "near_knee",
    "supine": "shoulder",
    "prone": "shoulder",
    "side_lying": "shoulder",
}

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
    """Every named point of the figure in metres, pelvis at the origin (x fwd, y up, z near)."""
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
    points = {"pelvis": pelvis, "mid_back": mid_back, "shoulder": shoulder, "head": head}
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


def _seen_from(view: View, p: Vec) -> Vec:
    """Turn the world so the camera sees the figure's side (default) or its front."""
    return p if view == "side" else (p[2], p[1], -p[0])


def _flatten(p: Vec) -> tuple[float, float]:
    """The oblique camera: depth shows as a small shift right and up."""
    return (p[0] + DEPTH[0] * p[2], p[1] + DEPTH[1] * p[2])


def _support_height(props: tuple[Prop, ...], point: str, key: str) -> float:
    return max(
        (p.height for p in props if p.kind in SUPPORTS and p.at == point and p.pose == key),
        default=0.0,
    )


def placed_poses(poses: KeyPoses) -> list[dict[str, Vec]]:
    """World points of each key pose: the first rests on the floor (or on its step, box or
    cushion), and the anchor point stays where it is in every later pose."""
    keys = poses.keys()
    anchor = poses.anchor or DEFAULT_ANCHOR[keys[0].body]
    raw = [{k: _seen_from(poses.view, v) for k, v in joint_points(p).items()} for p in keys]
    first = raw[0]
    lowest = min(
        min(
            v[1] - _support_height(poses.props, name, "start")
            for name, v in first.items()
            if name != "head"
        ),
        first["head"][1] - HEAD_R,
    )
    lift = -lowest
    anchor_at = _add(first[anchor], (0.0, lift, 0.0))
    placed = []
    for points in raw:
        shift = _add(anchor_at, _mul(-1, points[anchor]))
        placed.append({k: _add(v, shift) for k, v in points.items()})
    return placed


@dataclass(frozen=True)
class _Shape:
    """One drawn element: its SVG tag, fixed attributes, and its coordinates in each key."""

    tag: str
    style: dict[str, str]
    frames: list[dict[str, str]] = field(default_factory=list)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


class _Canvas:
    """Fits every key pose into the view box with one scale, so all frames stay inside."""

    def __init__(self, placed: list[dict[str, Vec]], extra: list[tuple[float, float]]) -> None:
        xs: list[float] = [x for x, _ in extra]
        ys: list[float] = [y for _, y in extra]
        for points in placed:
            for name, p in points.items():
                x, y = _flatten(p)
                pad = HEAD_R if name == "head" else LIMB_WIDTH / 2
                xs += [x - pad, x + pad]
                ys += [y - pad, y + pad]
        ys.append(-0.02)  # the ground line
        self.left, self.right = min(xs), max(xs)
        self.bottom, self.top = min(ys), max(ys)
        span_x = max(self.right - self.left, 0.5)
        span_y = max(self.top - self.bottom, 0.5)
        self.scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
        used_x = (self.right - self.left) * self.scale
        used_y = (self.top - self.bottom) * self.scale
        self.offset_x = (WIDTH - used_x) / 2 - self.left * self.scale
        self.offset_y = (HEIGHT - used_y) / 2 + self.top * self.scale

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return (self.offset_x + x * self.scale, self.offset_y - y * self.scale)

    def point(self, p: Vec) -> tuple[float, float]:
        return self.xy(*_flatten(p))

    def metres(self, m: float) -> float:
        return m * self.scale


NEAR_COLOUR: Final = "#1f4e79"
FAR_COLOUR: Final = "#8fb3d1"
PROP_COLOUR: Final = "#b8a48a"
BAND_COLOUR: Final = "#d9534f"


def _polyline(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)


def _limb_shapes(side: Side, colour: str) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (colour, (f"{side}_shoulder", f"{side}_elbow", f"{side}_hand")),
        (colour, (f"{side}_hip", f"{side}_knee", f"{side}_ankle")),
        (colour, (f"{side}_heel", f"{side}_ball", f"{side}_toe")),
    ]


def _figure_shapes(placed: list[dict[str, Vec]], canvas: _Canvas) -> list[_Shape]:
    width = _fmt(canvas.metres(LIMB_WIDTH))
    lines = [
        *_limb_shapes("far", FAR_COLOUR),
        (NEAR_COLOUR, ("pelvis", "mid_back", "shoulder")),
        (NEAR_COLOUR, ("far_shoulder", "near_shoulder")),
        (NEAR_COLOUR, ("far_hip", "near_hip")),
        *_limb_shapes("near", NEAR_COLOUR),
    ]
    shapes = []
    for colour, names in lines:
        style = {
            "fill": "none",
            "stroke": colour,
            "stroke-width": width,
            "stroke-linecap": "round",
            "stroke-linejoin": "round",
        }
        frames = [{"points": _polyline([canvas.point(p[n]) for n in names])} for p in placed]
        shapes.append(_Shape("polyline", style, frames))
    head_frames = []
    for p in placed:
        cx, cy = canvas.point(p["head"])
        head_frames.append({"cx": _fmt(cx), "cy": _fmt(cy)})
    head_style = {"r": _fmt(canvas.metres(HEAD_R)), "fill": NEAR_COLOUR}
    shapes.append(_Shape("circle", head_style, head_frames))
    return shapes


def _prop_reach(poses: KeyPoses, placed: list[dict[str, Vec]]) -> list[tuple[float, float]]:
    """Screen-plane extents (metres) of the props, so the view box fits them too."""
    out: list[tuple[float, float]] = []
    index = {"start": 0, "middle": 1 if len(placed) == 3 else 0, "end": len(placed) - 1}
    for prop in poses.props:
        x, y = _flatten(placed[index[prop.pose]][prop.at])
        if prop.kind == "wall":
            top = max(_flatten(p)[1] for pts in placed for p in pts.values()) + 0.15
            out += [(x - 0.12, 0.0), (x + 0.12, top)]
        elif prop.kind == "chair":
            out += [(x - 0.24, 0.0), (x + 0.2, y), (x - 0.24, y + 0.42)]
        elif prop.kind in ("step", "box", "cushion"):
            out += [(x - 0.2, 0.0), (x + 0.2, max(y, 0.0))]
        elif prop.kind in ("foam_roller", "ball"):
            out += [(x - 0.12, 0.0), (x + 0.12, 0.24)]
        elif prop.kind == "band" and prop.fixed is not None:
            first = _flatten(placed[0][prop.at])
            out.append((first[0] + prop.fixed[0], first[1] + prop.fixed[1]))
    return out


def _prop_shapes(poses: KeyPoses, placed: list[dict[str, Vec]], canvas: _Canvas) -> list[_Shape]:
    """Props behind the figure (furniture) and in front of it (bands, weights)."""
    shapes: list[_Shape] = []
    index = {"start": 0, "middle": 1 if len(placed) == 3 else 0, "end": len(placed) - 1}
    solid = {"fill": PROP_COLOUR, "stroke": "#8a7760", "stroke-width": "1.5"}
    for prop in poses.props:
        p = placed[index[prop.pose]][prop.at]
        x, y = _flatten(p)
        if prop.kind == "wall":
            wall_x, _ = canvas.xy(x + (0.1 if prop.side == "front" else -0.1), 0.0)
            _, ground = canvas.xy(0.0, 0.0)
            shapes.append(_rect(wall_x - 4, 0.0, 8, ground, solid))
        elif prop.kind == "chair":
            # The seat is under the point; the backrest stands behind the sitter.
            seat_left, seat_top = canvas.xy(x - 0.22, y - 0.04)
            seat_right, ground = canvas.xy(x + 0.18, 0.0)
            shapes.append(_rect(seat_left, seat_top, seat_right - seat_left, 6, solid))
            for leg_x in (seat_left, seat_right - 4):
                shapes.append(_rect(leg_x, seat_top, 4, ground - seat_top, solid))
            _, rest_top = canvas.xy(0.0, y + 0.4)
            shapes.append(_rect(seat_left, rest_top, 4, seat_top - rest_top, solid))
        elif prop.kind in ("step", "box", "cushion"):
            half = 0.12 if prop.kind == "cushion" else 0.18
            # A box sits under the hips; a step or cushion under the foot on it.
            surface = y - 0.05 if prop.kind == "box" else y
            left, top = canvas.xy(x - half, max(surface, 0.03))
            right, bottom = canvas.xy(x + half, 0.0)
            style = dict(solid, rx="6") if prop.kind == "cushion" else solid
            shapes.append(_rect(left, top, right - left, max(bottom - top, 2.0), style))
        elif prop.kind in ("foam_roller", "ball"):
            r = 0.075 if prop.kind == "foam_roller" else 0.11
            cx, cy = canvas.xy(x, r)
            shapes.append(
                _Shape("circle", dict(solid, r=_fmt(canvas.metres(r)), cx=_fmt(cx), cy=_fmt(cy)))
            )
    return shapes


def _moving_prop_shapes(
    poses: KeyPoses, placed: list[dict[str, Vec]], canvas: _Canvas
) -> list[_Shape]:
    shapes: list[_Shape] = []
    for prop in poses.props:
        if prop.kind == "band":
            if prop.to is not None:
                ends = [(canvas.point(p[prop.at]), canvas.point(p[prop.to])) for p in placed]
            else:
                fx, fy = prop.fixed or (0.5, 0.0)
                sx, sy = _flatten(placed[0][prop.at])
                post = canvas.xy(sx + fx, sy + fy)
                ends = [(canvas.point(p[prop.at]), post) for p in placed]
            style = {
                "fill": "none",
                "stroke": BAND_COLOUR,
                "stroke-width": _fmt(max(canvas.metres(0.02), 1.5)),
                "stroke-linecap": "round",
            }
            frames = [{"points": _polyline([a, b])} for a, b in ends]
            shapes.append(_Shape("polyline", style, frames))
        elif prop.kind == "weight":
            frames = []
            for p in placed:
                cx, cy = canvas.point(p[prop.at])
                frames.append({"cx": _fmt(cx), "cy": _fmt(cy)})
            style = {"r": _fmt(canvas.metres(0.05)), "fill": "#555555"}
            shapes.append(_Shape("circle", style, frames))
    return shapes


def _rect(x: float, y: float, w: float, h: float, style: dict[str, str]) -> _Shape:
    attrs = dict(style, x=_fmt(x), y=_fmt(y), width=_fmt(max(w, 0.0)), height=_fmt(max(h, 0.0)))
    return _Shape("rect", attrs)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


EASE: Final = "0.42 0 0.58 1"


def _loop_order(count: int) -> list[int]:
    """Key indexes for one smooth loop: there and back again."""
    forward = list(range(count))
    return forward + forward[-2::-1]


def _render(shape: _Shape, order: list[int], seconds: float) -> str:
    attrs = dict(shape.style)
    if shape.frames:
        attrs |= shape.frames[0]
    opening = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    if not shape.frames:
        return f"<{shape.tag} {opening}/>"
    steps = len(order) - 1
    key_times = ";".join(_fmt_time(i / steps) for i in range(len(order)))
    splines = ";".join([EASE] * steps)
    animations = []
    for name in shape.frames[0]:
        values = ";".join(shape.frames[i][name] for i in order)
        animations.append(
            f'<animate attributeName="{name}" values="{values}" keyTimes="{key_times}" '
            f'calcMode="spline" keySplines="{splines}" dur="{_fmt(seconds)}s" '
            'repeatCount="indefinite"/>'
        )
    return f"<{shape.tag} {opening}>" + "".join(animations) + f"</{shape.tag}>"


def _fmt_time(t: float) -> str:
    return f"{t:.4f}".rstrip("0").rstrip(".") if t else "0"


def draw(title: str, poses: KeyPoses, description: str = "") -> str:
    """The animated SVG of an exercise: one function for every exercise."""
    placed = placed_poses(poses)
    canvas = _Canvas(placed, _prop_reach(poses, placed))
    order = _loop_order(len(placed))
    _, gy = canvas.xy(0.0, 0.0)
    ground = (
        f'<line x1="0" y1="{_fmt(gy)}" x2="{WIDTH}" y2="{_fmt(gy)}" '
        'stroke="#9e9e9e" stroke-width="2"/>'
    )
    shapes = (
        _prop_shapes(poses, placed, canvas)
        + _figure_shapes(placed, canvas)
        + _moving_prop_shapes(poses, placed, canvas)
    )
    body = "".join(_render(s, order, poses.seconds) for s in shapes)
    desc = f"<desc>{_escape(description)}</desc>" if description else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img">'
        f"<title>{_escape(title)}</title>{desc}"
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        f"{ground}{body}</svg>"
    )
