"""Helpers for server-mode tests (a practice): an app on a given database, accounts made in one
line, and signing a test client in as the pages do.

    app = practice_app(database, monkeypatch)
    anna = make_person("anna")
    client = BrowserClient(app)
    sign_in(client, "anna")

practice-sharing and practice-matrix add their own helpers here (small additive edits).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from kneecoach.core.accounts import AccountView
from kneecoach.services import accounts
from kneecoach.services.database import transaction
from kneecoach.settings import reset_settings
from kneecoach.web.auth import SESSION_COOKIE

PASSWORD = "correct horse battery"
"""Every account the factories make has this password unless told otherwise."""


def server_mode(
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    *,
    behind_https: bool = False,
    allowed_hosts: str = "",
) -> None:
    """KNEECOACH_MODE=server on this database (settings read again)."""
    monkeypatch.setenv("KNEECOACH_MODE", "server")
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", database_url)
    if behind_https:
        monkeypatch.setenv("KNEECOACH_BEHIND_HTTPS", "1")
    else:
        monkeypatch.delenv("KNEECOACH_BEHIND_HTTPS", raising=False)
    if allowed_hosts:
        monkeypatch.setenv("KNEECOACH_ALLOWED_HOSTS", allowed_hosts)
    reset_settings()


def practice_app(database_url: str, monkeypatch: pytest.MonkeyPatch, **options: Any) -> FastAPI:
    """A new server-mode app on `database_url` (one "worker": make two for two)."""
    from kneecoach.web.app import create_app

    server_mode(monkeypatch, database_url, **options)
    return create_app()


def make_account(
    role: str, username: str, password: str | None = PASSWORD, display_name: str | None = None
) -> AccountView:
    with transaction() as session:
        return accounts.create_account(
            username, display_name or username.title(), role, password, session=session
        )


def make_person(username: str = "anna", password: str | None = PASSWORD) -> AccountView:
    return make_account("person", username, password)


def make_clinician(username: str = "dr.cole", password: str | None = PASSWORD) -> AccountView:
    return make_account("clinician", username, password)


def make_admin(username: str = "admin", password: str | None = PASSWORD) -> AccountView:
    return make_account("admin", username, password)


def sign_in(client: Any, username: str, password: str = PASSWORD, next_path: str = "") -> Any:
    """Sign `client` (a tests.web_client.BrowserClient) in through the /login form; returns the
    answer (303 on success) and leaves the session cookie in the client."""
    data = {"username": username, "password": password}
    if next_path:
        data["next"] = next_path
    return client.post("/login", data=data, follow_redirects=False)


def session_cookie(client: Any) -> str | None:
    value = client.cookies.get(SESSION_COOKIE)
    return value if isinstance(value, str) else None
