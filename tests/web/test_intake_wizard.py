"""Results and the intake API (the intake screens themselves: test_intake_screens.py; the
self-tests afterwards: test_improve_plan.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from kneecoach.services import intake as intake_service
from kneecoach.services.assessment import assess_document
from tests.db import in_session


def example(examples_dir: Path, name: str) -> dict[str, Any]:
    return json.loads((examples_dir / f"{name}.json").read_text())


def test_results_without_an_intake_invite_the_questions(client: TestClient) -> None:
    page = client.get("/results")
    assert page.status_code == 200 and 'href="/intake"' in page.text


def test_results_withhold_home_advice_when_care_comes_first(
    client: TestClient, examples_dir: Path
) -> None:
    in_session(intake_service.import_intake, example(examples_dir, "hot-knee-fever"))
    page = client.get("/results")
    assert "we do not give home advice" in page.text
    assert "body-diagram" not in page.text


def test_api_triage_assessment_and_intakes(client: TestClient, examples_dir: Path) -> None:
    document = example(examples_dir, "hiker-downhill-front-pain")
    assert client.post("/api/v1/triage", json=document).json()["level"] == "self_care"
    assessed = client.post("/api/v1/assessment", json=document).json()
    assert assessed == in_session(assess_document, document).as_json()
    bad = client.post("/api/v1/triage", json={**document, "signs": {"warm": "yes"}})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "signs.warm"
    created = client.post("/api/v1/intakes", json=document)
    assert created.status_code == 201 and created.json()["version"] == 1
    assert len(client.get("/api/v1/intakes").json()["intakes"]) == 1


def test_the_balance_walking_and_stair_self_tests_show_their_how_to(client: TestClient) -> None:
    wanted = {
        "single_leg_stance_s": ("Single-leg stance", "Left side (s)", "45"),
        "timed_up_and_go_s": ("Timed Up and Go", "3 metres (10 feet)", "12 seconds"),
        "fast_walk_40m_s": ("40-metre fast walk", "40 metres in all", "no pass mark"),
        "stair_climb_s": ("Stair climb", "9th step", "no pass mark"),
    }
    in_session(intake_service.import_intake, {"spec": "kneecoach-intake/1"})
    listed = client.get("/improve").text
    for test_id, words in wanted.items():
        assert f'href="/improve/{test_id}"' in listed
        page = client.get(f"/improve/{test_id}")
        assert "How to do it" in page.text, test_id
        for word in words:
            assert word in page.text, (test_id, word)
