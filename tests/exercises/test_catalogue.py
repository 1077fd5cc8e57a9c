"""The packaged catalogue: size, coverage, chains, equipment, doses and plain words."""

from __future__ import annotations

import pytest

from kneecoach.core.exercises import (
    ADVICE_CONTRIBUTORS,
    EQUIPMENT_IDS,
    KINDS,
    Exercise,
    cautions_for,
    estimated_minutes,
    left_out_because,
    needs_only,
)
from kneecoach.core.intake import parse_intake
from kneecoach.core.vocabulary import CONTRIBUTORS
from kneecoach.data.exercises import KIND_FILES, load_catalogue

CATALOGUE = load_catalogue()
EXERCISES = CATALOGUE.exercises
IDS = [e.id for e in EXERCISES]


def test_at_least_45_exercises_with_unique_ids() -> None:
    assert len(EXERCISES) >= 45
    assert len(set(IDS)) == len(IDS)


def test_every_kind_is_present() -> None:
    assert {e.kind for e in EXERCISES} == set(KINDS)


# Each category the issue names, found by the words of its exercises' ids.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "hip flexor stretch": ("hip_flexor_stretch_standing", "hip_flexor_stretch_kneeling"),
    "quadriceps stretch": ("quad_stretch_side_lying", "quad_stretch_standing"),
    "hamstring stretch": ("hamstring_stretch_lying", "hamstring_stretch_step"),
    "calf and ankle": ("calf_stretch_wall", "soleus_stretch_wall", "knee_to_wall_mobilisation"),
    "hip rotators (figure-4)": ("figure_four_stretch_seated", "figure_four_stretch_lying"),
    "foam roll quads, lateral thigh, calves, glutes": (
        "foam_roll_quads",
        "foam_roll_lateral_thigh",
        "foam_roll_calves",
        "foam_roll_glutes",
    ),
    "bridge chain": (
        "glute_bridge",
        "bridge_march",
        "single_leg_bridge",
        "hamstring_bridge_step",
    ),
    "clamshells and side-lying abduction": (
        "clamshell",
        "clamshell_band",
        "side_lying_hip_abduction",
    ),
    "banded walks": ("banded_side_walk", "monster_walk"),
    "hip hinge": ("hip_hinge",),
    "step-ups and step-downs 10 then 20 cm": ("step_up", "step_down_low", "step_down_high"),
    "sit-to-stand": ("sit_to_stand", "sit_to_stand_hands"),
    "wall sit": ("wall_sit",),
    "straight-leg raise": ("straight_leg_raise",),
    "terminal knee extension with a band": ("terminal_knee_extension",),
    "hamstring curls": ("hamstring_curl_standing", "hamstring_curl_band"),
    "calf raises double and single": ("calf_raise", "single_leg_calf_raise"),
    "short-foot and toes": ("short_foot", "toe_yoga"),
    "isometric holds for tendon pain": ("isometric_knee_extension", "tendon_wall_sit_hold"),
    "single-leg stance, eyes closed, cushion": (
        "single_leg_stance",
        "single_leg_stance_eyes_closed",
        "single_leg_stance_cushion",
    ),
    "single-leg squat to a box": ("single_leg_squat_box",),
    "walking and cycling": ("walking", "static_bike"),
}


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_each_named_category_is_present(category: str) -> None:
    missing = [i for i in CATEGORIES[category] if CATALOGUE.get(i) is None]
    assert not missing, f"{category}: missing {missing}"


def test_step_downs_go_from_10_to_20_cm() -> None:
    low, high = CATALOGUE.get("step_down_low"), CATALOGUE.get("step_down_high")
    assert low is not None and high is not None
    heights = [max(p.height for p in e.poses.props if p.kind == "step") for e in (low, high)]
    assert heights == [0.1, 0.2]
    assert low.harder == "step_down_high"


def test_tendon_holds_are_for_patellar_tendinopathy() -> None:
    holds = [e for e in EXERCISES if "patellar_tendinopathy" in e.patterns and e.dose.hold_s]
    assert len(holds) >= 2
    assert all(e.dose.progress == "hold_s" for e in holds)


@pytest.mark.parametrize("contributor", [c for c in CONTRIBUTORS if c not in ADVICE_CONTRIBUTORS])
def test_every_contributor_exercise_can_help_is_targeted_twice(contributor: str) -> None:
    assert len(CATALOGUE.select(target=contributor)) >= 2


def test_cardio_targets_body_weight() -> None:
    assert CATALOGUE.select(kind="cardio", target="body_weight_load")


def test_front_of_knee_pain_gets_hip_and_knee_work() -> None:
    chosen = CATALOGUE.select(pattern="patellofemoral_pain")
    targets = {t for e in chosen for t in e.targets}
    assert {"hip_abductor_weakness", "quadriceps_weakness"} <= targets


def test_chains_link_both_ways_and_reach_an_end() -> None:
    for e in EXERCISES:
        if e.harder is not None:
            harder = CATALOGUE.get(e.harder)
            assert harder is not None and harder.easier == e.id, e.id
        if e.easier is not None:
            easier = CATALOGUE.get(e.easier)
            assert easier is not None and easier.harder == e.id, e.id
        chain = CATALOGUE.chain(e.id)
        assert e in chain
        assert chain[0].easier is None and chain[-1].harder is None
        assert len({c.id for c in chain}) == len(chain)


def test_bridge_chain_runs_easiest_to_hardest() -> None:
    assert [e.id for e in CATALOGUE.chain("bridge_march")] == [
        "glute_bridge",
        "bridge_march",
        "single_leg_bridge",
    ]


