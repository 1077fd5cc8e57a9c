"""Server mode against the matrix (access_matrix.yaml): every route, as each kind of visitor,
on SQLite and PostgreSQL.

One practice per database for the whole module: the owner with a little of everything stored
(marker words in their notes, goal and shoes), another person with data of their own, a
clinician the owner shared with, one they did not, and an admin, each signed in once through
/login in a browser of their own (a client address of their own, so one visitor's failed
sign-ins never make another wait). Path parameters are the owner's ids. A visitor who is not
allowed to see the owner's data must never get a marker back, whatever the status.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kneecoach.services import logins
from kneecoach.services.database import store_of, transaction
from kneecoach.storage.models.accounts import Share
from kneecoach.web.app import create_app
from kneecoach.web.auth import SESSION_COOKIE
from tests.practice import make_admin, make_clinician, make_person, server_mode, sign_in
from tests.security.matrix import SERVER_ACTORS, RouteKey, load_matrix
from tests.security.owner_data import Stored, store_everything
from tests.security.requests import check, send
from tests.web_client import BrowserClient

ROUTES = sorted(load_matrix().routes)
SIGN_OUT_PROFILES = frozenset({"sign_out", "sign_out_api", "sign_in"})
"""Routes that end the visitor's session (a failed sign-in clears the cookie too)."""
SEES_THE_OWNER = frozenset({"owner", "their_clinician"})
"""Visitors the owner's data may be shown to, where the matrix says allow."""
USERNAMES = {
    "owner": "owner",
    "other_person": "other",
    "their_clinician": "dr.their",
    "other_clinician": "dr.other",
    "admin": "admin",
}


@dataclass
class Practice:
    url: str
    app: FastAPI
    owner: Stored
    clients: dict[str, TestClient]
    accounts: dict[str, str]

    def sign_in_again(self, actor: str) -> None:
        """A new session for a visitor whose request ended theirs (without the password's
        deliberately slow hash: the first sign-in went through /login)."""
        if actor in self.accounts:
            with transaction() as session:
                token = logins.start_login_session(self.accounts[actor], session=session)
            self.clients[actor].cookies.set(SESSION_COOKIE, token)


def visitor(app: FastAPI, number: int) -> TestClient:
    """A browser of its own on its own address, over HTTPS (as behind the practice's proxy),
    never following a redirect."""
    return BrowserClient(
        app,
        base_url="https://localhost",
        follow_redirects=False,
        client=(f"192.0.2.{number}", 50000),
    )


@pytest.fixture(scope="module")
def practice(module_database: str, module_env: pytest.MonkeyPatch) -> Iterator[Practice]:
    server_mode(module_env, module_database, behind_https=True)
    owner = make_person(USERNAMES["owner"])
    other = make_person(USERNAMES["other_person"])
    theirs = make_clinician(USERNAMES["their_clinician"])
    other_clinician = make_clinician(USERNAMES["other_clinician"])
    admin = make_admin(USERNAMES["admin"])
    stored = store_everything(store_of(owner.id), "server-owner-9b2d")
    store_everything(store_of(other.id), "server-other-41fa", shoe="Road shoe")
    with transaction() as session:  # the owner shared with their clinician
        session.add(Share(person_id=owner.id, clinician_id=theirs.id))
    app = create_app()
    clients = {actor: visitor(app, number) for number, actor in enumerate(SERVER_ACTORS, 10)}
    for actor, username in USERNAMES.items():
        answer = sign_in(clients[actor], username)
        assert answer.status_code == 303, f"{username} could not sign in: {answer.text}"
    accounts = {
        "owner": owner.id,
        "other_person": other.id,
        "their_clinician": theirs.id,
        "other_clinician": other_clinician.id,
        "admin": admin.id,
    }
    yield Practice(module_database, app, stored, clients, accounts)
    for client in clients.values():
        client.close()


@pytest.fixture
def server(practice: Practice, monkeypatch: pytest.MonkeyPatch) -> Practice:
    server_mode(monkeypatch, practice.url, behind_https=True)
    return practice


@pytest.mark.parametrize("actor", SERVER_ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_server_mode(server: Practice, route: RouteKey, actor: str) -> None:
    matrix = load_matrix()
    outcome = matrix.server_outcome(route, actor)
    fields = {"username": f"nobody-{actor}", "password": "not the password"}
    response = send(server.clients[actor], route, server.owner, fields=fields)
    try:
        shows = outcome == "allow" and actor in SEES_THE_OWNER
        check(response, outcome, server.owner, shows_owner=shows, hsts=True)
    finally:
        if matrix.routes[route] in SIGN_OUT_PROFILES:
            server.sign_in_again(actor)


def test_the_owner_s_data_shows_where_the_leak_check_looks(server: Practice) -> None:
    """The owner sees their markers in their export, so the leak check can fail."""
    exported = server.clients["owner"].get("/settings/export.json").content
    assert server.owner.leaks(exported) == list(server.owner.markers)
