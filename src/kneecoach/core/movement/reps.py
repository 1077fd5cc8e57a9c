"""Repetitions: each descent, bottom and rise of the hips.

The hip height is turned into depth (how far below standing, as a share of body height).
A repetition starts where the hips begin to go down, has its bottom at the deepest point and
ends where they are back up; it counts when it is deep enough and lasts long enough.
Thresholds with hysteresis (down past half the minimum depth, back up past a quarter of it)
keep a wobble at the bottom from counting twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kneecoach.core.movement.rules import RepRule
from kneecoach.core.movement.signal import runs


@dataclass(frozen=True)
class Rep:
    """Positions in the frame list: where the descent starts, the bottom, where it ends."""

    start: int
    bottom: int
    end: int


def standing_level(hip_y: Sequence[float | None]) -> float | None:
    """The hips' standing height: near the top (smallest y) of what the clip shows, the 5th
    percentile so one stray frame does not set it."""
    present = sorted(v for v in hip_y if v is not None)
    if not present:
        return None
    return present[int(0.05 * (len(present) - 1))]


def depth_series(hip_y: Sequence[float | None], body_height: float) -> list[float | None]:
    """How far the hips are below standing, as a share of body height (0 standing)."""
    top = standing_level(hip_y)
    if top is None or body_height <= 0:
        return [None] * len(hip_y)
    return [None if v is None else (v - top) / body_height for v in hip_y]


def find_reps(depth: Sequence[float | None], times: Sequence[float], rule: RepRule) -> list[Rep]:
    """The repetitions in a depth series (see the module). A movement cut off by the start
    or end of the clip, or by a long gap, is not counted."""
    down, up = rule.min_depth / 2, rule.min_depth / 4
    found: list[Rep] = []
    for first, stop in runs(depth):
        values: list[float] = [v for v in depth[first:stop] if v is not None]
        entered: int | None = None
        for k, value in enumerate(values):
            if entered is None:
                if value >= down:
                    entered = k
                continue
            if value >= up:
                continue
            rep = _rep(values, entered, k, first)
            entered = None
            if rep is None:
                continue
            deep = values[rep.bottom - first] >= rule.min_depth
            if deep and times[rep.end] - times[rep.start] >= rule.min_duration_s:
                found.append(rep)
    return found


def _rep(values: Sequence[float], entered: int, left: int, offset: int) -> Rep | None:
    """The repetition around a stretch below the `down` line, from `entered` to `left`."""
    if entered == 0:
        return None  # already going down when the clip (or the stretch) began
    bottom = max(range(entered, left), key=lambda k: values[k])
    start = entered
    while start > 0 and values[start - 1] < values[start]:
        start -= 1
    end = left
    while end < len(values) - 1 and values[end + 1] < values[end]:
        end += 1
    return Rep(start + offset, bottom + offset, end + offset)
