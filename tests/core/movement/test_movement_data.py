"""movement.yaml: the numbers the evidence gives, each sourced; the angle table sound; mistakes
caught at load with the file and the entry named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kneecoach.core.movement.rules import ROLES
from kneecoach.core.movement.track import LANDMARKS
from kneecoach.data.files import read_yaml
from kneecoach.data.movement import MovementDataError, build_movement_rules, load_movement_rules


def raw() -> Any:
    return copy.deepcopy(read_yaml("movement.yaml"))


def test_the_numbers_are_the_ones_the_evidence_and_practice_give() -> None:
    rules = load_movement_rules()
    assert rules.visibility == 0.3
    c = rules.cleaning
    assert (c.hampel_window, c.butterworth_order, c.cutoff_hz) == (7, 4, 6)
    assert rules.fppa_flag_deg == 15 and rules.fppa_difference_flag_deg == 8
    assert rules.fppa_sdd_deg == 8
    assert rules.reps.min_reps == 3
    assert 0 < rules.identity.max_jump < 1


def test_every_step_has_a_source_and_product_decisions_say_so() -> None:
    steps = raw()["steps"]
    for name, entry in steps.items():
        assert len(entry.get("source", "")) > 10, name
    decided = {name for name, entry in steps.items() if entry.get("basis") == "product-decision"}
    assert {"pelvis_drop_flag", "fppa_flag", "identity", "view", "repetitions"} <= decided
    assert "basis" not in steps["fppa_sdd"], "the SDD is published (Munro 2012)"


def test_the_angle_table_covers_both_legs_in_mirror() -> None:
    table = load_movement_rules().angles
    by_id = {a.id: a for a in table}
    for angle in table:
        assert set(angle.landmarks) == set(ROLES[angle.method])
        assert set(angle.landmarks.values()) <= set(LANDMARKS)
        twin_id = angle.id.replace(angle.side, "right" if angle.side == "left" else "left")
        twin = by_id[twin_id]
        swap = {"left": "right", "right": "left"}
        assert {
            role: "_".join([swap[n.split("_")[0]], *n.split("_")[1:]])
            for role, n in angle.landmarks.items()
        } == twin.landmarks, f"{angle.id} and {twin_id} are not mirror images"
        assert (twin.method, twin.field, twin.views, twin.unit) == (
            angle.method, angle.field, angle.views, angle.unit,
        )  # fmt: skip
    assert by_id["knee_fppa_left"].views == {"front"}
    assert by_id["knee_flexion_left"].views == {"side"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["steps"]["visibility"].pop("source"), "source"),
        (lambda d: d["angles"][0]["landmarks"].update(knee="left_elbow"), "not a landmark"),
        (lambda d: d["angles"][0]["landmarks"].pop("other_hip"), "needs the roles"),
        (lambda d: d["angles"][0]["landmarks"].update(knee="right_knee"), "other leg"),
        (lambda d: d["angles"][0].update(unit="px"), "measured in deg"),
        (lambda d: d["angles"].append(dict(d["angles"][0])), "used twice"),
        (lambda d: d["angles"].pop(0), "no fppa_deg for the left knee"),
        (lambda d: d["steps"]["hampel"].update(window=6), "odd"),
        (lambda d: d["steps"]["view"].update(side_max_ratio=0.9), "below front_min_ratio"),
        (lambda d: d["observations"]["knee_inward"].update(text="{knee} in"), "placeholders"),
        (lambda d: d["observations"].pop("screening"), "screening is missing"),
        (lambda d: d["warnings"]["too_few_reps"].update(message="{n}"), "placeholders"),
        (lambda d: d["warnings"].update(extra={"id": "x", "message": "Hi"}), "not one"),
        (lambda d: d["tests"]["single_leg_squat"].update(needs=["{side}_elbow"]), "landmark"),
    ],
)
def test_mistakes_are_caught_naming_the_entry(change: Any, message: str) -> None:
    data = raw()
    change(data)
    with pytest.raises(MovementDataError, match=message) as caught:
        build_movement_rules(data)
    assert str(caught.value).startswith("movement.yaml: ")
