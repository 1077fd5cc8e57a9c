"""The units setting on the Settings page, the API and the CLI, and every page with a
distance showing it: values are typed and shown in the chosen unit, stored in km."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from kneecoach.services import country as country_service
from kneecoach.services import shoes as shoe_service
from kneecoach.services import units as unit_service
from tests.cli_helpers import run_cli
from tests.db import in_session

DISTANCE = re.compile(r"\b\d[\d,]*(?:\.\d+)? (km|miles?)\b")


def distances_on(page: str) -> set[str]:
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    return set(DISTANCE.findall(re.sub(r"<[^>]+>", " ", main)))


def test_the_units_follow_the_country_until_chosen(client: TestClient) -> None:
    assert client.get("/api/v1/settings").json()["units"] == {
        "distance": "km",
        "weight": "kg",
        "paper": "a4",
        "chosen": [],
    }
    in_session(country_service.set_country, "US")
    assert client.get("/api/v1/settings").json() == {
        "country": "US",
        "units": {"distance": "miles", "weight": "lb", "paper": "letter", "chosen": []},
    }
    page = client.get("/settings").text
    assert re.search(r'name="distance" value="miles" checked', page)
    assert re.search(r'name="paper" value="letter" checked', page)
    assert "Until you choose, they follow your country." in page


def test_the_settings_page_stores_the_units_and_names_every_bad_one(client: TestClient) -> None:
    bad = client.post("/settings/units", data={"distance": "leagues", "weight": "stone"})
    assert bad.status_code == 422
    assert re.search(r'id="distance-error">[^<]*leagues', bad.text)
    assert re.search(r'id="weight-error">[^<]*stone', bad.text)
    assert in_session(unit_service.current_units).origins["distance"] == "country"  # unchanged
    saved = client.post(
        "/settings/units",
        data={"distance": "miles", "weight": "lb", "paper": "letter"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    setting = in_session(unit_service.current_units)
    assert setting.units.as_json() == {"distance": "miles", "weight": "lb", "paper": "letter"}
    assert set(setting.origins.values()) == {"chosen"}


def test_the_api_changes_the_units_and_answers_every_problem_at_once(client: TestClient) -> None:
    changed = client.put("/api/v1/settings/units", json={"distance": "miles"})
    assert changed.status_code == 200
    assert changed.json() == {
        "distance": "miles",
        "weight": "kg",
        "paper": "a4",
        "chosen": ["distance"],
    }
    bad = client.put("/api/v1/settings/units", json={"weight": "st", "paper": "A5"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["weight", "paper"]
    assert client.get("/api/v1/settings").json()["units"]["weight"] == "kg"


def test_a_pair_added_in_miles_is_stored_in_km_and_shown_in_miles(client: TestClient) -> None:
    in_session(unit_service.set_units, "miles")
    page = client.get("/shoes").text
    assert '<label for="start_km">Miles already on them' in page
    added = client.post("/shoes", data={"name": "Road shoes", "type": "running", "start_km": "100"})
    assert added.status_code == 200
    (pair,) = in_session(shoe_service.list_shoes, today=date.today())
    assert round(pair.pair.start_km, 3) == 160.934  # stored in km
    assert "100 miles" in client.get("/shoes").text
    too_far = client.post("/shoes", data={"name": "X", "type": "running", "start_km": "4000"})
    assert too_far.status_code == 422
    assert "between 0 and 3107 miles" in too_far.text


def test_every_page_with_a_distance_shows_the_chosen_unit(client: TestClient) -> None:
    client.post("/shoes", data={"name": "Trail", "type": "running", "start_km": "700"})
    pages = {
        "shoes": lambda: client.get("/shoes").text,
        "wear saved": lambda: (
            client.post(
                "/shoes/trail/wear",
                data={q.id: "no" for q in shoe_service.wear_questions()},
            ).text
        ),
        "upload": lambda: (
            client.post(
                "/shoes/activities",
                data={"shoe": "trail"},
                files={
                    "files": ("runs.csv", b"date,distance_km\n2026-11-01,8.04672\n", "text/csv")
                },
            ).text
        ),
    }
    for unit, words in (("km", {"km"}), ("miles", {"miles", "mile"})):
        in_session(unit_service.set_units, unit)
        for name, page in pages.items():
            shown = distances_on(page())
            assert shown, f"{name}: no distance shown"
            assert shown <= words, f"{name} in {unit}: {shown}"
    in_session(unit_service.set_units, "miles")  # the outing was counted once: 708.05 km
    assert "440 miles" in client.get("/shoes").text


def test_the_cli_shows_and_sets_the_units() -> None:
    shown = run_cli("settings", "units")
    assert shown.exit_code == 0 and "distance km (from your country)" in shown.stdout
    bad = run_cli("settings", "units", "--distance", "leagues", "--paper", "A5")
    assert bad.exit_code == 2
    assert bad.stderr.splitlines() == [
        "error: --distance: 'leagues' is not one of km, miles",
        "error: --paper: 'A5' is not one of a4, letter",
    ]
    assert run_cli("settings", "units", "--distance", "miles").exit_code == 0
    added = run_cli("shoes", "add", "--name", "Road", "--type", "running", "--start-distance", "50")
    assert added.exit_code == 0 and "50 miles" in added.stdout
    listed = run_cli("shoes", "list").stdout
    assert "miles" in listed and " km" not in listed
