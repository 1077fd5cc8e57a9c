"""Every exercise draws as valid, animated, finite SVG inside its view box."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.core.exercises import Exercise
from kneecoach.core.poses import (
    ANGLE_RANGES,
    BODIES,
    LIMB_ANGLES,
    Camera,
    KeyPoses,
    Limbs,
    Pose,
    Prop,
)
from kneecoach.data.exercises import load_catalogue
from kneecoach.render.illustration import HEIGHT, WIDTH, draw, placed_poses

SVG = "{http://www.w3.org/2000/svg}"
EXERCISES = load_catalogue().exercises
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?|nan|inf", re.IGNORECASE)


def _coordinates(root: ET.Element) -> list[tuple[float, float]]:
    """Every drawn point of every key frame: static attributes and animation values."""
    points: list[tuple[float, float]] = []
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        if tag in ("polyline", "polygon"):
            points += _pairs(element.get("points", ""))
        elif tag == "circle":
            points.append((float(element.get("cx", "0")), float(element.get("cy", "0"))))
        elif tag == "rect":
            x, y = float(element.get("x", "0")), float(element.get("y", "0"))
            w, h = float(element.get("width", "0")), float(element.get("height", "0"))
            points += [(x, y), (x + w, y + h)]
        elif tag == "animate":
            name = element.get("attributeName")
            frames = element.get("values", "").split(";")
            if name == "points":
                for frame in frames:
                    points += _pairs(frame)
            elif name == "cx":
                points += [(float(v), HEIGHT / 2) for v in frames]
            elif name == "cy":
                points += [(WIDTH / 2, float(v)) for v in frames]
    return points


def _pairs(text: str) -> list[tuple[float, float]]:
    values = [float(v) for v in NUMBER.findall(text)]
    return list(zip(values[::2], values[1::2], strict=True))


def _assert_inside(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    points = _coordinates(root)
    assert points
    for x, y in points:
        assert math.isfinite(x) and math.isfinite(y)
        assert -0.5 <= x <= WIDTH + 0.5 and -0.5 <= y <= HEIGHT + 0.5, (x, y)
    return root


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_each_illustration_is_valid_animated_svg(exercise: Exercise) -> None:
    svg = draw(exercise.name, exercise.poses)
    root = _assert_inside(svg)
    assert root.findtext(f"{SVG}title") == exercise.name
    animations = root.findall(f".//{SVG}g[@class='kc-move']//{SVG}animate")
    assert animations, "no animation"
    assert all(a.get("repeatCount") == "indefinite" for a in animations)
    assert "href" not in svg and "url(" not in svg  # no external resources
    moving = [a for a in animations if len(set(a.get("values", "").split(";"))) > 1]
    assert moving, "start and end look the same"
    for a in animations:  # a smooth loop: it ends where it starts
        frames = a.get("values", "").split(";")
        assert frames[0] == frames[-1]


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_the_figure_never_sinks_through_the_floor(exercise: Exercise) -> None:
    for points in placed_poses(exercise.poses):
        lowest = min(y for _, y, _ in points.values())
        assert lowest >= -0.1, exercise.id


def test_the_anchor_stays_put_between_key_poses() -> None:
    exercise = load_catalogue().get("sit_to_stand")
    assert exercise is not None
    start, end = placed_poses(exercise.poses)
    assert start["near_ball"] == pytest.approx(end["near_ball"])
    assert end["head"][1] > start["head"][1] + 0.3  # standing up lifts the head


def test_a_middle_pose_makes_a_there_and_back_loop() -> None:
    standing = Pose()
    squat = Pose(near=Limbs(hip=60, knee=70), far=Limbs(hip=60, knee=70))
    half = Pose(near=Limbs(hip=30, knee=35), far=Limbs(hip=30, knee=35))
    root = ET.fromstring(draw("Squat", KeyPoses(start=standing, middle=half, end=squat)))
    animate = root.find(f".//{SVG}animate")
    assert animate is not None
    assert animate.get("keyTimes") == "0;0.25;0.5;0.75;1"


def test_text_is_escaped() -> None:
    svg = draw("Sit & <stand>", KeyPoses(start=Pose(), end=Pose(near=Limbs(knee=30))))
    assert ET.fromstring(svg).findtext(f"{SVG}title") == "Sit & <stand>"


def _angle(name: str) -> st.SearchStrategy[float]:
    low, high = ANGLE_RANGES[name]
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


limbs = st.builds(Limbs, **{name: _angle(name) for name in LIMB_ANGLES})
poses = st.builds(
    Pose,
    body=st.sampled_from(BODIES),
    tilt=_angle("tilt"),
    trunk=_angle("trunk"),
    spine=_angle("spine"),
    near=limbs,
    far=limbs,
)
POINTS = ["pelvis", "shoulder", "near_ball", "far_knee", "near_hand", "head"]
props = st.lists(
    st.builds(
        Prop,
        kind=st.sampled_from(
            ["chair", "step", "box", "cushion", "wall", "foam_roller", "ball", "bench", "bike"]
        ),
        at=st.sampled_from(POINTS),
        height=st.floats(0, 0.6),
        side=st.sampled_from(["front", "back"]),
    )
    | st.builds(
        Prop,
        kind=st.just("band"),
        at=st.sampled_from(POINTS),
        to=st.sampled_from(POINTS),
    )
    | st.builds(
        Prop,
        kind=st.just("band"),
        at=st.sampled_from(POINTS),
        fixed=st.tuples(st.floats(-1, 1), st.floats(-1, 1)),
    )
    | st.builds(
        Prop,
        kind=st.sampled_from(["weight", "kettlebell", "backpack"]),
        at=st.sampled_from(POINTS),
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(
    start=poses,
    end=poses,
    middle=st.none() | poses,
    view=st.sampled_from(["side", "front"]),
    anchor=st.none() | st.sampled_from(POINTS),
    extras=props,
    camera=st.none() | st.builds(Camera, turn=st.floats(-90, 180), look_down=st.floats(0, 80)),
)
def test_any_valid_poses_draw_finite_points_inside_the_view_box(
    start: Pose,
    end: Pose,
    middle: Pose | None,
    view: str,
    anchor: str | None,
    extras: list[Prop],
    camera: Camera | None,
) -> None:
    key_poses = KeyPoses(
        start=start,
        end=end,
        middle=middle,
        view=view,  # type: ignore[arg-type]
        anchor=anchor,
        props=tuple(extras),
        camera=camera,
    )
    svg = draw("Random pose", key_poses)
    assert "nan" not in svg.lower() and "inf" not in svg.lower()
    _assert_inside(svg)
