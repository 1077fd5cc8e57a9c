"""What another web site can make the person's browser send: a form posted to the
delete-everything route with no form token, or from another site, fails in both modes and the
data is still in the database; a Host name that is not the server's (DNS rebinding) is refused
in both modes, and in server mode only the configured names are served."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kneecoach.services.database import Store, store_of
from kneecoach.web.app import create_app
from kneecoach.web.security import CSRF_COOKIE
from tests.practice import make_person, practice_app, server_mode, sign_in
from tests.security.owner_data import store_everything
from tests.security.requests import CROSS_SITE, assert_safety_headers
from tests.security.stores import non_empty
from tests.web_client import TOKEN, BrowserClient

ERASE = {"confirm": "DELETE"}
ATTEMPTS = {
    "no form token": ({}, {}),
    "from another site": ({"csrf_token": TOKEN}, CROSS_SITE),
    "from a sandboxed page": ({"csrf_token": TOKEN}, {"Origin": "null"}),
    "an older browser with only Origin": (
        {"csrf_token": TOKEN},
        {"Origin": "http://hostile.example"},
    ),
}


def personal_app(database: str, monkeypatch: pytest.MonkeyPatch) -> tuple[FastAPI, Store]:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", database)
    store_everything(None, "personal-keep-2a4b")
    return create_app(), Store(database)


def server_app(database: str, monkeypatch: pytest.MonkeyPatch) -> tuple[FastAPI, Store]:
    app = practice_app(database, monkeypatch)
    anna = make_person("anna")
    store_everything(store_of(anna.id), "server-keep-8d0e")
    return app, store_of(anna.id)


@pytest.mark.parametrize("mode", ["personal", "server"])
@pytest.mark.parametrize("attempt", list(ATTEMPTS), ids=list(ATTEMPTS))
def test_a_forged_erase_fails_and_the_data_stays(
    database: str, monkeypatch: pytest.MonkeyPatch, mode: str, attempt: str
) -> None:
    make = personal_app if mode == "personal" else server_app
    app, store = make(database, monkeypatch)
    before = non_empty(store)
    assert before.get("checkins") and before.get("shoe_pairs") and before.get("intakes")
    client = BrowserClient(app, follow_redirects=False)
    if mode == "server":  # the browser is signed in: its session cookie goes along
        assert sign_in(client, "anna").status_code == 303
    fields, headers = ATTEMPTS[attempt]
    if not fields:  # a page elsewhere cannot read the token: the post goes without one
        client.cookies.delete(CSRF_COOKIE)
    answer = client.request("POST", "/settings/delete", data={**ERASE, **fields}, headers=headers)
    assert answer.status_code == 403, answer.text[:200]
    assert_safety_headers(answer, hsts=False)
    assert non_empty(store) == before, "nothing was erased"
    # The same browser, from this site with its token, can erase: only the guard stood between.
    if not fields:  # the token the server gave this browser after the refusal, as a page has
        client.cookies.delete(CSRF_COOKIE)
        client.cookies.set(CSRF_COOKIE, TOKEN)
    mine = client.post("/settings/delete", data={**ERASE, "csrf_token": TOKEN})
    assert mine.status_code == 303
    assert non_empty(store) == {}


def test_the_api_takes_no_form_and_no_other_site_s_json(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form (or text/plain, which a page may send without asking) to the API is refused
    before anything is stored; JSON from another site too."""
    app, store = personal_app(database, monkeypatch)
    before = non_empty(store)
    client = TestClient(app, base_url="http://localhost")
    body = '{"date": "2026-03-01", "pain": 9, "note": "forged"}'
    plain = client.post("/api/v1/checkins", content=body, headers={"Content-Type": "text/plain"})
    form = client.post("/api/v1/checkins", data={"date": "2026-03-01", "pain": "9"})
    json_cross = client.post(
        "/api/v1/checkins",
        content=body,
        headers={"Content-Type": "application/json", **CROSS_SITE},
    )
    assert (plain.status_code, form.status_code, json_cross.status_code) == (415, 415, 403)
    assert non_empty(store) == before


@pytest.mark.parametrize(
    "host", ["rebound.example", "rebound.example:8000", "127.0.0.1.nip.io", "localhost.evil"]
)
def test_a_foreign_host_is_refused_in_personal_mode(
    database: str, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    app, _ = personal_app(database, monkeypatch)
    client = TestClient(app, base_url=f"http://{host}")
    for path in ("/", "/api/v1/checkins", "/settings/export.json"):
        answer = client.get(path)
        assert answer.status_code == 421, path
        assert b"personal-keep-2a4b" not in answer.content
        assert_safety_headers(answer, hsts=False)


def test_server_mode_answers_to_its_configured_names_only(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = practice_app(database, monkeypatch, allowed_hosts="knees.practice.example")
    make_person("anna")
    served = BrowserClient(app, base_url="http://knees.practice.example", follow_redirects=False)
    assert served.get("/login").status_code == 200
    assert sign_in(served, "anna").status_code == 303
    assert served.get("/today").status_code == 200
    for host in ("rebound.example", "practice.example", "knees.practice.example.evil"):
        other = TestClient(app, base_url=f"http://{host}", follow_redirects=False)
        other.cookies = served.cookies  # even with the person's session cookie
        for path in ("/login", "/today", "/api/v1/checkins"):
            answer = other.get(path)
            assert answer.status_code == 421, (host, path)
    monkeypatch.delenv("KNEECOACH_ALLOWED_HOSTS")  # without the setting, the name is refused
    server_mode(monkeypatch, database)
    assert served.get("/login").status_code == 421
