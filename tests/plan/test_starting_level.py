"""The starting level (data/starting_levels.yaml, core/starting_level.py): which answers set it,
that frail signs only ever lower it, that a missing test never means the bottom, and that the
data file is checked at load."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.core.intake import parse_intake
from kneecoach.core.starting_level import LEVELS, rank_of, stance_mean_for, starting_level
from kneecoach.data.exercises import load_catalogue
from kneecoach.data.files import read_yaml
from kneecoach.data.self_tests import find_self_test
from kneecoach.data.starting_levels import (
    StartingLevelDataError,
    build_starting_levels,
    load_starting_levels,
)

RULES = load_starting_levels()
CATALOGUE = load_catalogue()


def person(**answers: Any) -> dict[str, Any]:
    """A minimal intake: `age`, `activities`, `level` (UCLA), `now`, `worst`, `tests`."""
    doc: dict[str, Any] = {"spec": "kneecoach-intake/1"}
    if "age" in answers:
        doc["person"] = {"age": answers["age"]}
    if "activities" in answers:
        doc["history"] = {"activities": answers["activities"]}
    if "level" in answers:
        doc["activity_level"] = answers["level"]
    pain = {
        k: answers[n] for k, n in (("now", "now"), ("worst_last_week", "worst")) if n in answers
    }
    if pain:
        doc["pain"] = pain
    if "tests" in answers:
        doc["self_tests"] = answers["tests"]
    if "giving_way" in answers:
        doc["signs"] = {"giving_way": answers["giving_way"]}
    return doc


def level_of(doc: dict[str, Any]) -> str:
    return starting_level(parse_intake(doc), RULES).level


# ── Which answers set it ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("doc", "level", "words"),
    [
        (person(tests={"chair_stand_30s": 14.0}), "general", None),
        (person(tests={"chair_stand_30s": 16.0}), "active", "You stood up 16 times in 30 seconds"),
        (person(tests={"chair_stand_30s": 6.0}), "frail", "You stood up 6 times in 30 seconds"),
        (person(age=75, tests={"timed_up_and_go_s": 14.0}), "frail", "You took 14 seconds"),
        (person(age=40, activities=["cycling"]), "active", "Your activities include cycling"),
        (person(age=22, level=10, now=1, worst=2), "athletic", "activity 10 out of 10"),
        (person(age=22, level=10, now=1, worst=7), "active", "worst last week"),
        (person(age=22, level=10, now=8), "general", "worst last week"),
        (person(age=30, level=5, activities=["running"]), "general", "activity 5 out of 10"),
        (person(age=70, level=1), "frail", "mostly resting"),
        (person(age=45), "general", "You are 45"),
        (person(), "general", "no test result or answer"),
        (person(age=85, level=8), "general", "You are 85"),
        (person(age=14, level=10, now=0, worst=1), "active", "still growing"),
        (person(age=40, giving_way=True, level=9, now=0, worst=1), "general", "gives way"),
        (person(age=72, tests={"single_leg_stance_s": {"left": 25.0, "right": 22.0}}),
         "active", "22 seconds or more"),
        (person(age=72, tests={"single_leg_stance_s": {"left": 25.0, "right": 15.0}}),
         "general", "less than the 21 seconds"),
        (person(age=72, tests={"single_leg_stance_s": {"left": 25.0, "right": 8.0}}),
         "frail", "less than half the 21 seconds"),
        (person(age=50, tests={"fast_walk_40m_s": 55.0}), "frail", "40 metre walk took 55"),
        (person(age=50, tests={"stair_climb_s": 25.0}), "general", "stair climb took you 25"),
        (person(tests={"bridge_hold_s": 50.0}), "active", "bridge for 50 seconds"),
        (person(tests={"side_plank_s": {"left": 60.0, "right": 50.0}}), "active", "50 seconds"),
    ],
)  # fmt: skip
def test_the_answers_set_the_level_and_the_reasons_name_them(
    doc: dict[str, Any], level: str, words: str | None
) -> None:
    result = starting_level(parse_intake(doc), RULES)
    assert result.level == level
    assert result.reasons, "there is always a reason"
    assert all(r.endswith(".") and "{" not in r for r in result.reasons)
    assert result.reasons[0].endswith(f"so you start at the {RULES.level(level).name} level.")
    if words is not None:
        assert any(words in r for r in result.reasons), result.reasons


def test_safety_signs_beat_fitness_and_the_tie_rule_says_so() -> None:
    doc = person(age=70, level=9, activities=["tennis"], tests={"timed_up_and_go_s": 13.0})
    result = starting_level(parse_intake(doc), RULES)
    assert result.level == "frail" and result.set_by == ("slow_up_and_go",)
    assert result.reasons[-1] == RULES.tie_text
    assert result.as_json() == {
        "level": "frail",
        "name": "supported",
        "text": RULES.level("frail").text,
        "reasons": list(result.reasons),
        "set_by": ["slow_up_and_go"],
    }


def test_athletic_needs_positive_evidence() -> None:
    """No answer at all, or only strong tests, never reaches athletic."""
    strong = {"chair_stand_30s": 30.0, "bridge_hold_s": 60.0, "side_plank_s": {"left": 90.0}}
    assert level_of(person()) == "general"
    assert level_of(person(age=25, tests=strong, now=0, worst=0)) == "active"
    assert level_of(person(age=25, tests=strong, now=0, worst=0, level=9)) == "athletic"


def test_stance_norms_follow_the_age_bands_and_match_self_tests() -> None:
    assert stance_mean_for(None, RULES.stance_bands) is None
    assert stance_mean_for(15, RULES.stance_bands) == 44  # under 18: the youngest band
    assert stance_mean_for(45, RULES.stance_bands) == 41
    assert stance_mean_for(82, RULES.stance_bands) == 9
    listed = {n.value for n in find_self_test("single_leg_stance_s").norms or () if n.value}
    assert {b.mean_s for b in RULES.stance_bands} <= listed


# ── Hypothesis: frail signs only lower it, a missing test never drops it to frail ──────────

tests_drawn = st.fixed_dictionaries(
    {},
    optional={
        "chair_stand_30s": st.integers(0, 40).map(float),
        "timed_up_and_go_s": st.integers(5, 30).map(float),
        "single_leg_stance_s": st.fixed_dictionaries(
            {"left": st.integers(0, 45).map(float), "right": st.integers(0, 45).map(float)}
        ),
        "bridge_hold_s": st.integers(0, 60).map(float),
        "side_plank_s": st.fixed_dictionaries({"left": st.integers(0, 120).map(float)}),
        "fast_walk_40m_s": st.integers(15, 80).map(float),
        "stair_climb_s": st.integers(4, 40).map(float),
    },
)


@st.composite
def people(draw: st.DrawFn) -> dict[str, Any]:
    answers: dict[str, Any] = {"tests": draw(tests_drawn)}
    for key, strategy in (
        ("age", st.integers(10, 95)),
        ("activities", st.lists(st.sampled_from(["running", "cycling", "walking", "tennis"]))),
        ("level", st.integers(1, 10)),
        ("now", st.integers(0, 10)),
        ("worst", st.integers(0, 10)),
        ("giving_way", st.booleans()),
    ):
        if draw(st.booleans()):
            answers[key] = draw(strategy)
    return person(**answers)


FRAIL_SIGNS: list[tuple[str, Any]] = [
    ("self_tests.timed_up_and_go_s", 14.0),
    ("self_tests.chair_stand_30s", 5.0),
    ("self_tests.single_leg_stance_s", {"left": 1.0, "right": 1.0}),
    ("self_tests.fast_walk_40m_s", 60.0),
    ("activity_level", 1),
]


def with_answer(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    *parents, leaf = path.split(".")
    node = out
    for name in parents:
        node = node.setdefault(name, {})
    node[leaf] = value
    return out


@settings(max_examples=150, deadline=None)
@given(people(), st.sampled_from(FRAIL_SIGNS))
def test_adding_a_frail_sign_never_raises_the_level(
    doc: dict[str, Any], sign: tuple[str, Any]
) -> None:
    before = level_of(doc)
    after_doc = with_answer(doc, *sign)
    after = level_of(after_doc)
    assert rank_of(after) <= rank_of(before)
    # a stance time means nothing without an age; every other sign is frail on its own
    if "person" in after_doc or not sign[0].endswith("stance_s"):
        assert after == "frail"


@settings(max_examples=150, deadline=None)
@given(people(), st.data())
def test_removing_a_test_never_drops_the_level_to_frail_by_itself(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    tests = doc.get("self_tests") or {}
    if not tests:
        return
    name = data.draw(st.sampled_from(sorted(tests)))
    fewer = copy.deepcopy(doc)
    del fewer["self_tests"][name]
    if level_of(doc) != "frail":
        assert level_of(fewer) != "frail"


@settings(max_examples=60, deadline=None)
@given(people())
def test_the_level_is_deterministic(doc: dict[str, Any]) -> None:
    first = starting_level(parse_intake(doc), RULES)
    again = starting_level(parse_intake(copy.deepcopy(doc)), RULES)
    assert first == again and first.level in LEVELS


# ── The catalogue's rungs ───────────────────────────────────────────────────────────────


def test_every_exercise_says_where_it_may_start_and_ladders_only_climb() -> None:
    for exercise in CATALOGUE.exercises:
        assert exercise.start_level in LEVELS, exercise.id
        if exercise.harder is not None:
            harder = CATALOGUE.get(exercise.harder)
            assert harder is not None and harder.start_level is not None
            assert rank_of(harder.start_level) >= rank_of(exercise.start_level), exercise.id


# ── The data file is checked at load ────────────────────────────────────────────────────


def raw() -> dict[str, Any]:
    return copy.deepcopy(read_yaml("starting_levels.yaml"))


def test_a_rule_on_an_unknown_answer_is_refused() -> None:
    doc = raw()
    doc["rules"][0]["when"] = {"self_tests.chair_stands": {"lt": 8}}
    with pytest.raises(StartingLevelDataError, match=r"self_tests\.chair_stands"):
        build_starting_levels(doc)


def test_an_unknown_placeholder_is_refused() -> None:
    doc = raw()
    doc["rules"][0]["text"] = "You took {seconds} seconds"
    with pytest.raises(StartingLevelDataError, match="seconds"):
        build_starting_levels(doc)


def test_levels_must_be_the_four_lowest_first() -> None:
    doc = raw()
    doc["levels"].reverse()
    with pytest.raises(StartingLevelDataError, match="lowest first"):
        build_starting_levels(doc)


def test_a_rule_without_a_source_is_refused() -> None:
    doc = raw()
    del doc["rules"][0]["source"]
    with pytest.raises(StartingLevelDataError, match=r"rules\.0\.source"):
        build_starting_levels(doc)


def test_a_missing_rung_text_is_refused() -> None:
    doc = raw()
    doc["rung_texts"] = doc["rung_texts"][1:]
    with pytest.raises(StartingLevelDataError, match="rung_texts: missing"):
        build_starting_levels(doc)
