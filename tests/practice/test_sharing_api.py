"""The sharing API of a practice server (SQLite and PostgreSQL): the same rules as the pages,
as JSON with typed bodies."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI

from kneecoach.core.intake import parse_intake
from kneecoach.services import plan as plan_service
from kneecoach.services.database import store_of, transaction
from tests.plan.intakes import HIKER, example
from tests.practice import make_clinician, make_person, sign_in
from tests.web_client import BrowserClient

JSON = {"content-type": "application/json"}
"""A DELETE, like every unsafe API call, says it is JSON (a cross-site form cannot)."""


def _client(app: FastAPI, username: str) -> BrowserClient:
    client = BrowserClient(app)
    assert sign_in(client, username).status_code == 303
    return client


def _linked(app: FastAPI) -> tuple[BrowserClient, BrowserClient, str, str]:
    anna_id = make_person("anna").id
    lee_id = make_clinician("drlee").id
    anna, lee = _client(app, "anna"), _client(app, "drlee")
    made = anna.post("/api/v1/sharing/codes", json={})
    assert made.status_code == 201 and len(made.json()["code"]) == 14
    linked = lee.post("/api/v1/clinic/links", json={"code": made.json()["code"]})
    assert linked.status_code == 201 and linked.json()["person_id"] == anna_id
    return anna, lee, anna_id, lee_id


def test_share_note_audit_and_revoke_through_the_api(practice: FastAPI) -> None:
    anna, lee, anna_id, lee_id = _linked(practice)
    assert [c["clinician_id"] for c in anna.get("/api/v1/sharing/clinicians").json()] == [lee_id]
    assert anna.get(f"/api/v1/sharing/clinicians/{lee_id}").json()["name"] == "Drlee"
    people = lee.get("/api/v1/clinic/people").json()
    assert [p["person_id"] for p in people] == [anna_id]
    sent = lee.post(f"/api/v1/clinic/people/{anna_id}/notes", json={"text": "Keep going"})
    assert sent.status_code == 201 and sent.json()["clinician_name"] == "Drlee"
    assert [n["text"] for n in anna.get("/api/v1/notes").json()] == ["Keep going"]
    entries = anna.get("/api/v1/audit").json()
    assert any(e["detail"] == "change /notes" for e in entries)
    assert any(e["detail"] == "panel summary" for e in entries)

    assert anna.delete(f"/api/v1/sharing/clinicians/{lee_id}", headers=JSON).status_code == 204
    assert lee.get(f"/api/v1/clinic/people/{anna_id}/notes").status_code == 404
    assert lee.get("/api/v1/clinic/people").json() == []
    assert anna.get(f"/api/v1/sharing/clinicians/{lee_id}").status_code == 404


def test_a_wrong_code_names_the_field_and_roles_are_kept_apart(practice: FastAPI) -> None:
    anna, lee, anna_id, _lee_id = _linked(practice)
    wrong = lee.post("/api/v1/clinic/links", json={"code": "ABCD-EFGH-JKMN"})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["field"] == "code"
    assert lee.post("/api/v1/sharing/codes", json={}).status_code == 403
    assert anna.get("/api/v1/clinic/people").status_code == 403
    assert anna.get(f"/api/v1/clinic/people/{anna_id}/notes").status_code == 403
    anonymous = BrowserClient(practice)
    assert anonymous.get("/api/v1/clinic/people").status_code == 401


def test_a_plan_change_through_the_api_holds_and_is_released(practice: FastAPI) -> None:
    anna, lee, anna_id, _lee_id = _linked(practice)
    intake = parse_intake(example(HIKER))
    with transaction(store_of(anna_id)) as session:
        plan = plan_service.save_plan(
            intake, plan_service.plan_for(intake, session=session), date.today(), session=session
        )
    slot = plan.slots()[0]
    bad = lee.post(
        f"/api/v1/clinic/people/{anna_id}/adjustments",
        json={"reason": "", "changes": [{"slot": slot, "action": "pause"}]},
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "reason"
    made = lee.post(
        f"/api/v1/clinic/people/{anna_id}/adjustments",
        json={"reason": "Rest this one for a week", "changes": [{"slot": slot, "action": "pause"}]},
    )
    assert made.status_code == 201, made.text
    assert made.json()["ended_by"] is None
    today = anna.get("/api/v1/today").json()
    assert slot not in [e["slot"] for e in today["exercises"]]
    assert "Paused by Drlee on" in anna.get("/today").text
    released = lee.delete(
        f"/api/v1/clinic/people/{anna_id}/adjustments/{made.json()['id']}", headers=JSON
    )
    assert released.json()["ended_by"] == "released"
    assert "Paused by" not in anna.get("/today").text
