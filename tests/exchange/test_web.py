"""The web app's downloads: the FHIR bundle and a full backup, from the Settings page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle

from kneecoach.settings import reset_settings
from tests.cli_helpers import run_cli
from tests.exchange.fhir_checks import problems
from tests.exchange.seed import seed_month
from tests.web.conftest import client as client


def test_the_settings_page_links_every_download(client: TestClient) -> None:
    page = client.get("/settings").text
    for path in ("/settings/fhir.json", "/settings/kneecoach-csv.zip", "/settings/backup.json"):
        assert f'href="{path}"' in page


def test_the_fhir_download_validates(client: TestClient) -> None:
    seed_month()
    response = client.get("/settings/fhir.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    assert "attachment" in response.headers["content-disposition"]
    Bundle.model_validate_json(response.content)
    assert problems(response.json()) == []


def test_the_backup_download_restores_into_a_new_install(
    client: TestClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_month()
    response = client.get("/settings/backup.json")
    assert response.status_code == 200
    file = tmp_path / "backup.json"
    file.write_bytes(response.content)
    counts = json.loads(response.content)["counts"]
    monkeypatch.setenv("KNEECOACH_DATA_DIR", str(tmp_path / "new"))
    reset_settings()
    result = run_cli("restore", str(file))
    assert result.exit_code == 0, result.stderr
    assert f"Restored {sum(counts.values())} records" in result.stdout
