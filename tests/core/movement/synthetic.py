"""Synthetic landmark tracks with known angles: the one place the movement tests build poses.

A pose is drawn from a few body proportions (a share of body height `H`, nose to heel) and
the angles wanted: the knee's frontal plane projection angle (FPPA: valgus positive) in a
front view, knee flexion in a side view, and the pelvis drop. A clip is a sequence of poses
following a known depth curve: `reps` squats, each a smooth descent and rise, with pauses.
On top come the faults a real clip has: pixel noise, frames with no person, landmarks with low
visibility, and a jump to another person.

Image coordinates: x right, y down. In a front view the person faces the camera, so their
left leg is on the image's right.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from kneecoach.core.movement.track import LANDMARKS, Frame, Point, Track

Side = Literal["left", "right"]
XY = tuple[float, float]

SHANK = 0.25  # knee to ankle, share of H
THIGH = 0.25  # hip to knee
TORSO = 0.30  # hip midpoint to shoulder midpoint
HEAD = 0.12  # shoulder midpoint to nose
ANKLE = 0.04  # ankle above the floor (heel)
HIP_HALF = 0.07  # half the distance between the hips, facing the camera
SHOULDER_HALF = 0.11
FOOT = 0.13  # heel to toe


def other(side: Side) -> Side:
    return "right" if side == "left" else "left"


def _lateral(side: Side) -> float:
    """The image x direction away from the body's middle for a leg, facing the camera."""
    return 1.0 if side == "left" else -1.0


def front_leg(hip: XY, side: Side, fppa_deg: float, flexion_deg: float, h: float) -> dict[str, XY]:
    """One leg seen from the front with a known FPPA: the thigh leans `fppa/2` towards the
    middle and the shank `fppa/2` back out, so the angle between them is exactly `fppa_deg`
    (knee medial of the hip-ankle line when positive). Flexion shortens both segments as the
    camera sees them (they tilt towards it)."""
    medial = -_lateral(side)
    half = math.radians(fppa_deg) / 2
    shorten = math.cos(math.radians(flexion_deg) / 2)
    thigh, shank = THIGH * h * shorten, SHANK * h * shorten
    knee = (hip[0] + medial * thigh * math.sin(half), hip[1] + thigh * math.cos(half))
    ankle = (knee[0] - medial * shank * math.sin(half), knee[1] + shank * math.cos(half))
    floor = ankle[1] + ANKLE * h
    return {
        f"{side}_knee": knee,
        f"{side}_ankle": ankle,
        f"{side}_heel": (ankle[0], floor),
        f"{side}_foot_index": (ankle[0] + _lateral(side) * 0.02 * h, floor + 0.01 * h),
    }


def front_pose(
    *,
    stance: Side,
    fppa: Mapping[Side, float],
    flexion_deg: float,
    pelvis_drop_deg: float = 0.0,
    single_leg: bool = True,
    h: float = 1500.0,
    centre: XY = (540.0, 0.0),
) -> dict[str, XY]:
    """A whole body from the front, standing on `stance` (both legs for a double-leg squat).
    The standing hip (or the hip midpoint, on two legs) is at x = `centre[0]`, the floor at
    y = `centre[1] + h`. The free hip sits lower than the stance hip by `pelvis_drop_deg`."""
    floor = centre[1] + h
    hip_height = (THIGH + SHANK) * h * math.cos(math.radians(flexion_deg) / 2) + ANKLE * h
    mid_x = centre[0] - _lateral(stance) * HIP_HALF * h if single_leg else centre[0]
    mid_y = floor - hip_height
    drop = math.tan(math.radians(pelvis_drop_deg)) * HIP_HALF * h
    hips = {
        stance: (mid_x + _lateral(stance) * HIP_HALF * h, mid_y - drop),
        other(stance): (mid_x + _lateral(other(stance)) * HIP_HALF * h, mid_y + drop),
    }
    points: dict[str, XY] = {f"{s}_hip": hips[s] for s in ("left", "right")}
    shoulder_y = mid_y - TORSO * h
    for s in ("left", "right"):
        points[f"{s}_shoulder"] = (mid_x + _lateral(s) * SHOULDER_HALF * h, shoulder_y)
    points["nose"] = (mid_x, shoulder_y - HEAD * h)
    legs: tuple[Side, ...] = (stance,) if single_leg else ("left", "right")
    for s in legs:
        points.update(front_leg(hips[s], s, fppa.get(s, 0.0), flexion_deg, h))
    if single_leg:  # the free leg, lifted in front with the knee bent
        free = other(stance)
        hip = hips[free]
        knee = (hip[0], hip[1] + 0.15 * h)
        ankle = (hip[0], knee[1] + 0.12 * h)
        points[f"{free}_knee"] = knee
        points[f"{free}_ankle"] = ankle
        points[f"{free}_heel"] = (ankle[0], ankle[1] + ANKLE * h)
        points[f"{free}_foot_index"] = (ankle[0], ankle[1] + 0.06 * h)
    return points


