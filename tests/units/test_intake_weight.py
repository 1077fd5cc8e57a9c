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
