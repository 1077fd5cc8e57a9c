"""The FHIR export streams: the Bundle is written entry by entry, so memory stays flat however
long the history, it is the same Bundle the export gave before it streamed, and an error part
way leaves no half file at `--out`."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import text

from kneecoach.services import checkins as checkin_service
from kneecoach.services import outcomes as outcome_service
from kneecoach.services.database import transaction
from kneecoach.services.fhir import FHIR_INSTRUMENTS, BundleStream
from tests.cli_helpers import run_cli
from tests.exchange.seed import seed_month
from tests.history import FIVE_YEARS, seed_checkins
from tests.web.conftest import client as client

BEFORE = Path(__file__).with_name("fhir_month_before.json.gz")
"""The entries `kneecoach export fhir` wrote for `seed_month(MONTH_END)` before it streamed
(it built the whole Bundle in memory then): the streamed export must give the same ones."""
MONTH_END = date(2026, 3, 31)


def exported(out: Path) -> dict[str, Any]:
    result = run_cli("export", "fhir", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


def test_the_streamed_bundle_validates_and_equals_the_one_built_whole(
    database: str, tmp_path: Path
) -> None:
    """On SQLite and on PostgreSQL (where the rows come through a server-side cursor)."""
    seed_month(MONTH_END)
    out = tmp_path / "bundle.json"
    document = exported(out)
    Bundle.model_validate_json(out.read_bytes())  # the whole document, as one Bundle
    before = json.loads(gzip.decompress(BEFORE.read_bytes()))
    assert len(document["entry"]) == len(before) == 455
    for streamed, whole in zip(document["entry"], before, strict=True):
        assert streamed == whole, whole["fullUrl"]
    assert document["type"] == "collection"
    assert list(document) == ["resourceType", "identifier", "type", "timestamp", "meta", "entry"]


def test_check_ins_and_results_read_in_batches_are_all_there_in_order(database: str) -> None:
    seed_month(MONTH_END)
    with transaction() as session:
        batched = list(checkin_service.each_checkin(session=session, batch=7))
        assert batched == checkin_service.list_checkins(session=session)
        assert len(batched) == checkin_service.checkin_count(session=session) == 30
        results = list(
            outcome_service.each_saved_result(FHIR_INSTRUMENTS, session=session, batch=1)
        )
        assert results == [
            r
            for r in outcome_service.saved_results(session=session)
            if r.instrument in FHIR_INSTRUMENTS
        ]
        assert len(results) == 4


def test_the_stream_comes_in_pieces_that_join_into_the_bundle() -> None:
    seed_month(MONTH_END)
    with transaction() as session:
        stream = BundleStream(session=session, chunk=4096)
        pieces = list(stream)
    assert len(pieces) > 10
    assert all(len(piece) < 2 * 4096 for piece in pieces[-10:])  # the check-ins: small entries
    document = json.loads("".join(pieces))
    assert len(document["entry"]) == stream.entries == 455


def peak_bytes_of_an_export() -> int:
    tracemalloc.start()
    try:
        with transaction() as session:
            written = sum(len(piece) for piece in BundleStream(session=session))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written > 0
    return peak


def test_memory_does_not_grow_with_the_history() -> None:
    today = date.today()
    seed_checkins(7, today)
    peak_bytes_of_an_export()  # the FHIR models load and build their validators once
    seed_checkins(365 - 7, today - timedelta(days=7))
    one_year = peak_bytes_of_an_export()
    seed_checkins(FIVE_YEARS - 365, today - timedelta(days=365))  # four more years before
    five_years = peak_bytes_of_an_export()
    assert five_years <= 1.5 * one_year, (one_year, five_years)


def test_an_error_part_way_leaves_no_half_file(tmp_path: Path) -> None:
    seed_month(MONTH_END)
    with transaction() as session:  # a damaged row: the last day's pain is no number
        session.execute(text("UPDATE checkins SET pain = 'x' WHERE day = :day"), {"day": MONTH_END})
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "bundle.json"
    result = run_cli("export", "fhir", "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: database: the Observation urn:uuid:")
    assert f"nothing was written to {out}" in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback
    assert not out.exists()
    assert list(folder.iterdir()) == []  # nor the hidden part file beside it
    out.write_text("the bundle from last week", encoding="utf-8")
    assert run_cli("export", "fhir", "--out", str(out)).exit_code == 2
    assert out.read_text(encoding="utf-8") == "the bundle from last week"  # left as it was
    assert list(folder.iterdir()) == [out]


def test_the_web_download_streams_the_same_bundle(client: TestClient, tmp_path: Path) -> None:
    seed_month(MONTH_END)
    with client.stream("GET", "/settings/fhir.json") as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/fhir+json"
        assert response.headers["content-disposition"].startswith('attachment; filename="')
        assert "content-length" not in response.headers  # sent as it is written
        pieces = list(response.iter_bytes())
    document = json.loads(b"".join(pieces))
    Bundle.model_validate(document)
    assert document["entry"] == exported(tmp_path / "cli.json")["entry"]
