"""The view, repetition and identity steps on their own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.core.movement.identity import identity_jumps
from kneecoach.core.movement.reps import depth_series, find_reps
from kneecoach.core.movement.rules import IdentityRule, RepRule, ViewRule
from kneecoach.core.movement.view import clip_view, frame_view
from kneecoach.data.movement import load_movement_rules
from tests.core.movement.synthetic import clip_seconds, depth_curve, front_pose, side_pose

VIEW = ViewRule(front_min_ratio=0.6, side_max_ratio=0.3, agree=0.7)
REPS = RepRule(min_depth=0.04, min_duration_s=0.4, min_reps=3)


def test_the_rules_in_the_file_are_the_ones_tested_here() -> None:
    rules = load_movement_rules()
    assert rules.view == VIEW
    assert rules.reps == REPS


def test_front_and_side_frames() -> None:
    front = front_pose(stance="left", fppa={}, flexion_deg=40)
    assert frame_view(front, VIEW) == "front"
    assert frame_view(side_pose(flexion_deg=40), VIEW) == "side"
    hidden = dict(side_pose(flexion_deg=40)) | {"right_shoulder": None, "right_hip": None}
    assert frame_view(hidden, VIEW) == "side", "the far shoulder and hip hidden: side-on"
    turned = {  # a quarter turn: shoulders and hips narrower, not gone
        name: ((x - 540) * 0.35 + 540, y) if "shoulder" in name or "hip" in name else (x, y)
        for name, (x, y) in front.items()
    }
    assert frame_view(turned, VIEW) == "unknown"
    assert frame_view(None, VIEW) == "unknown"


def test_the_clip_view_is_what_most_frames_show() -> None:
    assert clip_view(["front"] * 95 + ["unknown"] * 5, VIEW) == ("front", False)
    assert clip_view(["front"] * 80 + ["side"] * 20, VIEW) == ("front", True)
    assert clip_view(["front"] * 55 + ["side"] * 45, VIEW) == ("unknown", True)
    assert clip_view(["unknown"] * 10, VIEW) == ("unknown", False)


def hip_heights(reps: int, fps: float, rep_s: float = 2.0, pause_s: float = 0.8) -> list[float]:
    seconds = clip_seconds(reps, rep_s, pause_s, 1.0)
    return [
        1000 + 120 * depth_curve(i / fps, reps=reps, rep_s=rep_s, pause_s=pause_s, lead_s=1.0)
        for i in range(round(seconds * fps))
    ]


@settings(max_examples=40, deadline=None)
@given(
    reps=st.integers(3, 8),
    fps=st.floats(24, 60),
    rep_s=st.floats(1.0, 3.0),
    pause_s=st.floats(0.3, 1.5),
)
def test_reps_counted_equal_the_reps_made(
    reps: int, fps: float, rep_s: float, pause_s: float
) -> None:
    heights = hip_heights(reps, fps, rep_s, pause_s)
    found = find_reps(depth_series(heights, 1500), [i / fps for i in range(len(heights))], REPS)
    assert len(found) == reps
    for n, rep in enumerate(found):
        bottom_s = 1.0 + n * (rep_s + pause_s) + rep_s / 2
        assert abs(rep.bottom / fps - bottom_s) <= 1 / fps + 1e-9
        assert rep.start < rep.bottom < rep.end


def test_a_shallow_or_quick_dip_is_not_a_rep() -> None:
    fps = 30.0
    shallow = [
        1000 + 40 * depth_curve(i / fps, reps=3, rep_s=2, pause_s=1, lead_s=1) for i in range(330)
    ]
    times = [i / fps for i in range(330)]
    assert find_reps(depth_series(shallow, 1500), times, REPS) == [], "40 px of 1500 < 4%"
    quick = [
        1000 + 120 * depth_curve(i / fps, reps=3, rep_s=0.3, pause_s=1, lead_s=1)
        for i in range(330)
    ]
    assert find_reps(depth_series(quick, 1500), times, REPS) == []


def test_a_rep_cut_by_the_clip_or_a_long_gap_is_not_counted() -> None:
    fps = 30.0
    heights: list[float | None] = list(hip_heights(3, fps))
    times = [i / fps for i in range(len(heights))]
    assert len(find_reps(depth_series(heights, 1500), times, REPS)) == 3
    cut = heights[45:]  # starts halfway down the first squat
    assert len(find_reps(depth_series(cut, 1500), times[45:], REPS)) == 2
    gap = heights[:]
    gap[50:70] = [None] * 20  # the person lost around the first bottom
    assert len(find_reps(depth_series(gap, 1500), times, REPS)) == 2


def test_a_wobble_at_the_bottom_is_one_rep() -> None:
    fps = 30.0
    heights = hip_heights(3, fps)
    times = [i / fps for i in range(len(heights))]
    wobbly = [h + (8 if i % 4 < 2 else -8) * (h > 1100) for i, h in enumerate(heights)]
    assert len(find_reps(depth_series(wobbly, 1500), times, REPS)) == 3


IDENTITY = IdentityRule(max_jump=0.2, max_scale_change=1.3)


def test_a_jump_of_the_body_centre_or_size_is_found() -> None:
    centres: list[tuple[float, float] | None] = [(500 + i, 1000) for i in range(10)]
    scales: list[float | None] = [450.0] * 10
    assert identity_jumps(centres, scales, 1500, IDENTITY) == []
    moved = [*centres[:5], *[(c[0] + 400, c[1]) for c in centres[5:] if c]]
    assert identity_jumps(moved, scales, 1500, IDENTITY) == [5]
    resized = [*scales[:7], 300.0, 300.0, 300.0]
    assert identity_jumps(centres, resized, 1500, IDENTITY) == [7]
    gaps = [*centres[:3], None, None, *centres[5:]]
    assert identity_jumps(gaps, scales, 1500, IDENTITY) == [], "frames without a person skipped"


def test_the_trackers_first_moments_are_not_checked() -> None:
    """While the tracker locks on it shrinks the body a lot from frame to frame."""
    settling = IdentityRule(max_jump=0.2, max_scale_change=1.3, settle_s=0.5)
    centres: list[tuple[float, float] | None] = [None, None, *[(500.0, 1000.0)] * 30]
    scales: list[float | None] = [None, None, 224, 160, 125, *[125.0] * 25, 60, 60]
    times = [i / 30 for i in range(32)]
    assert identity_jumps(centres, scales, 400, settling, times) == [30]
    assert identity_jumps(centres, scales, 400, IDENTITY, times) == [3, 30], "no settling"
