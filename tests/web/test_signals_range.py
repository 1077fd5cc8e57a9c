"""GET /api/v1/signals over a range, and the check-in answer's link to its day's alerts.

A range is walked from the days it needs, so it must say exactly what the whole series says
for those days; bad ranges get a 422 naming the field.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from kneecoach.services import checkins as checkin_service
from kneecoach.services import signals as signal_service
from tests.db import in_session
from tests.history import seed_checkins

END = date.today() - timedelta(days=3)


def alerts(client: TestClient, **query: str) -> list[dict[str, Any]]:
    answer = client.get("/api/v1/signals", params=query)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["alerts"]
    return found


def afresh() -> list[dict[str, Any]]:
    """Every alert worked out from the whole stored series at once, with nothing kept."""
    checkins = in_session(checkin_service.list_checkins)
    found = in_session(signal_service.alerts_for, checkins)
    return json.loads(json.dumps(signal_service.alerts_document(found)))["alerts"]  # type: ignore[no-any-return]


def test_a_range_says_what_the_whole_series_says_for_its_days(client: TestClient) -> None:
    seed_checkins(400, END)
    whole = afresh()
    assert alerts(client) == whole
    assert alerts(client) == whole  # asked again: going on from the kept walk
    assert len({a["date"] for a in whole}) >= 5  # the seeded knee has bad weeks to warn about
    for first, last in [
        (END - timedelta(weeks=12), END),
        (END - timedelta(days=200), END - timedelta(days=150)),
        (END - timedelta(days=399), END - timedelta(days=380)),
    ]:
        expected = [a for a in whole if first.isoformat() <= a["date"] <= last.isoformat()]
        assert alerts(client, first=first.isoformat(), last=last.isoformat()) == expected
    since = (END - timedelta(weeks=4)).isoformat()
    assert alerts(client, first=since) == [a for a in whole if a["date"] >= since]
    until = (END - timedelta(days=300)).isoformat()
    assert alerts(client, last=until) == [a for a in whole if a["date"] <= until]


def test_a_check_in_answer_links_to_its_days_alerts(client: TestClient) -> None:
    seed_checkins(60, END)
    day = (END + timedelta(days=1)).isoformat()
    made = client.post(
        "/api/v1/checkins",
        json={"date": day, "pain": 8, "swelling": 3, "giving_way": True, "catching": True},
    )
    assert made.status_code == 201
    assert "alerts" not in made.json()
    link = made.json()["alerts_url"]
    assert link == f"/api/v1/signals?first={day}&last={day}"
    linked = client.get(link).json()["alerts"]
    assert linked and {a["date"] for a in linked} == {day}
    assert linked == [a for a in alerts(client) if a["date"] == day]


def test_bad_ranges_name_the_field(client: TestClient) -> None:
    backwards = client.get("/api/v1/signals", params={"first": "2026-03-10", "last": "2026-03-01"})
    assert backwards.status_code == 422
    assert backwards.json()["error"]["field"] == "last"
    assert "2026-03-10" in backwards.json()["error"]["problem"]
    not_a_day = client.get("/api/v1/signals", params={"first": "March"})
    assert not_a_day.status_code == 422
    assert not_a_day.json()["error"]["field"] == "first"


def test_no_check_ins_no_alerts_in_any_range(client: TestClient) -> None:
    assert alerts(client, first="2026-01-01") == []
    assert alerts(client, first="2026-01-01", last="2026-02-01") == []
