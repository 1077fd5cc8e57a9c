"""Writers at the same moment, on SQLite and PostgreSQL: no lost update and never a 500.

Each worker thread has its own TestClient (so its own request and unit of work); a barrier
starts them together, and the test waits on the futures, never on a sleep. Writers who all
saw the same version of a check-in or plan: exactly one wins, the others get 409 and the
stored row is the winner's.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI

from kneecoach.settings import reset_settings
from kneecoach.web.app import create_app
from tests.conftest import EXAMPLES
from tests.web_client import BrowserClient

DAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
WAIT_S = 120
WRITERS = 6  # who all saw the same version


def at_once(app: FastAPI, workers: int, request: Callable[[BrowserClient, int], Any]) -> list[Any]:
    """`request(client, i)` from `workers` threads started together; their answers in order."""
    barrier = threading.Barrier(workers, timeout=WAIT_S)

    def work(number: int) -> Any:
        client = BrowserClient(app, raise_server_exceptions=False)
        barrier.wait()
        return request(client, number)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(work, number) for number in range(workers)]
        return [future.result(timeout=WAIT_S) for future in futures]


@pytest.fixture
def app(any_database: str, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", any_database)
    reset_settings()
    made = create_app()
    with BrowserClient(made) as client:  # the database is made and migrated before the race
        assert client.get("/api/v1/checkins").status_code == 200
    return made


def test_merged_factors_written_at_once_are_all_kept(app: FastAPI) -> None:
    answers = at_once(
        app,
        40,
        lambda client, i: client.post(
            "/api/v1/checkins?merge=true", json={"date": DAY, "pain": 3, f"factor:f{i}": True}
        ),
    )
    assert sorted({answer.status_code for answer in answers}) == [201]
    stored = BrowserClient(app).get("/api/v1/checkins").json()["checkins"]
    assert len(stored) == 1
    kept = {key for key, value in stored[0].items() if key.startswith("factor:") and value}
    assert kept == {f"factor:f{i}" for i in range(40)}
    assert stored[0]["version"] == 40  # one insert, then 39 updates, each on the one before
    assert sorted(a.json()["checkin"]["version"] for a in answers) == list(range(1, 41))


@pytest.mark.parametrize("merge", ["true", "false"])
def test_first_writes_of_one_date_at_once_are_never_a_500(app: FastAPI, merge: str) -> None:
    answers = at_once(
        app,
        20,
        lambda client, i: client.post(
            f"/api/v1/checkins?merge={merge}", json={"date": DAY, "pain": i % 11}
        ),
    )
    codes = [answer.status_code for answer in answers]
    assert set(codes) <= {201, 409}, codes
    assert codes.count(201) >= 1
    added = [a.json()["status"] for a in answers if a.status_code == 201]
    assert added.count("added") == 1
    stored = BrowserClient(app).get("/api/v1/checkins").json()["checkins"]
    assert len(stored) == 1


def test_pairs_of_one_name_added_at_once_are_all_kept(app: FastAPI) -> None:
    answers = at_once(
        app, 10, lambda client, _i: client.post("/api/v1/shoes", json={"name": "Daily trainer"})
    )
    codes = [answer.status_code for answer in answers]
    assert codes == [201] * 10, codes
    ids = {answer.json()["id"] for answer in answers}
    assert len(ids) == 10  # names need not be unique: each pair gets its own id
    listed = BrowserClient(app).get("/api/v1/shoes").json()["shoes"]
    assert sorted(pair["id"] for pair in listed) == sorted(ids)


def test_writers_who_saw_the_same_version_one_wins_and_the_rest_are_told(app: FastAPI) -> None:
    seed = BrowserClient(app).post("/api/v1/checkins", json={"date": DAY, "pain": 3})
    assert seed.json()["checkin"]["version"] == 1
    bodies = [
        {"date": DAY, "pain": 4 + i, "note": f"writer {i}", "version": 1} for i in range(WRITERS)
    ]
    answers = at_once(
        app, WRITERS, lambda client, i: client.post("/api/v1/checkins", json=bodies[i])
    )
    codes = [answer.status_code for answer in answers]
    assert sorted(codes) == [201] + [409] * (WRITERS - 1), codes
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["error"]["field"] == "version"
    winner = bodies[codes.index(201)]
    stored = BrowserClient(app).get("/api/v1/checkins").json()["checkins"]
    assert stored == [{**winner, "version": 2}]


def hiker() -> dict[str, Any]:
    return dict(json.loads((EXAMPLES / "hiker-downhill-front-pain.json").read_text()))


def test_plans_saved_at_once_from_the_same_version_make_one(app: FastAPI) -> None:
    body = hiker()
    answers = at_once(
        app,
        4,
        lambda client, _i: client.post(
            "/api/v1/plan", params={"save": "true", "version": 0}, json=body
        ),
    )
    codes = [answer.status_code for answer in answers]
    assert sorted(codes) == [200, 409, 409, 409], codes
    assert BrowserClient(app).get("/api/v1/plan").json()["version"] == 1


def test_plans_saved_at_once_without_a_version_each_get_the_next_number(app: FastAPI) -> None:
    body = hiker()
    answers = at_once(
        app, 4, lambda client, _i: client.post("/api/v1/plan", params={"save": "true"}, json=body)
    )
    assert [answer.status_code for answer in answers] == [200] * 4
    assert sorted(answer.json()["saved"]["version"] for answer in answers) == [1, 2, 3, 4]
    assert BrowserClient(app).get("/api/v1/plan").json()["version"] == 4
