"""Sign-in sessions in server mode, as an attacker would probe them: a planted session cookie
(fixation), the cookie's flags, the growing wait after failed tries (and the right password
still working once it is over), and no way to tell a known name from an unknown one."""

from __future__ import annotations

import re
import time
from http.cookies import SimpleCookie

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kneecoach.services import logins
from kneecoach.services.database import transaction
from kneecoach.web.auth import SESSION_COOKIE
from kneecoach.web.security import CSRF_COOKIE
from tests.practice import PASSWORD, make_clinician, make_person, practice_app, sign_in
from tests.web_client import BrowserClient

PLANTED = "planted-by-an-attacker-0123456789abcdef0123456789"


def browser(app: FastAPI, https: bool = False, address: str = "192.0.2.1") -> TestClient:
    base = "https://localhost" if https else "http://localhost"
    return BrowserClient(app, base_url=base, follow_redirects=False, client=(address, 50000))


def set_cookies(response: httpx.Response) -> dict[str, SimpleCookie]:
    """Each Set-Cookie of a response by cookie name, parsed."""
    found: dict[str, SimpleCookie] = {}
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name in cookie:
            found[name] = cookie
    return found


def session_token(client: TestClient) -> str | None:
    """The session cookie the client holds (the one the server set last)."""
    values = [c.value for c in client.cookies.jar if c.name == SESSION_COOKIE]
    return values[-1] if values else None


def without_dates(response: httpx.Response) -> list[str]:
    """The Set-Cookie headers with their expiry date taken out (it is the clock's time)."""
    return [
        re.sub(r"expires=[^;]*; ", "", header) for header in response.headers.get_list("set-cookie")
    ]


def signed_in_as(client: TestClient) -> str | None:
    answer = client.get("/api/v1/session")
    return str(answer.json()["username"]) if answer.status_code == 200 else None


