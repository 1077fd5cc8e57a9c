"""`kneecoach intake` asks the body weight in the person's unit and stores it in kg."""

from __future__ import annotations

from kneecoach.services.intake import answer_at, latest_intake
from kneecoach.services.units import set_units
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.triage.cases import CALM, changed
from tests.triage.test_wizard import answers_for


def typed_weight(weight: str) -> str:
    lines = answers_for(changed(CALM, {"person.weight_kg": 80})).splitlines()
    assert lines.count("80") == 1
    lines[lines.index("80")] = weight
    return "\n".join(lines) + "\n"


def test_the_weight_is_asked_in_lb_and_stored_in_kg() -> None:
    in_session(set_units, weight="lb")
    result = run_cli("intake", input=typed_weight("176.4"))
    assert result.exit_code == 0, result.stderr
    assert "How much do you weigh, in lb?" in result.stdout
    saved = in_session(latest_intake)
    assert saved is not None and answer_at(saved.answers, "person.weight_kg") == 80.0


def test_in_kg_nothing_changes() -> None:
    result = run_cli("intake", input=typed_weight("80"))
    assert result.exit_code == 0, result.stderr
    assert "How much do you weigh, in kg?" in result.stdout
    saved = in_session(latest_intake)
    assert saved is not None and answer_at(saved.answers, "person.weight_kg") == 80


def test_the_distance_on_the_shoes_is_asked_in_miles_too() -> None:
    from kneecoach.core.units import Units
    from kneecoach.data.intake_questions import load_intake_questions
    from kneecoach.services.units import answer_stored, asked_in

    questions = {q.path: q for s in load_intake_questions() for q in s.questions}
    shoes, weight = questions["shoes.main_pair_km"], questions["person.weight_kg"]
    imperial = Units("miles", "lb", "letter")
    assert asked_in(shoes, imperial).question == (
        "About how many miles have you walked or run in them?"
    )
    assert answer_stored(shoes, 590.3, imperial) == 950.0
    asked = asked_in(weight, imperial)
    assert (asked.min, asked.max) == (22, 882)  # 10 to 400 kg, in lb
    assert asked_in(weight, Units()) is weight and answer_stored(weight, 80, Units()) == 80
