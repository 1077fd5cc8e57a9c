"""The starting level on the web: the API plan JSON, the saved plan, and the Today page; a plan
saved before starting levels existed still loads."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from kneecoach.services import intake as intake_service
from kneecoach.services import plan as plan_service
from kneecoach.services import sessions as session_service
from tests.db import in_session


def hiker(examples_dir: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        (examples_dir / "hiker-downhill-front-pain.json").read_text(encoding="utf-8")
    )
    return doc


def words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_api_plan_has_the_level_and_each_start_reason(
    client: TestClient, examples_dir: Path
) -> None:
    answer = client.post("/api/v1/plan?save=true", json=hiker(examples_dir))
    assert answer.status_code == 200
    body = answer.json()
    assert body["starting_level"] == {
        "level": "active",
        "name": "active",
        "text": "Harder first steps, for people who move or train often.",
        "reasons": ["Your activities include hiking, so you start at the active level."],
        "set_by": ["sport_or_training"],
    }
    entries = [e for s in body["sessions"] for e in s["exercises"]]
    assert entries and all(e["start_reason"] for e in entries)
    saved = client.get("/api/v1/plan").json()
    assert saved["plan"]["starting_level"]["level"] == "active"


def test_today_shows_the_level_and_why_each_exercise_starts_where_it_does(
    client: TestClient, examples_dir: Path
) -> None:
    saved = in_session(intake_service.import_intake, hiker(examples_dir))
    intake = saved.intake()
    plan = in_session(plan_service.plan_for, intake)
    in_session(plan_service.save_plan, intake, plan, start=date.today())
    text = words(client.get("/today").text)
    assert "Where you start: the active level" in text
    assert "Your activities include hiking, so you start at the active level." in text
    today = in_session(session_service.todays_doses, date.today())
    first = next(e for e in plan.exercises if e.id == today.exercises[0].slot)
    assert first.start_reason and first.start_reason in text


def test_a_plan_saved_before_starting_levels_still_loads(
    client: TestClient, examples_dir: Path
) -> None:
    from kneecoach.services.database import transaction
    from kneecoach.storage.models.plans import SavedPlan

    saved = in_session(intake_service.import_intake, hiker(examples_dir))
    intake = saved.intake()
    in_session(
        plan_service.save_plan,
        intake,
        in_session(plan_service.plan_for, intake),
        start=date.today(),
    )
    with transaction() as session:  # the JSON as an older version wrote it
        record = session.scalars(select(SavedPlan)).one()
        old = dict(record.plan)
        old.pop("starting_level")
        for day in old["sessions"]:
            for entry in day["exercises"]:
                entry.pop("start_reason")
        record.plan = old
    page = client.get("/today")
    assert page.status_code == 200 and "Where you start" not in page.text
    current = client.get("/api/v1/plan")
    assert current.status_code == 200
    assert current.json()["plan"]["starting_level"] is None
    entries = [e for s in current.json()["plan"]["sessions"] for e in s["exercises"]]
    assert entries and all(e["start_reason"] == "" for e in entries)


def test_results_show_where_you_start_unless_care_comes_first(
    client: TestClient, examples_dir: Path
) -> None:
    in_session(intake_service.import_intake, hiker(examples_dir))
    text = words(client.get("/results").text)
    assert "Where you start: the active level" in text
    assert "Harder first steps, for people who move or train often." in text
    assert "Your activities include hiking, so you start at the active level." in text
    hot = json.loads((examples_dir / "hot-knee-fever.json").read_text(encoding="utf-8"))
    in_session(intake_service.import_intake, hot)
    assert "Where you start" not in client.get("/results").text
