"""The loader refuses a wrong catalogue with one line naming the file and the entry."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from kneecoach.data.exercises import CatalogueError, build_catalogue
from tests.exercises.conftest import entry_in


def _refused(files: dict[str, Any]) -> str:
    with pytest.raises(CatalogueError) as caught:
        build_catalogue(files)
    return str(caught.value)


def test_the_real_files_build(files: dict[str, Any]) -> None:
    assert len(build_catalogue(files).exercises) >= 45


def test_unknown_field_names_the_entry_and_field(files: dict[str, Any]) -> None:
    entry_in(files, "clamshell")["colour"] = "red"
    assert _refused(files) == "exercises/strength.yaml: clamshell.colour: unknown field"


def test_unknown_target_is_refused(files: dict[str, Any]) -> None:
    entry_in(files, "glute_bridge")["targets"].append("weak_core")
    message = _refused(files)
    assert message.startswith("exercises/strength.yaml: glute_bridge.targets[1]")
    assert "unknown contributor 'weak_core'" in message


def test_a_cycle_in_the_chain_is_refused(files: dict[str, Any]) -> None:
    # glute_bridge → bridge_march → single_leg_bridge → back to glute_bridge
    entry_in(files, "single_leg_bridge")["harder"] = "glute_bridge"
    entry_in(files, "glute_bridge")["easier"] = "single_leg_bridge"
    message = _refused(files)
    assert "the chain loops" in message
    assert "glute_bridge" in message and "single_leg_bridge" in message


def test_a_one_way_link_is_refused(files: dict[str, Any]) -> None:
    entry_in(files, "wall_sit")["harder"] = "sit_to_stand"
    message = _refused(files)
    assert message.startswith("exercises/strength.yaml: wall_sit.harder")
    assert "must have easier: wall_sit" in message


def test_a_link_to_nothing_is_refused(files: dict[str, Any]) -> None:
    entry_in(files, "wall_sit")["easier"] = "wall_lean"
    assert "wall_sit.easier: no exercise called 'wall_lean'" in _refused(files)


def test_unknown_equipment_is_refused(files: dict[str, Any]) -> None:
    entry_in(files, "calf_raise")["equipment"] = ["kettlebell"]
    assert "calf_raise.equipment[0]: unknown equipment 'kettlebell'" in _refused(files)


def test_a_dose_outside_the_evidence_is_refused(files: dict[str, Any]) -> None:
    entry_in(files, "glute_bridge")["dose"]["reps"] = {"start": 30, "min": 20, "max": 40}
    message = _refused(files)
    assert "glute_bridge.dose.reps: 20..40 is outside the evidence range 4..15" in message


def test_a_contraindication_must_be_a_pattern_or_condition(files: dict[str, Any]) -> None:
    entry_in(files, "clamshell")["contraindications"] = ["sore_toe"]
    assert "clamshell.contraindications[0]: unknown pattern or condition" in _refused(files)


def test_an_angle_outside_its_range_is_refused(files: dict[str, Any]) -> None:
    entry_in(files, "clamshell")["poses"]["end"]["knee"] = 200
    message = _refused(files)
    assert message.startswith("exercises/strength.yaml: clamshell.poses.end.knee")


def test_a_prop_must_sit_on_a_point_of_the_figure(files: dict[str, Any]) -> None:
    entry_in(files, "wall_sit")["poses"]["props"][0]["at"] = "elbow"
    assert "wall_sit.poses.props[0].at: 'elbow' is not a point" in _refused(files)


def test_a_condition_must_read_real_answers(files: dict[str, Any]) -> None:
    files["exercises/conditions.yaml"]["conditions"][0]["when"] = {"pain.kneeling": True}
    assert "'pain.kneeling' is not an intake answer path" in _refused(files)


def test_the_same_id_twice_is_refused(files: dict[str, Any]) -> None:
    files["exercises/cardio.yaml"]["exercises"].append(copy.deepcopy(entry_in(files, "clamshell")))
    message = _refused(files)
    assert "clamshell" in message


def test_a_broken_yaml_round_trip_keeps_the_message_short(files: dict[str, Any]) -> None:
    text = yaml.safe_dump(files["exercises/cardio.yaml"]).replace("kind: cardio", "kind: dance", 1)
    files["exercises/cardio.yaml"] = yaml.safe_load(text)
    message = _refused(files)
    assert "\n" not in message and message.startswith("exercises/cardio.yaml: ")


def test_a_camera_is_optional_and_read_when_given(files: dict[str, Any]) -> None:
    entry_in(files, "glute_bridge")["poses"]["camera"] = {"turn": 30, "look_down": 20}
    catalogue = build_catalogue(files)
    bridge, squat = catalogue.get("glute_bridge"), catalogue.get("wall_sit")
    assert bridge is not None and squat is not None
    assert (bridge.poses.camera.turn, bridge.poses.camera.look_down) == (30, 20)  # type: ignore[union-attr]
    assert squat.poses.camera is None  # no camera: the view's default


def test_a_camera_out_of_range_names_the_field(files: dict[str, Any]) -> None:
    entry_in(files, "glute_bridge")["poses"]["camera"] = {"look_down": 95}
    message = _refused(files)
    assert message.startswith("exercises/strength.yaml: glute_bridge.poses.camera.look_down")


def test_a_hip_rotation_is_read_per_side(files: dict[str, Any]) -> None:
    catalogue = build_catalogue(files)
    clamshell = catalogue.get("clamshell")
    assert clamshell is not None
    assert clamshell.poses.end.near.hip_rotation > 0 and clamshell.poses.end.far.hip_rotation == 0
    entry_in(files, "clamshell")["poses"]["end"]["hip_rotation"] = 90
    assert "clamshell.poses.end.hip_rotation" in _refused(files)
