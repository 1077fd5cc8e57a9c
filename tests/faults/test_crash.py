"""A crash mid-burst loses nothing that was acknowledged.

A real `kneecoach serve` takes check-ins from 8 threads at once; once enough of them have been
answered 2xx it is killed with SIGKILL (no shutdown code runs), a new server starts on the same
data, and every acknowledged check-in is there, nothing else is, and the database is whole:
`PRAGMA integrity_check` on SQLite, on PostgreSQL one row per day and no orphaned revision.

Bounded without sleeping: the kill waits on an Event set by the writer that counts the
KILL_AFTER-th acknowledgement, the writers are waited on as futures, each request has a
timeout, and every wait has a generous deadline."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import DATABASE_FILE, DatabaseTemplate
from tests.servers import LiveServer, http_connection, start_server

pytestmark = pytest.mark.server

WRITERS = 8
DAYS = 240  # far more than get written before the kill
KILL_AFTER = 24  # acknowledged writes before the SIGKILL
REQUEST_TIMEOUT = 30.0
DEADLINE = 120.0


class Burst:
    """Check-ins for distinct past days, shared out to the writers, acknowledgements counted."""

    def __init__(self, days: list[dt.date]) -> None:
        self._days = iter(days)
        self._lock = threading.Lock()
        self.sent: set[dt.date] = set()
        self.acknowledged: set[dt.date] = set()
        self.enough = threading.Event()
        self.stop = threading.Event()

    def next_day(self) -> dt.date | None:
        with self._lock:
            if self.stop.is_set():
                return None
            day = next(self._days, None)
            if day is not None:
                self.sent.add(day)
            return day

    def acknowledge(self, day: dt.date) -> None:
        with self._lock:
            self.acknowledged.add(day)
            if len(self.acknowledged) >= KILL_AFTER:
                self.enough.set()


def _write(url: str, burst: Burst) -> int:
    """One writer: posts check-ins until the days run out or the server is gone."""
    written = 0
    connection = http_connection(url, REQUEST_TIMEOUT)
    try:
        while (day := burst.next_day()) is not None:
            body = json.dumps({"date": day.isoformat(), "pain": 3, "swelling": 1})
            try:
                connection.request(
                    "POST",
                    "/api/v1/checkins",
                    body=body,
                    headers={"Content-Type": "application/json"},
                )
                answer = connection.getresponse()
                answer.read()
            except (OSError, http.client.HTTPException):
                return written  # killed mid-request: this one was never acknowledged
            if not 200 <= answer.status < 300:
                raise AssertionError(f"{day}: {answer.status}")
            burst.acknowledge(day)
            written += 1
    finally:
        connection.close()
    return written


def _stored_days(server: LiveServer) -> list[dt.date]:
    connection = http_connection(server.url, REQUEST_TIMEOUT)
    try:
        connection.request("GET", "/api/v1/checkins")
        answer = connection.getresponse()
        assert answer.status == 200
        found = json.loads(answer.read())
    finally:
        connection.close()
    return [dt.date.fromisoformat(c["date"]) for c in found["checkins"]]


def _assert_whole(database_url: str | None, data_dir: Path) -> None:
    if database_url is None:
        with sqlite3.connect(data_dir / DATABASE_FILE) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        return
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows, days = connection.execute(
                text("SELECT count(*), count(DISTINCT day) FROM checkins")
            ).one()
            assert rows == days
            orphans = connection.execute(
                text(
                    "SELECT count(*) FROM checkin_revisions r "
                    "LEFT JOIN checkins c ON c.id = r.checkin_id WHERE c.id IS NULL"
                )
            ).scalar_one()
            assert orphans == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("any_database", ["sqlite", "postgres"], indirect=True)
def test_a_sigkill_mid_burst_keeps_every_acknowledged_checkin(
    any_database: str, data_dir: Path, database_template: DatabaseTemplate
) -> None:
    database_url = None if any_database.startswith("sqlite") else any_database
    template = database_template if database_url is None else None
    today = dt.date.today()
    burst = Burst([today - dt.timedelta(days=n) for n in range(1, DAYS + 1)])

    server = start_server(data_dir, template, database_url=database_url)
    try:
        with ThreadPoolExecutor(WRITERS) as pool:
            writers = [pool.submit(_write, server.url, burst) for _ in range(WRITERS)]
            assert burst.enough.wait(DEADLINE), "the server acknowledged too few check-ins"
            server.kill()
            burst.stop.set()
            done, pending = wait(writers, timeout=DEADLINE)
            assert not pending, "a writer hung after the kill"
            for writer in done:
                writer.result()  # a non-2xx answer fails here
    finally:
        server.kill()
    assert len(burst.acknowledged) >= KILL_AFTER
    assert len(burst.sent) < DAYS, "the burst ended before the kill: nothing was in flight"

    again = start_server(data_dir, database_url=database_url)
    try:
        stored = _stored_days(again)
    finally:
        again.stop()
    assert len(stored) == len(set(stored))
    assert burst.acknowledged <= set(stored), sorted(burst.acknowledged - set(stored))
    assert set(stored) <= burst.sent  # nothing appears that was never sent
    _assert_whole(database_url, data_dir)
