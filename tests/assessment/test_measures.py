"""Derived measures: the numbers rules compare with norms, worked out from the answers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.intake import parse_intake
from kneecoach.core.measures import DERIVED_FACTS, DerivedFact, derive_measures
from kneecoach.data.assessment import load_assessment_knowledge
from kneecoach.data.self_tests import load_chair_stand_norms
from tests.assessment.factories import quiet


def measures(**changes: Any) -> dict[str, DerivedFact]:
    return derive_measures(parse_intake(quiet(**changes)), load_assessment_knowledge().measures)


def test_every_derived_fact_made_is_declared() -> None:
    made = measures(
        knee={"side": "both"},
        self_tests={
            "knee_to_wall_cm": {"left": 8, "right": 10},
            "side_plank_s": {"left": 40, "right": 20},
            "chair_stand_30s": 10,
            "single_leg_squat_knee_caves_in": {"left": True},
            "single_leg_squat_pelvis_drops": {"right": False},
            "thomas_test_positive": {"right": True},
            "navicular_drop_mm": {"left": 4, "right": 11},
        },
    )
    assert set(made) == set(DERIVED_FACTS)


def test_body_mass_index_for_adults_only() -> None:
    bmi = measures(person={"height_cm": 170, "weight_kg": 72.25})["derived.bmi"]
    assert bmi.value == pytest.approx(25.0, abs=1e-9)
    nearly = measures(person={"height_cm": 170, "weight_kg": 72.15})["derived.bmi"]
    assert nearly.value < 25, "compared unrounded (second edition)"
    assert "24.9" in nearly.text, "shown cut, never rounded up over a band's edge"
    assert "derived.bmi" not in measures(person={"age": 17})
    assert "derived.bmi" not in measures(person={"age": None})
    assert "derived.bmi" not in measures(person={"weight_kg": None})


def test_knee_to_wall_reads_the_painful_side_or_the_worse_side() -> None:
    pair = {"knee_to_wall_cm": {"left": 7, "right": 11}}
    assert measures(self_tests=pair)["derived.knee_to_wall_painful_cm"].value == 11
    assert (
        measures(knee={"side": "left"}, self_tests=pair)["derived.knee_to_wall_painful_cm"].value
        == 7
    )
    worse = measures(knee={"side": "both"}, self_tests=pair)["derived.knee_to_wall_painful_cm"]
    assert worse.value == 7 and "worse side (left)" in worse.text
    unknown_side = measures(knee=None, self_tests=pair)["derived.knee_to_wall_painful_cm"]
    assert unknown_side.value == 7


def test_painful_side_unknown_when_only_the_other_side_was_measured() -> None:
    made = measures(self_tests={"knee_to_wall_cm": {"left": 7}})
    assert "derived.knee_to_wall_painful_cm" not in made
    assert "derived.knee_to_wall_difference_cm" not in made


def test_side_to_side_difference_has_no_float_noise() -> None:
    made = measures(self_tests={"knee_to_wall_cm": {"left": 9.1, "right": 7.6}})
    assert made["derived.knee_to_wall_difference_cm"].value == 1.5


def test_side_plank_asymmetry_is_a_percentage_of_the_longer_side() -> None:
    made = measures(self_tests={"side_plank_s": {"left": 30, "right": 40}})
    assert made["derived.side_plank_asymmetry_pct"].value == 25.0
    assert "derived.side_plank_asymmetry_pct" not in measures(
        self_tests={"side_plank_s": {"left": 0, "right": 0}}
    )


@pytest.mark.parametrize(
    ("age", "sex", "expected"),
    [
        (60, "female", 12), (64, "female", 12), (65, "female", 11), (70, "female", 10),
        (75, "female", 10), (80, "female", 9), (85, "female", 8), (90, "female", 4),
        (60, "male", 14), (65, "male", 12), (70, "male", 12), (75, "male", 11),
        (80, "male", 10), (85, "male", 8), (94, "male", 7),
        (30, "male", 14), (59, "female", 12), (101, "male", 7), (101, "female", 4),
        (66, "other", 11), (66, None, 11), (50, "other", 12),
    ],
)  # fmt: skip
def test_chair_stand_25th_percentile_by_age_and_sex(
    age: int, sex: str | None, expected: float
) -> None:
    value, _ = load_chair_stand_norms().percentile_25(age, sex)
    assert value == expected


@given(age=st.integers(0, 120), sex=st.sampled_from(["female", "male"]))
def test_other_sex_uses_a_norm_no_higher_than_either_sex(age: int, sex: str) -> None:
    norms = load_chair_stand_norms()
    other, _ = norms.percentile_25(age, "other")
    assert other <= norms.percentile_25(age, sex)[0]
