"""Personal mode against the matrix (access_matrix.yaml, `personal`): every route, as the
person's own browser, as another site's page in that browser, as a form posted without the
form token, and with a foreign Host name (DNS rebinding), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi.testclient import TestClient

from kneecoach.web.app import create_app
from tests.security.conftest import use_database
from tests.security.matrix import PERSONAL_ACTORS, RouteKey, load_matrix
from tests.security.owner_data import Stored, finished_movement_check, store_everything
from tests.security.requests import CROSS_SITE, FOREIGN_HOST, bare, browser, check, send

ROUTES = sorted(load_matrix().routes)


@dataclass(frozen=True)
class Personal:
    url: str
    owner: Stored
    clients: dict[str, TestClient]
    data_dir: str  # the module's, where the owner's movement check keeps its picture


@pytest.fixture(scope="module")
def personal(module_database: str, module_env: pytest.MonkeyPatch) -> Iterator[Personal]:
    """The person's install with a little of everything stored, and a client per visitor."""
    use_database(module_env, module_database)
    owner = replace(
        store_everything(None, "personal-owner-5c1e"), job_id=finished_movement_check(None)
    )
    app = create_app()
    clients = {
        "same_machine": browser(app),
        "cross_site": browser(app),
        "form_post": bare(app),
        "foreign_host": browser(app, FOREIGN_HOST),
    }
    yield Personal(module_database, owner, clients, os.environ["KNEECOACH_DATA_DIR"])
    for client in clients.values():
        client.close()


@pytest.fixture
def install(personal: Personal, monkeypatch: pytest.MonkeyPatch) -> Personal:
    monkeypatch.setenv("KNEECOACH_DATA_DIR", personal.data_dir)
    use_database(monkeypatch, personal.url)
    return personal


@pytest.mark.parametrize("actor", PERSONAL_ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_personal_mode(install: Personal, route: RouteKey, actor: str) -> None:
    outcome = load_matrix().personal_outcome(route, actor)
    client = install.clients[actor]
    headers = CROSS_SITE if actor == "cross_site" else None
    bare_form = actor == "form_post"
    response = send(client, route, install.owner, headers, form=bare_form, token=not bare_form)
    # One person, one store: what gets through is theirs to see; a refusal shows none of it.
    check(response, outcome, install.owner, shows_owner=outcome == "allow", hsts=False)


def test_the_owner_s_data_shows_where_the_leak_check_looks(install: Personal) -> None:
    """The markers are really in what the person sees: a leak check that looked for words
    never shown could never fail."""
    client = install.clients["same_machine"]
    exported = client.get("/settings/export.json").content
    assert install.owner.leaks(exported) == list(install.owner.markers)
