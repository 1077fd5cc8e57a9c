"""Pages that stay small and cheap after years of data: the progress page shows a window, and
the number of SQL statements behind /progress and /today is the same after 5 years as after
one week. No timings here: `make bench` measures those (docs/benchmarks.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from kneecoach.services import plan as plan_service
from kneecoach.services import sessions as session_service
from kneecoach.services.database import database_url
from kneecoach.settings import reset_settings
from kneecoach.storage import db
from kneecoach.web.app import create_app
from tests.db import in_session
from tests.history import FIVE_YEARS, seed_checkins, seed_plan, seed_sessions
from tests.web_client import BrowserClient

PAGE_LIMIT = 200 * 1024
DAY_LINK = re.compile(r'href="/checkin\?day=(\d{4}-\d{2}-\d{2})"')


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs inside the block."""
    engine = db.engine_for(database_url())
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def seed(days: int) -> None:
    """`days` of check-ins up to today, and a plan about as old with every session logged; the
    plan starts a whole number of weeks ago, so today is its day 1 (a training day) whatever
    the length of the history."""
    today = date.today()
    seed_checkins(days, today)
    plan = seed_plan(today - timedelta(days=7 * -(-days // 7)))
    seed_sessions(plan, plan.start_date, today - timedelta(days=1))


def statements_per_page(days: int, folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """On a database of its own with `days` of history: the statements each page runs (after
    one request to warm up, so both sizes are counted alike)."""
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", f"sqlite:///{folder / 'history.db'}")
    # the app's job worker asks the queue now and then on the same engine: not a page's work
    monkeypatch.setenv("KNEECOACH_WORKER", "off")
    reset_settings()
    seed(days)
    counts: dict[str, int] = {}
    with BrowserClient(create_app()) as client:
        for page in ("/progress", "/today"):
            assert client.get(page).status_code == 200
            with counting_statements() as seen:
                assert client.get(page).status_code == 200
            counts[page] = len(seen)
    return counts


def test_statements_do_not_grow_with_the_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    week = statements_per_page(7, tmp_path / "week", monkeypatch)
    years = statements_per_page(FIVE_YEARS, tmp_path / "years", monkeypatch)
    assert years == week


def test_five_years_of_progress_is_one_small_page_of_the_last_12_weeks() -> None:
    seed(FIVE_YEARS)
    today = date.today()
    with BrowserClient(create_app()) as client:
        page = client.get("/progress")
        assert page.status_code == 200
        assert len(page.content) < PAGE_LIMIT
        days = sorted(date.fromisoformat(d) for d in set(DAY_LINK.findall(page.text)))
        assert days[0] == today - timedelta(days=83) and days[-1] == today
        assert len(days) == 84, "the table shows the window's days, every one"
        assert '<a href="/progress?range=12w" aria-current="true">12 weeks</a>' in page.text
        assert "Earlier 12 weeks" in page.text
        assert 'id="chart-pain-title"' in page.text and 'id="chart-sessions-title"' in page.text
        for rows in ("1y", "all"):
            longer = client.get(f"/progress?range={rows}")
            assert longer.status_code == 200 and len(longer.content) < PAGE_LIMIT
            assert "weekly means" in longer.text or "means over" in longer.text
            assert not DAY_LINK.search(longer.text), "a long range lists periods, not days"


def test_earlier_windows_page_back_through_the_history() -> None:
    seed(200)
    today = date.today()
    with BrowserClient(create_app()) as client:
        page = client.get("/progress").text
        earlier = re.search(r'<a href="(/progress\?range=12w&amp;end=[0-9-]+)">Earlier', page)
        assert earlier is not None
        older = client.get(earlier.group(1).replace("&amp;", "&")).text
        days = sorted(date.fromisoformat(d) for d in set(DAY_LINK.findall(older)))
        assert days[-1] == today - timedelta(days=84)
        assert days[0] == today - timedelta(days=167)
        assert "Later 12 weeks" in older and "Back to today" in older
        first = client.get(f"/progress?range=4w&end={(today - timedelta(days=199)).isoformat()}")
        assert "Earlier 4 weeks" not in first.text, "nothing older than the first check-in"
        assert client.get("/progress?range=nonsense&end=not-a-date").status_code == 200


def test_today_shows_the_day_from_a_long_log() -> None:
    seed(FIVE_YEARS)
    plan = in_session(plan_service.current_plan)
    today = in_session(session_service.todays_doses, date.today(), plan)
    with BrowserClient(create_app()) as client:
        page = client.get("/today")
        assert page.status_code == 200
        for exercise in today.exercises:
            assert f'id="ex-{exercise.slot}"' in page.text
        api = client.get("/api/v1/today").json()
        assert [e["slot"] for e in api["exercises"]] == [e.slot for e in today.exercises]
