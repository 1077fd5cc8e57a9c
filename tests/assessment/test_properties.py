"""Properties over many intakes: bounded scores, and more evidence never means less."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.assessment.factories import assessed, quiet

maybe_bool = st.one_of(st.none(), st.booleans())


def sides(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={"left": values, "right": values})


self_tests = st.fixed_dictionaries(
    {},
    optional={
        "knee_to_wall_cm": sides(st.floats(0, 40, allow_nan=False)),
        "single_leg_squat_knee_caves_in": sides(st.booleans()),
        "single_leg_squat_pelvis_drops": sides(st.booleans()),
        "bridge_hold_s": st.floats(0, 60, allow_nan=False),
        "chair_stand_30s": st.integers(0, 40),
        "side_plank_s": sides(st.floats(0, 600, allow_nan=False)),
        "thomas_test_positive": sides(st.booleans()),
        "navicular_drop_mm": sides(st.floats(0, 40, allow_nan=False)),
    },
)

locations = st.lists(
    st.sampled_from(
        ["front", "behind_kneecap", "below_kneecap", "inner", "outer", "back", "whole"]
    ),
    unique=True,
)
triggers = st.lists(
    st.sampled_from(
        ["stairs", "squatting", "kneeling", "sitting_long", "running", "jumping", "walking",
         "standing", "twisting"]
    ),
    unique=True,
)  # fmt: skip


@st.composite
def intakes(draw: st.DrawFn) -> dict[str, Any]:
    return quiet(
        person={
            "age": draw(st.one_of(st.none(), st.integers(8, 100))),
            "sex": draw(st.sampled_from(["female", "male", "other", None])),
            "height_cm": draw(st.floats(120, 210, allow_nan=False)),
            "weight_kg": draw(st.floats(30, 180, allow_nan=False)),
        },
        knee={"side": draw(st.sampled_from(["left", "right", "both", None]))},
        pain={"location": draw(locations), "worse_with": draw(triggers)},
        signs={
            "swelling": draw(st.integers(0, 3)),
            "morning_stiffness_min": draw(st.one_of(st.none(), st.integers(0, 120))),
            "clicking": draw(maybe_bool),
            "catching": draw(maybe_bool),
            "giving_way": draw(maybe_bool),
            "weakness": draw(maybe_bool),
        },
        hip={"groin_or_hip_pain": draw(maybe_bool), "limp": draw(maybe_bool)},
        back={"low_back_pain": draw(maybe_bool), "leg_pain_below_knee": draw(maybe_bool)},
        foot={"flat_feet": draw(maybe_bool)},
        shoes={
            "main_pair_km": draw(st.one_of(st.none(), st.floats(0, 2000, allow_nan=False))),
            "main_pair_months": draw(st.one_of(st.none(), st.integers(0, 60))),
        },
        self_tests=draw(self_tests),
    )


@settings(max_examples=150, deadline=None)
@given(intakes())
def test_strengths_and_fits_stay_between_0_and_1_and_come_sorted(document: dict[str, Any]) -> None:
    result = assessed(document)
    strengths = [c.strength for c in result.contributors]
    fits = [p.fit for p in result.patterns]
    assert all(0 < s <= 1 for s in strengths)
    assert all(0 < f <= 1 for f in fits)
    assert strengths == sorted(strengths, reverse=True)
    assert fits == sorted(fits, reverse=True)
    assert all(c.why for c in result.contributors)


# One more positive answer each: every one is evidence for some contributor.
MORE_EVIDENCE: list[dict[str, Any]] = [
    {"hip": {"groin_or_hip_pain": True}},
    {"hip": {"hip_stiff": True}},
    {"hip": {"limp": True}},
    {"back": {"leg_pain_below_knee": True}},
    {"back": {"low_back_pain": True}},
    {"back": {"pain_changes_with_back_movement": True}},
    {"foot": {"flat_feet": True}},
    {"foot": {"ankle_rolls_in": True}},
    {"shoes": {"midsole_creased": True}},
    {"shoes": {"uneven_heel_wear": True}},
    {"shoes": {"heel_counter_soft": True}},
    {"history": {"training_change_last_4_weeks": "increase"}},
    {"signs": {"weakness": True}},
    {"signs": {"giving_way": True}},
    {"self_tests": {"single_leg_squat_knee_caves_in": {"left": True, "right": True}}},
    {"self_tests": {"single_leg_squat_pelvis_drops": {"left": True, "right": True}}},
    {"self_tests": {"thomas_test_positive": {"left": True, "right": True}}},
]


@settings(max_examples=150, deadline=None)
@given(intakes(), st.sampled_from(MORE_EVIDENCE))
def test_adding_evidence_never_lowers_a_contributor(
    document: dict[str, Any], extra: dict[str, Any]
) -> None:
    before = {c.id: c.strength for c in assessed(document).contributors}
    after = {c.id: c.strength for c in assessed(merge_in(document, extra)).contributors}
    for contributor_id, strength in before.items():
        assert contributor_id in after
        assert after[contributor_id] >= strength - 1e-12


@settings(max_examples=100, deadline=None)
@given(intakes(), st.floats(0, 2000, allow_nan=False), st.floats(0, 2000, allow_nan=False))
def test_more_shoe_distance_never_lowers_worn_footwear(
    document: dict[str, Any], km: float, more: float
) -> None:
    def strength(distance: float) -> float:
        changed = merge_in(document, {"shoes": {"main_pair_km": distance}})
        found = [c for c in assessed(changed).contributors if c.id == "worn_footwear"]
        return found[0].strength if found else 0.0

    assert strength(km + more) >= strength(km)


def merge_in(document: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`document` with the sections of `extra` laid over it, one level deep."""
    result = dict(document)
    for section, values in extra.items():
        merged = dict(result.get(section) or {})
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
        result[section] = merged
    return result


@settings(max_examples=100, deadline=None)
@given(intakes())
def test_unknown_answers_never_create_a_contributor(document: dict[str, Any]) -> None:
    """Removing an answer (making it unknown) never adds a contributor nor raises one."""
    before = {c.id: c.strength for c in assessed(document).contributors}
    for section in ("hip", "back", "foot", "shoes", "self_tests"):
        stripped = {k: v for k, v in document.items() if k != section}
        after = {c.id: c.strength for c in assessed(stripped).contributors}
        assert set(after) <= set(before)
        assert all(after[k] <= before[k] + 1e-12 for k in after)
