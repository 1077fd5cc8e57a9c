"""The intake's main pair (its km and months) is carried to the shoes: a person who said
"950 km, 14 months" is not asked again (issue 13, item 6)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from kneecoach.core.intake import parse_intake
from kneecoach.services import intake as intake_service
from kneecoach.services import shoes as shoe_service
from kneecoach.web.app import create_app
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.plan.intakes import HIKER, example, with_changes
from tests.web_client import BrowserClient

WORN = {"shoes.main_pair_km": 950, "shoes.main_pair_months": 14, "shoes.type": "running"}


def save(changes: dict[str, object]) -> None:
    in_session(intake_service.save_intake, parse_intake(with_changes(example(HIKER), changes)))


def test_the_service_offers_the_intakes_pair_until_one_is_stored() -> None:
    assert in_session(shoe_service.pair_from_intake, today=date.today()) is None  # no intake
    save(WORN)
    told = in_session(shoe_service.pair_from_intake, today=date(2026, 11, 30))
    assert told is not None
    assert (told.start_km, told.shoe_type, told.months) == (950.0, "running", 14)
    assert told.start_date == date(2026, 11, 30) - timedelta(days=426)
    in_session(shoe_service.add_pair, "Trail", today=date.today())
    assert in_session(shoe_service.pair_from_intake, today=date.today()) is None


def test_no_shoe_answers_means_nothing_to_offer() -> None:
    save({"shoes": {}})
    assert in_session(shoe_service.pair_from_intake, today=date.today()) is None


def test_the_shoes_page_is_filled_in_from_the_answers() -> None:
    save(WORN)
    with BrowserClient(create_app()) as client:
        page = client.get("/shoes")
        assert "data-from-intake" in page.text and "950 km" in page.text
        assert re.search(r'id="start_km"[^>]*value="950"', page.text)
        assert re.search(r'<option value="running" selected>', page.text)
        added = client.post(
            "/shoes",
            data={"name": "Road shoes", "type": "running", "start_km": "950"},
            follow_redirects=True,
        )
        assert "data-from-intake" not in added.text and "Road shoes" in added.text


def test_the_cli_adds_the_intakes_pair_and_says_so_once() -> None:
    save(WORN)
    first = run_cli("shoes", "add", "--from-intake")
    assert first.exit_code == 0, first.stderr
    assert "My main pair" in first.stdout and "950 km" in first.stdout
    again = run_cli("shoes", "add", "--from-intake")
    assert again.exit_code == 2
    assert again.stderr.startswith("error: --from-intake:")
