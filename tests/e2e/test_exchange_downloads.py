"""Settings → Your data in a real browser: the FHIR and spreadsheet downloads arrive as files
that validate, and the calendar address shown can be subscribed to."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar

from kneecoach.services.csv_export import CSV_FILES
from kneecoach.settings import reset_settings
from tests.e2e.conftest import LiveServer
from tests.exchange.fhir_checks import problems
from tests.exchange.seed import seed_month


@pytest.fixture
def seeded(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> LiveServer:
    """A month of use stored in the live server's own database."""
    monkeypatch.setenv("KNEECOACH_DATA_DIR", str(live_server.data_dir))
    reset_settings()
    seed_month()
    return live_server


def download(page: Any, name: str, folder: Path) -> Path:
    with page.expect_download() as waiting:
        page.get_by_role("link", name=name).click()
    target = folder / waiting.value.suggested_filename
    waiting.value.save_as(target)
    return target


def test_the_downloads_and_the_calendar_address(
    seeded: LiveServer, phone: Any, tmp_path: Path
) -> None:
    phone.goto(f"{seeded.url}/settings")
    bundle = download(phone, "Download for your clinic (FHIR)", tmp_path)
    assert bundle.name.startswith("kneecoach-fhir-") and bundle.suffix == ".json"
    document = json.loads(bundle.read_text(encoding="utf-8"))
    Bundle.model_validate(document)
    assert problems(document) == []
    archive = download(phone, "Download a spreadsheet (CSV, one row per day)", tmp_path)
    with zipfile.ZipFile(archive) as opened:
        assert sorted(opened.namelist()) == sorted(f"kneecoach/{n}" for n in CSV_FILES)
    address = phone.locator("[data-calendar=subscribe]").inner_text().strip()
    assert address == f"{seeded.url}/plan.ics"
    response = phone.request.get(address)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert len(events) >= 3 and all(e.walk("VALARM") for e in events)
