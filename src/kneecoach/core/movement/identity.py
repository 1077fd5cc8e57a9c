"""The same person throughout: the pose tracker can jump to someone else without saying so.

Between two frames in a row with a person, the body's centre (the hip midpoint) moves a
small part of body height and the torso keeps its length. A bigger jump, or a sudden change
of size, means the tracker now follows someone else.
"""

from __future__ import annotations

from collections.abc import Sequence

from kneecoach.core.movement.geometry import XY, distance
from kneecoach.core.movement.rules import IdentityRule


def identity_jumps(
    centres: Sequence[XY | None],
    scales: Sequence[float | None],
    body_height: float,
    rule: IdentityRule,
    times: Sequence[float] | None = None,
) -> list[int]:
    """The indexes of frames where the tracked body jumped from the last frame that had one:
    its centre moved more than `max_jump` of body height, or its scale (torso length)
    changed by more than `max_scale_change` times. With `times`, nothing in the first
    `settle_s` seconds after the body is first found counts (the tracker's first frames
    wobble in size and place while it locks on)."""
    jumps: list[int] = []
    last: int | None = None
    first_s: float | None = None
    for i, centre in enumerate(centres):
        if centre is None:
            continue
        if times is not None and first_s is None:
            first_s = times[i]
        settling = times is not None and first_s is not None and times[i] - first_s < rule.settle_s
        if last is not None and not settling:
            before = centres[last]
            assert before is not None
            moved = distance(before, centre) > rule.max_jump * body_height
            a, b = scales[last], scales[i]
            resized = bool(a and b) and max(a, b) / min(a, b) > rule.max_scale_change  # type: ignore[type-var,operator]
            if moved or resized:
                jumps.append(i)
        last = i
    return jumps
