"""Lists that grow every day come a page at a time (services/paging.py): the session log and
the questionnaire results in the API, and the questionnaire charts on /progress follow the
chosen window. After years of data an answer holds a page, not the whole history."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from kneecoach.services import outcomes as outcome_service
from kneecoach.services import sessions as session_service
from kneecoach.web.pages.progress import MOST_PERIODS
from tests.db import in_session
from tests.history import FIVE_YEARS, seed_checkins, seed_plan, seed_sessions

KOOSJR = {"S6": 1, "P2": 2, "P3": 1, "P6": 2, "P9": 1, "A3": 1, "A5": 1}
TODAY = date.today()


def all_pages(client: TestClient, path: str, key: str, **query: object) -> list[list[dict]]:
    """Every page of `path`, newest first, following `next_before` until it is null."""
    pages: list[list[dict]] = []
    before = None
    while True:
        params = dict(query) | ({"before": before} if before else {})
        answer = client.get(path, params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        if key == "outcomes":
            (history,) = body["outcomes"]
            rows, before = history["results"], history["next_before"]
        else:
            rows, before = body[key], body["next_before"]
        pages.append(rows)
        if before is None:
            return pages
        assert len(pages) < 100, "paging never ends"


def test_the_session_log_pages_through_every_day_exactly_once(client: TestClient) -> None:
    plan = seed_plan(TODAY - timedelta(days=200))
    seed_sessions(plan, plan.start_date, TODAY - timedelta(days=1))
    every = in_session(session_service.session_log)
    days = sorted({row["date"] for row in every})
    assert len(days) > 60  # enough for several pages

    first = client.get("/api/v1/sessions").json()
    assert {row["date"] for row in first["sessions"]} == set(days[-30:])  # 30 days by default
    assert first["next_before"] == days[-30]

    pages = all_pages(client, "/api/v1/sessions", "sessions", limit=7)
    assert all(len({row["date"] for row in page}) == 7 for page in pages[:-1])
    seen = [(row["date"], row["slot"]) for page in reversed(pages) for row in page]
    assert seen == [(row["date"], row["slot"]) for row in every]  # each once, in order
    assert len(pages) == -(-len(days) // 7)


def test_a_page_before_the_first_day_is_empty_and_the_last(client: TestClient) -> None:
    plan = seed_plan(TODAY - timedelta(days=20))
    seed_sessions(plan, plan.start_date, TODAY - timedelta(days=1))
    early = client.get("/api/v1/sessions", params={"before": plan.start_date.isoformat()})
    assert early.json() == {"sessions": [], "next_before": None}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "367"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"before": "next week"}, "before"),
        ({"befor": "2026-01-01"}, "befor"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/sessions", "/api/v1/outcomes"])
def test_a_bad_page_query_is_refused_naming_the_field(
    client: TestClient, path: str, query: dict[str, str], field: str
) -> None:
    answer = client.get(path, params=query)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == field


def test_questionnaire_results_page_through_every_result_once(client: TestClient) -> None:
    days = [TODAY - timedelta(days=28 * n) for n in range(40, -1, -1)]
    for day in days:
        in_session(outcome_service.save_answers, "koosjr", KOOSJR, day)
    in_session(outcome_service.save_answers, "koosjr", KOOSJR, days[-1])  # two on one day

    newest = client.get("/api/v1/outcomes").json()["outcomes"][0]
    assert newest["saved"] == len(days) + 1
    assert len(newest["results"]) == 31  # the 30 latest days, the last one twice
    assert newest["next_before"] == days[-30].isoformat()

    pages = all_pages(client, "/api/v1/outcomes", "outcomes", limit=4, instrument="koosjr")
    seen = [row["id"] for page in reversed(pages) for row in page]
    every = in_session(outcome_service.saved_results, "koosjr")
    assert seen == [result.id for result in every]
    listed = client.get("/questionnaires").text  # from the latest day and a count
    assert f"You have answered it {len(days) + 1} times." in listed
    assert days[-1].strftime("%d %B %Y") in listed


def test_progress_shows_the_questionnaires_of_its_window(client: TestClient) -> None:
    seed_checkins(FIVE_YEARS)
    weeks = FIVE_YEARS // 7
    for n in range(weeks, -1, -1):  # every week for five years
        in_session(outcome_service.save_answers, "koosjr", KOOSJR, TODAY - timedelta(weeks=n))
    page = client.get("/progress").text
    assert f"{weeks + 1} results in all; 12 in these weeks." in page  # the last 12 weeks
    everything = client.get("/progress", params={"range": "all"})
    shown = re.search(r"results in all; (\d+) in these weeks", everything.text)
    assert shown is not None
    assert 50 < int(shown.group(1)) <= MOST_PERIODS  # one a period: as many as the check-ins
    assert len(everything.content) < 200 * 1024
