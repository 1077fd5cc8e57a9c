"""`kneecoach start` ends the intake with a plan the person can keep (never when care comes first)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kneecoach.cli.start import FlowState, make_the_plan
from kneecoach.services.intake import import_intake
from kneecoach.services.plan import latest_plan
from tests.conftest import EXAMPLES
from tests.db import in_session


def state_for(example: str) -> FlowState:
    document = json.loads((EXAMPLES / example).read_text())
    return FlowState(intake=in_session(import_intake, document))


def test_a_safe_intake_gets_a_plan_that_is_kept_when_the_person_says_yes() -> None:
    state = state_for("hiker-downhill-front-pain.json")
    with CliRunner().isolation(input="y\n") as (out, _err, _both):
        assert make_the_plan(state) is True
        shown = out.getvalue().decode()
    assert "Your week" in shown and "Saved (day 1 is" in shown
    saved = in_session(latest_plan)
    assert saved is not None
    assert saved.intake_version == 1


def test_saying_no_keeps_nothing() -> None:
    state = state_for("older-walker-stiff-mornings.json")
    with CliRunner().isolation(input="n\n"):
        assert make_the_plan(state) is True
    assert in_session(latest_plan) is None


def test_care_first_stops_the_flow_with_no_plan_kept() -> None:
    state = state_for("hot-knee-fever.json")
    with CliRunner().isolation(input="y\n"):
        assert make_the_plan(state) is False
    assert in_session(latest_plan) is None
