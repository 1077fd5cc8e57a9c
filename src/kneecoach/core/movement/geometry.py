"""Angles from landmark positions, in pixel coordinates (x right, y down), in degrees.

Each function takes plain (x, y) pairs, so it can be checked against a pose drawn with known
angles. "Medial" (towards the body's middle) is found from the other hip, not from which way
the person faces: in a front view the person's left leg is on the image's right, and facing
away flips that, but the other hip is always on the medial side.
"""

from __future__ import annotations

import math

XY = tuple[float, float]


def _angle_between(u: XY, v: XY) -> float | None:
    """The unsigned angle between two vectors, 0..180°; None if either has no length."""
    if (u[0] == 0 and u[1] == 0) or (v[0] == 0 and v[1] == 0):
        return None
    cross = u[0] * v[1] - u[1] * v[0]
    dot = u[0] * v[0] + u[1] * v[1]
    return math.degrees(math.atan2(abs(cross), dot))


def knee_bend(hip: XY, knee: XY, ankle: XY) -> float | None:
    """180° minus the hip-knee-ankle angle: the angle between the thigh (hip → knee) and the
    shank (knee → ankle). 0 for a straight leg. In a side view this is knee flexion."""
    return _angle_between(
        (knee[0] - hip[0], knee[1] - hip[1]), (ankle[0] - knee[0], ankle[1] - knee[1])
    )


def fppa(hip: XY, knee: XY, ankle: XY, other_hip: XY) -> float | None:
    """The frontal plane projection angle: the thigh-shank angle, positive when the knee
    lies medial of the hip-ankle line (valgus, "knee moves in"), negative when lateral
    (varus). Medial is the side of the line the other hip is on, horizontally."""
    bend = knee_bend(hip, knee, ankle)
    medial = other_hip[0] - hip[0]
    if bend is None or medial == 0:
        return None
    line = (ankle[0] - hip[0], ankle[1] - hip[1])
    to_knee = (knee[0] - hip[0], knee[1] - hip[1])
    # which side of the hip-ankle line the knee is on, as a horizontal direction (+x or -x)
    side = -(line[0] * to_knee[1] - line[1] * to_knee[0])
    if line[1] < 0:
        side = -side
    if side == 0:
        return 0.0
    return bend if (side > 0) == (medial > 0) else -bend


def pelvis_drop(stance_hip: XY, free_hip: XY) -> float | None:
    """The tilt of the hip line from level: positive when the hip of the free (lifted or
    other) leg is lower in the image than the hip of the standing leg."""
    across = abs(free_hip[0] - stance_hip[0])
    down = free_hip[1] - stance_hip[1]
    if across == 0 and down == 0:
        return None
    return math.degrees(math.atan2(down, across))


def trunk_lean(shoulder_mid: XY, hip_mid: XY, towards_x: float) -> float | None:
    """The angle of the trunk (hip midpoint → shoulder midpoint) from vertical: positive
    when the shoulders are off to the `towards_x` direction (+1 right, -1 left in the image),
    negative the other way."""
    up = (shoulder_mid[0] - hip_mid[0], hip_mid[1] - shoulder_mid[1])
    if up == (0, 0) or towards_x == 0:
        return None
    return math.degrees(math.atan2(up[0] * math.copysign(1, towards_x), up[1]))


def knee_travel(knee: XY, heel: XY, toe: XY) -> float | None:
    """In a side view, how far the knee is ahead of the toes, in pixels (forward is the way
    the foot points, heel → toe): positive past the toes, negative behind them."""
    forward = toe[0] - heel[0]
    if forward == 0:
        return None
    return (knee[0] - toe[0]) * math.copysign(1, forward)


def midpoint(a: XY, b: XY) -> XY:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def distance(a: XY, b: XY) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])