def test_every_equipment_id_is_from_the_intake_spec() -> None:
    for e in EXERCISES:
        assert set(e.equipment) <= set(EQUIPMENT_IDS), e.id
    assert {item for e in EXERCISES for item in e.equipment} >= {
        "resistance_band",
        "foam_roller",
        "step",
        "chair",
        "wall",
        "ankle_weight",
        "gym",
    }


def test_equipment_filter_never_needs_what_the_person_lacks() -> None:
    none = CATALOGUE.select(equipment=[])
    assert none and all(not e.equipment for e in none)
    band = CATALOGUE.select(equipment=["resistance_band"])
    assert all(set(e.equipment) <= {"resistance_band"} for e in band)
    assert len(CATALOGUE.select(equipment=["gym"])) == len(EXERCISES)  # a gym has it all


def test_needs_only_reads_the_exercise_equipment() -> None:
    step_up = CATALOGUE.get("step_up")
    assert step_up is not None
    assert needs_only(step_up, ["step"]) and not needs_only(step_up, ["chair"])


def test_every_exercise_has_steps_feel_mistakes_and_a_source() -> None:
    for e in EXERCISES:
        assert len(e.steps) >= 2 and all(s.strip() for s in e.steps), e.id
        assert e.feel.strip() and e.mistakes and e.source.strip(), e.id
        assert e.targets or e.patterns, e.id


def _check_start(e: Exercise) -> None:
    dose, rules = e.dose, CATALOGUE.rules_for(e.kind)
    for name in ("sets", "reps", "hold_s", "minutes"):
        amount, limit = getattr(dose, name), getattr(rules, name)
        if amount is None:
            continue
        assert limit is not None, f"{e.id}: {name}"
        assert limit.min <= amount.min <= amount.start <= amount.max <= limit.max, (e.id, name)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_dose_lies_within_the_evidence_range(exercise: Exercise) -> None:
    _check_start(exercise)
    dose = exercise.dose
    if exercise.kind == "strength" and dose.progress == "reps" and not dose.rm_steps:
        # 2–3 sets of 8–15 repetitions to start (evidence §4.8, GLA:D).
        assert 2 <= dose.sets.start <= 3 and dose.sets.max <= 3, exercise.id
        assert dose.reps is not None and 8 <= dose.reps.start <= 15, exercise.id
    if dose.rm_steps:
        # Heavy slow resistance: 4 sets, 15 RM falling to 6 RM (Kongsgaard 2009).
        assert dose.sets.start == 4 and dose.rm_steps == (15, 12, 10, 8, 6), exercise.id
    if exercise.kind == "mobility" and dose.progress == "hold_s":
        # Stretches 3 × 20 s or a little more (Vicenzino 2008).
        assert dose.hold_s is not None and dose.hold_s.start >= 20, exercise.id
    if exercise.kind == "cardio":
        assert dose.minutes is not None and dose.reps is None, exercise.id


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_minutes_cover_the_dose_with_rests(exercise: Exercise) -> None:
    expected = estimated_minutes(exercise.dose)
    assert expected <= exercise.minutes <= expected + 3, (exercise.id, expected)


def test_kind_rules_give_days_per_week_for_the_plan() -> None:
    strength = CATALOGUE.rules_for("strength")
    assert (strength.days_per_week.min, strength.days_per_week.max) == (2, 3)
    assert CATALOGUE.rules_for("mobility").days_per_week.max == 7


def test_conditions_come_from_the_answers() -> None:
    intake = parse_intake(
        {
            "spec": "kneecoach-intake/1",
            "person": {"age": 70},
            "pain": {"worse_with": ["kneeling", "stairs"]},
            "signs": {"giving_way": True},
        }
    )
    active = CATALOGUE.active_conditions(intake.facts())
    assert set(active) == {"kneeling_hurts", "stairs_hurt", "gives_way", "older_adult"}
    kneeling = CATALOGUE.get("hip_flexor_stretch_kneeling")
    assert kneeling is not None
    assert left_out_because(kneeling, active) == ("kneeling_hurts",)
    step_down = CATALOGUE.get("step_down_low")
    assert step_down is not None
    assert [c.when for c in cautions_for(step_down, active)] == ["stairs_hurt"]


def test_unknown_answers_make_no_condition_true() -> None:
    intake = parse_intake({"spec": "kneecoach-intake/1"})
    assert CATALOGUE.active_conditions(intake.facts()) == ()


def test_kind_files_are_the_five_kinds() -> None:
    assert sorted(KIND_FILES) == sorted(KINDS)


TIGHTNESS = {"hip_flexor_tightness", "ankle_dorsiflexion_limit"}
"""Contributors about a tight or stiff part: answered by stretching it, never by strength work."""


def test_tightness_is_answered_by_stretching_the_part_that_is_tight() -> None:
    """The outer thigh (ITB) is not a hip flexor, and a calf raise does not loosen a stiff
    ankle: no exercise claims a tightness it does not stretch."""
    catalogue = load_catalogue()
    for exercise in catalogue.exercises:
        claimed = TIGHTNESS & set(exercise.targets)
        if not claimed:
            continue
        assert exercise.kind in ("mobility", "foam_roll"), exercise.id
        if "hip_flexor_tightness" in claimed:
            assert "hip_flexor" in exercise.id or "quad_stretch" in exercise.id, exercise.id
        if "ankle_dorsiflexion_limit" in claimed:
            assert any(
                part in exercise.id for part in ("calf_stretch", "calves", "soleus", "knee_to_wall")
            ), exercise.id
