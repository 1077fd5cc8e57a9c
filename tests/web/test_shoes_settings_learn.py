"""Shoes, Learn and Settings pages over their services."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from kneecoach.data.lessons import load_lessons
from kneecoach.services import checkins as checkin_service
from kneecoach.services import intake as intake_service
from kneecoach.services import shoes as shoe_service
from tests.db import in_session


def test_adding_a_pair_with_a_bad_distance_keeps_what_was_typed(client: TestClient) -> None:
    bad = client.post("/shoes", data={"name": "Trail", "type": "running", "start_km": "-5"})
    assert bad.status_code == 422
    assert re.search(r'id="start_km-error">must be between 0 and', bad.text)
    assert 'value="Trail"' in bad.text
    assert in_session(shoe_service.list_shoes, today=date.today()) == []


def test_a_pair_counts_uploaded_activities_and_wear_checks(client: TestClient) -> None:
    client.post(
        "/shoes",
        data={"name": "Trail", "type": "running", "start_km": "100", "default_for": "running"},
    )
    upload = client.post(
        "/shoes/activities",
        data={"shoe": "trail"},
        files={
            "files": ("week.csv", b"date,distance_km\n2026-01-01,10\n2026-01-03,5.5\n", "text/csv")
        },
    )
    assert (
        upload.status_code == 200 and "15.5 km added to Trail." in upload.text
    )  # its name, not its id
    again = client.post(
        "/shoes/activities",
        data={"shoe": "trail"},
        files={
            "files": ("week.csv", b"date,distance_km\n2026-01-01,10\n2026-01-03,5.5\n", "text/csv")
        },
    )
    assert "0 new outings counted" in again.text  # the same outings are not counted twice
    (pair,) = in_session(shoe_service.list_shoes, today=date.today())
    assert round(pair.status.distance_km, 1) == 115.5
    answers = {q.id: "no" for q in shoe_service.wear_questions()}
    checked = client.post("/shoes/trail/wear", data=answers)
    assert checked.status_code == 200 and "No signs of wear" in checked.text


def test_a_broken_upload_is_explained_next_to_the_file_field(client: TestClient) -> None:
    client.post("/shoes", data={"name": "Trail", "type": "running"})
    bad = client.post(
        "/shoes/activities",
        files={"files": ("x.csv", b"date,distance_km\n2026-02-30,3\n", "text/csv")},
    )
    assert bad.status_code == 422 and 'id="files-error">x.csv line 2' in bad.text


def test_shoes_api(client: TestClient) -> None:
    assert client.post("/api/v1/shoes", json={"name": "Road", "type": "running"}).status_code == 201
    assert client.get("/api/v1/shoes").json()["shoes"][0]["id"] == "road"
    unknown = client.post("/api/v1/shoes", json={"name": "Road", "colour": "red"})
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "colour"


def test_lessons_are_six_to_ten_with_sources_and_each_has_a_page(client: TestClient) -> None:
    lessons = load_lessons()
    assert 6 <= len(lessons) <= 10
    listing = client.get("/learn").text
    for lesson in lessons:
        assert lesson.sources
        assert f'href="/learn/{lesson.id}"' in listing
        page = client.get(f"/learn/{lesson.id}")
        assert page.status_code == 200 and lesson.sources[0] in page.text.replace("&#39;", "'")
    assert client.get("/learn/astrology").status_code == 404


def test_lessons_never_cite_an_unconfirmed_item_as_official(shared_dir: Path) -> None:
    evidence = (shared_dir / "clinical" / "evidence.md").read_text()
    for lesson in load_lessons():
        for source in lesson.sources:
            first_author = source.split(" ")[0].rstrip(",.")
            assert first_author in evidence, f"{lesson.id}: {source} is not in evidence.md"


def test_settings_change_kit_and_time_as_a_new_intake_version(
    client: TestClient, examples_dir: Path
) -> None:
    document = json.loads((examples_dir / "hiker-downhill-front-pain.json").read_text())
    in_session(intake_service.import_intake, document)
    bad = client.post("/settings/exercise", data={"equipment": ["chair"], "minutes_per_day": "999"})
    assert bad.status_code == 422 and 'id="minutes_per_day-error"' in bad.text
    assert 'value="chair" checked' in bad.text
    assert len(in_session(intake_service.list_intakes)) == 1
    client.post(
        "/settings/exercise", data={"equipment": ["chair", "wall"], "minutes_per_day": "15"}
    )
    latest = in_session(intake_service.latest_intake)
    assert latest is not None and latest.version == 2
    assert (
        latest.answers["equipment"] == ["chair", "wall"] and latest.answers["minutes_per_day"] == 15
    )


def test_habits_export_and_delete_everything(client: TestClient) -> None:
    client.post(
        "/settings/habits", data={"habit_name": "long sitting", "habit_question": "Sat long?"}
    )
    assert [f.name for f in in_session(checkin_service.list_factors)] == ["long_sitting"]
    client.post("/checkin", data={"pain": "2", "factors": "long_sitting"})
    exported = client.get("/settings/export.json")
    assert exported.headers["content-disposition"].startswith("attachment")
    assert exported.json()["checkins"][0]["factor:long_sitting"] is True
    csv_text = client.get("/settings/checkins.csv").text
    assert csv_text.splitlines()[0].startswith("date,pain") and "factor:long_sitting" in csv_text
    refused = client.post("/settings/delete", data={"confirm": "delete"})
    assert refused.status_code == 422 and 'id="confirm-error"' in refused.text
    assert in_session(checkin_service.list_checkins) != []
    client.post("/settings/delete", data={"confirm": "DELETE"})
    assert (
        in_session(checkin_service.list_checkins) == []
        and in_session(checkin_service.list_factors) == []
    )


def test_upload_and_form_errors_name_the_form_fields_not_cli_options(
    client: TestClient,
) -> None:
    client.post("/shoes", data={"name": "Trail", "type": "running"})
    bad = client.post(
        "/shoes/activities",
        files={"files": ("x.csv", b"date,distance_km\n2026-01-02,3\n", "text/csv")},
    )
    assert bad.status_code == 422
    assert "choose a pair in “Shoes worn”, or choose the “Activity”" in bad.text
    assert "--shoe" not in bad.text and "--activity" not in bad.text
    future = client.post("/shoes", data={"name": "New", "start_date": "2999-01-01"})
    assert future.status_code == 422 and 'id="start_date-error"' in future.text
