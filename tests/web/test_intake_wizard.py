"""The intake wizard: safety first, one question a screen, the emergency stop, then results."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from kneecoach.data.self_tests import load_self_tests_file
from kneecoach.services import intake as intake_service
from kneecoach.services.assessment import assess_document
from kneecoach.services.intake import answer_at
from tests.db import in_session
from tests.web import wizard


def example(examples_dir: Path, name: str) -> dict[str, Any]:
    return json.loads((examples_dir / f"{name}.json").read_text())


def test_the_first_questions_are_the_safety_questions(client: TestClient) -> None:
    page = wizard.start(client)
    safety = intake_service.intake_sections()[0]
    assert wizard.current_question(page)[1] == safety.questions[0].path  # type: ignore[index]
    assert "Part 1 of" in page.text and safety.title in page.text
    assert "Skip this part" not in page.text  # safety questions cannot be skipped


def test_walking_the_whole_wizard_saves_the_same_intake_the_cli_would_assess(
    client: TestClient, examples_dir: Path
) -> None:
    document = example(examples_dir, "hiker-downhill-front-pain")
    finished = wizard.walk(client, document)
    assert finished.status_code == 303 and finished.headers["location"].startswith("/results")
    saved = in_session(intake_service.latest_intake)
    assert saved is not None
    expected = in_session(assess_document, document).as_json()
    assert saved.triage == expected["triage"]
    results = client.get(finished.headers["location"])
    for contributor in expected["contributors"]:
        assert f'id="c-{contributor["id"]}"' in results.text
    assert "region-foot_ankle on" in results.text and "region-hip on" in results.text
    assert "region-back on" not in results.text


def test_an_emergency_answer_stops_the_wizard_with_a_calm_page(client: TestClient) -> None:
    page = wizard.start(client)
    answers = {"person.age": "45", "history.onset": "gradual"}
    for _ in range(40):
        found = wizard.current_question(page)
        assert found is not None, "the wizard did not stop"
        path = found[1]
        if path == "general.foot_cold_pale_or_blue":
            page = wizard.answer(client, page, {"answer": "yes"})
            break
        page = wizard.answer(client, page, {"answer": answers.get(path, "no")})
    assert page.status_code == 200
    assert wizard.current_question(page) is None
    assert "Get help now" in page.text and "Cold, pale or blue foot" in page.text
    assert "What to say" in page.text and "I am 45 years old" in page.text
    saved = in_session(intake_service.latest_intake)  # kept, as the terminal wizard keeps it
    assert saved is not None and saved.triage["level"] == "emergency"
    assert saved.answers["general"]["foot_cold_pale_or_blue"] is True
    assert f"version {saved.version}" in page.text


def test_a_bad_answer_is_shown_next_to_the_field_and_earlier_answers_are_kept(
    client: TestClient,
) -> None:
    page = wizard.answer(client, wizard.start(client), {"answer": "45"})
    state_before = wizard.current_question(page)[0]  # type: ignore[index]
    bad = wizard.answer(client, page, {"answer": "sideways"})
    assert bad.status_code == 422
    assert re.search(r'class="field-error" id="answer-error">pick one of', bad.text)
    assert wizard.current_question(bad) == (state_before, "history.onset")
    assert json.loads(state_before)["document"]["person"]["age"] == 45


def test_back_undoes_the_last_answer_and_shows_it_again(client: TestClient) -> None:
    page = wizard.answer(client, wizard.start(client), {"answer": "45"})
    back = wizard.answer(client, page, {}, action="back")
    state, path = wizard.current_question(back)  # type: ignore[misc]
    assert path == "person.age"
    assert 'value="45"' in back.text
    assert "age" not in json.loads(state)["document"].get("person", {})


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


def test_the_balance_walking_and_stair_self_tests_show_their_how_to(
    client: TestClient, examples_dir: Path
) -> None:
    document = example(examples_dir, "hiker-downhill-front-pain")
    wanted = {
        "self_tests.single_leg_stance_s": ("Single-leg stance", "Left side (s)", "45"),
        "self_tests.timed_up_and_go_s": ("Timed Up and Go", "3 metres (10 feet)", "12 seconds"),
        "self_tests.fast_walk_40m_s": ("40-metre fast walk", "40 metres in all", "no pass mark"),
        "self_tests.stair_climb_s": ("Stair climb", "9th step", "no pass mark"),
    }
    seen: set[str] = set()
    page = wizard.start(client)
    for _ in range(200):
        found = wizard.current_question(page)
        if found is None:
            break
        path = found[1]
        if path in wanted:
            seen.add(path)
            assert "How to do it" in page.text, path
            for words in wanted[path]:
                assert words in page.text, (path, words)
        page = wizard.answer(client, page, wizard.form_for(path, answer_at(document, path)))
    assert seen == set(wanted)


def test_a_question_whose_self_test_is_unknown_is_still_asked(client: TestClient) -> None:
    path = "self_tests.chair_stand_30s"
    question = wizard.QUESTIONS[path]
    assert question.self_test is not None
    tests = load_self_tests_file().tests
    kept = dict(tests)  # restored in file order after (a plain re-insert would move it last)
    del tests[question.self_test]
    try:
        state = json.dumps({"document": {}, "order": [path]})
        page = client.post("/intake", data={"state": state, "path": path, "action": "back"})
    finally:
        tests.clear()
        tests.update(kept)
    assert page.status_code == 200
    assert wizard.current_question(page) == (json.dumps({"document": {}, "order": []}), path)
    assert question.question in page.text and "How to do it" not in page.text


def test_a_mis_tap_that_stopped_the_wizard_can_be_taken_back(client: TestClient) -> None:
    """The emergency page offers the last question again: a wrong tap is not a dead end."""
    import html
    import re

    page = wizard.start(client)
    for _ in range(40):
        found = wizard.current_question(page)
        assert found is not None
        if found[1] == "general.foot_cold_pale_or_blue":
            page = wizard.answer(client, page, {"answer": "yes"})
            break
        answers = {"person.age": "45", "history.onset": "gradual"}
        page = wizard.answer(client, page, {"answer": answers.get(found[1], "no")})
    assert "Get help now" in page.text and "Go back to that question" in page.text
    state = re.search(r'name="state" value="([^"]*)"', page.text)
    assert state is not None
    back = client.post("/intake", data={"state": html.unescape(state.group(1)), "action": "back"})
    assert back.status_code == 200
    assert wizard.current_question(back)[1] == "general.foot_cold_pale_or_blue"  # type: ignore[index]
    onward = wizard.answer(client, back, {"answer": "no"})
    assert onward.status_code == 200 and "Get help now" not in onward.text
    assert wizard.current_question(onward) is not None
