"""Signing in and out of a practice server, on SQLite and on PostgreSQL: the guard, the cookie,
no user enumeration, session fixation, expiry, disabling, the admin's limits, the API's sign-in,
password change and reset codes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from kneecoach.services import accounts, logins
from kneecoach.services.database import transaction
from kneecoach.storage.base import utc_now
from kneecoach.storage.models.accounts import LoginSession, OneTimeCode
from kneecoach.web.auth import SESSION_COOKIE, safe_next
from tests.practice import (
    PASSWORD,
    make_admin,
    make_clinician,
    make_person,
    session_cookie,
    sign_in,
)
from tests.web_client import BrowserClient


def _set_cookie_headers(answer: Any) -> list[str]:
    """The Set-Cookie headers, without the clock time an expiry is written in."""
    return [
        re.sub(r"expires=[^;]+; ", "", value)
        for key, value in answer.headers.multi_items()
        if key == "set-cookie"
    ]


def _session_rows() -> int:
    with transaction() as session:
        return int(session.scalar(select(func.count()).select_from(LoginSession)) or 0)


def _age_session(token: str, **values: Any) -> None:
    with transaction() as session:
        session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == logins.token_hash(token))
            .values(**values)
        )


def test_a_person_signs_in_sees_today_and_signs_out(client: BrowserClient) -> None:
    make_person("anna")
    answer = client.get("/today", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/today"

    answer = sign_in(client, "Anna", next_path="/today")  # a user name in any letter case
    assert answer.status_code == 303
    assert answer.headers["location"] == "/today"
    today = client.get("/today")
    assert today.status_code == 200
    assert 'data-signed-in="anna"' in today.text and "Sign out" in today.text
    assert _session_rows() == 1

    answer = client.post("/logout", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["clear-site-data"] == '"cache"'  # pages kept for offline use go too
    assert session_cookie(client) is None
    assert _session_rows() == 0  # the row is gone: the old cookie opens nothing
    assert client.get("/today", follow_redirects=False).status_code == 303


def test_anonymous_pages_redirect_the_api_answers_401_and_public_paths_open(
    client: BrowserClient,
) -> None:
    assert client.get("/settings?tab=1", follow_redirects=False).headers["location"] == (
        "/login?next=/settings%3Ftab%3D1"
    )
    api = client.get("/api/v1/today")
    assert api.status_code == 401
    assert api.json()["error"]["problem"] == "Sign in first."
    assert client.post("/api/v1/sessions", json={}).status_code == 401
    for path in ("/login", "/reset", "/healthz", "/static/style.css", "/manifest.webmanifest"):
        assert client.get(path).status_code == 200, path
    assert client.get("/sw.js").status_code == 200
    assert client.get("/healthz").text == "ok"


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(client: BrowserClient) -> None:
    make_person("anna")
    wrong = sign_in(client, "anna", "not the password at all")
    unknown = sign_in(client, "nobody", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text.replace('value="anna"', "") == unknown.text.replace('value="nobody"', "")
    assert _set_cookie_headers(wrong) == _set_cookie_headers(unknown)
    assert "That name and password do not match." in wrong.text
    assert session_cookie(client) is None


def test_a_disabled_account_gets_the_same_refusal(client: BrowserClient) -> None:
    make_person("anna")
    with transaction() as session:
        accounts.disable("anna", session=session)
    refused = sign_in(client, "anna")
    assert refused.status_code == 401
    assert "That name and password do not match." in refused.text


def test_sign_in_goes_only_to_a_local_next_page(client: BrowserClient) -> None:
    make_person("anna")
    answer = sign_in(client, "anna", next_path="//evil.example/steal")
    assert answer.headers["location"] == "/"
    for bad in ("https://evil.example/", "/\\evil.example", "javascript:alert(1)", "//x"):
        assert safe_next(bad) == "/"
    assert safe_next("/today?x=1") == "/today?x=1"


def test_a_cookie_set_before_sign_in_never_becomes_the_session(client: BrowserClient) -> None:
    """Session fixation: whatever token the browser had is discarded, and a new one made."""
    make_person("anna")
    # where the test client keeps the server's cookies for http://localhost: the same cookie
    client.cookies.set(
        SESSION_COOKIE, "planted-by-an-attacker-0123456789", domain="localhost.local", path="/"
    )
    sign_in(client, "anna")
    first = session_cookie(client)
    assert first is not None and first != "planted-by-an-attacker-0123456789"
    sign_in(client, "anna")  # signing in again with a live token: that one ends too
    second = session_cookie(client)
    assert second is not None and second != first
    with transaction() as session:
        assert logins.account_for_token(first, session=session) is None
        assert logins.account_for_token(second, session=session) is not None
    assert _session_rows() == 1


def test_the_cookie_flags(client: BrowserClient) -> None:
    make_person("anna")
    header = _set_cookie_headers(sign_in(client, "anna"))[0]
    assert header.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in header
    assert "SameSite=lax" in header
    assert "Path=/" in header
    assert "Secure" not in header
    assert len(session_cookie(client) or "") >= 43  # 256 bits, base64


def test_the_cookie_is_secure_behind_https(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.practice import practice_app

    app = practice_app(database, monkeypatch, behind_https=True)
    make_person("anna")
    client = BrowserClient(app, base_url="https://localhost")
    header = _set_cookie_headers(sign_in(client, "anna"))[0]
    assert "Secure" in header and "HttpOnly" in header


def test_a_session_ends_when_idle_and_at_its_absolute_limit(client: BrowserClient) -> None:
    make_person("anna")
    sign_in(client, "anna")
    token = session_cookie(client) or ""
    _age_session(token, last_seen_at=utc_now() - logins.IDLE - timedelta(seconds=1))
    assert client.get("/today", follow_redirects=False).status_code == 303
    assert _session_rows() == 0  # the idle session's row was deleted on the way

    sign_in(client, "anna")
    token = session_cookie(client) or ""
    _age_session(token, last_seen_at=utc_now() - timedelta(minutes=5))
    assert client.get("/today").status_code == 200  # in use: the idle clock starts again
    _age_session(token, expires_at=utc_now() - timedelta(seconds=1))
    assert client.get("/today", follow_redirects=False).status_code == 303


def test_disabling_an_account_ends_its_sessions(client: BrowserClient) -> None:
    make_person("anna")
    sign_in(client, "anna")
    assert client.get("/today").status_code == 200
    with transaction() as session:
        accounts.disable("anna", session=session)
    assert _session_rows() == 0
    assert client.get("/today", follow_redirects=False).status_code == 303


def test_an_admin_manages_accounts_but_never_opens_health_data(client: BrowserClient) -> None:
    make_admin("boss")
    answer = sign_in(client, "boss")
    assert answer.headers["location"] == "/account"
    assert client.get("/account").status_code == 200
    for path in ("/today", "/progress", "/settings", "/"):
        assert client.get(path).status_code == 403, path
    assert client.get("/api/v1/today").status_code == 403
    page = client.get("/account").text
    assert 'aria-label="Main"' not in page  # no links to a person's pages


def test_a_clinician_gets_no_person_store_of_their_own(client: BrowserClient) -> None:
    make_clinician("dr.cole")
    sign_in(client, "dr.cole")
    assert client.get("/today").status_code == 403
    assert client.get("/account").status_code == 200


def test_the_login_form_needs_its_form_token(practice: FastAPI) -> None:
    """Login CSRF: a form posted from elsewhere cannot sign this browser in to another account."""
    from fastapi.testclient import TestClient

    make_person("anna")
    bare = TestClient(practice, base_url="http://localhost")
    answer = bare.post("/login", data={"username": "anna", "password": PASSWORD})
    assert answer.status_code == 403
    cross = BrowserClient(practice)
    answer = cross.post(
        "/login",
        data={"username": "anna", "password": PASSWORD},
        headers={"sec-fetch-site": "cross-site"},
    )
    assert answer.status_code == 403


def test_scripts_sign_in_through_the_api(client: BrowserClient) -> None:
    make_person("anna")
    refused = client.post("/api/v1/session", json={"username": "anna", "password": "wrong-one!"})
    unknown = client.post("/api/v1/session", json={"username": "zed", "password": "wrong-one!"})
    assert refused.status_code == unknown.status_code == 401
    assert refused.json() == unknown.json()
    answer = client.post("/api/v1/session", json={"username": "anna", "password": PASSWORD})
    assert answer.status_code == 200
    assert answer.json()["username"] == "anna" and answer.json()["role"] == "person"
    assert "HttpOnly" in answer.headers["set-cookie"]
    assert client.get("/api/v1/session").json()["display_name"] == "Anna"
    assert client.get("/api/v1/checkins").status_code == 200
    out = client.delete("/api/v1/session", headers={"content-type": "application/json"})
    assert out.status_code == 204
    assert client.get("/api/v1/checkins").status_code == 401


def test_changing_the_password_gives_a_new_session_and_ends_the_others(
    practice: FastAPI,
) -> None:
    make_person("anna")
    laptop, phone = BrowserClient(practice), BrowserClient(practice)
    sign_in(laptop, "anna")
    sign_in(phone, "anna")
    before = session_cookie(laptop)
    mismatch = laptop.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a new long one", "password_again": "x"},
    )
    assert mismatch.status_code == 422
    wrong = laptop.post(
        "/account/password",
        data={
            "current_password": "not it at all",
            "password": "a new long one",
            "password_again": "a new long one",
        },
    )
    assert wrong.status_code == 422 and "is not your current password" in wrong.text
    answer = laptop.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "a new long one",
            "password_again": "a new long one",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert session_cookie(laptop) not in (None, before)
    assert laptop.get("/today").status_code == 200
    assert phone.get("/today", follow_redirects=False).status_code == 303
    assert sign_in(phone, "anna", PASSWORD).status_code == 401
    assert sign_in(phone, "anna", "a new long one").status_code == 303


def test_sign_out_everywhere(practice: FastAPI) -> None:
    make_person("anna")
    laptop, phone = BrowserClient(practice), BrowserClient(practice)
    sign_in(laptop, "anna")
    sign_in(phone, "anna")
    assert "2 devices" in laptop.get("/account").text
    laptop.post("/account/sign-out-everywhere")
    assert _session_rows() == 0
    assert phone.get("/today", follow_redirects=False).status_code == 303


def _reset(client: BrowserClient, username: str, code: str, password: str) -> Any:
    return client.post(
        "/reset",
        data={"username": username, "code": code, "password": password, "password_again": password},
        follow_redirects=False,
    )


def test_a_reset_code_works_once(client: BrowserClient) -> None:
    make_person("anna", password=None)  # made with no password: only a code lets them in
    assert sign_in(client, "anna", "").status_code == 401
    with transaction() as session:
        _, code, expires = logins.make_reset_code("anna", session=session)
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}", code)
    assert expires - utc_now() > timedelta(hours=23)
    weak = _reset(client, "anna", code, "short")
    assert weak.status_code == 422 and "at least 12 characters" in weak.text
    answer = _reset(client, "anna", f"{code[:5].lower()}-{code[5:]}", "my own new password")
    assert answer.status_code == 303 and answer.headers["location"] == "/login?reset=1"
    assert sign_in(client, "anna", "my own new password").status_code == 303
    again = _reset(client, "anna", code, "another password here")
    assert again.status_code == 401
    assert "the code is used or too old" in again.text


def test_a_reset_code_expires_and_a_new_one_replaces_the_old(client: BrowserClient) -> None:
    make_person("anna")
    with transaction() as session:
        _, old, _ = logins.make_reset_code("anna", session=session)
    with transaction() as session:
        _, new, _ = logins.make_reset_code("anna", session=session)
    assert _reset(client, "anna", old, "my own new password").status_code == 401
    with transaction() as session:
        session.execute(update(OneTimeCode).values(expires_at=utc_now() - timedelta(seconds=1)))
    assert _reset(client, "anna", new, "my own new password").status_code == 401


def test_a_reset_for_an_unknown_name_looks_like_a_wrong_code(client: BrowserClient) -> None:
    make_person("anna")
    with transaction() as session:
        _, code, _ = logins.make_reset_code("anna", session=session)
    wrong = _reset(client, "anna", "AAAAAAAAAA", "my own new password")
    unknown = _reset(client, "nobody", code, "my own new password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text.replace('value="anna"', "").replace('value="AAAAAAAAAA"', "") == (
        unknown.text.replace('value="nobody"', "").replace(f'value="{code}"', "")
    )


def test_personal_mode_has_no_sign_in_pages() -> None:
    from kneecoach.web.app import create_app

    client = BrowserClient(create_app())
    assert client.get("/login").status_code == 404
    assert client.get("/account").status_code == 404
    assert client.post("/api/v1/session", json={"username": "a", "password": "b"}).status_code == (
        404
    )
    assert client.get("/today").status_code == 200  # no sign-in on one's own machine
    assert client.get("/healthz").text == "ok"
