"""What an attacker found by probing a running install, replayed: each answer is a clear 4xx
naming the field (never a 500), nothing is stored, and every answer keeps the safety headers.

- A NUL character in any text (a shoe name, a sign-in name, a form field) was a 500 on
  PostgreSQL, which cannot store it; before sign-in too.
- Half of a character pair (`"\\ud800"`) was a 500 on any database.
- NaN, Infinity and a key sent twice were read silently (the last one won).
- A deeply nested intake draft (a form field, or the draft cookie) was a 500.
- A backup holding a NUL failed halfway on PostgreSQL with "something unexpected".
- `GET /plan.ics?tz=` with 5,000 letters was a 500 (too long for a file name).
- A check-in with 10**30 steps was a 500 (too big for the database's integer).
- The check-in form with the day 0001-01-01 was a 500.
- A NUL in an address's id (`POST /shoes/a%00b/retire`) was a 500 on PostgreSQL.
- `GET /api/v1/signals?first=0001-01-01&last=9999-12-31` was a 500.
- A shoe pair could start on 0001-01-01, before the limits' first day.
- Private pages and exports had no `Cache-Control`, so a shared computer's browser or a proxy
  kept them; a 413 had none of the safety headers; the server named itself (`uvicorn`).
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from kneecoach.core.reminders import TIME_FIELD, ZONE_FIELD
from kneecoach.services.backup import checksum, make_backup
from kneecoach.services.database import Store
from kneecoach.storage import db
from kneecoach.web.app import create_app
from kneecoach.web.pages.intake import DRAFT_COOKIE
from tests.cli_helpers import run_cli
from tests.practice import make_person, practice_app, sign_in
from tests.security.owner_data import store_everything
from tests.security.requests import assert_safety_headers
from tests.security.stores import non_empty
from tests.servers import http_connection, start_server
from tests.web_client import BrowserClient

CONTROL = "holds a control character (such as NUL): remove it"


def personal(database: str) -> tuple[FastAPI, Store]:
    return create_app(), Store(database)


def problem_of(answer: object) -> tuple[str, str]:
    error = answer.json()["error"]  # type: ignore[attr-defined]
    return error["field"], error["problem"]


def test_a_nul_in_a_json_text_is_a_clear_422_and_nothing_is_stored(database: str) -> None:
    app, store = personal(database)
    client = BrowserClient(app)
    for body, field in (
        ({"name": "Road\u0000shoes"}, "name"),
        ({"name": "Road", "brand": "As\u0001ics"}, "brand"),
        ({"name": "Road", "default_for": ["run\u0000"]}, "default_for"),
    ):
        answer = client.post("/api/v1/shoes", json=body)
        assert answer.status_code == 422, answer.text
        assert problem_of(answer) == (field, CONTROL)
        assert_safety_headers(answer, hsts=False)
    assert "shoe_pairs" not in non_empty(store)
    # tab and line breaks are ordinary text
    assert client.post("/api/v1/shoes", json={"name": "Road\tshoes"}).status_code == 201


def test_a_nul_in_a_form_is_a_clear_422_and_nothing_is_stored(database: str) -> None:
    app, store = personal(database)
    client = BrowserClient(app)
    answer = client.post("/shoes", data={"name": "Trail\u0000", "type": "trail"})
    assert answer.status_code == 422, answer.text
    assert "name" in answer.text and "control character" in answer.text
    assert "shoe_pairs" not in non_empty(store)


def test_a_nul_in_the_sign_in_name_is_a_clear_422(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before sign-in: anyone on the network could make the server fail this way."""
    client = BrowserClient(practice_app(database, monkeypatch), follow_redirects=False)
    make_person("anna")
    api = client.post("/api/v1/session", json={"username": "an\u0000na", "password": "x"})
    assert api.status_code == 422, api.text
    assert problem_of(api) == ("username", CONTROL)
    form = client.post("/login", data={"username": "an\u0000na", "password": "x"})
    assert form.status_code == 422, form.text
    assert "control character" in form.text
    assert sign_in(client, "anna").status_code == 303  # the right name still gets in


