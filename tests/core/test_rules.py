"""The rule evaluator: operators, three-valued logic, the "why" lines, and bad rule files."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.core.rules import (
    ABSENT,
    AllOf,
    AnyOf,
    Leaf,
    NotOf,
    describe_condition,
    evaluate,
    parse_condition,
    paths_in,
)


def check(rule: Any, facts: dict[str, Any]) -> bool | None:
    return evaluate(parse_condition(rule), facts).truth


def test_equality_and_the_why_line() -> None:
    outcome = evaluate(parse_condition({"signs.clicking": True}), {"signs.clicking": True})
    assert outcome.truth is True
    assert outcome.because == ("signs.clicking = true",)


@pytest.mark.parametrize(
    ("op", "value", "answer", "expected"),
    [
        ("ge", 2, 2, True),
        ("ge", 2, 1, False),
        ("gt", 2, 2, False),
        ("le", 7, 7.0, True),
        ("lt", 9, 8.9, True),
        ("lt", 9, 9, False),
        ("ne", "same", "increase", True),
        ("in", ["once", "recurrent"], "once", True),
        ("in", ["once", "recurrent"], "never", False),
        ("contains", "front", ["front", "inner"], True),
        ("contains", "front", ["inner"], False),
        ("contains_any", ["stairs", "squatting"], ["walking", "stairs"], True),
        ("contains_any", ["stairs", "squatting"], ["walking"], False),
    ],
)
def test_operators(op: str, value: Any, answer: Any, expected: bool) -> None:
    assert check({"a.b": {op: value}}, {"a.b": answer}) is expected


def test_booleans_never_equal_numbers() -> None:
    assert check({"a.b": 1}, {"a.b": True}) is False
    assert check({"a.b": True}, {"a.b": 1}) is False
    assert check({"a.b": {"ge": 0}}, {"a.b": True}) is False


def test_unknown_is_never_no() -> None:
    outcome = evaluate(parse_condition({"signs.warm": False}), {})
    assert outcome.truth is None
    assert outcome.unknown == ("signs.warm",)
    assert check({"not": {"signs.warm": True}}, {}) is None


def test_absent_answers_are_a_definite_no() -> None:
    assert (
        check(
            {"history.recent_surgery_weeks": {"le": 12}}, {"history.recent_surgery_weeks": ABSENT}
        )
        is False
    )
    assert check({"not": {"x.y": {"le": 12}}}, {"x.y": ABSENT}) is True


def test_kleene_logic() -> None:
    facts = {"a.t": True, "a.f": False}
    assert check({"all": [{"a.t": True}, {"a.u": True}]}, facts) is None
    assert check({"all": [{"a.f": True}, {"a.u": True}]}, facts) is False
    assert check({"any": [{"a.t": True}, {"a.u": True}]}, facts) is True
    assert check({"any": [{"a.f": True}, {"a.u": True}]}, facts) is None


def test_any_reports_only_the_branches_that_held() -> None:
    rule = {"any": [{"a.x": True}, {"a.y": {"ge": 2}}, {"a.z": True}]}
    outcome = evaluate(parse_condition(rule), {"a.x": False, "a.y": 3, "a.z": True})
    assert outcome.because == ("a.y = 3", "a.z = true")


def test_a_mapping_of_several_answers_means_all_of_them() -> None:
    rule = parse_condition({"a.x": True, "a.y": {"lt": 3}})
    assert isinstance(rule, AllOf)
    assert evaluate(rule, {"a.x": True, "a.y": 2}).because == ("a.x = true", "a.y = 2")


def test_describe_and_paths() -> None:
    rule = parse_condition({"any": [{"a.x": {"ge": 2}}, {"not": {"b.y": True}}]})
    assert describe_condition(rule) == "(a.x ≥ 2 or not b.y = true)"
    assert paths_in(rule) == ("a.x", "b.y")


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({}, "non-empty mapping"),
        ([], "non-empty mapping"),
        ({"all": []}, "non-empty list"),
        ({"warm": True}, "not an answer path"),
        ({"a.b": {"bigger": 2}}, "unknown operator"),
        ({"a.b": {"ge": 2, "le": 3}}, "exactly one operator"),
    ],
)
def test_bad_rules_are_rejected_with_their_place(rule: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_condition(rule, "rules[3].when")


truths = st.sampled_from([True, False, None])


def leaf_for(value: bool | None, name: str) -> tuple[Leaf, dict[str, Any]]:
    facts: dict[str, Any] = {} if value is None else {name: value}
    return Leaf(name, "eq", True), facts


@given(st.lists(truths, min_size=1, max_size=6))
def test_all_and_any_follow_kleene_truth_tables(values: list[bool | None]) -> None:
    leaves, facts = [], {}
    for i, value in enumerate(values):
        leaf, fact = leaf_for(value, f"q.n{i}")
        leaves.append(leaf)
        facts.update(fact)
    all_truth = evaluate(AllOf(tuple(leaves)), facts).truth
    any_truth = evaluate(AnyOf(tuple(leaves)), facts).truth
    expected_all = False if False in values else (None if None in values else True)
    expected_any = True if True in values else (None if None in values else False)
    assert all_truth is expected_all
    assert any_truth is expected_any
    negated = evaluate(NotOf(AllOf(tuple(leaves))), facts).truth
    assert negated is (None if expected_all is None else not expected_all)


def test_known_reads_whether_a_question_was_answered() -> None:
    unanswered = {"history.injury.days_ago": {"known": False}}
    assert check(unanswered, {}) is True
    assert check(unanswered, {"history.injury.days_ago": 3}) is False
    assert (
        check({"history.injury.days_ago": {"known": True}}, {"history.injury.days_ago": 3}) is True
    )
    outcome = evaluate(parse_condition(unanswered), {})
    assert outcome.because == ("history.injury.days_ago not answered",)


def test_recent_or_undated_is_never_unknown() -> None:
    window = {"any": [{"a.days": {"le": 42}}, {"a.days": {"known": False}}]}
    assert check(window, {}) is True
    assert check(window, {"a.days": 10}) is True
    assert check(window, {"a.days": 200}) is False


def test_known_needs_true_or_false() -> None:
    with pytest.raises(ValueError, match="known takes true or false"):
        parse_condition({"a.b": {"known": "no"}})
