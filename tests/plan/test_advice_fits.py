"""Advice that fits the person (issue 12, item 8): bike fit for cyclists, a walking stick
when walking hurts with arthritis, a pharmacist's gel for adults with arthritis, minimal shoes,
and no running advice for someone who does not run."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from kneecoach.core.intake import parse_intake
from kneecoach.core.planning import Plan
from kneecoach.services.plan import plan_for
from tests.db import in_session
from tests.plan.intakes import HIKER, OLDER_WALKER, example, self_care_intakes, with_changes


def plan_of(doc: dict[str, Any]) -> Plan:
    return in_session(plan_for, parse_intake(doc))


def advice_ids(doc: dict[str, Any]) -> set[str]:
    return {item.id for item in plan_of(doc).advice}


def outer_knee(activities: list[str]) -> dict[str, Any]:
    return with_changes(
        example(HIKER),
        {"pain.location": ["outer"], "history.activities": activities, "pain.worse_with": []},
    )


def test_a_runner_with_outer_knee_pain_is_told_about_downhill_runs() -> None:
    ids = advice_ids(outer_knee(["running"]))
    assert "outer_knee_load" in ids
    assert "bike_fit_outer_knee" not in ids


def test_a_cyclist_with_outer_knee_pain_gets_bike_fit_not_running_advice() -> None:
    plan = plan_of(outer_knee(["cycling"]))
    ids = {item.id for item in plan.advice}
    assert "bike_fit_outer_knee" in ids and "outer_knee_load" not in ids
    text = next(item.text for item in plan.advice if item.id == "bike_fit_outer_knee")
    assert "saddle" in text and "too high" in text


def test_a_cyclist_with_front_knee_pain_is_told_a_low_saddle_loads_the_kneecap() -> None:
    doc = with_changes(example(HIKER), {"history.activities": ["cycling"]})
    assert "bike_fit_front_knee" in advice_ids(doc)
    assert "bike_fit_front_knee" not in advice_ids(example(HIKER))  # the hiker does not cycle


def test_arthritis_with_painful_walking_gets_a_stick_in_the_other_hand() -> None:
    walking_hurts = with_changes(example(OLDER_WALKER), {"pain.worse_with": ["walking"]})
    plan = plan_of(walking_hurts)
    stick = next(item for item in plan.advice if item.id == "walking_stick")
    assert "other side from the sore knee" in stick.text
    calm = with_changes(example(OLDER_WALKER), {"pain.worse_with": ["stairs"]})
    assert "walking_stick" not in advice_ids(calm)


def test_adults_with_arthritis_are_told_to_ask_a_pharmacist_about_a_gel() -> None:
    plan = plan_of(with_changes(example(OLDER_WALKER), {"country": "GB"}))
    gel = next(item for item in plan.advice if item.id == "pain_relief_gel")
    assert "{" not in gel.text and "pharmacist" in gel.text
    young = with_changes(example(OLDER_WALKER), {"person.age": 16})
    assert "pain_relief_gel" not in advice_ids(young)


def test_minimal_shoes_are_changed_to_slowly() -> None:
    doc = with_changes(example(HIKER), {"shoes.type": "minimal"})
    assert "minimal_shoes" in advice_ids(doc)
    assert "minimal_shoes" not in advice_ids(example(HIKER))


@settings(max_examples=80)
@given(doc=self_care_intakes())
def test_nobody_who_does_not_run_gets_running_advice(doc: dict[str, Any]) -> None:
    plan = plan_of(doc)
    activities = parse_intake(doc).facts().get("history.activities") or []
    if "running" in activities:
        return
    for item in plan.advice:
        words = item.text.lower()
        assert " run " not in f" {words} " and "runs" not in words, item.id
    if "cycling" not in activities:
        assert not {i.id for i in plan.advice} & {"bike_fit_outer_knee", "bike_fit_front_knee"}
