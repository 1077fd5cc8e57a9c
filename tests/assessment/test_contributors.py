"""Every contributor evidence rule fires on its trigger and stays silent on a near miss."""

from __future__ import annotations

from typing import Any

import pytest

from kneecoach.core.assessment import combine
from tests.assessment.factories import QUIET, assessed, contributor, fired, quiet


def st(**tests: Any) -> dict[str, Any]:
    return {"self_tests": tests}


def test_the_quiet_base_intake_has_no_contributors() -> None:
    assert assessed(QUIET).contributors == ()


def test_an_intake_with_nothing_but_the_spec_has_no_contributors() -> None:
    assert assessed({"spec": "kneecoach-intake/1"}).contributors == ()


# (contributor, changes to the quiet intake, evidence ids expected to fire)
CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    # hip abductors: single-leg squat on the painful side
    ("hip_abductor_weakness", st(single_leg_squat_knee_caves_in={"right": True}),
     {"single_leg_squat_knee_caves_in"}),
    ("hip_abductor_weakness", st(single_leg_squat_knee_caves_in={"right": False}), set()),
    ("hip_abductor_weakness", st(single_leg_squat_knee_caves_in={"left": True}), set()),
    ("hip_abductor_weakness",
     {"knee": {"side": "both"}, **st(single_leg_squat_knee_caves_in={"left": True})},
     {"single_leg_squat_knee_caves_in"}),
    ("hip_abductor_weakness", st(single_leg_squat_pelvis_drops={"right": True}),
     {"single_leg_squat_pelvis_drops"}),
    ("hip_abductor_weakness", st(single_leg_squat_pelvis_drops={"right": False}), set()),
    # side plank asymmetry: over 25 % of the longer side
    ("hip_abductor_weakness", st(side_plank_s={"left": 40, "right": 29.6}),
     {"side_plank_asymmetry"}),
    ("hip_abductor_weakness", st(side_plank_s={"left": 40, "right": 30}), set()),
    ("hip_abductor_weakness", st(side_plank_s={"left": 40}), set()),
    # a front-knee-pain picture alone is not hip evidence: only a measured sign is
    ("hip_abductor_weakness", {"pain": {"location": ["front"], "worse_with": ["stairs"]}},
     set()),
    ("hip_abductor_weakness",
     {"pain": {"location": ["front"], "worse_with": ["stairs"]},
      **st(single_leg_squat_knee_caves_in={"right": False},
           single_leg_squat_pelvis_drops={"right": False})},
     set()),
    # glute bridge: under 30 s low, under 15 s very low
    ("glute_hamstring_weakness", st(bridge_hold_s=29.9), {"bridge_hold_low"}),
    ("glute_hamstring_weakness", st(bridge_hold_s=30), set()),
    ("glute_hamstring_weakness", st(bridge_hold_s=15), {"bridge_hold_low"}),
    ("glute_hamstring_weakness", st(bridge_hold_s=14.9),
     {"bridge_hold_low", "bridge_hold_very_low"}),
    # chair stand: below the 25th percentile for age and sex; under 8 very low
    ("quadriceps_weakness", {"person": {"age": 62, "sex": "female"}, **st(chair_stand_30s=11)},
     {"chair_stand_below_25th_percentile"}),
    ("quadriceps_weakness", {"person": {"age": 62, "sex": "female"}, **st(chair_stand_30s=12)},
     set()),
    ("quadriceps_weakness", {"person": {"age": 67, "sex": "male"}, **st(chair_stand_30s=11)},
     {"chair_stand_below_25th_percentile"}),
    ("quadriceps_weakness", {"person": {"age": 67, "sex": "male"}, **st(chair_stand_30s=12)},
     set()),
    ("quadriceps_weakness", {"person": {"age": 72, "sex": "male"}, **st(chair_stand_30s=11)},
     {"chair_stand_below_25th_percentile"}),
    ("quadriceps_weakness", {"person": {"age": 72, "sex": "female"}, **st(chair_stand_30s=10)},
     set()),
    ("quadriceps_weakness", {"person": {"age": 82, "sex": "female"}, **st(chair_stand_30s=8)},
     {"chair_stand_below_25th_percentile"}),
    ("quadriceps_weakness", {"person": {"age": 87, "sex": "male"}, **st(chair_stand_30s=8)},
     set()),
    ("quadriceps_weakness", {"person": {"age": 92, "sex": "female"}, **st(chair_stand_30s=4)},
     {"chair_stand_very_low"}),
    ("quadriceps_weakness", {"person": {"age": 92, "sex": "female"}, **st(chair_stand_30s=3)},
     {"chair_stand_below_25th_percentile", "chair_stand_very_low"}),
    # under 60: the 60-64 band is the floor
    ("quadriceps_weakness", {"person": {"age": 45, "sex": "male"}, **st(chair_stand_30s=13)},
     {"chair_stand_below_25th_percentile"}),
    ("quadriceps_weakness", {"person": {"age": 45, "sex": "male"}, **st(chair_stand_30s=14)},
     set()),
    # over 94: the 90-94 band
    ("quadriceps_weakness", {"person": {"age": 99, "sex": "male"}, **st(chair_stand_30s=7)},
     {"chair_stand_very_low"}),
    ("quadriceps_weakness", {"person": {"age": 99, "sex": "male"}, **st(chair_stand_30s=6.5)},
     {"chair_stand_below_25th_percentile", "chair_stand_very_low"}),
    # sex other or unknown: the lower (women's) value, a product decision
    ("quadriceps_weakness", {"person": {"age": 70, "sex": "other"}, **st(chair_stand_30s=10)},
     set()),
    ("quadriceps_weakness", {"person": {"age": 70, "sex": "other"}, **st(chair_stand_30s=9)},
     {"chair_stand_below_25th_percentile"}),
    ("quadriceps_weakness", {"person": {"age": 70, "sex": None}, **st(chair_stand_30s=9)},
     {"chair_stand_below_25th_percentile"}),
    # fewer than 8 at any age, even with the age unknown
    ("quadriceps_weakness", {"person": {"age": None, "sex": "male"}, **st(chair_stand_30s=7)},
     {"chair_stand_very_low"}),
    ("quadriceps_weakness", {"person": {"age": None, "sex": "male"}, **st(chair_stand_30s=8)},
     set()),
    # weakness and giving way in an osteoarthritis picture
    ("quadriceps_weakness", {"person": {"age": 58}, "signs": {"weakness": True}},
     {"weakness_with_osteoarthritis_picture"}),
    ("quadriceps_weakness", {"person": {"age": 44}, "signs": {"weakness": True}}, set()),
    ("quadriceps_weakness",
     {"person": {"age": 58}, "signs": {"weakness": True, "morning_stiffness_min": 31}}, set()),
    ("quadriceps_weakness", {"person": {"age": 58}, "signs": {"giving_way": True}},
     {"giving_way_with_osteoarthritis_picture"}),
    ("quadriceps_weakness",
     {"person": {"age": 58}, "signs": {"giving_way": True, "morning_stiffness_min": 45}},
     set()),
    ("quadriceps_weakness", {"person": {"age": 30}, "signs": {"giving_way": True}}, set()),
    # Thomas test
    ("hip_flexor_tightness", st(thomas_test_positive={"right": True}),
     {"thomas_test_positive"}),
    ("hip_flexor_tightness", st(thomas_test_positive={"right": False, "left": True}), set()),
    ("hip_flexor_tightness",
     {"knee": None, **st(thomas_test_positive={"left": True})}, {"thomas_test_positive"}),
    # hip joint referral
    ("hip_joint_referral", {"hip": {"groin_or_hip_pain": True}}, {"groin_or_hip_pain"}),
    ("hip_joint_referral", {"hip": {"hip_stiff": True}}, {"stiff_hip"}),
    ("hip_joint_referral", {"hip": {"limp": True}}, {"limp"}),
    # lumbar referral
    ("lumbar_referral", {"back": {"low_back_pain": True, "leg_pain_below_knee": True}},
     {"back_pain_with_pain_below_knee", "pain_below_knee_from_back"}),
    ("lumbar_referral", {"back": {"leg_pain_below_knee": True}}, {"pain_below_knee_from_back"}),
    ("lumbar_referral", {"back": {"pain_changes_with_back_movement": True}},
     {"pain_changes_with_back_movement"}),
    ("lumbar_referral", {"back": {"low_back_pain": True}}, set()),
    # knee-to-wall: under 9 cm on the painful side; a difference over 1.5 cm
    ("ankle_dorsiflexion_limit", st(knee_to_wall_cm={"right": 8.9}), {"knee_to_wall_short"}),
    ("ankle_dorsiflexion_limit", st(knee_to_wall_cm={"right": 9}), set()),
    ("ankle_dorsiflexion_limit", st(knee_to_wall_cm={"left": 5}), set()),
    ("ankle_dorsiflexion_limit",
     {"knee": {"side": "both"}, **st(knee_to_wall_cm={"left": 8.5, "right": 9.5})},
     {"knee_to_wall_short"}),
    ("ankle_dorsiflexion_limit", st(knee_to_wall_cm={"left": 10.6, "right": 9.0}),
     {"knee_to_wall_asymmetric"}),
    ("ankle_dorsiflexion_limit", st(knee_to_wall_cm={"left": 10.5, "right": 9.0}), set()),
    ("ankle_dorsiflexion_limit", st(knee_to_wall_cm={"left": 11.1, "right": 9.6}), set()),
    # navicular drop, flat feet, ankle rolls in
    ("foot_pronation", st(navicular_drop_mm={"right": 10.1}), {"navicular_drop_large"}),
    ("foot_pronation", st(navicular_drop_mm={"right": 10}), set()),
    ("foot_pronation",
     {"knee": {"side": "both"}, **st(navicular_drop_mm={"left": 12, "right": 6})},
     {"navicular_drop_large"}),
    ("foot_pronation", {"foot": {"flat_feet": True}}, {"flat_feet"}),
    ("foot_pronation", {"foot": {"ankle_rolls_in": True}}, {"ankle_rolls_in"}),
    ("foot_pronation", {"foot": {"foot_or_heel_pain": True}}, set()),
    # shoes: 500-800 km, 12 months, any wear sign
    ("worn_footwear", {"shoes": {"main_pair_km": 499}}, set()),
    ("worn_footwear", {"shoes": {"main_pair_km": 500}}, {"shoe_distance_in_replace_range"}),
    ("worn_footwear", {"shoes": {"main_pair_km": 799}}, {"shoe_distance_in_replace_range"}),
    ("worn_footwear", {"shoes": {"main_pair_km": 800}},
     {"shoe_distance_in_replace_range", "shoe_distance_past_range"}),
    ("worn_footwear", {"shoes": {"main_pair_months": 11}}, set()),
    ("worn_footwear", {"shoes": {"main_pair_months": 12}}, {"shoe_age"}),
    ("worn_footwear", {"shoes": {"uneven_heel_wear": True}}, {"uneven_heel_wear"}),
    ("worn_footwear", {"shoes": {"midsole_creased": True}}, {"midsole_creased"}),
    ("worn_footwear", {"shoes": {"heel_counter_soft": True}}, {"heel_counter_soft"}),
    # training load
    ("training_load_spike", {"history": {"training_change_last_4_weeks": "increase"}},
     {"training_increase"}),
    ("training_load_spike", {"history": {"training_change_last_4_weeks": "decrease"}}, set()),
    # body mass index: 25-30 some, 30 or more marked; never under 18
    ("body_weight_load", {"person": {"height_cm": 200, "weight_kg": 99.6}}, set()),
    ("body_weight_load", {"person": {"height_cm": 200, "weight_kg": 100}}, {"bmi_overweight"}),
    ("body_weight_load", {"person": {"height_cm": 200, "weight_kg": 119.6}}, {"bmi_overweight"}),
    ("body_weight_load", {"person": {"height_cm": 200, "weight_kg": 120}},
     {"bmi_overweight", "bmi_obese"}),
    ("body_weight_load", {"person": {"age": 17, "height_cm": 160, "weight_kg": 90}}, set()),
    ("body_weight_load", {"person": {"age": 18, "height_cm": 160, "weight_kg": 90}},
     {"bmi_overweight", "bmi_obese"}),
    ("body_weight_load", {"person": {"age": None, "height_cm": 160, "weight_kg": 90}}, set()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("contributor_id", "changes", "expected"),
    CASES,
    ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)],
)
def test_evidence_rule_fires_on_its_trigger_and_not_on_a_near_miss(
    contributor_id: str, changes: dict[str, Any], expected: set[str]
) -> None:
    document = quiet(**changes)
    assert set(fired(document, contributor_id)) == expected
    found = contributor(document, contributor_id)
    if expected:
        assert found is not None and 0 < found.strength <= 1 and found.why
    else:
        assert found is None, "a contributor with no evidence is not listed"


