"""The frame: layout and nav, error mapping, safety headers, the API's OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kneecoach.core.errors import ConflictError, InputError, NotFoundError
from kneecoach.web.errors import error_body, status_for


def test_welcome_says_what_it_does_privacy_and_urgent_help(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "does not diagnose" in text
    assert "stays on this machine" in text
    assert "emergency number" in text
    assert '<nav aria-label="Main">' in text
    for path in ("/intake", "/results", "/today", "/checkin", "/progress", "/questionnaires"):
        assert f'href="{path}"' in text, path


def test_every_nav_page_renders_on_an_empty_database(client: TestClient) -> None:
    for item in client.app.state.nav:  # type: ignore[attr-defined]
        page = client.get(item.path)
        assert page.status_code == 200, item.path
        assert 'aria-current="page"' in page.text, item.path


def test_core_errors_map_to_http_statuses() -> None:
    assert status_for(InputError("pain", "too high")) == 422
    assert status_for(NotFoundError("plan: none")) == 404
    assert status_for(ConflictError("clash")) == 409
    one = {"field": "pain", "pointer": "/pain", "problem": "too high"}
    assert error_body(InputError("pain", "too high")) == {"error": one, "errors": [one]}
    assert error_body(InputError("answers.P1", "not 0 to 4"))["error"]["pointer"] == "/answers/P1"
    assert error_body(ConflictError("changed since", field="version")) == {
        "error": {"field": "version", "pointer": "/version", "problem": "changed since"}
    }
    assert error_body(NotFoundError("plan: none yet", hint="make_plan")) == {
        "error": {"field": None, "pointer": None, "problem": "plan: none yet", "hint": "make_plan"}
    }


def test_api_errors_are_json_with_field_and_problem(client: TestClient) -> None:
    bad = client.post("/api/v1/outcomes/koos/score", json={"answers": {"P1": 7}})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "answers.P1"
    missing = client.get("/api/v1/plan")
    assert missing.status_code == 404
    assert "no saved plan" in missing.json()["error"]["problem"]
    shapeless = client.post("/api/v1/outcomes/koos/score", json={"answers": 3})
    assert shapeless.status_code == 422 and shapeless.json()["error"]["field"] == "answers"


def test_conflict_is_409(client: TestClient, examples_dir) -> None:  # type: ignore[no-untyped-def]
    import json

    hot_knee = json.loads((examples_dir / "hot-knee-fever.json").read_text())
    refused = client.post("/api/v1/plan", params={"save": "true"}, json=hot_knee)
    assert refused.status_code == 409
    assert "refused for safety" in refused.json()["error"]["problem"]


def test_unknown_page_is_a_calm_html_404(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Page not found" in page.text


def test_pages_load_nothing_from_the_network(client: TestClient) -> None:
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http://" not in page.text.replace("http://www.w3.org", "")
    assert "https://" not in page.text


def test_a_form_posted_from_another_site_is_refused(client: TestClient) -> None:
    refused = client.post(
        "/settings/delete", data={"confirm": "DELETE"}, headers={"origin": "http://evil.test"}
    )
    assert refused.status_code == 403
    same_site = client.post(
        "/checkin", data={"pain": "2"}, headers={"origin": "http://localhost"},
        follow_redirects=False,
    )  # fmt: skip
    assert same_site.status_code == 303


def test_openapi_documents_the_api_and_not_the_pages(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for route in (
        "/api/v1/triage",
        "/api/v1/assessment",
        "/api/v1/plan",
        "/api/v1/intakes",
        "/api/v1/outcomes",
        "/api/v1/outcomes/{instrument}/score",
        "/api/v1/checkins",
        "/api/v1/signals",
        "/api/v1/shoes",
        "/api/v1/sessions",
        "/api/v1/today",
    ):
        assert route in paths, route
    assert all(path.startswith("/api/v1/") for path in paths)


def test_static_files_are_served(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "--accent" in css.text
    assert client.get("/static/app.js").status_code == 200
