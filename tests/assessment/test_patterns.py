"""Each pattern: a typical intake fits it best, and a contrasting intake does not."""

from __future__ import annotations

from typing import Any

import pytest

from kneecoach.data.assessment import SPEC_PATTERN_IDS
from tests.assessment.factories import assessed, pattern, quiet


def top_pattern(document: dict[str, Any]) -> str | None:
    patterns = assessed(document).patterns
    return patterns[0].id if patterns else None


PFP = quiet(
    person={"age": 24, "sex": "female"},
    history={"activities": ["running"]},
    pain={
        "location": ["front", "behind_kneecap"],
        "worse_with": ["stairs", "squatting", "sitting_long"],
    },
)
OA = quiet(
    person={"age": 63, "sex": "female"},
    history={"weeks_since_onset": 60},
    pain={"location": ["inner"], "worse_with": ["walking", "stairs", "standing"]},
    signs={"morning_stiffness_min": 15, "clicking": True},
)
ITB = quiet(
    person={"age": 31, "sex": "female"},
    history={"activities": ["running"], "training_change_last_4_weeks": "increase"},
    pain={"location": ["outer"], "worse_with": ["running"]},
)
TENDON = quiet(
    person={"age": 22, "sex": "male"},
    history={"activities": ["volleyball"]},
    pain={"location": ["below_kneecap"], "worse_with": ["jumping", "squatting"]},
)
MENISCUS = quiet(
    person={"age": 38},
    history={
        "onset": "injury",
        "weeks_since_onset": 3,
        "injury": {
            "mechanism": "twist",
            "days_ago": 21,
            "high_energy": False,
            "heard_pop": False,
            "could_walk_4_steps_right_after": True,
            "swelling_within_hours": 24,
        },
    },
    pain={"location": ["inner"], "worse_with": ["twisting", "squatting"]},
    signs={"catching": True, "swelling": 1},
)
LIGAMENT = quiet(
    person={"age": 27},
    history={
        "onset": "injury",
        "weeks_since_onset": 20,
        "activities": ["football"],
        "injury": {
            "mechanism": "landing",
            "days_ago": 140,
            "high_energy": False,
            "heard_pop": True,
            "could_walk_4_steps_right_after": True,
            "swelling_within_hours": 1,
        },
    },
    pain={"location": ["whole"], "worse_with": ["twisting"]},
    signs={"giving_way": True},
)
INFLAMMATORY = quiet(
    person={"age": 36, "sex": "female"},
    pain={"location": ["whole"], "worse_with": ["walking"], "at_rest": True},
    signs={"morning_stiffness_min": 75, "swelling": 1},
    general={"other_swollen_joints": 3},
)
KNEECAP = quiet(
    person={"age": 16, "sex": "female"},
    history={"kneecap_dislocation": "recurrent", "activities": ["netball"]},
    pain={"location": ["front"], "worse_with": ["twisting", "stairs"]},
    signs={"giving_way": True},
)
GROWTH = quiet(
    person={"age": 12, "sex": "male", "height_cm": 150, "weight_kg": 40},
    history={"activities": ["football"]},
    pain={"location": ["below_kneecap"], "worse_with": ["running", "jumping", "kneeling"]},
)

TYPICAL = {
    "patellofemoral_pain": PFP,
    "knee_osteoarthritis": OA,
    "itb_syndrome": ITB,
    "patellar_tendinopathy": TENDON,
    "meniscal_symptoms": MENISCUS,
    "ligament_instability": LIGAMENT,
    "inflammatory_arthritis": INFLAMMATORY,
    "patellar_instability": KNEECAP,
    "adolescent_growth_plate": GROWTH,
}

