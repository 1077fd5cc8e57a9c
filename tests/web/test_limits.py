"""Request bodies within the input limits: too big or too deep is a clear 4xx, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

from kneecoach.core.limits import MAX_BODY_BYTES
from kneecoach.web.app import create_app
from tests.web_client import BrowserClient


def client() -> BrowserClient:
    return BrowserClient(create_app())


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"x" * piece


def test_a_100_mb_note_is_refused_and_nothing_is_stored() -> None:
    web = client()
    note = "x" * (MAX_BODY_BYTES + 10)
    answer = web.post("/api/v1/checkins", json={"date": "2026-03-02", "pain": 3, "note": note})
    assert answer.status_code == 413
    assert answer.json()["error"]["field"] == "body"
    assert web.get("/api/v1/checkins").json()["checkins"] == []


def test_deep_json_is_a_422_naming_the_body() -> None:
    answer = client().post(
        "/api/v1/triage",
        content=b"[" * 200_000 + b"]" * 200_000,
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422
    assert "deep" in answer.json()["error"]["problem"]


def test_a_form_sent_in_chunks_past_the_limit_is_stopped() -> None:
    answer = client().post(
        "/checkin",
        content=chunks(MAX_BODY_BYTES * 3),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413


def test_a_declared_size_past_the_limit_is_refused_before_reading() -> None:
    answer = client().post(
        "/api/v1/checkins",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": str(MAX_BODY_BYTES + 1)},
    )
    assert answer.status_code == 413


def test_normal_bodies_pass_through_unchanged() -> None:
    web = client()
    created = web.post("/api/v1/checkins", json={"date": "2026-03-02", "pain": 3, "note": "ok"})
    assert created.status_code == 201
    assert web.get("/api/v1/checkins").json()["checkins"][0]["note"] == "ok"


def test_activity_uploads_may_be_larger_than_forms() -> None:
    from kneecoach.core.limits import MAX_UPLOAD_BYTES
    from kneecoach.web.limits import limit_for

    assert limit_for("/shoes/activities") == MAX_UPLOAD_BYTES > limit_for("/checkin")
