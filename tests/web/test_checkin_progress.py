"""Check-in form and API, alerts right after, and the progress charts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from kneecoach.services import checkins as checkin_service
from kneecoach.settings import reset_settings
from kneecoach.web.app import create_app
from tests.db import in_session
from tests.web_client import BrowserClient


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


def test_a_check_in_is_saved_and_comes_back_filled_in(client: TestClient) -> None:
    sent = client.post(
        "/checkin",
        data={"date": days_ago(1), "pain": "4", "swelling": "1", "flags": ["clicking"]},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    stored = in_session(checkin_service.checkin_on, date.today() - timedelta(days=1))
    assert stored is not None
    assert (stored.pain, stored.swelling, stored.clicking, stored.locking) == (4, 1, True, False)
    again = client.get(f"/checkin?day={days_ago(1)}")
    assert 'name="swelling" value="1" checked' in again.text
    assert 'value="clicking" checked' in again.text


def test_a_bad_number_is_shown_next_to_its_field_and_nothing_is_lost(client: TestClient) -> None:
    client.post("/checkin", data={"date": days_ago(0), "pain": "2", "note": "first"})
    bad = client.post(
        "/checkin",
        data={"date": days_ago(0), "pain": "6", "stiffness_min": "lots", "note": "second try"},
    )
    assert bad.status_code == 422
    assert re.search(r'id="stiffness_min-error">lots is not a number', bad.text)
    assert "second try" in bad.text and 'value="lots"' in bad.text
    kept = in_session(checkin_service.checkin_on, date.today())
    assert kept is not None and kept.pain == 2 and kept.note == "first"


def test_a_future_day_is_refused(client: TestClient) -> None:
    bad = client.post(
        "/checkin", data={"date": (date.today() + timedelta(days=2)).isoformat(), "pain": "1"}
    )
    assert bad.status_code == 422 and 'id="date-error"' in bad.text
    assert in_session(checkin_service.list_checkins) == []


def test_a_red_flag_answer_shows_an_alert_right_after(client: TestClient) -> None:
    done = client.post("/checkin", data={"pain": "3", "flags": ["calf_pain"]})
    assert done.status_code == 200
    assert 'class="safety-message' in done.text and 'role="alert"' in done.text
    assert "notice ok" not in done.text  # a red flag is never a green "saved"
    quiet = client.post("/checkin", data={"date": days_ago(3), "pain": "3"})
    assert "No warning signs" in quiet.text


def test_progress_draws_the_check_ins_with_alerts_marked(client: TestClient) -> None:
    assert "Nothing to show yet" in client.get("/progress").text
    for n, pain in enumerate([3, 3, 4, 3]):
        client.post("/checkin", data={"date": days_ago(10 - n), "pain": str(pain), "swelling": "1"})
    client.post("/checkin", data={"date": days_ago(5), "pain": "3", "flags": ["locking"]})
    page = client.get("/progress")
    assert page.status_code == 200
    assert page.text.count('class="chart"') >= 4
    assert 'class="marker" data-level="see_professional"' in page.text
    assert "5 check-ins" in page.text


def test_api_records_lists_and_signals(client: TestClient) -> None:
    bad = client.post("/api/v1/checkins", json={"date": days_ago(0), "pain": 11})
    assert bad.status_code == 422 and bad.json()["error"] == {
        "field": "pain",
        "pointer": "/pain",
        "problem": "11 is out of range 0–10",
    }
    made = client.post(
        "/api/v1/checkins", json={"date": days_ago(0), "pain": 3, "fever": True, "warm": True}
    )
    assert made.status_code == 201
    assert made.json()["safety"]["stopped"] is True
    alerts_of_the_day = client.get(made.json()["alerts_url"])
    assert [a["id"] for a in alerts_of_the_day.json()["alerts"]] == ["red_flag"]
    assert client.get("/api/v1/checkins").json()["checkins"][0]["pain"] == 3
    assert client.get("/api/v1/signals").json()["alerts"][0]["level"] == "see_professional"
    assert "comparisons" in client.get("/api/v1/insights").json()


def test_the_pages_work_on_sqlite_and_postgresql(
    any_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    with BrowserClient(create_app()) as client:
        client.post("/checkin", data={"date": days_ago(1), "pain": "5", "note": "über gut"})
        page = client.get("/progress")
        assert page.status_code == 200 and "1 check-in," in page.text
        assert client.get("/api/v1/checkins").json()["checkins"][0]["note"] == "über gut"
