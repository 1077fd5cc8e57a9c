"""The conditions of conditions.yaml and the exercises that name them: every condition is
used, every name resolves, and softening always carries a dose change."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kneecoach.core.vocabulary import PATTERNS
from kneecoach.data.exercises import (
    CONDITIONS_FILE,
    CatalogueError,
    build_catalogue,
    load_catalogue,
)
from kneecoach.data.files import read_yaml
from kneecoach.data.planning import (
    PLAN_RULES_FILE,
    PlanDataError,
    build_plan_rules,
    load_plan_rules,
)
from tests.exercises.conftest import entry_in

CATALOGUE = load_catalogue()
CONDITION_IDS = {c.id for c in CATALOGUE.conditions}
WHOLE_PLAN = {r.condition for r in load_plan_rules().whole_plan}
RAW_CONDITIONS: list[dict[str, Any]] = read_yaml(CONDITIONS_FILE)["conditions"]


def named_by_exercises() -> set[str]:
    return {c for e in CATALOGUE.exercises for c in e.contraindications} | {
        c.when for e in CATALOGUE.exercises for c in e.cautions
    }


@pytest.mark.parametrize("condition", sorted(CONDITION_IDS))
def test_every_condition_is_used_by_an_exercise_or_the_whole_plan(condition: str) -> None:
    assert condition in named_by_exercises() | WHOLE_PLAN, condition


def test_a_condition_used_only_by_the_whole_plan_says_so_in_its_note() -> None:
    for raw in RAW_CONDITIONS:
        if raw["id"] not in named_by_exercises():
            assert "whole_plan" in raw.get("note", ""), raw["id"]


def test_every_name_an_exercise_gives_is_a_condition_or_a_pattern() -> None:
    assert named_by_exercises() <= CONDITION_IDS | set(PATTERNS)
    assert WHOLE_PLAN <= CONDITION_IDS


@pytest.mark.parametrize("raw", RAW_CONDITIONS, ids=lambda r: r["id"])
def test_every_condition_has_a_source_or_a_product_decision_with_a_note(
    raw: dict[str, Any],
) -> None:
    assert raw.get("source") or (raw.get("basis") == "product-decision" and raw.get("note"))


def test_swelling_and_severe_pain_cautions_always_change_the_dose() -> None:
    for e in CATALOGUE.exercises:
        for caution in e.cautions:
            if caution.when in ("swollen_knee", "some_swelling", "severe_pain"):
                assert caution.change, (e.id, caution.when)


def test_what_a_little_swelling_softens_a_swollen_knee_softens_or_leaves_out() -> None:
    for e in CATALOGUE.exercises:
        if any(c.when == "some_swelling" for c in e.cautions):
            assert "swollen_knee" in e.contraindications or any(
                c.when == "swollen_knee" and c.change for c in e.cautions
            ), e.id


def test_severe_pain_keeps_only_gentle_knee_bends_and_static_squeezes() -> None:
    severe = next(c for c in CATALOGUE.conditions if c.id == "severe_pain")
    assert set(severe.keeps_only) == {"heel_slide", "quad_set", "glute_squeeze"}
    for e in CATALOGUE.exercises:
        left_out = "severe_pain" in e.contraindications
        assert left_out is (e.id not in severe.keeps_only), e.id
    for kept in severe.keeps_only:
        exercise = CATALOGUE.get(kept)
        assert exercise is not None and exercise.equipment == ()
        assert exercise.kind == "mobility" or exercise.dose.hold_s is not None


def test_a_swollen_knee_leaves_out_deep_bends_step_downs_kneeling_and_rolling_near_the_knee() -> (
    None
):
    out = {e.id for e in CATALOGUE.exercises if "swollen_knee" in e.contraindications}
    assert {"step_down_low", "step_down_high", "wall_sit", "single_leg_squat_box"} <= out
    assert {"hip_flexor_stretch_kneeling", "foam_roll_quads", "foam_roll_lateral_thigh"} <= out
    assert {"glute_bridge", "quad_set", "heel_slide", "foam_roll_calves"}.isdisjoint(out)


# ── the loader refuses a wrong use ─────────────────────────────────────────────────────────


def _condition(files: dict[str, Any], condition_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        c for c in files[CONDITIONS_FILE]["conditions"] if c["id"] == condition_id
    )
    return found


def _refused(files: dict[str, Any]) -> str:
    with pytest.raises(CatalogueError) as caught:
        build_catalogue(files)
    return str(caught.value)


def test_keeps_only_must_name_an_exercise(files: dict[str, Any]) -> None:
    _condition(files, "severe_pain")["keeps_only"].append("lie_still")
    assert "severe_pain.keeps_only[3]: no exercise called 'lie_still'" in _refused(files)


def test_a_kept_exercise_cannot_also_be_left_out(files: dict[str, Any]) -> None:
    entry_in(files, "heel_slide")["contraindications"] = ["severe_pain"]
    assert "heel_slide is also left out for severe_pain" in _refused(files)


def test_easier_variant_needs_an_easier_exercise(files: dict[str, Any]) -> None:
    entry_in(files, "glute_bridge")["cautions"] = [
        {"when": "swollen_knee", "text": "Go easy.", "change": ["easier_variant"]}
    ]
    assert "glute_bridge.cautions[0].change: easier_variant" in _refused(files)


def test_an_unknown_change_is_refused(files: dict[str, Any]) -> None:
    entry_in(files, "glute_bridge")["cautions"] = [
        {"when": "swollen_knee", "text": "Go easy.", "change": ["half_it"]}
    ]
    assert _refused(files).startswith("exercises/strength.yaml: glute_bridge.cautions[0].change")


def test_a_whole_plan_rule_must_name_a_condition() -> None:
    raw = copy.deepcopy(read_yaml(PLAN_RULES_FILE))
    raw["whole_plan"][0]["condition"] = "very_sore"
    with pytest.raises(PlanDataError) as caught:
        build_plan_rules(raw)
    assert "very_sore" in str(caught.value) and PLAN_RULES_FILE in str(caught.value)
