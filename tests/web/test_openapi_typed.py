"""The OpenAPI document describes every field of the intake, check-in and session routes:
no body or answer there is an untyped object (only the check-in's documented `factor:NAME`
keys are open, and those by a pattern with a yes/no value)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from kneecoach.core.checkins import COLUMN_RULES, FACTOR_KEY_PATTERN
from kneecoach.web.app import create_app
from tests.web_client import BrowserClient

TYPED_ROUTES = {
    "/api/v1/triage": ("post",),
    "/api/v1/assessment": ("post",),
    "/api/v1/plan": ("post", "get"),
    "/api/v1/intakes": ("post", "get"),
    "/api/v1/today": ("get",),
    "/api/v1/sessions": ("post", "get"),
    "/api/v1/checkins": ("post", "get"),
    "/api/v1/signals": ("get",),
    "/api/v1/insights": ("get",),
    "/api/v1/flare-plan": ("get",),
}


def document() -> dict[str, Any]:
    client: TestClient
    with BrowserClient(create_app()) as client:
        answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def untyped(schema: dict[str, Any], spec: dict[str, Any], where: str, seen: set[str]) -> list[str]:
    """Every place under `schema` that could hold anything."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return untyped(spec["components"]["schemas"][name], spec, f"{where}→{name}", seen)
    if not schema:
        return [f"{where}: an empty schema (anything goes)"]
    problems: list[str] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for index, inner in enumerate(schema.get(key, [])):
            problems += untyped(inner, spec, f"{where}[{key}{index}]", seen)
    if schema.get("type") == "array":
        problems += untyped(schema.get("items", {}), spec, f"{where}[]", seen)
    is_object = schema.get("type") == "object" or "properties" in schema
    if is_object:
        extra = schema.get("additionalProperties")
        if extra is True or (extra is None and not schema.get("properties")):
            problems.append(f"{where}: an object open to any key")
        if isinstance(extra, dict):
            problems += untyped(extra, spec, f"{where}{{*}}", seen)
        for name, inner in schema.get("properties", {}).items():
            problems += untyped(inner, spec, f"{where}.{name}", seen)
        for pattern in schema.get("patternProperties", {}):
            assert pattern == FACTOR_KEY_PATTERN, f"{where}: open keys {pattern}"
    return problems


def route_problems(spec: dict[str, Any], routes: dict[str, tuple[str, ...]]) -> list[str]:
    """Every untyped place in the bodies and answers of `routes` ({path: methods})."""
    problems: list[str] = []
    for path, methods in routes.items():
        for method in methods:
            operation = spec["paths"][path][method]
            where = f"{method.upper()} {path}"
            if method == "post":
                body = operation["requestBody"]["content"]["application/json"]["schema"]
                problems += untyped(body, spec, f"{where} body", set())
            ok = next(code for code in operation["responses"] if code.startswith("2"))
            answer = operation["responses"][ok]["content"]["application/json"]["schema"]
            problems += untyped(answer, spec, f"{where} answer", set())
    return problems


def test_the_typed_routes_describe_every_field_of_their_bodies_and_answers() -> None:
    assert route_problems(document(), TYPED_ROUTES) == []


def test_the_checkin_body_is_generated_from_the_column_rules() -> None:
    schemas = document()["components"]["schemas"]
    body = schemas["CheckInCreate"]
    assert list(body["properties"]) == ["version"] + [rule.name for rule in COLUMN_RULES]
    assert "409" in body["properties"]["version"]["description"]
    assert body["required"] == ["date", "pain"]
    pain = body["properties"]["pain"]
    assert (pain["minimum"], pain["maximum"]) == (0, 10) and pain["description"]
    assert body["additionalProperties"] is False
    assert list(body["patternProperties"]) == [FACTOR_KEY_PATTERN]
    for rule in COLUMN_RULES:
        assert body["properties"][rule.name]["description"] == rule.description


def test_the_untyped_check_catches_an_open_object() -> None:
    spec: dict[str, Any] = {"components": {"schemas": {}}}
    assert untyped({"type": "object", "additionalProperties": True}, spec, "x", set())
    assert untyped({"type": "object"}, spec, "x", set())
    assert untyped({}, spec, "x", set())
    assert not untyped(
        {"type": "object", "properties": {"a": {"type": "string"}}}, spec, "x", set()
    )
