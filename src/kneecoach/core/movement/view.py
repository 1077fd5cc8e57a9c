"""Which way the person faces the camera: front, side, or unknown (turned part way).

Facing the camera, the shoulders and hips are wide compared with the torso's length; side-on
they are narrow, and the far shoulder and hip are often hidden. Each frame is classified on
its own, then the clip's view is the one most frames agree on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kneecoach.core.movement.geometry import XY, distance, midpoint
from kneecoach.core.movement.rules import View, ViewRule


def width_ratio(points: Mapping[str, XY | None]) -> float | None:
    """(Shoulder width + hip width) / torso length, from both shoulders and both hips."""
    ls, rs = points.get("left_shoulder"), points.get("right_shoulder")
    lh, rh = points.get("left_hip"), points.get("right_hip")
    if ls is None or rs is None or lh is None or rh is None:
        return None
    torso = distance(midpoint(ls, rs), midpoint(lh, rh))
    if torso == 0:
        return None
    return (abs(ls[0] - rs[0]) + abs(lh[0] - rh[0])) / torso


def frame_view(points: Mapping[str, XY | None] | None, rule: ViewRule) -> View:
    """One frame's view. Only one side's shoulder and hip in sight (the other hidden behind
    the body) reads as a side view."""
    if points is None:
        return "unknown"
    ratio = width_ratio(points)
    if ratio is None:
        for near, far in (("left", "right"), ("right", "left")):
            if (
                points.get(f"{near}_shoulder") is not None
                and points.get(f"{near}_hip") is not None
                and points.get(f"{far}_shoulder") is None
                and points.get(f"{far}_hip") is None
            ):
                return "side"
        return "unknown"
    if ratio >= rule.front_min_ratio:
        return "front"
    if ratio <= rule.side_max_ratio:
        return "side"
    return "unknown"


def clip_view(views: Sequence[View], rule: ViewRule) -> tuple[View, bool]:
    """The clip's view and whether the person turned: the view of at least `agree` of the
    frames that show one (else unknown); turned when each view is in at least half of the
    rest, i.e. (1 - agree) / 2 of those frames."""
    front = sum(1 for v in views if v == "front")
    side = sum(1 for v in views if v == "side")
    shown = front + side
    if shown == 0:
        return "unknown", False
    top: View = "front" if front >= side else "side"
    turned = min(front, side) / shown >= (1 - rule.agree) / 2
    return (top if max(front, side) / shown >= rule.agree else "unknown"), turned
