"""The access matrix (access_matrix.yaml) read and checked, the app's routes listed, and what
each outcome means as a check on a response.

Used by the matrix tests and by `python -m tests.security.matrix_doc` (the table in
docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from fastapi import FastAPI
from starlette.routing import Mount

from kneecoach.data.files import parse_yaml
from kneecoach.web.security import UNSAFE_METHODS

MATRIX_FILE: Final = Path(__file__).with_name("access_matrix.yaml")
SERVER_ACTORS: Final = (
    "anonymous",
    "owner",
    "other_person",
    "their_clinician",
    "other_clinician",
    "admin",
)
PERSONAL_ACTORS: Final = ("same_machine", "cross_site", "form_post", "foreign_host")
PERSONAL_KINDS: Final = ("page_read", "page_change", "api_read", "api_change")
DENIED_STATUS: Final = {
    "login": 303,
    "unauthorized": 401,
    "sign_in_refused": 401,
    "forbidden": 403,
    "cross_site": 403,
    "not_found": 404,
    "not_json": 415,
    "refused_host": 421,
}
"""Each denial and the one status it answers with."""
ALLOWED: Final = frozenset({"allow", "own"})
OUTCOMES: Final = ALLOWED | DENIED_STATUS.keys()
JUDGED_ON_CONTENT: Final = frozenset({400, 409, 422})
"""A request that reached the page and was judged on what it sent (a form error)."""
LOGIN_PATH: Final = "/login"


@dataclass(frozen=True, order=True)
class RouteKey:
    method: str
    path: str

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def changes(self) -> bool:
        return self.method in UNSAFE_METHODS

    @property
    def personal_kind(self) -> str:
        return f"{'api' if self.is_api else 'page'}_{'change' if self.changes else 'read'}"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Matrix:
    profiles: dict[str, dict[str, str]]
    routes: dict[RouteKey, str]
    personal: dict[str, dict[str, str]]
    server_only: frozenset[RouteKey]

    def server_outcome(self, route: RouteKey, actor: str) -> str:
        return self.profiles[self.routes[route]][actor]

    def personal_outcome(self, route: RouteKey, actor: str) -> str:
        outcome = self.personal[route.personal_kind][actor]
        return "not_found" if outcome == "allow" and route in self.server_only else outcome


def _key(text: str) -> RouteKey:
    method, _, path = text.partition(" ")
    if not path.startswith("/") or method != method.upper() or not method:
        raise ValueError(f"{MATRIX_FILE.name}: {text!r} is not 'METHOD /path'")
    return RouteKey(method, path)


def _table(raw: Any, where: str, columns: Iterable[str]) -> dict[str, str]:
    wanted = tuple(columns)
    if not isinstance(raw, dict) or set(raw) != set(wanted):
        raise ValueError(f"{MATRIX_FILE.name}: {where} must name exactly {', '.join(wanted)}")
    unknown = {v for v in raw.values() if v not in OUTCOMES}
    if unknown:
        raise ValueError(f"{MATRIX_FILE.name}: {where}: unknown outcome {sorted(unknown)}")
    return {actor: str(raw[actor]) for actor in wanted}


@cache
def load_matrix(path: Path = MATRIX_FILE) -> Matrix:
    """The matrix file, checked: every profile names every visitor, every outcome is known."""
    raw = parse_yaml(path.read_text())  # a route written twice is an error, not dropped
    if tuple(raw["actors"]) != SERVER_ACTORS:
        raise ValueError(f"{path.name}: actors must be {', '.join(SERVER_ACTORS)}")
    profiles = {
        name: _table(table, f"profile {name}", SERVER_ACTORS)
        for name, table in raw["profiles"].items()
    }
    routes: dict[RouteKey, str] = {}
    for text, profile in raw["routes"].items():
        if profile not in profiles:
            raise ValueError(f"{path.name}: {text}: no profile called {profile!r}")
        routes[_key(text)] = profile
    personal = {
        kind: _table(raw["personal"].get(kind), f"personal {kind}", PERSONAL_ACTORS)
        for kind in PERSONAL_KINDS
    }
    server_only = frozenset(_key(text) for text in raw.get("server_only", ()))
    unknown = sorted(str(key) for key in server_only - routes.keys())
    if unknown:
        raise ValueError(f"{path.name}: server_only names routes with no line: {unknown}")
    return Matrix(profiles, routes, personal, server_only)


def _walk(routes: Iterable[Any]) -> Iterator[Any]:
    for route in routes:
        # FastAPI keeps an included router as one entry and resolves its routes lazily.
        nested = getattr(route, "effective_candidates", None)
        if callable(nested):
            yield from _walk(nested())
        else:
            yield route


def app_routes(app: FastAPI) -> dict[RouteKey, Any]:
    """Every (method, path template) the app answers, with its route object (or None)."""
    found: dict[RouteKey, Any] = {}
    for route in _walk(app.routes):
        if isinstance(route, Mount):
            found[RouteKey("GET", f"{route.path}/{{path}}")] = None
            continue
        path = getattr(route, "path", None)
        methods = getattr(route, "methods", None)
        if not isinstance(path, str) or not methods:
            raise AssertionError(f"a route the matrix cannot read: {route!r}")
        for method in sorted(set(methods) - {"HEAD"}):
            found[RouteKey(method, path)] = route
    return found


def opens_a_store(route: Any) -> bool:
    """Whether a route's handler depends on the request's unit of work (a person's data)."""
    from kneecoach.web.deps import get_session

    dependant = getattr(route, "dependant", None)
    if dependant is None:
        original = getattr(route, "original_route", None)
        dependant = getattr(original, "dependant", None)
    if dependant is None:
        return False

    def calls(node: Any) -> Iterator[Any]:
        yield node.call
        for child in node.dependencies:
            yield from calls(child)

    return get_session in set(calls(dependant))


def expected_status(outcome: str) -> int | None:
    """The status a denial answers with; None for an allowed outcome."""
    return DENIED_STATUS.get(outcome)


def is_login_redirect(location: str | None) -> bool:
    """A redirect to the sign-in page for someone not signed in (`/login` or `/login?next=…`);
    `/login?signed_out=1` after signing out is not one."""
    return location == LOGIN_PATH or (location or "").startswith(f"{LOGIN_PATH}?next=")


def is_allowed_status(status: int, location: str | None) -> bool:
    """A request that got through: a page, a redirect that is not to sign-in, or a form error."""
    if 300 <= status < 400:
        return not is_login_redirect(location)
    return 200 <= status < 300 or status in JUDGED_ON_CONTENT
