"""The effort on Today and in the API (0010_session_effort): a 0–10 row of radio buttons per
exercise, optional; stored with the session; a number outside 0–10 is refused with the field
named; an `Idempotency-Key` replay carrying an effort is stored once."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from kneecoach.services import sessions as session_service
from tests.db import in_session
from tests.web.test_today import with_plan

LEGEND = "How hard was it? 0 = nothing, 10 = as hard as you can"


def first_slot() -> str:
    today = in_session(session_service.todays_doses, date.today())
    assert not today.rest_day and today.exercises
    return today.exercises[0].slot


def test_today_asks_how_hard_it_was_on_each_card_and_nothing_is_picked(
    client: TestClient, examples_dir: Path
) -> None:
    with_plan(client, examples_dir, start=date.today())
    slot = first_slot()
    page = client.get("/today").text
    assert LEGEND in page
    assert len(re.findall(rf'type="radio" name="effort_{slot}" value="\d+"', page)) == 11
    assert not re.search(rf'name="effort_{slot}" value="\d+" checked', page)
    assert "You can skip this." in page


def test_the_effort_from_the_today_form_is_stored_and_shown(
    client: TestClient, examples_dir: Path
) -> None:
    with_plan(client, examples_dir, start=date.today())
    slot = first_slot()
    bad = client.post(
        "/today/log", data={f"sets_{slot}": ["1"], f"pain_{slot}": "2", f"effort_{slot}": "12"}
    )
    assert bad.status_code == 422 and "pick how hard it was, from 0 to 10" in bad.text
    assert in_session(session_service.session_log) == ()
    logged = client.post(
        "/today/log",
        data={f"sets_{slot}": ["1"], f"pain_{slot}": "2", f"effort_{slot}": "6"},
        follow_redirects=False,
    )
    assert logged.status_code == 303
    (entry,) = in_session(session_service.session_log)
    assert entry["effort"] == 6
    assert "effort 6/10" in client.get("/today").text


def test_a_session_without_an_effort_stores_none(client: TestClient, examples_dir: Path) -> None:
    with_plan(client, examples_dir, start=date.today())
    slot = first_slot()
    client.post("/today/log", data={f"sets_{slot}": ["1"], f"pain_{slot}": "2"})
    (entry,) = in_session(session_service.session_log)
    assert entry["effort"] is None


def test_the_api_takes_an_optional_effort_and_refuses_one_out_of_range(
    client: TestClient, examples_dir: Path
) -> None:
    with_plan(client, examples_dir, start=date.today())
    slot = first_slot()
    day = date.today().isoformat()
    body = {"date": day, "exercises": [{"id": slot, "sets": 1, "pain_during": 1, "effort": 11}]}
    refused = client.post("/api/v1/sessions", json=body)
    assert refused.status_code == 422 and "effort" in json.dumps(refused.json())
    body["exercises"][0]["effort"] = 9
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    made = client.post("/api/v1/sessions", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["logged"][0]["effort"] == 9
    again = client.post("/api/v1/sessions", json=body, headers=headers)
    assert again.status_code == 201 and again.content == made.content
    assert again.headers["Idempotent-Replayed"] == "true"
    other = dict(body, exercises=[dict(body["exercises"][0], effort=3)])
    assert client.post("/api/v1/sessions", json=other, headers=headers).status_code == 422
    (row,) = client.get("/api/v1/sessions").json()["sessions"]
    assert row["effort"] == 9
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    described = json.dumps(schema)
    assert "Borg CR10" in described
