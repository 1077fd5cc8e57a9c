"""Every red-flag rule fires on its own trigger and stays silent on a near miss."""

from __future__ import annotations

from typing import Any

import pytest

from kneecoach.core.triage import urgency
from kneecoach.data.red_flags import load_red_flags
from tests.triage.cases import CALM, DELETE, INJURED, changed, flag_ids, triage_of

# rule id: (base, answers that fire it, base of the near miss, answers that must not fire it)
Case = tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]
CASES: dict[str, Case] = {
    "hot_swollen_knee_at_risk_of_infection": (
        CALM,
        {
            "signs.warm": True,
            "signs.swelling": 2,
            "general.immunosuppressed": True,
            "signs.swelling_started_days_ago": 30,
        },
        CALM,
        {"signs.warm": True, "signs.swelling": 2},
    ),
    "hot_swollen_knee": (
        CALM,
        {
            "signs.warm": True,
            "signs.swelling": 2,
            "history.weeks_since_onset": 400,
            "signs.swelling_started_days_ago": 30,
        },
        CALM,
        {"signs.warm": True},
    ),
    "new_hot_swelling": (
        CALM,
        {"signs.warm": True, "signs.swelling": 1, "signs.swelling_started_days_ago": 1},
        CALM,
        {"signs.warm": True, "signs.swelling": 1, "signs.swelling_started_days_ago": 20},
    ),
    "sudden_large_swelling": (
        CALM,
        {"signs.swelling": 2, "signs.swelling_started_days_ago": 0.5},
        CALM,
        {"signs.swelling": 2, "signs.swelling_started_days_ago": 14},
    ),
    "wound_near_hot_or_swollen_knee": (
        CALM,
        {"general.wound_or_skin_infection_near_knee": True, "signs.red": True},
        CALM,
        {"general.wound_or_skin_infection_near_knee": True},
    ),
    "fever_and_unwell": (
        CALM,
        {"general.fever": True, "general.feels_unwell": True},
        CALM,
        {"general.fever": True},
    ),
    "hot_knee_after_recent_knee_procedure": (
        CALM,
        {"history.knee_injection_or_surgery_last_6_weeks": True, "signs.warm": True},
        CALM,
        {"history.knee_injection_or_surgery_last_6_weeks": True},
    ),
    "swollen_knee_after_recent_knee_procedure": (
        CALM,
        {
            "history.knee_injection_or_surgery_last_6_weeks": True,
            "signs.swelling": 2,
            "signs.swelling_started_days_ago": 20,
        },
        CALM,
        {"history.knee_injection_or_surgery_last_6_weeks": True, "signs.swelling": 1},
    ),
    "hot_knee_with_knee_replacement": (
        CALM,
        {"history.knee_replacement": True, "signs.warm": True},
        CALM,
        {"history.knee_replacement": True},
    ),
    "pain_in_knee_replacement": (
        CALM,
        {"history.knee_replacement": True},
        CALM,
        {"history.knee_injection_or_surgery_last_6_weeks": True},
    ),
    "ottawa_knee_rule": (
        INJURED,
        {"signs.tender_fibula_head": True},
        INJURED,
        {"signs.tender_fibula_head": True, "history.injury.days_ago": 10},
    ),
    "pittsburgh_knee_rule": (
        INJURED,
        {"history.injury.mechanism": "fall", "person.age": 10},
        INJURED,
        {"history.injury.mechanism": "twist", "person.age": 10},
    ),
    "high_energy_injury": (
        INJURED,
        {"history.injury.high_energy": True},
        INJURED,
        {"history.injury.heard_pop": True},
    ),
    "cannot_bear_weight_after_injury": (
        INJURED,
        {"signs.can_walk_4_steps_now": False, "history.injury.days_ago": 20},
        CALM,
        {"signs.can_walk_4_steps_now": False},
    ),
    "cannot_bear_weight": (
        CALM,
        {"signs.can_walk_4_steps_now": False},
        CALM,
        {"signs.can_walk_4_steps_now": True, "hip.limp": True},
    ),
    "cannot_straight_leg_raise": (
        CALM,
        {"signs.can_straight_leg_raise": False},
        CALM,
        {"signs.weakness": True},
    ),
    "knee_looks_deformed": (CALM, {"signs.looks_deformed": True}, CALM, {}),
    "first_kneecap_dislocation": (
        INJURED,
        {"history.kneecap_dislocation": "once"},
        CALM,
        {"history.kneecap_dislocation": "once"},
    ),
    "recurrent_kneecap_dislocation": (
        CALM,
        {"history.kneecap_dislocation": "recurrent"},
        CALM,
        {"history.kneecap_dislocation": "once"},
    ),
    "locked_knee": (
        CALM,
        {"signs.locking": True, "signs.locked_now": False},
        CALM,
        {"signs.catching": True},
    ),
    "knee_locked_now": (
        CALM,
        {"signs.locking": True, "signs.locked_now": True},
        CALM,
        {"signs.locking": True, "signs.locked_now": False},
    ),
    "cannot_straighten_after_injury": (
        INJURED,
        {"signs.cannot_fully_straighten": True},
        CALM,
        {"signs.cannot_fully_straighten": True},
    ),
    "large_tense_swelling_after_injury": (
        INJURED,
        {
            "history.injury.swelling_within_hours": 4,
            "signs.swelling": 3,
            "signs.swelling_started_days_ago": 3,
        },
        INJURED,
        {"history.injury.swelling_within_hours": 4, "signs.swelling": 2},
    ),
    "rapid_swelling_after_injury": (
        INJURED,
        {
            "history.injury.swelling_within_hours": 1.5,
            "signs.swelling": 2,
            "signs.swelling_started_days_ago": 3,
        },
        INJURED,
        {"history.injury.swelling_within_hours": 24, "signs.swelling": 1},
    ),
    "pop_and_swelling_after_injury": (
        INJURED,
        {"history.injury.heard_pop": True, "history.injury.swelling_within_hours": 8},
        INJURED,
        {"history.injury.heard_pop": True},
    ),
    "swelling_after_injury_on_blood_thinners": (
        INJURED,
        {"general.anticoagulants_or_bleeding_disorder": True, "signs.swelling": 1},
        INJURED,
        {"general.anticoagulants_or_bleeding_disorder": True},
    ),
    "new_giving_way_after_injury": (
        INJURED,
        {"signs.giving_way": True, "history.injury.days_ago": 30},
        INJURED,
        {"signs.giving_way": True, "history.injury.days_ago": 200},
    ),
    "catching_after_a_twist": (
        INJURED,
        {"signs.catching": True},
        INJURED,
        {"signs.catching": True, "history.injury.days_ago": 70},
    ),
    "giving_way_after_injury": (
        INJURED,
        {"signs.giving_way": True, "history.injury.days_ago": 200},
        CALM,
        {"signs.giving_way": True, "signs.weakness": True},
    ),
    "possible_clot_in_lung": (
        CALM,
        {"general.short_of_breath_or_chest_pain": True, "history.immobilised_last_4_weeks": True},
        CALM,
        {"general.short_of_breath_or_chest_pain": True},
    ),
    "new_breathlessness_or_chest_pain": (
        CALM,
        {"general.short_of_breath_or_chest_pain": True},
        CALM,
        {"history.immobilised_last_4_weeks": True},
    ),
    "possible_clot_in_leg": (
        CALM,
        {"general.calf_pain_or_swelling": True},
        CALM,
        {"history.immobilised_last_4_weeks": True},
    ),
    "cold_pale_or_blue_foot": (CALM, {"general.foot_cold_pale_or_blue": True}, CALM, {}),
    "numbness_after_injury": (
        INJURED,
        {"general.numbness_or_tingling": True},
        CALM,
        {"general.numbness_or_tingling": True},
    ),
    "saddle_numbness_or_bladder_bowel_change": (
        CALM,
        {"back.saddle_numbness_or_bladder_bowel_change": True},
        CALM,
        {"back.low_back_pain": True},
    ),
    "numbness_with_leg_weakness": (
        CALM,
        {"general.numbness_or_tingling": True, "signs.weakness": True},
        CALM,
        {"signs.weakness": True},
    ),
    "nerve_signs_with_back_or_hip_pain": (
        CALM,
        {"general.numbness_or_tingling": True, "back.leg_pain_below_knee": True},
        CALM,
        {"back.low_back_pain": True, "back.leg_pain_below_knee": True},
    ),
    "child_cannot_walk": (
        CALM,
        {"person.age": 10, "signs.can_walk_4_steps_now": False},
        CALM,
        {"person.age": 20, "signs.can_walk_4_steps_now": False},
    ),
    "child_with_fever": (
        CALM,
        {"person.age": 9, "general.fever": True},
        CALM,
        {"person.age": 30, "general.fever": True},
    ),
    "child_limp_or_hip_pain": (
        CALM,
        {"person.age": 13, "hip.groin_or_hip_pain": True},
        CALM,
        {"person.age": 30, "hip.limp": True},
    ),
    "teen_knee_catches_or_will_not_straighten": (
        CALM,
        {"person.age": 15, "signs.catching": True},
        CALM,
        {"person.age": 30, "signs.catching": True},
    ),
    "child_night_pain": (
        CALM,
        {"person.age": 12, "pain.at_night": True, "pain.at_rest": True},
        CALM,
        {"person.age": 12, "pain.at_night": True, "pain.worse_with": ["running"]},
    ),
    "inflammatory_arthritis": (
        CALM,
        {"signs.morning_stiffness_min": 60, "signs.swelling": 1},
        CALM,
        {"signs.morning_stiffness_min": 20, "signs.swelling": 1},
    ),
    "night_pain_with_cancer_warning_signs": (
        CALM,
        {"pain.at_night": True, "general.cancer_history": True},
        CALM,
        {"pain.at_night": True, "pain.at_rest": True},
    ),
    "hard_lump": (CALM, {"signs.lump": True}, CALM, {"signs.swelling": 1}),
    "unexplained_weight_loss": (CALM, {"general.unexplained_weight_loss": True}, CALM, {}),
    "rapidly_worsening": (CALM, {"general.rapidly_worsening": True}, CALM, {}),
    # second edition
    "warm_swollen_knee_at_risk": (
        CALM,
        {"signs.warm": True, "signs.swelling": 1, "general.diabetes": True},
        CALM,
        {"signs.warm": True, "signs.swelling": 0, "general.diabetes": True},
    ),
    "warm_knee_with_swelling": (
        CALM,
        {"signs.warm": True, "signs.swelling": 1},
        CALM,
        {"signs.warm": True, "signs.swelling": 0},
    ),
    "recent_swelling_without_injury": (
        CALM,
        {"signs.swelling": 2, "signs.swelling_started_days_ago": 10},
        CALM,
        {"signs.swelling": 2, "signs.swelling_started_days_ago": 20},
    ),
    "recent_knee_surgery": (
        CALM,
        {"history.recent_surgery_weeks": 3, "history.knee_surgery_type": "meniscus_repair"},
        CALM,
        {"history.recent_surgery_weeks": 3},
    ),
    "recent_knee_surgery_cannot_move": (
        CALM,
        {"history.onset": "after_surgery", "signs.cannot_bend_to_90": True},
        CALM,
        {"signs.cannot_bend_to_90": True},
    ),
    "cannot_bear_weight_after_serious_injury": (
        INJURED,
        {"signs.can_walk_4_steps_now": False, "history.injury.high_energy": True},
        INJURED,
        {"signs.can_walk_4_steps_now": False},
    ),
    "compartment_syndrome": (
        INJURED,
        {"general.tight_painful_calf_or_shin_after_injury": True},
        INJURED,
        {"general.calf_pain_or_swelling": True},
    ),
    "severe_pain_at_rest_or_night": (
        CALM,
        {"pain.now": 8, "pain.at_night": True},
        CALM,
        {"pain.now": 7.5, "pain.at_night": True, "pain.at_rest": True},
    ),
    "young_child_knee_pain": (CALM, {"person.age": 8}, CALM, {"person.age": 9}),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == {rule.id for rule in load_red_flags().rules}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_trigger(rule_id: str) -> None:
    base, answers, _, _ = CASES[rule_id]
    document = changed(base, answers)
    result = triage_of(document)
    rule = next(r for r in load_red_flags().rules if r.id == rule_id)
    assert rule_id in {flag.id for flag in result.flags}
    assert urgency(result.level) <= urgency(rule.level)
    fired = next(flag for flag in result.flags if flag.id == rule_id)
    assert fired.why, "a fired flag names the answers behind it"
    assert result.missing == ()


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_stays_silent_on_a_near_miss(rule_id: str) -> None:
    _, _, base, answers = CASES[rule_id]
    assert rule_id not in flag_ids(changed(base, answers))


@pytest.mark.parametrize("criterion", [
    {"person.age": 55},
    {"signs.tender_kneecap": True},
    {"signs.tender_fibula_head": True},
    {"signs.cannot_bend_to_90": True},
    {"history.injury.could_walk_4_steps_right_after": False, "signs.can_walk_4_steps_now": False},
])  # fmt: skip
def test_each_ottawa_criterion_alone_fires_after_a_recent_injury(criterion: dict[str, Any]) -> None:
    assert "ottawa_knee_rule" in flag_ids(changed(INJURED, criterion))
    older = changed(INJURED, {**criterion, "history.injury.days_ago": 8})
    assert "ottawa_knee_rule" not in flag_ids(older)
    gradual = changed(CALM, {k: v for k, v in criterion.items() if not k.startswith("history")})
    assert "ottawa_knee_rule" not in flag_ids(gradual)


ACUTE_INJURY_RULES = {
    "rapid_swelling_after_injury": {"history.injury.swelling_within_hours": 1.5},
    "pop_and_swelling_after_injury": {
        "history.injury.heard_pop": True,
        "history.injury.swelling_within_hours": 8,
    },
    "large_tense_swelling_after_injury": {
        "history.injury.swelling_within_hours": 4,
        "signs.swelling": 3,
    },
    "swelling_after_injury_on_blood_thinners": {
        "general.anticoagulants_or_bleeding_disorder": True,
        "signs.swelling": 1,
    },
    "first_kneecap_dislocation": {"history.kneecap_dislocation": "once"},
    "new_giving_way_after_injury": {"signs.giving_way": True},
}


@pytest.mark.parametrize("rule_id", sorted(ACUTE_INJURY_RULES))
def test_acute_injury_rules_fire_for_6_weeks_and_for_an_undated_injury(rule_id: str) -> None:
    answers = ACUTE_INJURY_RULES[rule_id]
    assert rule_id in flag_ids(changed(INJURED, {**answers, "history.injury.days_ago": 42}))
    old = {**answers, "history.injury.days_ago": 200, "history.weeks_since_onset": 29}
    assert rule_id not in flag_ids(changed(INJURED, old))
    undated = {**answers, "history.injury.days_ago": DELETE, "history.weeks_since_onset": DELETE}
    assert rule_id in flag_ids(changed(INJURED, undated))
    undated_but_old = {
        **answers,
        "history.injury.days_ago": DELETE,
        "history.weeks_since_onset": 20,
    }
    assert rule_id not in flag_ids(changed(INJURED, undated_but_old))


def test_an_old_injury_that_still_gives_way_is_soon_not_urgent() -> None:
    old = changed(
        INJURED,
        {
            "history.injury.days_ago": 210,
            "history.weeks_since_onset": 30,
            "history.injury.heard_pop": True,
            "history.injury.swelling_within_hours": 2,
            "signs.giving_way": True,
        },
    )
    result = triage_of(old)
    assert result.level == "soon"
    assert "giving_way_after_injury" in {flag.id for flag in result.flags}


def test_ottawa_needs_both_steps_right_after_and_now() -> None:
    only_then = changed(INJURED, {"history.injury.could_walk_4_steps_right_after": False})
    assert "ottawa_knee_rule" not in flag_ids(only_then)
    assert "ottawa_knee_rule" not in flag_ids(changed(INJURED, {"person.age": 54}))


def test_ottawa_window_is_seven_days_inclusive() -> None:
    base = changed(INJURED, {"signs.tender_kneecap": True})
    assert "ottawa_knee_rule" in flag_ids(changed(base, {"history.injury.days_ago": 7}))
    assert "ottawa_knee_rule" not in flag_ids(changed(base, {"history.injury.days_ago": 7.5}))
