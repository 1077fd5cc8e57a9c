"""When the newest answers say care comes first (an emergency or urgent intake after a plan
was saved), every interface holds the plan's exercises back: the Today page, the API's today
and session log, and the CLI's `plan show` and `session`. One rule, `journey.care_first_now`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from kneecoach.services import intake as intake_service
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLES
from tests.db import in_session
from tests.history import seed_plan


def the_newest_answers_say_care_first() -> str:
    plan = seed_plan(date.today())
    slot = next(e["id"] for e in plan.session_on_day(1) if e["kind"] == "strength")
    document = json.loads((EXAMPLES / "hot-knee-fever.json").read_text())
    assert in_session(intake_service.import_intake, document).triage["level"] == "emergency"
    return str(slot)


def test_before_the_newer_answers_the_plan_is_offered(client: TestClient) -> None:
    seed_plan(date.today())
    today = client.get("/api/v1/today").json()
    assert today["care_first"] is False and (today["exercises"] or today["rest_day"])


def test_the_api_holds_the_exercises_back(client: TestClient) -> None:
    slot = the_newest_answers_say_care_first()
    today = client.get("/api/v1/today").json()
    assert today["care_first"] is True and today["stopped"] is True
    assert today["exercises"] == [] and today["rest_day"] is False
    logged = client.post(
        "/api/v1/sessions",
        json={
            "date": date.today().isoformat(),
            "exercises": [{"id": slot, "sets": 1, "pain_during": 2, "effort": 5}],
        },
    )
    assert logged.status_code == 409
    assert "get care first" in logged.json()["error"]["problem"]
    assert client.get("/api/v1/sessions").json()["sessions"] == []


def test_the_cli_holds_the_exercises_back(tmp_path: Path) -> None:
    slot = the_newest_answers_say_care_first()
    shown = run_cli("plan", "show", "--format", "json")
    assert json.loads(shown.stdout)["today"]["care_first"] is True
    table = run_cli("plan", "show")
    assert "get care first" in " ".join(table.stdout.split()) and "Your week" not in table.stdout
    done = {
        "date": date.today().isoformat(),
        "exercises": [{"id": slot, "sets": 1, "pain_during": 2, "effort": 5}],
    }
    (tmp_path / "done.json").write_text(json.dumps(done))
    refused = run_cli("session", "--file", str(tmp_path / "done.json"))
    assert refused.exit_code != 0
    assert "get care first" in " ".join((refused.stdout + refused.stderr).split())
