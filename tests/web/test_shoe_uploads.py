"""Activity uploads: bad values are one line naming the file and line; an unexpected database
error shows the error's class only, never SQL or the values of the query."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kneecoach.services import activities as activity_service
from kneecoach.web.app import create_app
from tests.web_client import BrowserClient

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">\n'
POINT = '<trkpt lat="{lat}" lon="-0.12"><time>{time}</time></trkpt>\n'


def gpx(first_time: str, second_lat: str) -> bytes:
    points = POINT.format(lat="51.5", time=first_time) + POINT.format(
        lat=second_lat, time="2026-03-01T07:01:00Z"
    )
    return (HEAD + "<trk><trkseg>\n" + points + "</trkseg></trk></gpx>\n").encode()


@pytest.fixture
def quiet_client() -> Iterator[TestClient]:
    with BrowserClient(create_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            gpx("2026-03-01T07:00:00Z", "nan"),
            "odd.gpx line 5: the track point&#39;s lat &#39;nan&#39;",
        ),
        (
            gpx("0001-01-01T00:00:00Z", "51.51"),
            "odd.gpx line 4: the time &#39;0001-01-01T00:00:00Z&#39; is out of range",
        ),
    ],
)
def test_nan_and_year_one_in_an_upload_are_named_by_file_and_line(
    client: TestClient, body: bytes, problem: str
) -> None:
    client.post("/shoes", data={"name": "Trail", "type": "running", "default_for": "running"})
    answer = client.post(
        "/shoes/activities",
        data={"activity": "running"},
        files={"files": ("odd.gpx", body, "application/gpx+xml")},
    )
    assert answer.status_code == 422 and problem in answer.text, answer.text[-3000:]


def test_a_database_error_in_an_upload_shows_no_sql_or_values(
    quiet_client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    quiet_client.post("/shoes", data={"name": "Trail", "type": "running"})
    week = b"date,distance_km\n2026-01-01,4.25\n"
    upload = {"files": ("SECRET-NOTE.csv", week, "text/csv")}
    first = quiet_client.post("/shoes/activities", data={"shoe": "trail"}, files=upload)
    assert first.status_code == 200
    monkeypatch.setattr(activity_service, "split_new", lambda found, _known: (list(found), []))
    with caplog.at_level(logging.DEBUG):
        again = quiet_client.post("/shoes/activities", data={"shoe": "trail"}, files=upload)
    assert again.status_code == 500 and "IntegrityError" in again.text
    logged = caplog.text + "".join(str(r.exc_info[1]) for r in caplog.records if r.exc_info)
    for leak in ("SECRET", "INSERT", "4.25"):
        assert leak not in again.text
    for value in ("SECRET", "4.25"):
        assert value not in logged  # a traceback logged, if any, hides the query's values


def test_database_errors_hide_the_values_of_the_query() -> None:
    """Engines are made with hide_parameters: an error's text (as a server log would print it)
    names the statement, never the values (a note, a name, a file's name)."""
    from sqlalchemy import text

    from kneecoach.services.database import transaction

    with pytest.raises(Exception) as caught, transaction() as session:
        session.execute(text("SELECT * FROM no_such_table WHERE x = :x"), {"x": "SECRET-NOTE"})
    assert "SECRET" not in str(caught.value) and "hidden" in str(caught.value)