# A contrasting intake, changed in the one feature that tells the patterns apart.
CONTRASTS: dict[str, dict[str, Any]] = {
    # PFP is around the kneecap: the same runner with pain on the outside fits ITB instead
    "patellofemoral_pain": quiet(
        person={"age": 24, "sex": "female"},
        history={"activities": ["running"]},
        pain={"location": ["outer"], "worse_with": ["running", "stairs"]},
    ),
    # osteoarthritis needs age 45 or more
    "knee_osteoarthritis": quiet(
        person={"age": 44, "sex": "female"},
        pain={"location": ["inner"], "worse_with": ["walking", "stairs"]},
        signs={"morning_stiffness_min": 15, "clicking": True},
    ),
    # ITB is outer pain: the same runner with front pain fits PFP
    "itb_syndrome": quiet(
        person={"age": 31, "sex": "female"},
        history={"activities": ["running"], "training_change_last_4_weeks": "increase"},
        pain={"location": ["front"], "worse_with": ["running"]},
    ),
    # the tendon spot is below the kneecap: front pain on jumping fits PFP
    "patellar_tendinopathy": quiet(
        person={"age": 22, "sex": "male"},
        history={"activities": ["volleyball"]},
        pain={"location": ["front"], "worse_with": ["jumping", "squatting"]},
    ),
    # no catching, no twist, pain at the front: no meniscal pattern
    "meniscal_symptoms": quiet(
        person={"age": 38},
        pain={"location": ["front"], "worse_with": ["stairs", "squatting"]},
    ),
    # giving way with no injury is not the ligament pattern
    "ligament_instability": quiet(
        person={"age": 27},
        pain={"location": ["whole"], "worse_with": ["twisting"]},
        signs={"giving_way": True},
    ),
    # short stiffness, one joint, no warmth: no inflammatory pattern
    "inflammatory_arthritis": quiet(
        person={"age": 36, "sex": "female"},
        pain={"location": ["whole"], "worse_with": ["walking"]},
        signs={"morning_stiffness_min": 10, "swelling": 1},
    ),
    # the kneecap never came out
    "patellar_instability": quiet(
        person={"age": 16, "sex": "female"},
        pain={"location": ["front"], "worse_with": ["twisting", "stairs"]},
        signs={"giving_way": True},
    ),
    # the same pain at 25 is not a growth-plate pattern
    "adolescent_growth_plate": quiet(
        person={"age": 25, "sex": "male"},
        history={"activities": ["football"]},
        pain={"location": ["below_kneecap"], "worse_with": ["running", "jumping", "kneeling"]},
    ),
}


def test_every_spec_pattern_has_a_typical_and_a_contrasting_case() -> None:
    assert set(TYPICAL) == set(SPEC_PATTERN_IDS) == set(CONTRASTS)


@pytest.mark.parametrize("pattern_id", SPEC_PATTERN_IDS)
def test_a_typical_intake_fits_its_pattern_best(pattern_id: str) -> None:
    document = TYPICAL[pattern_id]
    assert top_pattern(document) == pattern_id
    found = pattern(document, pattern_id)
    assert found is not None and 0.5 <= found.fit <= 1 and found.why
    assert "fit a pattern often called" in found.summary


@pytest.mark.parametrize("pattern_id", SPEC_PATTERN_IDS)
def test_a_contrasting_intake_does_not_fit_it(pattern_id: str) -> None:
    assert pattern(CONTRASTS[pattern_id], pattern_id) is None


def test_outer_pain_in_a_runner_fits_itb_and_front_pain_fits_pfp() -> None:
    assert top_pattern(CONTRASTS["patellofemoral_pain"]) == "itb_syndrome"
    assert top_pattern(CONTRASTS["itb_syndrome"]) == "patellofemoral_pain"
    assert top_pattern(CONTRASTS["patellar_tendinopathy"]) == "patellofemoral_pain"


def test_below_the_kneecap_in_a_12_year_old_fits_the_growth_plate_better_than_the_tendon() -> None:
    growth = pattern(GROWTH, "adolescent_growth_plate")
    tendon = pattern(GROWTH, "patellar_tendinopathy")
    assert growth is not None and tendon is not None
    assert growth.fit > tendon.fit
    assert any("person.age = 12" in line for line in tendon.against)


def test_features_against_a_pattern_lower_its_fit_and_are_named() -> None:
    plain = pattern(ITB, "itb_syndrome")
    swollen = pattern(quiet(**{**ITB, "signs": {**ITB["signs"], "swelling": 2}}), "itb_syndrome")
    assert plain is not None and swollen is not None
    assert swollen.fit < plain.fit
    assert "signs.swelling = 2" in swollen.against


def test_why_names_the_required_and_supporting_answers() -> None:
    found = pattern(OA, "knee_osteoarthritis")
    assert found is not None
    assert "person.age = 63" in found.why
    assert "signs.morning_stiffness_min = 15" in found.why
    assert "signs.clicking = true" in found.why


def test_an_unknown_required_answer_means_the_pattern_does_not_fit() -> None:
    unknown_stiffness = quiet(**{**OA, "signs": {**OA["signs"], "morning_stiffness_min": None}})
    assert pattern(unknown_stiffness, "knee_osteoarthritis") is None


def test_long_morning_stiffness_moves_an_older_person_from_osteoarthritis_to_inflammatory() -> None:
    stiff = quiet(**{**OA, "signs": {**OA["signs"], "morning_stiffness_min": 45}})
    assert pattern(stiff, "knee_osteoarthritis") is None
    assert top_pattern(stiff) == "inflammatory_arthritis"


def test_patterns_are_sorted_by_fit_and_all_fit_above_zero() -> None:
    for document in [*TYPICAL.values(), *CONTRASTS.values()]:
        fits = [p.fit for p in assessed(document).patterns]
        assert fits == sorted(fits, reverse=True)
        assert all(0 < fit <= 1 for fit in fits)