def side_pose(
    *,
    flexion_deg: float,
    facing: float = 1.0,
    trunk_deg: float = 20.0,
    h: float = 1500.0,
    centre: XY = (540.0, 0.0),
) -> dict[str, XY]:
    """A double-leg squat seen from the side (the person faces +x when `facing` is 1): the
    shank leans forward and the thigh back by half the flexion each, so the thigh-shank angle
    is exactly `flexion_deg`. Both legs overlap (the far one a few pixels behind)."""
    floor = centre[1] + h
    half = math.radians(flexion_deg) / 2
    points: dict[str, XY] = {}
    for s, shift in (("left", 0.0), ("right", 0.01 * h)):
        ankle = (centre[0] + shift * facing, floor - ANKLE * h)
        knee = (
            ankle[0] + facing * SHANK * h * math.sin(half),
            ankle[1] - SHANK * h * math.cos(half),
        )
        hip = (knee[0] - facing * THIGH * h * math.sin(half), knee[1] - THIGH * h * math.cos(half))
        lean = math.radians(trunk_deg * flexion_deg / 90)
        shoulder = (
            hip[0] + facing * TORSO * h * math.sin(lean),
            hip[1] - TORSO * h * math.cos(lean),
        )
        points.update(
            {
                f"{s}_ankle": ankle,
                f"{s}_knee": knee,
                f"{s}_hip": hip,
                f"{s}_shoulder": shoulder,
                f"{s}_heel": (ankle[0] - facing * 0.03 * h, floor),
                f"{s}_foot_index": (ankle[0] + facing * FOOT * h, floor),
            }
        )
    shoulder = points["left_shoulder"]
    points["nose"] = (shoulder[0] + facing * 0.05 * h, shoulder[1] - HEAD * h)
    return points


def depth_curve(t: float, *, reps: int, rep_s: float, pause_s: float, lead_s: float) -> float:
    """0 standing .. 1 at the bottom: `lead_s` standing, then `reps` smooth squats of
    `rep_s` each with `pause_s` standing between and after them."""
    u = t - lead_s
    if u < 0:
        return 0.0
    cycle = rep_s + pause_s
    n, within = divmod(u, cycle)
    if n >= reps or within >= rep_s:
        return 0.0
    return (1 - math.cos(2 * math.pi * within / rep_s)) / 2


def clip_seconds(reps: int, rep_s: float, pause_s: float, lead_s: float) -> float:
    return lead_s + reps * (rep_s + pause_s) + lead_s


