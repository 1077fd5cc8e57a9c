"""The movement check's input: body landmarks per video frame, as the pose model found them.

The video adapter fills these; the core reads nothing else. Coordinates are pixels of the
frame (x to the right, y down), so angles come out right whatever the frame's shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LANDMARKS = (
    "nose",
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
"""The landmarks the movement check uses, named as the person's own left and right."""


@dataclass(frozen=True)
class Point:
    """One landmark: pixel coordinates (x right, y down) and the model's visibility 0..1."""

    x: float
    y: float
    visibility: float


@dataclass(frozen=True)
class Frame:
    """One video frame. `points` is None when the model found no person in it."""

    index: int
    time_s: float
    points: Mapping[str, Point] | None


@dataclass(frozen=True)
class Track:
    """A whole clip: the frame size in pixels, frames per second, and every frame in order."""

    width: int
    height: int
    fps: float
    frames: tuple[Frame, ...]
