"""`kneecoach export csv`: one row per date and a column per measure, with sessions and shoes,
in files a spreadsheet opens cleanly (UTF-8, a header, ISO dates, no formulas run)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kneecoach.core.checkins import COLUMNS
from kneecoach.services.csv_export import CSV_FILES, safe_cell
from tests.cli_helpers import run_cli
from tests.exchange.seed import DAYS, NOTE_ATTACK, seed_month
from tests.web.conftest import client as client


def read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for spreadsheets"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    seed_month()
    out = tmp_path / "csv"
    result = run_cli("export", "csv", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def test_one_row_per_date_and_one_column_per_measure(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(CSV_FILES)
    rows = read(folder / "daily.csv")
    assert len(rows) == DAYS
    header = list(rows[0])
    assert header[: len(COLUMNS)] == list(COLUMNS)
    assert "factor:long_sitting" in header
    for column in ("koos_pain", "koos_qol", "koosjr_interval", "koosjr_raw"):
        assert column in header
    days = [date.fromisoformat(r["date"]) for r in rows]
    assert days == sorted(days) and days[-1] - days[0] == timedelta(days=DAYS - 1)
    assert rows[0]["koos_pain"] == "41.7" and rows[1]["koos_pain"] == ""
    assert rows[-1]["koos_pain"] != "" and rows[-1]["koosjr_interval"] != ""
    assert {r["clicking"] for r in rows} == {"0", "1"}
    assert "café" in (folder / "daily.csv").read_text(encoding="utf-8-sig")


def test_formulas_are_written_as_text(folder: Path) -> None:
    notes = [r["note"] for r in read(folder / "daily.csv") if r["note"]]
    assert "'" + NOTE_ATTACK in notes
    assert not any(n.startswith(("=", "+", "-", "@")) for n in notes)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_escaped(start: str) -> None:
    assert safe_cell(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


def test_numbers_and_plain_text_stay_as_they_are() -> None:
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5
    assert safe_cell(True) == 1 and safe_cell(None) == ""
    assert safe_cell("Sore knee") == "Sore knee"
    assert safe_cell(date(2026, 3, 1)) == "2026-03-01"


def test_sessions_and_shoes_files(folder: Path) -> None:
    sessions = read(folder / "sessions.csv")
    assert len(sessions) > 50
    first = sessions[0]
    assert first["plan_version"] == "1" and first["prescribed_sets"] == first["done_sets"]
    date.fromisoformat(first["date"])
    (shoe,) = read(folder / "shoes.csv")
    assert shoe["name"] == "Trail shoes" and float(shoe["distance_km"]) > 120
    assert shoe["last_wear_check"] == date.today().isoformat()


def test_an_out_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run_cli("export", "csv", "--out", str(blocker))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --out:") and result.stderr.count("\n") == 1


def test_the_web_download_is_a_zip_of_the_three_files(client: TestClient) -> None:
    seed_month()
    response = client.get("/settings/kneecoach-csv.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted(f"kneecoach/{n}" for n in CSV_FILES)
        daily = archive.read("kneecoach/daily.csv").decode("utf-8-sig")
    assert len(daily.strip().splitlines()) == DAYS + 1
