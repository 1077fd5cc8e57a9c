"""Improve your plan: the self-tests, moved out of the intake, done any day afterwards; each
result is kept with the intake (a new version) and the plan is made again with it."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from kneecoach.data.self_tests import find_self_test
from kneecoach.services import intake as intake_service
from kneecoach.services.plan import latest_plan
from tests.db import in_session
from tests.web import wizard


def _hiker(examples_dir: Path) -> dict:
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    document.pop("self_tests")
    return document


def test_the_intake_asks_no_self_test(client: TestClient, examples_dir: Path) -> None:
    walk = wizard.walk(client, _hiker(examples_dir))
    assert not [
        key for screen in walk.screens for key in screen.rows if key.startswith("self_tests.")
    ]
    results = client.get(walk.last.headers["location"])
    assert 'href="/improve"' in results.text and "Improve your plan" in results.text


def test_a_self_test_shows_its_how_to_and_norms(client: TestClient) -> None:
    test = find_self_test("chair_stand_30s")
    page = client.get("/improve/chair_stand_30s")
    assert page.status_code == 200 and "How to do it" in page.text
    text = html.unescape(page.text)
    assert "The norms" in text
    for norm in test.norms:
        assert norm.explanation.split(".")[0] in text
    assert "answer the questions about your knee" in text  # no intake yet: nothing to save to


def test_a_result_is_kept_and_the_plan_made_again(client: TestClient, examples_dir: Path) -> None:
    wizard.walk(client, _hiker(examples_dir))
    client.post("/today/plan", data={"version": "0"})
    before = in_session(latest_plan)
    assert before is not None
    saved = client.post(
        "/improve/knee_to_wall_cm",
        data={"f-self-tests-knee-to-wall-cm-left": "11", "f-self-tests-knee-to-wall-cm-right": "7"},
        follow_redirects=False,
    )
    assert (
        saved.status_code == 303
        and saved.headers["location"] == "/improve?done=knee_to_wall_cm&plan=1"
    )
    done = client.get(saved.headers["location"])
    assert "is saved" in done.text and "made again" in done.text
    intake = in_session(intake_service.latest_intake)
    assert intake is not None and intake.version == 2
    assert intake.answers["self_tests"]["knee_to_wall_cm"] == {"left": 11, "right": 7}
    assert intake.answers["person"]["age"] == 45  # the rest of the intake is kept
    contributors = [c["id"] for c in intake.assessment["contributors"]]  # type: ignore[index]
    assert "ankle_dorsiflexion_limit" in contributors
    after = in_session(latest_plan)
    assert after is not None and after.version > before.version
    assert after.intake_version == 2 and after.start_date == before.start_date


def test_a_bad_result_names_the_field_and_keeps_nothing(
    client: TestClient, examples_dir: Path
) -> None:
    wizard.walk(client, _hiker(examples_dir))
    bad = client.post(
        "/improve/knee_to_wall_cm",
        data={
            "f-self-tests-knee-to-wall-cm-left": "far",
            "f-self-tests-knee-to-wall-cm-right": "99",
        },
    )
    assert bad.status_code == 422
    assert 'id="f-self-tests-knee-to-wall-cm-left-error"' in bad.text
    assert re.search(r'href="#f-self-tests-knee-to-wall-cm-left"', bad.text)
    assert 'value="far"' in bad.text
    empty = client.post("/improve/bridge_hold_s", data={})
    assert empty.status_code == 422 and "give a result" in empty.text
    assert in_session(intake_service.latest_intake).version == 1  # type: ignore[union-attr]


def test_an_unknown_self_test_is_a_calm_not_found(client: TestClient) -> None:
    page = client.get("/improve/hop_on_one_foot")
    assert page.status_code == 404 and "chair_stand_30s" in page.text