@dataclass(frozen=True)
class Clip:
    """A clip to generate; the defaults are a clean single-leg squat on the left, from the
    front, 3 squats with the knee moving in 10° at the bottom."""

    view: Literal["front", "side"] = "front"
    stance: Side = "left"
    single_leg: bool = True
    reps: int = 3
    fps: float = 30.0
    fppa: Mapping[Side, float] = field(default_factory=lambda: {"left": 10.0, "right": 10.0})
    flexion_deg: float = 60.0  # at the bottom
    pelvis_drop_deg: float = 0.0  # at the bottom
    rep_s: float = 2.0
    pause_s: float = 1.0
    lead_s: float = 1.0
    h: float = 1500.0
    centre: XY = (540.0, 150.0)
    noise_px: float = 0.0
    seed: int = 1
    no_person: frozenset[int] = frozenset()  # frame numbers with no person found
    hidden: Mapping[str, frozenset[int]] = field(default_factory=dict)  # landmark -> frames
    jump_at_s: float | None = None  # from here on, another (smaller, shifted) person
    width: int = 1080
    height: int = 1920

    def pose(self, depth: float) -> dict[str, XY]:
        if self.view == "side":
            return side_pose(flexion_deg=self.flexion_deg * depth, h=self.h, centre=self.centre)
        return front_pose(
            stance=self.stance,
            fppa={s: v * depth for s, v in self.fppa.items()},
            flexion_deg=self.flexion_deg * depth,
            pelvis_drop_deg=self.pelvis_drop_deg * depth,
            single_leg=self.single_leg,
            h=self.h,
            centre=self.centre,
        )


def track(clip: Clip) -> Track:
    """The clip as the video adapter would give it."""
    rng = random.Random(clip.seed)
    seconds = clip_seconds(clip.reps, clip.rep_s, clip.pause_s, clip.lead_s)
    frames = []
    for i in range(round(seconds * clip.fps)):
        t = i / clip.fps
        if i in clip.no_person:
            frames.append(Frame(i, t, None))
            continue
        depth = depth_curve(
            t, reps=clip.reps, rep_s=clip.rep_s, pause_s=clip.pause_s, lead_s=clip.lead_s
        )
        h, centre = clip.h, clip.centre
        if clip.jump_at_s is not None and t >= clip.jump_at_s:
            h, centre = clip.h * 0.7, (clip.centre[0] - 0.3 * clip.h, clip.centre[1] + 0.3 * clip.h)
        pose = Clip.pose(_scaled(clip, h, centre), depth)
        points = {}
        for name in LANDMARKS:
            x, y = pose[name]
            visible = 0.1 if i in clip.hidden.get(name, frozenset()) else 0.95
            if clip.noise_px:
                x += rng.gauss(0, clip.noise_px)
                y += rng.gauss(0, clip.noise_px)
            points[name] = Point(x, y, visible)
        frames.append(Frame(i, t, points))
    return Track(clip.width, clip.height, clip.fps, tuple(frames))


def _scaled(clip: Clip, h: float, centre: XY) -> Clip:
    from dataclasses import replace

    return replace(clip, h=h, centre=centre)


def still(points: Mapping[str, XY], frames: int = 60, fps: float = 30.0) -> Track:
    """One pose held still for `frames` frames."""
    return Track(
        1080,
        1920,
        fps,
        tuple(
            Frame(i, i / fps, {name: Point(*points[name], 0.95) for name in LANDMARKS})
            for i in range(frames)
        ),
    )


def mirrored(original: Track) -> Track:
    """The clip flipped left to right, as a selfie camera shows it: x mirrored and each
    landmark's left and right swapped (the person's left leg is now where the right was)."""

    def swap(name: str) -> str:
        if name.startswith("left_"):
            return "right_" + name.removeprefix("left_")
        if name.startswith("right_"):
            return "left_" + name.removeprefix("right_")
        return name

    frames = []
    for frame in original.frames:
        if frame.points is None:
            frames.append(frame)
            continue
        points = {
            swap(n): Point(original.width - p.x, p.y, p.visibility) for n, p in frame.points.items()
        }
        frames.append(Frame(frame.index, frame.time_s, points))
    return Track(original.width, original.height, original.fps, tuple(frames))