def test_strength_is_the_noisy_or_of_the_weights_that_fired() -> None:
    some = contributor(quiet(person={"height_cm": 200, "weight_kg": 100}), "body_weight_load")
    marked = contributor(quiet(person={"height_cm": 200, "weight_kg": 120}), "body_weight_load")
    assert some is not None and marked is not None
    assert some.strength == pytest.approx(0.35)
    assert marked.strength == pytest.approx(combine([0.35, 0.5]))
    assert marked.strength > some.strength


def test_why_names_the_answers_and_says_the_derived_measure_in_words() -> None:
    found = contributor(
        quiet(self_tests={"knee_to_wall_cm": {"right": 7, "left": 11}}),
        "ankle_dorsiflexion_limit",
    )
    assert found is not None
    assert "self_tests.knee_to_wall_cm.right = 7" in found.why
    assert "self_tests.knee_to_wall_cm.left = 11" in found.why
    assert "knee-to-wall on the painful side (right) 7 cm (under 9 cm)" in found.why
    assert "knee-to-wall difference between the sides 4 cm (over 1.5 cm)" in found.why


def test_why_for_the_chair_stand_names_the_norm_used() -> None:
    found = contributor(
        quiet(person={"age": 45, "sex": "male"}, self_tests={"chair_stand_30s": 13}),
        "quadriceps_weakness",
    )
    assert found is not None
    assert "self_tests.chair_stand_30s = 13" in found.why
    words = [line for line in found.why if line.startswith("30-second chair stand")]
    assert words == [
        "30-second chair stand 13 stands, under 14 (the 25th percentile for men aged 60–64, "
        "the youngest band, used as a floor under 60)"
    ]


def test_contributors_are_sorted_strongest_first() -> None:
    document = quiet(
        self_tests={"knee_to_wall_cm": {"right": 7, "left": 11}, "bridge_hold_s": 20},
        shoes={"midsole_creased": True},
        hip={"limp": True},
    )
    strengths = [c.strength for c in assessed(document).contributors]
    assert len(strengths) == 4
    assert strengths == sorted(strengths, reverse=True)


def test_every_region_is_one_of_the_spec_regions() -> None:
    document = quiet(
        hip={"groin_or_hip_pain": True},
        back={"leg_pain_below_knee": True},
        foot={"flat_feet": True},
        shoes={"main_pair_km": 900},
        history={"training_change_last_4_weeks": "increase"},
        person={"weight_kg": 110},
        self_tests={"bridge_hold_s": 5},
    )
    regions = {c.id: c.region for c in assessed(document).contributors}
    assert regions == {
        "hip_joint_referral": "hip",
        "lumbar_referral": "back",
        "foot_pronation": "foot_ankle",
        "worn_footwear": "footwear",
        "training_load_spike": "load",
        "body_weight_load": "body",
        "glute_hamstring_weakness": "muscle_balance",
    }
