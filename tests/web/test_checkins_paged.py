"""GET /api/v1/checkins a page at a time, and /api/v1/insights over the 12 weeks up to a day:
both answer the same after years of days as after a few weeks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from kneecoach.services import checkins as checkin_service
from kneecoach.services import signals as signal_service
from tests.db import in_session
from tests.history import seed_checkins

END = date.today() - timedelta(days=2)


def page(client: TestClient, **query: Any) -> dict[str, Any]:
    answer = client.get("/api/v1/checkins", params=query)
    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json()
    return document


def every_day(client: TestClient, **query: Any) -> list[str]:
    """Follow `next_before` to the oldest page; the days in the order they came."""
    days: list[str] = []
    before = None
    while True:
        found = page(client, **query, **({"before": before} if before else {}))
        dates = [c["date"] for c in found["checkins"]]
        assert dates == sorted(dates) and len(dates) <= query.get("limit", 30)
        days += dates
        before = found["next_before"]
        if before is None:
            return days


def test_paging_reads_every_check_in_once(client: TestClient) -> None:
    seed_checkins(200, END)
    newest = page(client)
    assert len(newest["checkins"]) == 30 and newest["checkins"][-1]["date"] == END.isoformat()
    days = every_day(client, limit=45)
    assert sorted(days) == sorted(set(days)) and len(days) == 200
    first, last = END - timedelta(days=99), END - timedelta(days=10)
    bounded = every_day(client, first=first.isoformat(), last=last.isoformat(), limit=30)
    assert sorted(bounded) == [(first + timedelta(days=n)).isoformat() for n in range(90)]


def test_bad_pages_name_the_field(client: TestClient) -> None:
    for query, field in [
        ({"limit": 0}, "limit"),
        ({"limit": 367}, "limit"),
        ({"before": "soon"}, "before"),
        ({"first": "2026-03-10", "last": "2026-03-01"}, "last"),
    ]:
        answer = client.get("/api/v1/checkins", params=query)
        assert answer.status_code == 422, query
        assert answer.json()["error"]["field"] == field, answer.json()


def test_insights_look_at_the_twelve_weeks_up_to_a_day(client: TestClient) -> None:
    assert client.get("/api/v1/insights").json()["first"] is None
    seed_checkins(400, END)
    found = client.get("/api/v1/insights").json()
    first = END - timedelta(days=signal_service.INSIGHT_DAYS - 1)
    assert (found["first"], found["last"]) == (first.isoformat(), END.isoformat())
    window = in_session(checkin_service.list_checkins, first, END)
    expected = signal_service.insights_for(window).as_json()
    assert found["comparisons"] == expected["comparisons"] and found["comparisons"]
    earlier = END - timedelta(days=200)
    older = client.get("/api/v1/insights", params={"last": earlier.isoformat()}).json()
    assert older["last"] == earlier.isoformat()
    assert older["comparisons"] != found["comparisons"]
    for far in ("0001-01-01", "9999-12-31"):  # the ends of the calendar answer too
        assert client.get("/api/v1/insights", params={"last": far}).status_code == 200
        assert client.get("/api/v1/checkins", params={"before": far}).status_code == 200
