"""Drive the intake screens over HTTP: read the screen's rows off the page, fill them in."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from kneecoach.core.rules import paths_in
from kneecoach.data.intake_screens import GATE_PREFIX
from kneecoach.services.intake import answer_at
from kneecoach.services.intake_screens import intake_screens

ROWS = {row.key: row for screen in intake_screens().screens for row in screen.rows}
QUESTIONS = {key: row.question for key, row in ROWS.items()}
GATE_OPENS = {
    gate: next(key for key, row in ROWS.items() if row.when and gate in paths_in(row.when))
    for gate in ROWS
    if gate.startswith(GATE_PREFIX)
}
"""Each gate and the answer it opens (a yes to the gate means that answer is given)."""
_STATE = re.compile(r'name="state" value="([^"]*)"')
_SCREEN = re.compile(r'name="screen" value="([^"]*)"')
_ROWS = re.compile(r'name="rows" value="([^"]*)"')


@dataclass(frozen=True)
class Shown:
    state: str
    screen: str
    rows: tuple[str, ...]


def current_screen(page: Response) -> Shown | None:
    """The screen on the page, None when the page asks nothing."""
    state, screen, rows = (p.search(page.text) for p in (_STATE, _SCREEN, _ROWS))
    if state is None or screen is None or rows is None:
        return None
    keys = tuple(k for k in html.unescape(rows.group(1)).split(",") if k)
    return Shown(html.unescape(state.group(1)), html.unescape(screen.group(1)), keys)


def as_text(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def value_for(document: dict[str, Any], key: str) -> Any:
    """The answer `document` gives to a row (a gate is yes when what it opens is given)."""
    if key in GATE_OPENS:
        return answer_at(document, GATE_OPENS[key]) is not None
    return answer_at(document, key)


def row_fields(key: str, value: Any) -> dict[str, Any]:
    """The form fields a person would fill to give `value` to one row."""
    question = QUESTIONS[key]
    if value is None:
        return {}
    if question.kind == "choices":
        return {key: list(value) or ["__none__"]}
    if question.kind == "words":
        return {key: ", ".join(value)}
    return {key: as_text(value)}


def fields_for(document: dict[str, Any], shown: Shown) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in shown.rows:
        fields.update(row_fields(key, value_for(document, key)))
    return fields


def start(client: TestClient) -> Response:
    return client.post("/intake", data={"state": "", "action": "start"})


def submit(
    client: TestClient, page: Response, fields: dict[str, Any], action: str = "next"
) -> Response:
    shown = current_screen(page)
    assert shown is not None, "the page shows no screen"
    data = {"state": shown.state, "screen": shown.screen, "rows": ",".join(shown.rows)}
    return client.post("/intake", data={**data, "action": action, **fields}, follow_redirects=False)


@dataclass
class Walk:
    last: Response
    screens: list[Shown]


def walk(client: TestClient, document: dict[str, Any], limit: int = 40) -> Walk:
    """Answer every screen from `document` until the intake stops asking."""
    page = start(client)
    seen: list[Shown] = []
    for _ in range(limit):
        shown = current_screen(page)
        if shown is None:
            return Walk(page, seen)
        seen.append(shown)
        page = submit(client, page, fields_for(document, shown))
        assert page.status_code in (200, 303), page.text[:800]
        if page.status_code == 303:
            return Walk(page, seen)
    raise AssertionError("the intake never finished")