def test_a_planted_session_cookie_is_never_adopted(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session fixation: a token the attacker chose before sign-in is not a session, the
    sign-in issues a new one, and the old one of a re-sign-in stops working."""
    app = practice_app(database, monkeypatch)
    make_person("anna")
    client = browser(app)
    client.cookies.set(SESSION_COOKIE, PLANTED)
    assert signed_in_as(client) is None
    answer = sign_in(client, "anna")
    assert answer.status_code == 303
    issued = set_cookies(answer)[SESSION_COOKIE][SESSION_COOKIE].value
    assert issued != PLANTED and len(issued) >= 32
    attacker = browser(app, address="192.0.2.66")
    attacker.cookies.set(SESSION_COOKIE, PLANTED)
    assert signed_in_as(attacker) is None, "the planted token never became a session"
    assert signed_in_as(client) == "anna"

    first = issued
    again = sign_in(client, "anna")  # signing in again replaces the session
    assert again.status_code == 303
    second = set_cookies(again)[SESSION_COOKIE][SESSION_COOKIE].value
    assert second and second != first
    stale = browser(app, address="192.0.2.67")
    stale.cookies.set(SESSION_COOKIE, first)
    assert signed_in_as(stale) is None, "the session the new sign-in replaced has ended"


@pytest.mark.parametrize("https", [False, True], ids=["http", "behind-https"])
def test_cookie_flags(database: str, monkeypatch: pytest.MonkeyPatch, https: bool) -> None:
    app = practice_app(database, monkeypatch, behind_https=https)
    make_person("anna")
    base = "https://localhost" if https else "http://localhost"
    first_visit = TestClient(app, base_url=base)  # no cookie yet: the server sets the token's
    form_cookie = set_cookies(first_visit.get("/login"))[CSRF_COOKIE][CSRF_COOKIE]
    answer = sign_in(BrowserClient(app, base_url=base), "anna")
    assert answer.status_code == 303
    session_cookie = set_cookies(answer)[SESSION_COOKIE][SESSION_COOKIE]
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"].lower() == "lax"
    assert session_cookie["path"] == "/"
    assert bool(session_cookie["secure"]) is https
    assert int(session_cookie["max-age"]) > 0
    assert form_cookie["httponly"] is True
    assert form_cookie["samesite"].lower() == "strict"
    assert bool(form_cookie["secure"]) is https


def wrong(client: TestClient, username: str) -> httpx.Response:
    return sign_in(client, username, "not the password")


def test_the_wait_grows_and_the_right_password_gets_in_after_it(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = practice_app(database, monkeypatch)
    make_clinician("dr.cole")
    client = browser(app)
    for _ in range(5):  # the first tries cost nothing
        assert wrong(client, "dr.cole").status_code == 401
    refused = sign_in(client, "dr.cole")  # even the right password waits now
    assert refused.status_code == 429
    first_wait = int(refused.headers["retry-after"])
    assert first_wait >= 1
    assert signed_in_as(client) is None

    # Once the wait is over, one more wrong try makes the next wait longer...
    after = wait_out(client, "dr.cole", first_wait, password="not the password")
    assert after.status_code == 401
    longer = sign_in(client, "dr.cole")
    assert longer.status_code == 429
    assert int(longer.headers["retry-after"]) > first_wait

    # ...and from another address too: the wait is per account as well as per address.
    elsewhere = browser(app, address="198.51.100.7")
    assert sign_in(elsewhere, "dr.cole").status_code == 429

    # It is a wait, never a lock: the right password works once it is over.
    done = wait_out(client, "dr.cole", int(longer.headers["retry-after"]))
    assert done.status_code == 303
    assert signed_in_as(client) == "dr.cole"


def wait_out(
    client: TestClient, username: str, seconds: int, password: str = PASSWORD
) -> httpx.Response:
    """Try again as soon as the wait allows (checked every tenth of a second), no sooner."""
    started = time.monotonic()
    deadline = started + seconds + 5
    while True:
        answer = sign_in(client, username, password)
        if answer.status_code != 429:
            assert time.monotonic() - started >= seconds - 1.5, "the wait was cut short"
            return answer
        assert time.monotonic() < deadline, "the wait did not end when it said"
        time.sleep(0.1)  # polling until the server's wait is over


def same_apart_from(text: str, *names: str) -> str:
    """A page with the typed name and the per-page form token taken out."""
    for name in names:
        text = text.replace(name, "NAME")
    return re.sub(r'name="csrf_token" value="[^"]*"', "", text)


def test_no_user_enumeration(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong password and a name nobody has get the same status, the same page and the
    same cookies, on the sign-in form, the sign-in API and the reset form."""
    app = practice_app(database, monkeypatch)
    make_person("anna")
    known, unknown = browser(app, address="192.0.2.10"), browser(app, address="192.0.2.11")

    a, b = wrong(known, "anna"), wrong(unknown, "nobody")
    assert a.status_code == b.status_code == 401
    assert same_apart_from(a.text, "anna") == same_apart_from(b.text, "nobody")
    assert without_dates(a) == without_dates(b)

    body = {"password": "not the password"}
    a = known.post("/api/v1/session", json={"username": "anna", **body})
    b = unknown.post("/api/v1/session", json={"username": "nobody", **body})
    assert (a.status_code, a.json()) == (b.status_code, b.json()) == (401, a.json())
    assert without_dates(a) == without_dates(b)

    reset = {"code": "ABCD-EFGH", "password": "a brand new password", "password_again": ""}
    reset["password_again"] = reset["password"]
    a = known.post("/reset", data={"username": "anna", **reset})
    b = unknown.post("/reset", data={"username": "nobody", **reset})
    assert a.status_code == b.status_code
    assert same_apart_from(a.text, "anna") == same_apart_from(b.text, "nobody")


def test_signing_out_ends_the_session_on_the_server(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copied cookie stops working after sign-out: the session is gone from the database."""
    app = practice_app(database, monkeypatch)
    make_person("anna")
    client = browser(app)
    assert sign_in(client, "anna").status_code == 303
    token = session_token(client)
    assert token
    assert client.post("/logout").status_code == 303
    with transaction() as session:
        assert logins.account_for_token(token, session=session) is None
    copy = browser(app, address="192.0.2.99")
    copy.cookies.set(SESSION_COOKIE, token)
    assert signed_in_as(copy) is None