@pytest.mark.parametrize(
    ("raw", "field", "problem"),
    [
        ('{"name": "A\\ud800"}', "name", "holds a broken character (half of a pair)"),
        ('{"name": "A", "start_km": NaN}', "body", "holds NaN, which is not a number"),
        ('{"name": "A", "start_km": Infinity}', "body", "holds Infinity, which is not a number"),
        ('{"name": "A", "start_km": -Infinity}', "body", "holds -Infinity, which is not a number"),
        ('{"name": "A", "name": "B"}', "name", "is sent twice in one object"),
    ],
)
def test_json_that_is_read_two_ways_is_refused(
    database: str, raw: str, field: str, problem: str
) -> None:
    app, store = personal(database)
    answer = BrowserClient(app).post(
        "/api/v1/shoes", content=raw, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422, answer.text
    got_field, got_problem = problem_of(answer)
    assert got_field == field and got_problem.startswith(problem)
    assert "shoe_pairs" not in non_empty(store)


def test_alerts_for_any_range_of_days_answer(database: str) -> None:
    client = BrowserClient(create_app())
    today = date.today().isoformat()
    assert client.post("/api/v1/checkins", json={"date": today, "pain": 3}).status_code == 201
    for first, last in (("0001-01-01", "9999-12-31"), ("0001-01-01", "0001-01-02")):
        answer = client.get("/api/v1/signals", params={"first": first, "last": last})
        assert answer.status_code == 200, answer.text
        assert "alerts" in answer.json()


def test_a_shoe_pair_cannot_start_before_1900(database: str) -> None:
    client = BrowserClient(create_app())
    answer = client.post("/api/v1/shoes", json={"name": "Old", "start_date": "0001-01-01"})
    assert answer.status_code == 422
    assert problem_of(answer) == ("start_date", "0001-01-01 is before 1900-01-01")


PRIVATE = (
    "/today",
    "/shoes",
    "/settings/export.json",
    "/settings/checkins.csv",
    "/api/v1/shoes",
    "/api/v1/settings",
)


def test_private_answers_are_never_kept_in_a_cache(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for mode in ("personal", "server"):
        if mode == "server":
            client = BrowserClient(practice_app(database, monkeypatch), follow_redirects=False)
            make_person("anna")
            sign_in_answer = sign_in(client, "anna")
            assert sign_in_answer.headers["cache-control"] == "no-store"
            assert client.get("/login").headers["cache-control"] == "no-store"
        else:
            client = BrowserClient(create_app(), follow_redirects=False)
        for path in PRIVATE:
            answer = client.get(path)
            assert answer.status_code == 200, (mode, path, answer.text)
            assert answer.headers.get("cache-control") == "no-store", (mode, path)
        # the app's own files, the same for everyone, may be kept
        assert "no-store" not in client.get("/static/style.css").headers.get("cache-control", "")


def test_an_oversize_body_is_refused_with_the_safety_headers(database: str) -> None:
    client = BrowserClient(create_app())
    answer = client.post(
        "/api/v1/shoes",
        content=b'{"name": "' + b"x" * 1_100_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert_safety_headers(answer, hsts=False)
    assert answer.headers["cache-control"] == "no-store"


def test_the_served_app_does_not_name_its_server(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data")
    try:
        connection = http_connection(server.url)
        connection.request("GET", "/healthz")
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200
        assert answer.getheader("server") is None
    finally:
        assert server.stop() == 0


def test_a_damaged_intake_draft_is_a_clear_answer(database: str) -> None:
    """The intake keeps its answers so far in a form field and a cookie (compressed JSON): a
    deeply nested one was a RecursionError (500), in the cookie on every visit to /intake."""
    client = BrowserClient(create_app())
    answer = client.post("/intake", data={"state": "[" * 200_000})
    assert answer.status_code == 422, answer.text
    assert "the answers were damaged" in answer.text
    for raw in (b"[" * 100_000, b'"' + b"a" * 3_000_000 + b'"'):
        client.cookies.set(DRAFT_COOKIE, base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode())
        assert client.get("/intake").status_code == 200  # the draft is dropped, the page starts


def backup_of(url: str) -> dict[str, Any]:
    with db.session_scope(url) as session:
        return make_backup(session=session)


def test_a_backup_with_a_nul_is_refused_before_anything_is_written(
    database: str, tmp_path: Path
) -> None:
    """Older kneecoach let a NUL into SQLite; restoring such a backup on PostgreSQL failed
    halfway with "something unexpected (DataError)". Now: one line saying where it is."""
    store_everything(None, "backup-keep-5c1d")
    good = backup_of(database)
    damaged = json.loads(json.dumps(good))
    shoes = damaged["tables"]["shoe_pairs"]
    shoes["rows"][0][shoes["columns"].index("name")] = "Road\u0000shoes"
    damaged["checksum"] = checksum(damaged["tables"])
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(damaged), encoding="utf-8")
    result = run_cli("restore", str(path), "--replace")
    assert result.exit_code == 2, result.stderr
    assert "table shoe_pairs, row 1, column name holds a NUL character" in result.stderr
    assert result.stderr.count("\n") == 1 and "Nothing was changed" in result.stderr
    assert backup_of(database)["tables"] == good["tables"]


def test_a_time_zone_name_too_long_for_a_file_is_a_clear_422(database: str) -> None:
    """The zone name becomes a file name under tzdata: 5,000 letters was an OSError (500)."""
    client = BrowserClient(create_app())
    long_name = "A" * 5000
    answer = client.get("/plan.ics", params={"tz": long_name})
    assert answer.status_code == 422, answer.text[:300]
    assert "is not a time zone we know" in answer.text and long_name not in answer.text
    form = client.post("/settings/app/reminder", data={TIME_FIELD: "08:00", ZONE_FIELD: long_name})
    assert form.status_code == 422, form.text[:300]
    assert "is not a time zone we know" in form.text


@pytest.mark.parametrize("steps", [10**30, 2**31, 500_001])
def test_a_step_count_too_big_to_store_is_a_clear_422(database: str, steps: int) -> None:
    """10**30 steps was an OverflowError on SQLite (a 500); PostgreSQL's integer ends at 2**31."""
    client = BrowserClient(create_app())
    answer = client.post(
        "/api/v1/checkins", json={"date": date.today().isoformat(), "pain": 2, "steps": steps}
    )
    assert answer.status_code == 422, answer.text
    field, problem = problem_of(answer)
    assert field == "steps" and "500000" in problem.replace(",", "")
    ok = {"date": date.today().isoformat(), "pain": 2, "steps": 500_000}
    assert client.post("/api/v1/checkins", json=ok).status_code == 201


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_check_in_form_with_a_day_out_of_range_is_a_clear_422(database: str, day: str) -> None:
    """The form looks up what Today collected for the posted day and the day before: year 1
    had no day before, an OverflowError (500)."""
    client = BrowserClient(create_app())
    answer = client.post("/checkin", data={"date": day, "pain": "3", "version_day": "x"})
    assert answer.status_code == 422, answer.text[:300]
    assert day in answer.text


@pytest.mark.parametrize(
    "path", ["/shoes/a%00b/retire", "/shoes/a%01b/wear", "/course/a%00b/done", "/improve/a%00b"]
)
def test_a_control_character_in_a_page_address_is_404(database: str, path: str) -> None:
    """An id from the address with a NUL in it reached the database: a 500 on PostgreSQL."""
    client = BrowserClient(create_app())
    answer = client.post(path, data={"date": date.today().isoformat()})
    assert answer.status_code == 404, answer.text[:300]
    assert_safety_headers(answer, hsts=False)


def test_a_control_character_in_an_api_address_is_the_apis_own_404(database: str) -> None:
    """The API documents its 404 as JSON in its error shape; the guard answers the same."""
    client = BrowserClient(create_app())
    answer = client.post("/api/v1/outcomes/a%00b/score", json={"answers": {}})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json() == {
        "error": {"field": None, "pointer": None, "problem": "there is no such address"}
    }
