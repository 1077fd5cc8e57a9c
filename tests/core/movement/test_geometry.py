"""Angles in pixel coordinates against poses drawn with known angles."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.movement.geometry import fppa, knee_bend, knee_travel, pelvis_drop, trunk_lean
from tests.core.movement.synthetic import front_pose, side_pose

angles = st.floats(-30, 30, allow_nan=False)
scales = st.floats(200, 4000)
shifts = st.floats(-3000, 3000)


def leg(points: dict[str, tuple[float, float]], side: str) -> float | None:
    other = "right" if side == "left" else "left"
    return fppa(
        points[f"{side}_hip"],
        points[f"{side}_knee"],
        points[f"{side}_ankle"],
        points[f"{other}_hip"],
    )


@given(angle=angles, h=scales, dx=shifts, dy=shifts, flexion=st.floats(0, 90))
def test_fppa_is_the_construction_angle_at_any_size_and_place(
    angle: float, h: float, dx: float, dy: float, flexion: float
) -> None:
    for stance in ("left", "right"):
        pose = front_pose(
            stance=stance, fppa={stance: angle}, flexion_deg=flexion, h=h, centre=(dx, dy)
        )
        measured = leg(pose, stance)
        assert measured is not None and abs(measured - angle) < 0.5


@given(angle=angles, h=scales, dx=shifts)
def test_fppa_is_mirror_symmetric_left_and_right(angle: float, h: float, dx: float) -> None:
    """A double-leg pose mirrored about a vertical line gives each knee the other's angle:
    the sign follows the body (medial), not the image."""
    pose = front_pose(
        stance="left", fppa={"left": angle, "right": -angle / 2}, flexion_deg=40,
        single_leg=False, h=h, centre=(dx, 0.0),
    )  # fmt: skip
    mirrored = {
        name.replace("left", "RIGHT").replace("right", "left").replace("RIGHT", "right"): (
            -x,
            y,
        )
        for name, (x, y) in pose.items()
    }
    assert leg(mirrored, "right") == pytest.approx(leg(pose, "left"), abs=1e-9)
    assert leg(mirrored, "left") == pytest.approx(leg(pose, "right"), abs=1e-9)


def test_valgus_is_positive_facing_the_camera_or_away_from_it() -> None:
    """Facing the camera the left leg is on the image's right, so the knee moving in moves
    to smaller x; facing away, to larger x. Both are valgus."""
    facing = fppa(hip=(600, 1000), knee=(580, 1300), ankle=(600, 1600), other_hip=(400, 1000))
    away = fppa(hip=(400, 1000), knee=(420, 1300), ankle=(400, 1600), other_hip=(600, 1000))
    assert facing is not None and facing > 0
    assert away == pytest.approx(facing)
    varus = fppa(hip=(600, 1000), knee=(620, 1300), ankle=(600, 1600), other_hip=(400, 1000))
    assert varus == pytest.approx(-facing)
    straight = fppa(hip=(600, 1000), knee=(600, 1300), ankle=(600, 1600), other_hip=(400, 1000))
    assert straight == 0.0


def test_no_angle_from_points_on_top_of_each_other() -> None:
    assert knee_bend((1, 1), (1, 1), (1, 5)) is None
    assert fppa((1, 1), (1, 3), (1, 5), (1, 1)) is None, "no other hip to tell medial"
    assert pelvis_drop((3, 3), (3, 3)) is None


@given(flexion=st.floats(0, 120), h=scales, dx=shifts, facing=st.sampled_from([1.0, -1.0]))
def test_knee_flexion_in_a_side_view_is_the_construction_angle(
    flexion: float, h: float, dx: float, facing: float
) -> None:
    pose = side_pose(flexion_deg=flexion, facing=facing, h=h, centre=(dx, 0.0))
    bend = knee_bend(pose["left_hip"], pose["left_knee"], pose["left_ankle"])
    assert bend is not None and abs(bend - flexion) < 0.5


@given(drop=st.floats(-20, 20), h=scales)
def test_pelvis_drop_is_positive_when_the_free_hip_is_lower(drop: float, h: float) -> None:
    for stance in ("left", "right"):
        free = "right" if stance == "left" else "left"
        pose = front_pose(stance=stance, fppa={}, flexion_deg=30, pelvis_drop_deg=drop, h=h)
        measured = pelvis_drop(pose[f"{stance}_hip"], pose[f"{free}_hip"])
        assert measured is not None and abs(measured - drop) < 0.01


def test_trunk_lean_from_vertical_signed_by_direction() -> None:
    assert trunk_lean((500, 700), (500, 1000), towards_x=1) == 0.0
    assert trunk_lean((600, 900), (500, 1000), towards_x=1) == pytest.approx(45)
    assert trunk_lean((600, 900), (500, 1000), towards_x=-1) == pytest.approx(-45)
    assert trunk_lean((500, 1000), (500, 1000), towards_x=1) is None


def test_knee_travel_past_the_toes_along_the_foot() -> None:
    assert knee_travel(knee=(560, 1200), heel=(400, 1500), toe=(540, 1500)) == 20
    assert knee_travel(knee=(380, 1200), heel=(600, 1500), toe=(400, 1500)) == 20, "facing left"
    assert knee_travel(knee=(500, 1200), heel=(400, 1500), toe=(540, 1500)) == -40
    assert knee_travel(knee=(500, 1200), heel=(400, 1500), toe=(400, 1490)) is None


def test_side_pose_proportions_are_a_person() -> None:
    pose = side_pose(flexion_deg=0, h=1000)
    assert math.isclose(pose["left_hip"][1] - pose["left_shoulder"][1], 300, rel_tol=1e-6)
