"""Every interface shows the same stop: the API's `today`, the Today page, the check-in page,
`kneecoach plan show`, `kneecoach session` and `kneecoach checkin` (real SQLite files, the
real app and the real CLI entry point)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from markupsafe import escape

from kneecoach.core.checkins import CheckIn
from kneecoach.core.triage import LEVELS
from kneecoach.services.checkins import record_checkin
from kneecoach.services.safety_stop import checkin_safety, stop_words
from kneecoach.services.triage import level_meaning
from kneecoach.settings import reset_settings
from kneecoach.storage import db
from kneecoach.web.app import create_app
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.safety_stop.cases import RED_FLAG_ANSWERS, STOP_LEVELS, hiker_with, hot_knee
from tests.safety_stop.test_service import start_plan
from tests.web_client import BrowserClient

TODAY = date.today()
HOT = {"pain": "5", "swelling": "2", "flags": ["warm", "fever"]}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with BrowserClient(create_app()) as test_client:
        yield test_client


def shown(text: str) -> str:
    """Text as a page shows it (escaped: `A&E` is `A&amp;E`)."""
    return str(escape(text))


def plain(text: str) -> str:
    """Terminal output without the panel's box lines and wrapping."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_api_today_says_stopped_with_the_flag_level_date_and_answers(client: TestClient) -> None:
    start_plan()
    assert client.get("/api/v1/today").json()["stop"] is None
    client.post("/checkin", data=HOT)
    today = client.get("/api/v1/today").json()
    assert today["stopped"] is True and today["exercises"] == []
    stop = today["stop"]
    assert stop["level"] in STOP_LEVELS and stop["since"] == TODAY.isoformat()
    assert isinstance(stop["flag"], str) and stop["flag"] == stop["flags"][0]["id"]
    assert "Your knee felt hot" in stop["answers"] and "You had a fever" in stop["answers"]
    assert stop["advice"] and stop["title"] and today["caution"] is None


def test_api_check_in_answers_the_safety_message(client: TestClient) -> None:
    start_plan()
    made = client.post("/api/v1/checkins", json={"date": TODAY.isoformat(), "pain": 3})
    assert made.json()["safety"] is None
    hot = {"date": TODAY.isoformat(), "pain": 5, "warm": True, "fever": True, "swelling": 2}
    safety = client.post("/api/v1/checkins", json=hot).json()["safety"]
    assert safety["level"] in STOP_LEVELS and safety["stopped"] is True


def test_today_page_shows_the_advice_and_no_exercises(client: TestClient) -> None:
    start_plan()
    assert 'action="/today/log"' in client.get("/today").text
    client.post("/checkin", data=HOT)
    stop = client.get("/api/v1/today").json()["stop"]
    page = client.get("/today").text
    assert 'action="/today/log"' not in page and 'class="card exercise"' not in page
    assert shown(in_session(level_meaning, stop["level"]).title) in page
    assert shown(stop["flags"][0]["advice"]) in page
    assert "Your knee felt hot" in page


def test_check_in_page_leads_with_one_levels_safety_message_and_no_success(
    client: TestClient,
) -> None:
    start_plan()
    page = client.post("/checkin", data=HOT).text
    assert "notice ok" not in page and "Check-in saved" not in page
    main = page[page.index("<main") :]
    assert main.index('class="safety-message') < main.index(stop_words().kept)
    level = client.get("/api/v1/today").json()["stop"]["level"]
    assert shown(in_session(level_meaning, level).summary) in page
    for other in LEVELS:
        if other != level:
            assert shown(in_session(level_meaning, other).summary) not in page


def test_a_caution_shows_its_message_above_eased_exercises(client: TestClient) -> None:
    start_plan(hiker_with({"back.low_back_pain": True}))
    client.post("/checkin", data={"pain": "3", "flags": ["weakness"]})
    today = client.get("/api/v1/today").json()
    assert today["stopped"] is False and today["stop"] is None
    assert today["caution"]["level"] == "soon" and today["caution"]["message"]
    assert today["exercises"]
    page = client.get("/today").text
    assert page.index(shown(stop_words().caution_message)) < page.index('class="card exercise"')


def test_cli_plan_show_and_session_print_the_stop_and_offer_no_exercises(
    tmp_path: Path,
) -> None:
    start_plan()
    in_session(record_checkin, hot_knee(TODAY))
    as_json = json.loads(run_cli("plan", "show", "--format", "json").stdout)["today"]
    assert as_json["stopped"] is True and as_json["exercises"] == []
    stop = as_json["stop"]
    shown = run_cli("plan", "show")
    assert shown.exit_code == 0
    text = plain(shown.stdout)
    assert f"Stopped: yes, since {stop['since']}" in text
    assert f"[{stop['flag']}, {stop['level']}]" in text
    assert all(answer in text for answer in stop["answers"])
    assert plain(stop["advice"]) in text
    assert "Your week" not in text and "Why this dose" not in text
    session = run_cli("session", input="")
    assert session.exit_code == 2
    assert f"Stopped: yes, since {stop['since']}" in plain(session.stdout)
    assert session.stderr.count("\n") == 1 and "on hold since" in session.stderr
    document = tmp_path / "session.json"
    document.write_text(json.dumps({"exercises": [{"id": "quad_set", "pain_during": 1}]}))
    refused = run_cli("session", "--file", str(document))
    assert refused.exit_code == 2 and "on hold since" in refused.stderr


def test_cli_checkin_prints_the_safety_message_first() -> None:
    start_plan()
    done = run_cli("checkin", "--pain", "5", "--warm", "1", "--fever", "1", "--swelling", "2")
    assert done.exit_code == 0
    text = plain(done.stdout)
    message = in_session(checkin_safety, hot_knee(TODAY))
    assert message is not None
    assert text.index(message.level.summary) < text.index("your check-in for")
    as_json = run_cli("checkin", "--pain", "5", "--format", "json")
    assert json.loads(as_json.stdout)["safety"]["level"] in STOP_LEVELS


def fresh_database(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example gets its own SQLite file (hypothesis runs many in one test)."""
    db.dispose_engines()
    folder = data_dir / f"example-{len(list(data_dir.glob('example-*')))}"
    folder.mkdir(parents=True)
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", f"sqlite:///{folder / 'kneecoach.db'}")
    reset_settings()


@settings(max_examples=15)
@given(answers=RED_FLAG_ANSWERS)
def test_any_check_in_that_fires_an_urgent_flag_stops_every_interface(
    answers: dict[str, Any], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_database(data_dir, monkeypatch)
    start_plan()
    checkin = CheckIn(day=TODAY, pain=4, **answers)
    in_session(record_checkin, checkin)
    message = in_session(checkin_safety, checkin)
    fires = message is not None and message.level.id in STOP_LEVELS
    with BrowserClient(create_app()) as client:
        api = client.get("/api/v1/today").json()
        page = client.get("/today").text
    cli = json.loads(run_cli("plan", "show", "--format", "json").stdout)["today"]
    assert api["stopped"] is fires and cli["stopped"] is fires
    assert ('action="/today/log"' not in page) is fires
    if fires:
        assert api["exercises"] == [] and cli["exercises"] == []
        assert api["stop"] == cli["stop"]
