"""`kneecoach plan ical` and /plan.ics: events with reminders in the person's time zone, read
back with the icalendar library's own parser."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from kneecoach.data.exchange import calendar_settings
from kneecoach.services.calendar import plan_calendar
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.exchange.seed import seed_month
from tests.web.conftest import client as client


def events(calendar: Calendar) -> list[Any]:
    return [c for c in calendar.walk("VEVENT")]


@pytest.fixture
def parsed(tmp_path: Path) -> Calendar:
    seed_month()
    out = tmp_path / "plan.ics"
    result = run_cli("plan", "ical", "--out", str(out), "--tz", "America/New_York")
    assert result.exit_code == 0, result.stderr
    assert "America/New_York" in result.stdout
    return Calendar.from_ical(out.read_bytes())


def test_sessions_lessons_and_the_questionnaire_with_reminders(parsed: Calendar) -> None:
    found = events(parsed)
    titles = [str(e["SUMMARY"]) for e in found]
    settings = calendar_settings()
    assert titles.count(settings.sessions.title) >= 3
    assert sum(t.startswith("Knee course:") for t in titles) >= 1
    assert titles.count(settings.questionnaire.title) == 1
    for event in found:
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") <= timedelta(0)
    uids = [str(e["UID"]) for e in found]
    assert len(set(uids)) == len(uids)


def test_times_are_in_the_persons_time_zone(parsed: Calendar) -> None:
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["America/New_York"]
    settings = calendar_settings()
    for event in events(parsed):
        start = event.decoded("DTSTART")
        assert isinstance(start, datetime)
        assert str(start.tzinfo) == "America/New_York"
        assert start.date() >= date.today()
        if str(event["SUMMARY"]) == settings.sessions.title:
            assert start.time() == settings.sessions.at
            rule = event["RRULE"]
            assert rule["FREQ"] == ["WEEKLY"] and rule["COUNT"] == [settings.weeks]
            assert "\n- " in str(event["DESCRIPTION"]), "the day's exercises are listed"


def test_the_monthly_questionnaire_follows_the_last_answers(parsed: Calendar) -> None:
    settings = calendar_settings().questionnaire
    (event,) = [e for e in events(parsed) if str(e["SUMMARY"]) == settings.title]
    assert event.decoded("DTSTART").date() == date.today() + timedelta(days=settings.every_days)
    assert event["RRULE"]["INTERVAL"] == [settings.every_days]


def test_uids_stay_the_same_so_a_subscription_updates(parsed: Calendar) -> None:
    made = in_session(plan_calendar, time_zone="America/New_York")
    again = Calendar.from_ical(made.text)
    assert sorted(str(e["UID"]) for e in events(again)) == sorted(
        str(e["UID"]) for e in events(parsed)
    )


def test_without_a_plan_there_are_lessons_and_the_questionnaire(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    assert run_cli("plan", "ical", "--out", str(out), "--tz", "UTC").exit_code == 0
    titles = [str(e["SUMMARY"]) for e in events(Calendar.from_ical(out.read_bytes()))]
    assert calendar_settings().sessions.title not in titles
    assert calendar_settings().questionnaire.title in titles


def test_a_bad_time_zone_is_one_line(tmp_path: Path) -> None:
    result = run_cli("plan", "ical", "--out", str(tmp_path / "p.ics"), "--tz", "Mars/Base")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "error: --tz: 'Mars/Base' is not a time zone we know: write it like Europe/London\n"
    )
    assert not (tmp_path / "p.ics").exists()


def test_the_subscribe_link(client: TestClient) -> None:
    seed_month()
    response = client.get("/plan.ics", params={"tz": "Europe/Dublin"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    assert len(events(parsed)) >= 3
    page = client.get("/settings").text
    assert 'href="/plan.ics"' in page and "http://localhost/plan.ics" in page
    assert client.get("/plan.ics", params={"tz": "Nope/Zone"}).status_code == 422


def test_the_zone_given_is_kept_for_the_calendar_address(
    client: TestClient,
    tmp_path: Path,
) -> None:
    assert (
        run_cli("plan", "ical", "--out", str(tmp_path / "p.ics"), "--tz", "Asia/Tokyo").exit_code
        == 0
    )
    parsed = Calendar.from_ical(client.get("/plan.ics").content)
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert run_cli("plan", "ical", "--out", str(tmp_path / "q.ics")).exit_code == 0
    assert "TZID:Asia/Tokyo" in (tmp_path / "q.ics").read_text(encoding="utf-8")


def test_lessons_open_already_come_one_a_day(parsed: Calendar) -> None:
    lessons = [e for e in events(parsed) if str(e["SUMMARY"]).startswith("Knee course:")]
    days = sorted(e.decoded("DTSTART").date() for e in lessons)
    overdue = [d for d in days if d < date.today() + timedelta(days=len(days))]
    assert days[0] == date.today()
    assert len(set(overdue)) == len(overdue), "never two lessons on one evening while catching up"
