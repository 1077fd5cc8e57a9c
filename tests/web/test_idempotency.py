"""Idempotency keys on the writes a phone replays after being offline (check-ins, sessions),
on SQLite and PostgreSQL: the same key twice stores one row and answers the same; many
requests with one key at the same moment store one row; the same key with another body is 422
and changes nothing; a refused write keeps no key.

Concurrent requests use one TestClient per thread started together by a barrier (as
tests/web/test_concurrency.py); the test waits on the futures, never on a sleep."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services.database import transaction
from kneecoach.settings import reset_settings
from kneecoach.storage.models.idempotency import IdempotencyKey
from kneecoach.web.app import create_app
from tests.db import in_session
from tests.web.test_concurrency import at_once
from tests.web_client import BrowserClient

DAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def app(any_database: str, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    made = create_app()
    with BrowserClient(made) as client:  # the database is made and migrated first
        assert client.get("/api/v1/checkins").status_code == 200
    return made


def keyed(key: str | None = None) -> dict[str, str]:
    return {"Idempotency-Key": key or str(uuid.uuid4())}


def stored_keys() -> int:
    with transaction() as session:
        return int(session.scalar(select(func.count()).select_from(IdempotencyKey)) or 0)


def test_the_same_check_in_sent_twice_with_one_key_is_stored_once(app: FastAPI) -> None:
    client = BrowserClient(app)
    headers = keyed()
    first = client.post("/api/v1/checkins", json={"date": DAY, "pain": 3}, headers=headers)
    again = client.post("/api/v1/checkins", json={"pain": 3, "date": DAY}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.content == again.content  # the same answer, byte for byte
    assert first.json()["status"] == "added" and first.json()["checkin"]["version"] == 1
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    # one row, one version: the replay wrote nothing (a second write would be version 2)
    assert client.get("/api/v1/checkins").json()["checkins"] == [
        {"date": DAY, "pain": 3, "version": 1}
    ]
    assert stored_keys() == 1
    # without a key, the same body is a new write as before
    plain = client.post("/api/v1/checkins", json={"date": DAY, "pain": 3})
    assert plain.status_code == 201 and "Idempotent-Replayed" not in plain.headers


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(app: FastAPI) -> None:
    client = BrowserClient(app)
    headers = keyed()
    assert client.post("/api/v1/checkins", json={"date": DAY, "pain": 3}, headers=headers)
    other = client.post("/api/v1/checkins", json={"date": DAY, "pain": 6}, headers=headers)
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["field"] == "Idempotency-Key"
    assert "already used for a different request" in error["problem"]
    assert "nothing was saved" in error["problem"]
    # another route with the key: refused too, naming the route it was used for
    elsewhere = client.post(
        "/api/v1/sessions", json={"exercises": [{"id": "x", "pain_during": 1}]}, headers=headers
    )
    assert elsewhere.status_code == 422
    assert "POST /api/v1/checkins" in elsewhere.json()["error"]["problem"]
    assert client.get("/api/v1/checkins").json()["checkins"][0]["pain"] == 3
    # merge=false is another request than merge=true
    changed = client.post(
        "/api/v1/checkins?merge=false", json={"date": DAY, "pain": 3}, headers=headers
    )
    assert changed.status_code == 422


def test_a_bad_key_is_named(app: FastAPI) -> None:
    client = BrowserClient(app)
    for bad in ("short", "x" * 201, "has space in it", "semi;colon-key"):
        answer = client.post(
            "/api/v1/checkins", json={"date": DAY, "pain": 3}, headers={"Idempotency-Key": bad}
        )
        assert answer.status_code == 422, bad
        assert answer.json()["error"]["field"] == "Idempotency-Key"
    assert client.get("/api/v1/checkins").json()["checkins"] == []


def test_a_refused_write_keeps_no_key_and_can_be_sent_again(app: FastAPI) -> None:
    client = BrowserClient(app)
    assert client.post("/api/v1/checkins", json={"date": DAY, "pain": 3}).status_code == 201
    headers = keyed()
    stale = {"date": DAY, "pain": 5, "version": 0}
    assert client.post("/api/v1/checkins", json=stale, headers=headers).status_code == 409
    assert stored_keys() == 0
    # the same refusal again (not a replay of a stored answer: nothing was stored)
    again = client.post("/api/v1/checkins", json=stale, headers=headers)
    assert again.status_code == 409 and "Idempotent-Replayed" not in again.headers
    # fixed (the version now stored) under a new key, it is saved
    fixed = client.post("/api/v1/checkins", json={**stale, "version": 1}, headers=keyed())
    assert fixed.status_code == 201 and fixed.json()["checkin"]["version"] == 2


def test_one_key_sent_many_times_at_once_stores_one_check_in(app: FastAPI) -> None:
    headers = keyed()
    answers = at_once(
        app,
        8,
        lambda client, _i: client.post(
            "/api/v1/checkins", json={"date": DAY, "pain": 4}, headers=headers
        ),
    )
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.content for answer in answers}) == 1
    assert sum("Idempotent-Replayed" in answer.headers for answer in answers) == 7
    stored = BrowserClient(app).get("/api/v1/checkins").json()["checkins"]
    assert stored == [{"date": DAY, "pain": 4, "version": 1}]
    assert stored_keys() == 1


def test_a_session_replayed_with_its_key_is_logged_once(app: FastAPI, examples_dir: Path) -> None:
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    intake = in_session(intake_service.import_intake, document).intake()
    plan = in_session(plan_service.plan_for, intake)
    in_session(plan_service.save_plan, intake, plan, start=dt.date.today())
    client = BrowserClient(app)
    today = client.get("/api/v1/today").json()
    slot = today["exercises"][0]["slot"]
    body = {"date": today["date"], "exercises": [{"id": slot, "sets": 1, "pain_during": 2}]}
    headers = keyed()
    answers = at_once(
        app, 4, lambda client, _i: client.post("/api/v1/sessions", json=body, headers=headers)
    )
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.content for answer in answers}) == 1
    assert len(client.get("/api/v1/sessions").json()["sessions"]) == 1
    # a new key is a new request: the exercise is logged already, so it is refused (409)
    assert client.post("/api/v1/sessions", json=body, headers=keyed()).status_code == 409
    assert len(client.get("/api/v1/sessions").json()["sessions"]) == 1


def test_keys_older_than_a_week_are_pruned_on_write(app: FastAPI) -> None:
    client = BrowserClient(app)
    old = keyed()
    assert client.post("/api/v1/checkins", json={"date": DAY, "pain": 3}, headers=old)
    with transaction() as session:
        session.execute(
            update(IdempotencyKey).values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8))
        )
    assert client.post("/api/v1/checkins", json={"date": DAY, "pain": 3}, headers=keyed())
    assert stored_keys() == 1  # the old one went
    # the old key is unknown now: sent again, it is a new write (merged, so unchanged)
    late = client.post("/api/v1/checkins", json={"date": DAY, "pain": 3}, headers=old)
    assert late.status_code == 201 and "Idempotent-Replayed" not in late.headers
