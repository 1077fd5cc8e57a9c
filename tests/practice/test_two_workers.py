"""The no-lost-write load test: real `kneecoach serve` processes, two people signed in, many
check-ins and sessions sent at once, then every acknowledged write looked up in the database.

- PostgreSQL: one server with two worker processes (`serve --workers 2`) on one real PostgreSQL
  (tests/postgres.py). The two workers share the port, so each person's writes land on both.
- SQLite server mode: one worker (a practice on SQLite runs one).

Each person writes on days of their own (Anna the last 60 days, Ben the 60 before) with pain
values of their own, from several threads at once, each thread with its own HTTP connection
and the person's session cookie. Afterwards, read straight from each person's store: every
write the server answered 201 is there, nothing is there that was not sent, and nothing of one
person is in the other's store or in the practice's own database. The measured numbers
(writes per second, p95 latency) are printed; run with `-s` to see them.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kneecoach.services.database import Store, store_of, transaction
from kneecoach.settings import reset_settings
from kneecoach.storage.models.checkins import CheckInRow
from kneecoach.storage.models.plans import SessionLog
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLES
from tests.practice import PASSWORD
from tests.servers import LiveServer, start_server, stderr_of

pytestmark = [pytest.mark.server, pytest.mark.load, pytest.mark.fresh_database]

CHECKINS = 60  # per person, each on a day of its own
SESSIONS = 40  # per person, each on a day of its own
THREADS = 8  # senders at once, over both people
TIMEOUT = 120.0
PEOPLE = {"anna": (1, (2.0, 3.0)), "ben": (61, (7.0, 8.0))}
"""Each person's first day back (days ago) and the pain values only they send."""


@dataclass(frozen=True)
class Write:
    person: str
    kind: str  # "checkin" or "session"
    day: dt.date
    pain: float


