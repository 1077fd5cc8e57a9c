"""Sending one matrix request: the route's path filled with the owner's ids, a body fit for
its kind (a form with or without the token, or JSON), never following a redirect."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kneecoach.web.security import CSRF_FIELD
from tests.security.matrix import (
    RouteKey,
    expected_status,
    is_allowed_status,
    is_login_redirect,
)
from tests.security.owner_data import Stored
from tests.web_client import TOKEN, BrowserClient

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Origin": "http://hostile.example"}
FOREIGN_HOST = "http://rebound.example"


def browser(app: FastAPI, base_url: str = "http://localhost") -> TestClient:
    """The person's own browser: this machine's name and the form token on every form."""
    return BrowserClient(app, base_url=base_url, follow_redirects=False)


def bare(app: FastAPI) -> TestClient:
    """A client with no form token and no browser headers (a form from elsewhere, or curl)."""
    return TestClient(app, base_url="http://localhost", follow_redirects=False)


def send(
    client: TestClient,
    route: RouteKey,
    owner: Stored,
    headers: dict[str, str] | None = None,
    form: bool = False,
    token: bool = True,
    fields: dict[str, str] | None = None,
) -> httpx.Response:
    """The request a visitor makes to `route`. Forms and API bodies are empty: a denial must
    come before a body is judged, and an allowed one is then a form error, changing nothing.
    `form` sends an API change as a form instead of JSON (what a plain HTML form can send);
    `token` puts the form token of `web_client` in a form (the cookie is the client's);
    `fields` go in every body (a sign-in try's name, so each visitor tries a name of its own)."""
    path = route.path.format(**owner.path_values(route.path))
    kwargs: dict[str, Any] = {"headers": headers or {}}
    if route.changes:
        body = dict(fields or {})
        if route.is_api and not form:
            kwargs["json"] = body
        else:
            kwargs["data"] = {**body, CSRF_FIELD: TOKEN} if token else body
    return client.request(route.method, path, **kwargs)


SAFETY_HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "geolocation=()",
}
"""Every answer's safety headers, each with a part its value must hold."""
HSTS = "strict-transport-security"


def assert_safety_headers(response: httpx.Response, *, hsts: bool) -> None:
    """The safety headers on any answer (a refusal too); HSTS only behind HTTPS in server
    mode, where `hsts` is true."""
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    for name, part in SAFETY_HEADERS.items():
        assert part in response.headers.get(name, ""), f"{where}: {name} missing or weak"
    if hsts:
        assert "max-age=31536000" in response.headers.get(HSTS, ""), f"{where}: no HSTS"
    else:
        assert HSTS not in response.headers, f"{where}: HSTS over plain HTTP"


def check(
    response: httpx.Response, outcome: str, owner: Stored, *, shows_owner: bool, hsts: bool
) -> None:
    """The response is what the matrix expects, carries the owner's data only when the
    visitor may see it (`shows_owner`), and has every safety header."""
    assert_safety_headers(response, hsts=hsts)
    where = f"{response.request.method} {response.request.url.path}"
    status, location = response.status_code, response.headers.get("location")
    denied = expected_status(outcome)
    if denied is None:
        assert is_allowed_status(status, location), (
            f"{where}: expected {outcome}, got {status} {location or ''} {response.text[:300]}"
        )
    else:
        assert status == denied, f"{where}: expected {outcome} ({denied}), got {status}"
        if outcome == "login":
            assert is_login_redirect(location), f"{where}: redirects to {location}"
    if not shows_owner:
        leaked = owner.leaks(response.content)
        assert not leaked, f"{where}: {outcome} answer shows the owner's data: {leaked}"
