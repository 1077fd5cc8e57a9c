"""The kneecoach-intake/1 document: every example parses, bad fields are named, facts are right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kneecoach.core.errors import InputError
from kneecoach.core.intake import answer_paths, parse_intake
from kneecoach.core.rules import ABSENT


def minimal(**sections: Any) -> dict[str, Any]:
    return {"spec": "kneecoach-intake/1", **sections}


def test_every_example_parses(examples_dir: Path) -> None:
    examples = sorted(examples_dir.glob("*.json"))
    assert len(examples) >= 4
    for path in examples:
        intake = parse_intake(json.loads(path.read_text()))
        assert intake.person.age is not None


def test_the_spec_field_names_are_all_accepted() -> None:
    for path in [
        "history.injury.swelling_within_hours",
        "self_tests.knee_to_wall_cm.left",
        "back.saddle_numbness_or_bladder_bowel_change",
        "shoes.type",
        "minutes_per_day",
    ]:
        assert path in answer_paths()


@pytest.mark.parametrize(
    ("document", "field", "words"),
    [
        (minimal(signs={"warm": "yes"}), "signs.warm", "boolean"),
        (minimal(signs={"wrm": True}), "signs.wrm", "not a field"),
        (minimal(colour="red"), "colour", "not a field"),
        (minimal(signs={"swelling": 4}), "signs.swelling", "less than or equal to 3"),
        (minimal(pain={"now": 11}), "pain.now", "less than or equal to 10"),
        (minimal(pain={"location": ["frnt"]}), "pain.location.0", "front"),
        (minimal(person={"age": 30.5}), "person.age", "integer"),
        (minimal(person={"age": "30"}), "person.age", "integer"),
        (
            minimal(self_tests={"knee_to_wall_cm": {"left": "7"}}),
            "self_tests.knee_to_wall_cm.left",
            "number",
        ),
        (
            minimal(self_tests={"knee_to_wall_cm": {"middle": 7}}),
            "self_tests.knee_to_wall_cm.middle",
            "not a field",
        ),
        (minimal(equipment=["treadmill"]), "equipment.0", "resistance_band"),
        ({"spec": "kneecoach-intake/2"}, "spec", "kneecoach-intake/1"),
        ([], "intake", "JSON object"),
    ],
)
def test_bad_input_names_the_field(document: Any, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_intake(document)
    assert caught.value.field == field
    assert words in caught.value.problem
    assert "\n" not in str(caught.value)


def test_unknown_answers_are_left_out_of_the_facts() -> None:
    facts = parse_intake(minimal(signs={"warm": False})).facts()
    assert facts["signs.warm"] is False
    assert "signs.locking" not in facts
    assert "general.fever" not in facts


def test_conditional_fields_mean_no_when_absent() -> None:
    facts = parse_intake(minimal(history={"onset": "gradual"})).facts()
    assert facts["history.injury.heard_pop"] is ABSENT
    assert facts["history.recent_surgery_weeks"] is ABSENT
    assert facts["signs.swelling_started_days_ago"] is ABSENT


def test_an_injury_without_details_leaves_its_answers_unknown() -> None:
    facts = parse_intake(minimal(history={"onset": "injury"})).facts()
    assert "history.injury.heard_pop" not in facts


def test_an_injury_without_swelling_time_means_it_did_not_swell() -> None:
    facts = parse_intake(
        minimal(history={"onset": "injury", "injury": {"heard_pop": True}})
    ).facts()
    assert facts["history.injury.swelling_within_hours"] is ABSENT
    assert facts["history.injury.heard_pop"] is True
    assert "history.injury.high_energy" not in facts


def test_left_and_right_answers_flatten_by_side() -> None:
    facts = parse_intake(minimal(self_tests={"knee_to_wall_cm": {"right": 7}})).facts()
    assert facts["self_tests.knee_to_wall_cm.right"] == 7
    assert "self_tests.knee_to_wall_cm.left" not in facts