@dataclass
class Tally:
    acknowledged: list[Write] = field(default_factory=list)
    refused: list[tuple[Write, int, str]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keep(self, write: Write, status: int, text: str, took: float) -> None:
        with self.lock:
            self.latencies.append(took)
            if status == 201:
                self.acknowledged.append(write)
            else:
                self.refused.append((write, status, text[:300]))


def writes_of(person: str) -> list[Write]:
    first, (low, high) = PEOPLE[person]
    today = dt.date.today()
    days = [today - dt.timedelta(days=first + n) for n in range(max(CHECKINS, SESSIONS))]
    checkins = [
        Write(person, "checkin", day, low if n % 2 else high)
        for n, day in enumerate(days[:CHECKINS])
    ]
    sessions = [Write(person, "session", day, 2.0) for day in days[:SESSIONS]]
    return checkins + sessions


def signed_in(base_url: str, person: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=TIMEOUT, trust_env=False)
    answer = client.post("/api/v1/session", json={"username": person, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client


def first_exercise(client: httpx.Client) -> str:
    """Save the hiker's plan for this person; the id of its first exercise."""
    intake = json.loads((EXAMPLES / "hiker-downhill-front-pain.json").read_text())
    saved = client.post("/api/v1/plan", params={"save": "true"}, json=intake)
    assert saved.status_code == 200, saved.text
    today = client.get("/api/v1/today")
    assert today.status_code == 200, today.text
    return str(today.json()["exercises"][0]["id"])


def send(client: httpx.Client, write: Write, exercise: str) -> httpx.Response:
    if write.kind == "checkin":
        return client.post(
            "/api/v1/checkins", json={"date": write.day.isoformat(), "pain": write.pain}
        )
    body: dict[str, Any] = {
        "date": write.day.isoformat(),
        "exercises": [{"id": exercise, "sets": 2, "pain_during": int(write.pain)}],
    }
    return client.post("/api/v1/sessions", json=body)


def hammer(server: LiveServer) -> tuple[Tally, float]:
    """Every write of both people from THREADS threads at once; the tally and the wall time."""
    cookies: dict[str, httpx.Cookies] = {}
    exercises: dict[str, str] = {}
    for person in PEOPLE:
        client = signed_in(server.url, person)
        try:
            exercises[person] = first_exercise(client)
            cookies[person] = client.cookies
        finally:
            client.close()
    queue = [write for person in PEOPLE for write in writes_of(person)]
    queue = queue[::2] + queue[1::2]  # both people and both kinds mixed through the run
    tally = Tally()
    start = threading.Barrier(THREADS, timeout=TIMEOUT)

    def sender(number: int) -> None:
        clients = {
            person: httpx.Client(
                base_url=server.url, timeout=TIMEOUT, trust_env=False, cookies=cookies[person]
            )
            for person in PEOPLE
        }
        try:
            start.wait()
            for write in queue[number::THREADS]:
                began = time.perf_counter()
                answer = send(clients[write.person], write, exercises[write.person])
                tally.keep(write, answer.status_code, answer.text, time.perf_counter() - began)
        finally:
            for client in clients.values():
                client.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for future in [pool.submit(sender, n) for n in range(THREADS)]:
            future.result(timeout=TIMEOUT * 4)
    return tally, time.perf_counter() - began


def stored(store: Store | None) -> tuple[set[tuple[dt.date, float]], set[tuple[dt.date, int]]]:
    """The check-ins (day, pain) and logged sessions (day, pain during) in one store."""
    with transaction(store) as session:
        checkins = {(row.day, row.pain) for row in session.scalars(select(CheckInRow))}
        sessions = {
            (row.session_date, row.pain_during) for row in session.scalars(select(SessionLog))
        }
    return checkins, sessions


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def check_nothing_lost(tally: Tally, wall: float, label: str, data_dir: Path) -> None:
    assert tally.refused == [], tally.refused[:5]
    ids = {}
    with transaction() as session:
        from kneecoach.storage.models.accounts import Account

        for account in session.scalars(select(Account)):
            ids[account.username] = account.id
    lost = 0
    for person in PEOPLE:
        checkins, sessions = stored(store_of(ids[person]))
        mine = [w for w in tally.acknowledged if w.person == person]
        want_checkins = {(w.day, w.pain) for w in mine if w.kind == "checkin"}
        want_sessions = {(w.day, int(w.pain)) for w in mine if w.kind == "session"}
        lost += len(want_checkins - checkins) + len(want_sessions - sessions)
        assert checkins == want_checkins, f"{person}'s check-ins differ from those acknowledged"
        assert sessions == want_sessions, f"{person}'s sessions differ from those acknowledged"
        other = next(p for p in PEOPLE if p != person)
        _, (low, high) = PEOPLE[other]
        assert not any(pain in (low, high) for _, pain in checkins), f"{other}'s data in {person}'s"
    assert stored(None) == (set(), set()), "health data in the practice's own database"
    assert len(tally.acknowledged) == len(PEOPLE) * (CHECKINS + SESSIONS)
    rate = len(tally.acknowledged) / wall
    p50, p95 = percentile(tally.latencies, 0.5), percentile(tally.latencies, 0.95)
    line = (
        f"{label}: {len(tally.acknowledged)} writes from {THREADS} threads in {wall:.1f} s: "
        f"{rate:.1f} writes/s, p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, lost {lost}"
    )
    print("\n" + line)
    with (data_dir.parent / "load-results.txt").open("a") as out:
        out.write(line + "\n")


def make_people(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """The two people, made with `kneecoach admin create-person` as a practice would."""
    monkeypatch.setenv("KNEECOACH_MODE", "server")
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", database_url)
    reset_settings()
    for person in PEOPLE:
        made = run_cli("admin", "create-person", person, "--password-stdin", input=PASSWORD + "\n")
        assert made.exit_code == 0, made.stderr


@pytest.fixture
def running(request: pytest.FixtureRequest) -> Iterator[list[LiveServer]]:
    """Servers started by a test, stopped (SIGTERM) when it ends, whatever happened."""
    servers: list[LiveServer] = []
    yield servers
    for server in servers:
        server.stop()


def test_two_workers_on_postgres_lose_no_write(
    postgres_url: str,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    running: list[LiveServer],
) -> None:
    make_people(monkeypatch, postgres_url)
    server = start_server(
        data_dir, database_url=postgres_url, workers=2, environment={"KNEECOACH_MODE": "server"}
    )
    running.append(server)
    tally, wall = hammer(server)
    assert server.stop() == 0
    assert "Traceback" not in stderr_of(server)
    check_nothing_lost(tally, wall, "PostgreSQL, 2 workers", data_dir)


def test_one_worker_on_sqlite_server_mode_loses_no_write(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, running: list[LiveServer]
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{data_dir / 'kneecoach.db'}"
    make_people(monkeypatch, url)
    server = start_server(
        data_dir, database_url=url, workers=1, environment={"KNEECOACH_MODE": "server"}
    )
    running.append(server)
    tally, wall = hammer(server)
    assert server.stop() == 0
    assert "Traceback" not in stderr_of(server)
    check_nothing_lost(tally, wall, "SQLite, 1 worker", data_dir)
