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

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kneecoach.services import audit, logins, sharing
from kneecoach.services.database import store_of, transaction
from kneecoach.web.app import create_app
from kneecoach.web.auth import SESSION_COOKIE
from tests.practice import make_admin, make_clinician, make_person, server_mode, sign_in
from tests.security.matrix import SERVER_ACTORS, RouteKey, load_matrix
from tests.security.owner_data import (
    Stored,
    clinician_wrote,
    finished_movement_check,
    store_everything,
)
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


MARKER = "server-owner-9b2d"
RESHARE_AFTER = frozenset(
    {
        RouteKey("POST", "/settings/access/clinicians/{clinician_id}/revoke"),
        RouteKey("DELETE", "/api/v1/sharing/clinicians/{clinician_id}"),
    }
)
"""Routes that stop the owner sharing with their clinician: the test shares again after."""


def share(person_id: str, clinician_id: str) -> None:
    """The person makes a code and the clinician links with it, as on their pages."""
    with transaction() as session:
        code = sharing.make_share_code(person_id, session=session)
        sharing.link_with_code(clinician_id, code.code, session=session)


def audit_count(person_id: str) -> int:
    with transaction() as session:
        return len(audit.entries_about(person_id, session=session))


@dataclass
class Practice:
    url: str
    app: FastAPI
    owner: Stored
    clients: dict[str, TestClient]
    accounts: dict[str, str]
    data_dir: str  # the module's, where the owner's movement check keeps its picture

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
    stored = store_everything(store_of(owner.id), MARKER)
    store_everything(store_of(other.id), "server-other-41fa", shoe="Road shoe")
    share(owner.id, theirs.id)
    changes = clinician_wrote(store_of(owner.id), theirs, MARKER)
    stored = replace(
        stored,
        markers=(*stored.markers, f"{MARKER}-reason 1"),
        person_id=owner.id,
        clinician_id=theirs.id,
        adjustments=changes,
        job_id=finished_movement_check(owner.id),
    )
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
    data = os.environ["KNEECOACH_DATA_DIR"]
    yield Practice(module_database, app, stored, clients, accounts, data)
    for client in clients.values():
        client.close()


@pytest.fixture
def server(practice: Practice, monkeypatch: pytest.MonkeyPatch) -> Practice:
    monkeypatch.setenv("KNEECOACH_DATA_DIR", practice.data_dir)
    server_mode(monkeypatch, practice.url, behind_https=True)
    return practice


@pytest.mark.parametrize("actor", SERVER_ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_server_mode(server: Practice, route: RouteKey, actor: str) -> None:
    matrix = load_matrix()
    outcome = matrix.server_outcome(route, actor)
    fields = {"username": f"nobody-{actor}", "password": "not the password"}
    about_owner = "{person_id}" in route.path
    audited = audit_count(server.owner.person_id) if about_owner else 0
    response = send(server.clients[actor], route, server.owner, fields=fields)
    try:
        shows = outcome == "allow" and actor in SEES_THE_OWNER
        check(response, outcome, server.owner, shows_owner=shows, hsts=True)
        if about_owner:  # a clinician's read of the owner is in the owner's audit; no other
            grew = audit_count(server.owner.person_id) > audited
            assert grew is (outcome == "allow"), f"audit written: {grew}, outcome {outcome}"
    finally:
        if matrix.routes[route] in SIGN_OUT_PROFILES:
            server.sign_in_again(actor)
        if route in RESHARE_AFTER and actor == "owner":
            share(server.owner.person_id, server.owner.clinician_id)


def test_the_owner_s_data_shows_where_the_leak_check_looks(server: Practice) -> None:
    """Every marker is really shown to those allowed to see it (the owner's export, the
    clinician's view of their plan changes), so the leak check can fail."""
    exported = server.clients["owner"].get("/settings/export.json").content
    # the export holds everything, a clinician's plan changes (and their reasons) included
    assert sorted(server.owner.leaks(exported)) == sorted(server.owner.markers)
    changes = server.clients["their_clinician"].get(
        f"/api/v1/clinic/people/{server.owner.person_id}/adjustments"
    )
    assert f"{MARKER}-reason 1" in server.owner.leaks(changes.content)
