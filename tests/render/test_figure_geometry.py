"""A wrong figure fails here: checks on what the kinematics put where, and on what the camera
lets a reader see, for every exercise in the catalogue.

Each check would have caught a figure a physiotherapist could not copy: a clamshell drawn with
straight legs, a side plank whose hips do not rise, a squat whose hips stay up, a far leg
drawn over the near one, a movement that happens only toward the viewer.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest

from kneecoach.core.exercises import Exercise
from kneecoach.core.poses import Camera, KeyPoses, Limbs, Pose, Prop
from kneecoach.data.exercises import load_catalogue
from kneecoach.render.illustration import (
    FRONT_CAMERA,
    PROPPED_CAMERA,
    SIDE_CAMERAS,
    Projector,
    Vec,
    camera_for,
    draw,
    joint_points,
    placed_poses,
)
from kneecoach.services.exercises import illustration_svg
from tests.render.test_illustration import SVG, _assert_inside

CATALOGUE = load_catalogue()
EXERCISES = CATALOGUE.exercises
MAX_BYTES = 12_000
SEGMENTS = {
    "thigh": ("hip", "knee"),
    "shank": ("knee", "ankle"),
    "foot": ("heel", "ball", "toe"),
    "upper-arm": ("shoulder", "elbow"),
    "forearm": ("elbow", "hand"),
}


def _bend(a: Sequence[float], b: Sequence[float], c: Sequence[float]) -> float:
    """How far the joint at ``b`` is bent from straight, in degrees (0 = straight)."""
    u = [x - y for x, y in zip(a, b, strict=True)]
    v = [x - y for x, y in zip(c, b, strict=True)]
    lengths = math.hypot(*u) * math.hypot(*v)
    cosine = sum(x * y for x, y in zip(u, v, strict=True)) / lengths
    return 180 - math.degrees(math.acos(max(-1.0, min(1.0, cosine))))


def _knee(points: dict[str, Vec], side: str) -> float:
    return _bend(points[f"{side}_hip"], points[f"{side}_knee"], points[f"{side}_ankle"])


def _hip_flexion(points: dict[str, Vec], side: str) -> float:
    """The angle between the trunk line (hips to shoulders) and the thigh, 0 = in line."""
    return _bend(points["shoulder"], points["pelvis"], points[f"{side}_knee"])


def _camera(exercise: Exercise) -> Projector:
    return Projector.of(camera_for(exercise.poses))


def _ids(*wanted: str) -> list[Exercise]:
    found = [e for e in EXERCISES if e.id in wanted]
    assert found, wanted
    return found


# ----- every figure --------------------------------------------------------------------------


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_each_figure_is_small_titled_and_still_for_reduced_motion(exercise: Exercise) -> None:
    svg = draw(exercise.name, exercise.poses, " ".join(exercise.steps))
    assert len(svg.encode()) < MAX_BYTES, len(svg.encode())
    root = _assert_inside(svg)
    assert root.findtext(f"{SVG}title") == exercise.name
    style = root.findtext(f"{SVG}style") or ""
    assert "prefers-reduced-motion:reduce" in style and ".kc-move{display:none}" in style
    moving = root.find(f"{SVG}g[@class='kc-move']")
    still = root.find(f"{SVG}g[@class='kc-still']")
    assert moving is not None and still is not None
    assert moving.findall(f".//{SVG}animate") and not still.findall(f".//{SVG}animate")
    # The still figure is the end pose: every moving part's last key frame.
    for drawn, held in zip(moving, still, strict=True):
        for animate in drawn.findall(f"{SVG}animate"):
            frames = (animate.get("values") or "").split(";")
            end = frames[len(frames) // 2]  # the loop runs start → end → start
            assert held.get(animate.get("attributeName") or "") == end


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_the_figure_has_a_body_not_sticks(exercise: Exercise) -> None:
    root = ET.fromstring(draw(exercise.name, exercise.poses))
    moving = root.find(f"{SVG}g[@class='kc-move']")
    assert moving is not None
    classes = {e.get("class") for e in moving}
    for side in "nf":
        assert {f"{side}-{name}" for name in SEGMENTS} <= classes
    assert {"trunk", "neck", "head"} <= classes
    trunk = moving.find(f"{SVG}polygon[@class='trunk']")
    head = moving.find(f"{SVG}circle[@class='head']")
    thigh = moving.find(f"{SVG}polyline[@class='n-thigh']")
    shank = moving.find(f"{SVG}polyline[@class='n-shank']")
    assert trunk is not None and head is not None and thigh is not None and shank is not None
    assert trunk.get("fill") == trunk.get("stroke")  # a filled, rounded slab
    assert float(thigh.get("stroke-width", "0")) > float(shank.get("stroke-width", "0")) > 3
    assert (thigh.get("stroke-linecap") or moving.get("stroke-linecap")) == "round"
    assert float(head.get("r", "0")) > float(thigh.get("stroke-width", "0")) / 2


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_near_limbs_are_drawn_over_far_limbs(exercise: Exercise) -> None:
    """Painter's order: where a near segment is nearer the viewer in every key pose than its
    far twin, it comes later in the drawing; and near and far are told apart by shade."""
    cam = _camera(exercise)
    placed = placed_poses(exercise.poses)
    root = ET.fromstring(draw(exercise.name, exercise.poses))
    moving = root.find(f"{SVG}g[@class='kc-move']")
    assert moving is not None
    order = [e.get("class") for e in moving]
    checked = 0
    for name, joints in SEGMENTS.items():
        depth = {
            side: [sum(cam.depth(p[f"{side}_{j}"]) for j in joints) / len(joints) for p in placed]
            for side in ("near", "far")
        }
        if all(n > f for n, f in zip(depth["near"], depth["far"], strict=True)):
            assert order.index(f"n-{name}") > order.index(f"f-{name}"), name
            checked += 1
        elif all(n < f for n, f in zip(depth["near"], depth["far"], strict=True)):
            assert order.index(f"n-{name}") < order.index(f"f-{name}"), name
    near = moving.find(f"{SVG}polyline[@class='n-thigh']")
    far = moving.find(f"{SVG}polyline[@class='f-thigh']")
    assert near is not None and far is not None and near.get("stroke") != far.get("stroke")
    if exercise.poses.view == "side" and exercise.poses.start.body in ("standing", "sitting"):
        assert checked >= 3  # from the side, the near leg and arm are nearer


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_the_movement_shows_in_the_picture(exercise: Exercise) -> None:
    """The point that moves most moves across the picture, not only toward the viewer."""
    cam = _camera(exercise)
    placed = placed_poses(exercise.poses)
    world, name, k = max(
        (math.dist(placed[0][n], p[n]), n, k) for k, p in enumerate(placed) for n in placed[0]
    )
    seen = math.dist(cam.flat(placed[0][name]), cam.flat(placed[k][name]))
    assert world > 0.005, "start and end are the same"
    # A small movement (a foot arch, a squeeze) needs only to show; a large one, a third of it.
    assert seen >= min(world / 3, 0.005), (name, world, seen)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_bent_knees_look_bent(exercise: Exercise) -> None:
    """A knee bent 60° or more shows at least half of its bend in the picture."""
    cam = _camera(exercise)
    for k, points in enumerate(placed_poses(exercise.poses)):
        for side in ("near", "far"):
            bent = _knee(points, side)
            if bent >= 60:
                flat = [cam.flat(points[f"{side}_{j}"]) for j in ("hip", "knee", "ankle")]
                assert _bend(*flat) >= bent / 2, (k, side, bent, _bend(*flat))


# ----- the exercises that were drawn wrong ---------------------------------------------------


@pytest.mark.parametrize("exercise", _ids("clamshell", "clamshell_band"), ids=lambda e: e.id)
def test_the_clamshell_opens_the_top_knee_with_the_knees_bent(exercise: Exercise) -> None:
    cam = _camera(exercise)
    placed = placed_poses(exercise.poses)
    assert exercise.poses.start.body == "side_lying"
    for points in placed:
        for side in ("near", "far"):
            assert 75 <= _knee(points, side) <= 105  # about 90°
            assert 30 <= _hip_flexion(points, side) <= 60  # about 45°
            flat = [cam.flat(points[f"{side}_{j}"]) for j in ("hip", "knee", "ankle")]
            assert _bend(*flat) >= 45  # and the picture shows the bend
        assert math.dist(points["near_ankle"], points["far_ankle"]) < 0.25  # feet together
    start, end = placed[0], placed[-1]

    def gap(p: dict[str, Vec]) -> float:
        return math.dist(p["near_knee"], p["far_knee"])

    def seen_gap(p: dict[str, Vec]) -> float:
        return math.dist(cam.flat(p["near_knee"]), cam.flat(p["far_knee"]))

    assert gap(end) > gap(start) + 0.15  # the top knee opens
    assert end["near_knee"][1] > start["near_knee"][1] + 0.15  # up toward the ceiling
    assert seen_gap(end) > seen_gap(start) + 0.1  # and the picture shows it


@pytest.mark.parametrize("exercise", _ids("side_plank", "side_plank_knees"), ids=lambda e: e.id)
def test_in_a_side_plank_the_hips_rise_where_the_reader_can_see(exercise: Exercise) -> None:
    cam = _camera(exercise)
    placed = placed_poses(exercise.poses)
    start, end = placed[0], placed[-1]
    assert end["pelvis"][1] > start["pelvis"][1] + 0.1
    assert cam.flat(end["pelvis"])[1] > cam.flat(start["pelvis"])[1] + 0.08
    # The forearm on the floor shows as a forearm, not a dot.
    for points in placed:
        forearm = math.dist(cam.flat(points["far_elbow"]), cam.flat(points["far_hand"]))
        assert forearm > 0.08  # a third of its length or more
    if exercise.id == "side_plank_knees":
        for points in placed:
            assert all(_knee(points, side) >= 75 for side in ("near", "far"))


def test_the_side_lying_leg_lift_raises_the_top_leg() -> None:
    (exercise,) = _ids("side_lying_hip_abduction")
    cam = _camera(exercise)
    start, end = placed_poses(exercise.poses)[0], placed_poses(exercise.poses)[-1]
    assert end["near_ankle"][1] > start["near_ankle"][1] + 0.2
    assert abs(end["far_ankle"][1] - start["far_ankle"][1]) < 0.02  # the bottom leg stays
    assert cam.flat(end["near_ankle"])[1] > cam.flat(start["near_ankle"])[1] + 0.1


SQUATS = [e for e in EXERCISES if "squat" in e.id and e.poses.start.body == "standing"]


@pytest.mark.parametrize("exercise", SQUATS, ids=[e.id for e in SQUATS])
def test_in_a_squat_the_hips_go_down_and_the_knees_bend(exercise: Exercise) -> None:
    placed = placed_poses(exercise.poses)
    top = max(placed, key=lambda p: p["pelvis"][1])
    bottom = min(placed, key=lambda p: p["pelvis"][1])
    assert bottom["pelvis"][1] < top["pelvis"][1] - 0.1
    assert _knee(bottom, "near") > _knee(top, "near") + 30
    assert all(v[1] >= -0.03 for v in bottom.values())  # nothing sinks into the floor


@pytest.mark.parametrize(
    ("exercise_id", "point", "rise"),
    [
        ("glute_bridge", "pelvis", 0.1),
        ("step_up", "pelvis", 0.12),
        ("sit_to_stand", "head", 0.3),
        ("straight_leg_raise", "near_ankle", 0.3),
    ],
)
def test_what_should_lift_lifts(exercise_id: str, point: str, rise: float) -> None:
    (exercise,) = _ids(exercise_id)
    placed = placed_poses(exercise.poses)
    assert placed[-1][point][1] > placed[0][point][1] + rise


def test_external_hip_rotation_brings_a_bent_legs_foot_toward_the_other() -> None:
    bent = Limbs(hip=45, knee=90)
    opened = Limbs(hip=45, knee=90, hip_abduction=35)
    turned = Limbs(hip=45, knee=90, hip_abduction=35, hip_rotation=40)

    def feet_apart(near: Limbs) -> float:
        p = joint_points(Pose(body="side_lying", near=near, far=bent))
        return math.dist(p["near_ankle"], p["far_ankle"])

    assert feet_apart(turned) < feet_apart(opened) - 0.1
    # Rotation does not move the knee: it turns the leg about the thigh.
    a = joint_points(Pose(body="side_lying", near=opened, far=bent))
    b = joint_points(Pose(body="side_lying", near=turned, far=bent))
    assert a["near_knee"] == pytest.approx(b["near_knee"])


@pytest.mark.parametrize(
    ("kind", "at", "height"),
    [
        ("chair", "pelvis", 0.0),
        ("step", "near_ball", 0.2),
        ("box", "pelvis", 0.0),
        ("cushion", "near_ball", 0.06),
        ("wall", "pelvis", 0.0),
        ("foam_roller", "near_knee", 0.0),
        ("ball", "near_knee", 0.0),
        ("bench", "near_ankle", 0.4),
        ("bike", "pelvis", 0.6),
        ("weight", "near_ankle", 0.0),
        ("kettlebell", "near_hand", 0.0),
        ("backpack", "shoulder", 0.0),
    ],
)
def test_every_prop_is_drawn(kind: str, at: str, height: float) -> None:
    sitting = Pose(body="sitting", near=Limbs(hip=80, knee=90), far=Limbs(hip=80, knee=90))
    lifted = Pose(body="sitting", near=Limbs(hip=60, knee=40), far=Limbs(hip=80, knee=90))
    bare = KeyPoses(start=sitting, end=lifted)
    with_prop = KeyPoses(start=sitting, end=lifted, props=(Prop(kind, at, height=height),))  # type: ignore[arg-type]
    svg = draw("Prop", with_prop)
    _assert_inside(svg)
    assert len(ET.fromstring(svg).findall(f".//{SVG}*")) > len(
        ET.fromstring(draw("Prop", bare)).findall(f".//{SVG}*")
    )
    if height:  # a support holds its point up at its height
        assert placed_poses(with_prop)[0][at][1] >= height - 1e-9


DOCS = Path(__file__).resolve().parents[2] / "docs" / "illustrations"


@pytest.mark.parametrize("picture", sorted(DOCS.glob("*.svg")), ids=lambda p: p.stem)
def test_the_pictures_in_the_docs_are_the_current_drawings(picture: Path) -> None:
    assert picture.read_text(encoding="utf-8") == illustration_svg(picture.stem), (
        f"regenerate: kneecoach exercise show {picture.stem} --svg docs/illustrations/"
        f"{picture.stem}.svg"
    )


def test_the_camera_follows_the_body_unless_the_data_sets_one() -> None:
    lying = Pose(body="side_lying", near=Limbs(hip=45, knee=90), far=Limbs(hip=45, knee=90))
    # A Copenhagen plank: propped on the forearm, the top leg on a bench, the hips lifting.
    propped = Pose(body="side_lying", tilt=20, far=Limbs(shoulder_abduction=70, elbow=90))
    copenhagen = KeyPoses(
        start=Pose(body="side_lying", tilt=35, far=Limbs(shoulder_abduction=55, elbow=90)),
        end=propped,
        props=(Prop("bench", "near_ankle", height=0.4),),
    )
    assert camera_for(KeyPoses(start=lying, end=lying)) == SIDE_CAMERAS["side_lying"]
    assert camera_for(copenhagen) == PROPPED_CAMERA
    assert camera_for(KeyPoses(start=Pose(), end=Pose(), view="front")) == FRONT_CAMERA
    own = Camera(turn=5, look_down=50)
    assert camera_for(KeyPoses(start=propped, end=propped, camera=own)) == own
    _assert_inside(draw("Copenhagen plank", copenhagen))
