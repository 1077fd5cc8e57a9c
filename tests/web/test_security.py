"""Other web sites cannot touch a person's data: the probes that once got through, replayed.

Each test sends what an attacking page makes a browser send, through a plain TestClient (no
form token, any Host), and checks both the answer and that the data is still there.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kneecoach.web.app import create_app
from kneecoach.web.security import CSRF_COOKIE, CSRF_FIELD, host_name, is_allowed_host
from tests.web_client import BrowserClient


@pytest.fixture
def person() -> BrowserClient:
    """The person's own browser, with one check-in saved."""
    client = BrowserClient(create_app())
    saved = client.post(
        "/checkin", data={"pain": "3", "date": "2026-03-02"}, follow_redirects=False
    )
    assert saved.status_code == 303
    return client


def raw(base_url: str = "http://localhost") -> TestClient:
    return TestClient(create_app(), base_url=base_url)


def checkins_kept(person: BrowserClient) -> int:
    return len(person.get("/api/v1/checkins").json()["checkins"])


def test_dns_rebinding_cannot_erase_or_read(person: BrowserClient) -> None:
    """The probe: Host evil.example with a matching Origin erased everything and exported it."""
    attacker = raw("http://evil.example:8123")
    evil = {"origin": "http://evil.example:8123"}
    erase = attacker.post("/settings/delete", data={"confirm": "DELETE"}, headers=evil)
    assert erase.status_code == 421
    export = attacker.get("/settings/export.json", headers=evil)
    assert export.status_code == 421 and "pain" not in export.text
    assert attacker.get("/api/v1/checkins").status_code == 421
    assert checkins_kept(person) == 1


@pytest.mark.parametrize(
    "host", ["localhost:8123", "127.0.0.1:8123", "[::1]:8123", "LOCALHOST", "127.0.0.1"]
)
def test_this_machines_own_names_are_served(host: str) -> None:
    assert raw().get("/", headers={"host": host}).status_code == 200


def test_a_configured_name_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_ALLOWED_HOSTS", "kneecoach.home, 192.168.1.20")
    assert raw("http://kneecoach.home:8000").get("/").status_code == 200
    assert raw("http://192.168.1.20:8000").get("/").status_code == 200
    assert raw("http://evil.example").get("/").status_code == 421


def test_host_names_are_read_with_ports_and_brackets() -> None:
    assert host_name("[::1]:8000") == "::1"
    assert host_name("Example.COM:80") == "example.com"
    assert is_allowed_host("127.0.0.5:1")
    assert not is_allowed_host(None)
    assert not is_allowed_host("localhost.evil.example")


def test_a_form_without_this_browsers_token_changes_nothing(person: BrowserClient) -> None:
    """A page elsewhere can post a form in a browser that sends no Origin: the token stops it."""
    forged = raw().post("/settings/delete", data={"confirm": "DELETE"})
    assert forged.status_code == 403
    wrong = raw()
    wrong.cookies.set(CSRF_COOKIE, "x" * 43)
    assert (
        wrong.post("/settings/delete", data={"confirm": "DELETE", CSRF_FIELD: "y" * 43}).status_code
        == 403
    )
    assert checkins_kept(person) == 1


def test_every_page_gives_its_forms_the_token() -> None:
    client = raw()
    page = client.get("/checkin")
    token = page.cookies.get(CSRF_COOKIE)
    assert token and f'name="{CSRF_FIELD}" value="{token}"' in page.text
    saved = client.post("/checkin", data={"pain": "2", CSRF_FIELD: token}, follow_redirects=False)
    assert saved.status_code == 303
    assert "samesite=strict" in page.headers["set-cookie"].lower()
    assert "httponly" in page.headers["set-cookie"].lower()


def test_the_api_takes_json_only_and_refuses_other_sites() -> None:
    api = raw()
    as_form = api.post("/api/v1/checkins", data={"date": "2026-03-02", "pain": "3"})
    assert as_form.status_code == 415
    as_text = api.post(
        "/api/v1/checkins", content=b'{"date": "2026-03-02", "pain": 3}',
        headers={"content-type": "text/plain"},
    )  # fmt: skip
    assert as_text.status_code == 415
    cross = api.post(
        "/api/v1/checkins", json={"date": "2026-03-02", "pain": 3},
        headers={"sec-fetch-site": "cross-site"},
    )  # fmt: skip
    assert cross.status_code == 403
    assert api.get("/api/v1/checkins").json()["checkins"] == []


def test_a_script_on_this_machine_needs_no_token() -> None:
    """curl and scripts send no Origin: JSON to the API works, as docs/web.md shows."""
    created = raw().post("/api/v1/checkins", json={"date": "2026-03-02", "pain": 3})
    assert created.status_code == 201
