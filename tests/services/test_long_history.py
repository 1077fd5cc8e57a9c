"""The queries behind long charts and Today: means per period worked out by the database (on
SQLite and PostgreSQL), adherence per period, and today's doses from each exercise's latest
logs only, the same as from the whole log."""

from __future__ import annotations

from datetime import date, timedelta
from statistics import mean

import pytest

from kneecoach.services import checkins as checkin_service
from kneecoach.services import sessions as session_service
from kneecoach.settings import reset_settings
from tests.db import in_session
from tests.history import checkin_rows, seed_checkins, seed_plan, seed_sessions

END = date(2026, 3, 31)


def expected_means(first: date, last: date, period: int) -> dict[date, dict[str, float | None]]:
    rows = [r for r in checkin_rows(200, END) if first <= r["day"] <= last]
    found: dict[date, dict[str, float | None]] = {}
    for start in (first + timedelta(days=n) for n in range(0, (last - first).days + 1, period)):
        days = [r for r in rows if start <= r["day"] < start + timedelta(days=period)]
        if days:
            found[start] = {
                column: mean(float(r[column]) for r in days)
                for column in ("pain", "swelling", "stiffness_min", "clicking", "weakness")
            }
    return found


@pytest.mark.parametrize("period", [7, 28])
def test_means_per_period_are_worked_out_by_the_database(
    any_database: str, monkeypatch: pytest.MonkeyPatch, period: int
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    seed_checkins(200, END)
    first, last = END - timedelta(days=7 * 13 - 1), END - timedelta(days=3)
    found = in_session(checkin_service.checkin_means, first, last, period)
    wanted = expected_means(first, last, period)
    assert [p.first for p in found] == list(wanted)
    for got in found:
        for column, value in wanted[got.first].items():
            assert got.measure(column) == pytest.approx(value), (got.first, column)
        assert got.measure("pain_worst") is not None and got.measure("locking") == 0
        assert got.last == min(last, got.first + timedelta(days=period - 1))
    assert sum(p.days for p in found) == (last - first).days + 1
    assert in_session(checkin_service.checkin_span) == (END - timedelta(days=199), END)


def test_no_check_ins_no_periods_and_no_span() -> None:
    assert in_session(checkin_service.checkin_means, END - timedelta(days=30), END) == []
    assert in_session(checkin_service.checkin_span) is None


def test_adherence_counts_done_against_asked_per_period(
    any_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    start = date.today() - timedelta(days=20)
    plan = seed_plan(start)
    seed_sessions(plan, start, start + timedelta(days=9))  # the first 10 days, in full
    first, last = start - timedelta(days=4), start + timedelta(days=16)
    daily = in_session(session_service.adherence, plan, first, last)
    assert daily[0].first == start, "days before the plan are left out"
    assert len(daily) == 17 and all(d.first == d.last for d in daily)
    asked = {d.first: d.asked for d in daily}
    for day in daily:
        assert day.asked == len(plan.session_on_day(plan.day_on(day.first)))
        assert day.done == (day.asked if day.first < start + timedelta(days=10) else 0)
    weekly = in_session(session_service.adherence, plan, first, last, 7)
    assert sum(w.asked for w in weekly) == sum(asked.values())
    assert sum(w.done for w in weekly) == sum(d.done for d in daily)
    assert weekly[0].first == start and weekly[1].first == first + timedelta(days=7)
    assert in_session(session_service.adherence, plan, first, start - timedelta(days=1)) == []


@pytest.mark.parametrize("sore_every", [3, None], ids=["streaks end", "one long streak"])
def test_todays_doses_from_the_latest_logs_match_the_whole_log(
    monkeypatch: pytest.MonkeyPatch, sore_every: int | None
) -> None:
    """The dose reads the last session and the safe streak behind it: from the latest logs
    it is the same as from the whole log, even when the streak goes back further than the
    logs first read (at the end of a chain the dose stays and the streak grows)."""
    today = date.today()
    plan = seed_plan(today - timedelta(days=7 * 30))
    seed_sessions(plan, plan.start_date, today - timedelta(days=1), sore_every)
    monkeypatch.setattr(session_service, "RECENT_LOGS", 10**6)  # the whole log
    whole = in_session(session_service.todays_doses, today, plan)
    assert whole.exercises
    for limit in (1, 2, 3, 32):
        monkeypatch.setattr(session_service, "RECENT_LOGS", limit)
        assert in_session(session_service.todays_doses, today, plan) == whole, limit


def test_the_session_log_of_one_day() -> None:
    today = date.today()
    plan = seed_plan(today - timedelta(days=14))
    seed_sessions(plan, plan.start_date, today)
    every = in_session(session_service.session_log, plan)
    day = today - timedelta(days=7)
    one = in_session(session_service.session_log, plan, day, day)
    assert one and list(one) == [e for e in every if e["date"] == day.isoformat()]
