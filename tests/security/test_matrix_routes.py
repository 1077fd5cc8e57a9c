"""The access matrix covers the app exactly: a new route with no line in
tests/security/access_matrix.yaml fails here, and so does a line for a route that is gone."""

from __future__ import annotations

import pytest
import yaml

from kneecoach.web.app import create_app
from tests.security.matrix import MATRIX_FILE, app_routes, load_matrix, opens_a_store


def test_every_route_has_a_line_in_the_matrix() -> None:
    missing = sorted(str(key) for key in set(app_routes(create_app())) - set(load_matrix().routes))
    assert not missing, (
        f"routes with no line in {MATRIX_FILE.name} (say who may use each): {missing}"
    )


def test_every_line_of_the_matrix_is_a_route() -> None:
    gone = sorted(str(key) for key in set(load_matrix().routes) - set(app_routes(create_app())))
    assert not gone, f"{MATRIX_FILE.name} names routes the app no longer has: {gone}"


def test_a_public_route_opens_nobody_s_data() -> None:
    """A route anyone may use must not depend on the request's unit of work."""
    matrix, routes = load_matrix(), app_routes(create_app())
    public = [key for key, profile in matrix.routes.items() if profile == "public"]
    opening = sorted(str(key) for key in public if opens_a_store(routes.get(key)))
    assert not opening, f"public in the matrix but reads a person's store: {opening}"


def test_the_route_list_sees_routes_added_later() -> None:
    """The walk over the app finds a route included after the app was made (the check can
    fail): nested routers are resolved, not skipped."""
    from fastapi import APIRouter

    app = create_app()
    extra = APIRouter()

    @extra.get("/surprise/{thing}")
    def surprise(thing: str) -> str:
        return thing

    app.include_router(extra, prefix="/api/v1")
    assert any(key.path == "/api/v1/surprise/{thing}" for key in app_routes(app))


def test_the_matrix_file_refuses_a_profile_that_forgets_a_visitor(tmp_path) -> None:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(MATRIX_FILE.read_text())
    del raw["profiles"]["person_page"]["admin"]
    broken = tmp_path / "matrix.yaml"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ValueError, match="profile person_page must name exactly"):
        load_matrix(broken)
