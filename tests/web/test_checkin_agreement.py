"""The CLI, the check-in form and the API agree: the same answers give the same check-in, or
the same problem for the same field (each interface naming the field in its own words).

Every interface only maps its raw inputs to answers by column name; `core.checkins.
checkin_from_answers` is the one parser, and its verdict is what each interface must give.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from kneecoach.cli.checkin import option_for
from kneecoach.core.checkins import FACTOR_PREFIX, FLAG_COLUMNS, CheckIn, checkin_from_answers
from kneecoach.core.errors import InputError
from kneecoach.services import checkins as checkin_service
from kneecoach.web.app import create_app
from kneecoach.web.pages.checkin import form_field_for
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.web_client import BrowserClient

TODAY = date.today()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
EVERY_FLAG = {name: "1" if name in ("catching", "weakness") else "0" for name in FLAG_COLUMNS}

CASES: dict[str, dict[str, str]] = {
    "valid": {
        "date": YESTERDAY,
        "pain": "3",
        "swelling": "1",
        "stiffness_min": "15",
        **EVERY_FLAG,
        "next_morning_worse": "0",
        "note": "stairs",
        "factor:long_sitting": "1",
    },
    "future date": {"date": (TODAY + timedelta(days=2)).isoformat(), "pain": "3"},
    "year 9999": {"date": "9999-12-31", "pain": "3"},
    "before 1900": {"date": "1899-12-31", "pain": "3"},
    "pain out of range": {"date": YESTERDAY, "pain": "11"},
    "bad factor name": {"date": YESTERDAY, "pain": "3", "factor:<b>x</b>": "1"},
}

Outcome = tuple[str, object, str]
"""("stored", the check-in, "") or ("error", the field in the interface's words, problem)."""


def expected(answers: dict[str, str], field_words: object) -> Outcome:
    try:
        return ("stored", checkin_from_answers(answers, today=TODAY), "")
    except InputError as error:
        assert callable(field_words)
        return ("error", field_words(error.field), error.problem)


def stored(day: str) -> CheckIn | None:
    return in_session(checkin_service.checkin_on, date.fromisoformat(day))


def through_cli(answers: dict[str, str]) -> Outcome:
    args = ["checkin"]
    for key, value in answers.items():
        if key.startswith(FACTOR_PREFIX):
            args += ["--factor", f"{key.removeprefix(FACTOR_PREFIX)}={value}"]
        else:
            args += [option_for(key), value]
    result = run_cli(*args)
    if result.exit_code == 0:
        return ("stored", stored(answers["date"]), "")
    found = re.match(r"error: (\S+): (.*)", result.stderr.strip())
    assert found, result.stderr + result.stdout
    return ("error", found.group(1), found.group(2))


def through_form(answers: dict[str, str]) -> Outcome:
    form: dict[str, object] = {"flags": [], "factors": []}
    for key, value in answers.items():
        if key in FLAG_COLUMNS:
            if value == "1":
                form["flags"].append(key)  # type: ignore[attr-defined]
        elif key == "next_morning_worse":
            form[key] = "yes" if value == "1" else "no"
        elif key.startswith(FACTOR_PREFIX):
            if value == "1":
                form["factors"].append(key.removeprefix(FACTOR_PREFIX))  # type: ignore[attr-defined]
        else:
            form[key] = value
    with BrowserClient(create_app()) as client:
        answer = client.post("/checkin", data=form, follow_redirects=False)
    if answer.status_code == 303:
        return ("stored", stored(answers["date"]), "")
    assert answer.status_code == 422, answer.text
    found = re.search(r'<p class="field-error" id="([^"]+)-error">(.*?)</p>', answer.text)
    assert found, answer.text
    return ("error", found.group(1), html.unescape(found.group(2)))


def through_api(answers: dict[str, str]) -> Outcome:
    body: dict[str, object] = {}
    for key, value in answers.items():
        if key in FLAG_COLUMNS or key == "next_morning_worse" or key.startswith(FACTOR_PREFIX):
            body[key] = value == "1"
        elif key in ("pain", "swelling", "stiffness_min"):
            body[key] = int(value)
        else:
            body[key] = value
    with BrowserClient(create_app()) as client:
        answer = client.post("/api/v1/checkins", json=body)
    if answer.status_code == 201:
        return ("stored", stored(answers["date"]), "")
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    return ("error", error["field"], error["problem"])


def api_words(field: str) -> str:
    return field


INTERFACES = {
    "cli": (through_cli, option_for),
    "form": (through_form, form_field_for),
    "api": (through_api, api_words),
}


@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("case", CASES)
def test_the_three_interfaces_agree_with_the_one_parser(case: str, interface: str) -> None:
    answers = CASES[case]
    send, field_words = INTERFACES[interface]
    assert send(answers) == expected(answers, field_words)


def test_the_cases_cover_a_good_day_and_each_rule() -> None:
    fields = {
        name: expected(answers, api_words)[1]
        for name, answers in CASES.items()
        if expected(answers, api_words)[0] == "error"
    }
    assert fields == {
        "future date": "date",
        "year 9999": "date",
        "before 1900": "date",
        "pain out of range": "pain",
        "bad factor name": "factor:<b>x</b>",
    }
    assert expected(CASES["valid"], api_words)[0] == "stored"
