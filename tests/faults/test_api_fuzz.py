"""Generated requests against every operation of the JSON API (schemathesis, from the OpenAPI
document the app serves): no request, however malformed, gets a 5xx, and every answer matches
the status codes, content types and schemas the document declares.

It drives the ASGI app in-process (no server), as this machine's own browser would: the app
answers only to localhost, so the schema is loaded and every case is sent with that Host.
Bounded and repeatable: a fixed number of examples per operation, derandomized."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kneecoach.web.app import create_app

BASE_URL = "http://localhost"
EXAMPLES_PER_OPERATION = 25

schema = schemathesis.openapi.from_asgi(
    "/api/v1/openapi.json", create_app(), headers={"Host": "localhost"}
)
schema.config.update(base_url=BASE_URL)
schema.config.phases.update(phases=["examples", "fuzzing"])

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error_or_an_answer_off_its_schema(
    case: schemathesis.Case,
) -> None:
    case.call_and_validate(base_url=BASE_URL, checks=CHECKS)
