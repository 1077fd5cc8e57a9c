"""Drive the intake wizard over HTTP: read the current question off the page, answer it."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from kneecoach.services.intake import answer_at, intake_sections

QUESTIONS = {q.path: q for s in intake_sections() for q in s.questions}
_STATE = re.compile(r'name="state" value="([^"]*)"')
_PATH = re.compile(r'name="path" value="([^"]*)"')


def current_question(page: Response) -> tuple[str, str] | None:
    """(state, path) of the question on the page, None when the page asks nothing."""
    state, path = _STATE.search(page.text), _PATH.search(page.text)
    if state is None or path is None:
        return None
    return html.unescape(state.group(1)), html.unescape(path.group(1))


def as_text(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def form_for(path: str, value: Any) -> dict[str, Any]:
    """The form fields a person would fill to give `value` to the question at `path`."""
    question = QUESTIONS[path]
    if value is None:
        return {}
    if question.kind == "choices":
        return {"answer": list(value) or ["__none__"]}
    if question.kind == "words":
        return {"answer": ", ".join(value)}
    if question.sided:
        return {f"answer_{side}": as_text(v) for side, v in value.items()}
    return {"answer": as_text(value)}


def start(client: TestClient) -> Response:
    return client.post("/intake", data={"state": "", "action": "start"})


def answer(
    client: TestClient, page: Response, fields: dict[str, Any], action: str = "next"
) -> Response:
    found = current_question(page)
    assert found is not None, "the page asks no question"
    state, path = found
    return client.post(
        "/intake",
        data={"state": state, "path": path, "action": action, **fields},
        follow_redirects=False,
    )


def walk(client: TestClient, document: dict[str, Any], limit: int = 200) -> Response:
    """Answer every question from `document` until the wizard stops asking."""
    page = start(client)
    for _ in range(limit):
        found = current_question(page)
        if found is None:
            return page
        page = answer(client, page, form_for(found[1], answer_at(document, found[1])))
        assert page.status_code in (200, 303), page.text[:500]
        if page.status_code == 303:
            return page
    raise AssertionError("the wizard never finished")
