"""Questionnaire pages and the outcomes API call the same KOOS service."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from kneecoach.services import outcomes
from tests.db import in_session

KOOSJR_ALL_TWOS = {code: "2" for code in ("S6", "P2", "P3", "P6", "P9", "A3", "A5")}


def test_the_koos_form_asks_all_42_items_with_five_answers_each(client: TestClient) -> None:
    page = client.get("/questionnaires/koos")
    assert page.status_code == 200
    assert len(re.findall(r'<fieldset id="item-', page.text)) == 42
    assert len(re.findall(r'type="radio" name="P1"', page.text)) == 5


def test_answers_are_saved_scored_and_shown(client: TestClient) -> None:
    sent = client.post("/questionnaires/koosjr", data=KOOSJR_ALL_TWOS, follow_redirects=False)
    assert sent.status_code == 303
    stored = in_session(outcomes.saved_results, "koosjr")
    assert len(stored) == 1
    expected = outcomes.score_answers("koosjr", {k: 2 for k in KOOSJR_ALL_TWOS}).scores.rounded()
    assert stored[0].scores == expected
    results = client.get(sent.headers["location"])
    assert "Your answers are saved" in results.text
    assert f">{expected['raw']}<" in results.text
    assert "<svg" in results.text


def test_a_bad_date_is_shown_next_to_the_field_and_no_answer_is_lost(client: TestClient) -> None:
    future = (date.today() + timedelta(days=3)).isoformat()
    page = client.post("/questionnaires/koosjr", data={**KOOSJR_ALL_TWOS, "date": future})
    assert page.status_code == 422
    assert re.search(r'id="date-error">[^<]*is in the future', page.text)
    assert len(re.findall(r'value="2" checked', page.text)) == 7  # every answer still ticked
    assert f'value="{future}"' in page.text
    assert in_session(outcomes.saved_results) == []


def test_a_second_result_is_judged_against_the_first(client: TestClient) -> None:
    worse = {f"P{i}": "3" for i in range(1, 10)}
    better = {f"P{i}": "0" for i in range(1, 10)}
    client.post("/questionnaires/koos", data={**worse, "date": "2026-01-01"})
    client.post("/questionnaires/koos", data={**better, "date": "2026-02-01"})
    page = client.get("/questionnaires/koos/results")
    assert "+75.0" in page.text  # pain 25 → 100
    assert "Better, by at least the smallest change that matters" in page.text


def test_unknown_questionnaire_is_404(client: TestClient) -> None:
    assert client.get("/questionnaires/sf36").status_code == 404


def test_api_scores_saves_and_lists(client: TestClient) -> None:
    answers = {k: 2 for k in KOOSJR_ALL_TWOS}
    scored = client.post("/api/v1/outcomes/koosjr/score", json={"answers": answers})
    assert scored.status_code == 200
    assert scored.json()["scores"]["raw"] == 14
    assert scored.json()["saved"] is None
    assert in_session(outcomes.saved_results) == []
    saved = client.post(
        "/api/v1/outcomes/koosjr/score",
        json={"answers": answers, "save": True, "date": "2026-01-05"},
    )
    assert saved.json()["saved"]["answered_on"] == "2026-01-05"
    listed = client.get("/api/v1/outcomes").json()["outcomes"]
    assert listed[0]["instrument"] == "koosjr"
    assert listed[0]["results"][0]["scores"]["raw"] == 14


def test_api_rejects_unknown_fields_and_codes(client: TestClient) -> None:
    extra = client.post("/api/v1/outcomes/koos/score", json={"answers": {}, "total": 1})
    assert extra.status_code == 422 and extra.json()["error"]["field"] == "total"
    code = client.post("/api/v1/outcomes/koos/score", json={"answers": {"Z9": 1}})
    assert code.json()["error"]["field"] == "answers.Z9"
