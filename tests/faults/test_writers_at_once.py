"""Writers in separate processes at once, and a server kept busy, on SQLite and PostgreSQL.

- Two `kneecoach checkins import` processes at once on the same database: both exit 0 with no
  traceback and no "database is locked", every row of both files is there, and a day both
  files hold has one file's whole row.
- A CLI import while a real `kneecoach serve` takes check-ins from the API and the form: every
  web answer is 2xx, the import exits 0, and every check-in of both is there.
- A big GPX upload does not hold up other pages: `GET /`, asked again and again while the
  server reads a 40 MB upload, never waits for the reading (each answer takes a small part of
  the time the upload takes; read on the event loop, one of them took nearly all of it).

Bounded without sleeping: the web writers run until the import process has exited (so they
span its whole life), the CLI runs are waited on with a deadline, and the upload is ordered
against `GET /` by events.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from kneecoach.services import checkins as checkin_service
from tests.conftest import DATABASE_FILE, DatabaseTemplate
from tests.db import in_session
from tests.servers import http_connection, start_server, stderr_of
from tests.shoes.test_big_files import big_gpx
from tests.web_client import TOKEN

pytestmark = pytest.mark.server

DEADLINE = 180.0
REQUEST_TIMEOUT = 60.0
TODAY = dt.date.today()
CSRF = {"Cookie": f"kneecoach_csrf={TOKEN}"}


def days_back(first: int, last: int) -> list[dt.date]:
    return [TODAY - dt.timedelta(days=n) for n in range(first, last + 1)]


def write_csv(path: Path, days: list[dt.date], tag: str) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("date,pain,swelling,note\n")
        for day in days:
            out.write(f"{day.isoformat()},{day.toordinal() % 11},{day.day % 4},{tag}\n")
    return path


def start_import(path: Path) -> subprocess.Popen[str]:
    """`kneecoach checkins import PATH --format json` in a process of its own, on the database
    of this test's environment (KNEECOACH_DATA_DIR or KNEECOACH_DATABASE_URL)."""
    return subprocess.Popen(
        [sys.executable, "-m", "kneecoach", "checkins", "import", str(path), "--format", "json"],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> dict[str, Any]:
    """The import's JSON report, once it exited 0 with nothing on stderr."""
    out, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == 0, (process.returncode, out, err)
    assert "Traceback" not in out + err and "locked" not in out + err, err
    return dict(json.loads(out))


def stored_notes() -> dict[dt.date, tuple[float, str | None]]:
    return {c.day: (c.pain, c.note) for c in in_session(checkin_service.list_checkins)}


def prepared(any_database: str, data_dir: Path, template: DatabaseTemplate) -> str | None:
    """The database ready at the newest schema; the URL for PostgreSQL, None for SQLite."""
    if any_database.startswith("sqlite"):
        template.copy_to(data_dir / DATABASE_FILE)
        return None
    in_session(checkin_service.list_checkins)  # migrates the new PostgreSQL database
    return any_database


@pytest.mark.parametrize("any_database", ["sqlite", "postgres"], indirect=True)
def test_two_cli_imports_at_once_keep_every_row(
    any_database: str, data_dir: Path, database_template: DatabaseTemplate, tmp_path: Path
) -> None:
    prepared(any_database, data_dir, database_template)
    first_days, second_days = days_back(1, 365), days_back(184, 548)
    both = set(first_days) & set(second_days)
    files = [
        write_csv(tmp_path / "phone.csv", first_days, "phone"),
        write_csv(tmp_path / "watch.csv", second_days, "watch"),
    ]
    first = start_import(files[0])
    second = start_import(files[1])
    assert first.poll() is None, "the first import ended before the second began"
    reports = [finished(first), finished(second)]

    assert sum(r["imported"] for r in reports) == len(set(first_days) | set(second_days))
    assert sum(r["updated"] for r in reports) == len(both)
    assert all(r["rejected"] == 0 for r in reports)
    stored = stored_notes()
    assert set(stored) == set(first_days) | set(second_days)
    for day, (pain, note) in stored.items():
        expected = {"phone"} if day not in set(second_days) else {"watch"}
        assert note in (expected if day not in both else {"phone", "watch"})
        assert pain == day.toordinal() % 11  # each row whole, from one file


class WebWriters:
    """Check-ins for distinct days through the API (even writers) and the form (odd ones),
    until told to stop; every answer and the moment of each acknowledgement are kept."""

    def __init__(self, days: list[dt.date]) -> None:
        self._days: Iterator[dt.date] = iter(days)
        self._lock = threading.Lock()
        self.stop = threading.Event()
        self.first = threading.Event()
        self.acknowledged: dict[dt.date, float] = {}
        self.failures: list[tuple[dt.date, int, str]] = []

    def _next(self) -> dt.date | None:
        with self._lock:
            return None if self.stop.is_set() else next(self._days, None)

    def run(self, url: str, number: int) -> None:
        connection = http_connection(url, REQUEST_TIMEOUT)
        try:
            while (day := self._next()) is not None:
                if number % 2 == 0:
                    body = json.dumps({"date": day.isoformat(), "pain": 2, "note": "web"})
                    headers = {"Content-Type": "application/json"}
                    connection.request("POST", "/api/v1/checkins", body=body, headers=headers)
                    ok = {201}
                else:
                    form = {
                        "date": day.isoformat(),
                        "pain": "2",
                        "note": "web",
                        "csrf_token": TOKEN,
                    }
                    headers = {"Content-Type": "application/x-www-form-urlencoded", **CSRF}
                    connection.request("POST", "/checkin", body=urlencode(form), headers=headers)
                    ok = {303}
                answer = connection.getresponse()
                text = answer.read().decode(errors="replace")
                with self._lock:
                    if answer.status in ok:
                        self.acknowledged[day] = time.monotonic()
                        self.first.set()
                    else:
                        self.failures.append((day, answer.status, text[-500:]))
        finally:
            connection.close()


@pytest.mark.parametrize("any_database", ["sqlite", "postgres"], indirect=True)
def test_a_cli_import_while_the_server_takes_checkins(
    any_database: str, data_dir: Path, database_template: DatabaseTemplate, tmp_path: Path
) -> None:
    database_url = prepared(any_database, data_dir, database_template)
    csv_days = days_back(1, 365)
    csv = write_csv(tmp_path / "year.csv", csv_days, "import")
    writers = WebWriters(days_back(400, 3000))
    server = start_server(data_dir, database_url=database_url)
    try:
        with ThreadPoolExecutor(4) as pool:
            running = [pool.submit(writers.run, server.url, n) for n in range(4)]
            try:
                assert writers.first.wait(DEADLINE), "the server acknowledged no check-in"
                began = time.monotonic()
                report = finished(start_import(csv))
                ended = time.monotonic()
            finally:
                writers.stop.set()
            for writer in running:
                writer.result(timeout=DEADLINE)
    finally:
        server.stop()
    assert writers.failures == []
    during = [t for t in writers.acknowledged.values() if began <= t <= ended]
    assert during, "no web check-in was answered while the import ran"
    assert report["imported"] == len(csv_days) and report["rejected"] == 0
    stored = stored_notes()
    assert set(stored) == set(csv_days) | set(writers.acknowledged)
    assert {stored[day][1] for day in csv_days} == {"import"}
    assert {stored[day][1] for day in writers.acknowledged} == {"web"}
    assert "Traceback" not in stderr_of(server)


def multipart(fields: dict[str, str], file_field: str, name: str) -> tuple[str, bytes, bytes]:
    """A multipart/form-data body's boundary, and its bytes before and after the file's."""
    boundary = uuid.uuid4().hex
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{name}"\r\nContent-Type: application/gpx+xml\r\n\r\n'
    ).encode()
    return boundary, head, f"\r\n--{boundary}--\r\n".encode()


def test_the_home_page_answers_while_a_big_upload_is_read(
    data_dir: Path, database_template: DatabaseTemplate, tmp_path: Path
) -> None:
    gpx = big_gpx(tmp_path / "long.gpx", 40)
    server = start_server(data_dir, database_template)
    try:
        pair = http_connection(server.url, REQUEST_TIMEOUT)
        pair.request(
            "POST",
            "/api/v1/shoes",
            body=json.dumps({"name": "Trail"}),
            headers={"Content-Type": "application/json"},
        )
        added = pair.getresponse()
        assert added.status == 201
        pair_id = json.loads(added.read())["id"]
        pair.close()

        sent, done = threading.Event(), threading.Event()
        upload_answer: dict[str, Any] = {}

        def upload() -> None:
            fields = {"csrf_token": TOKEN, "shoe": pair_id, "activity": "running"}
            boundary, head, tail = multipart(fields, "files", gpx.name)
            size = len(head) + gpx.stat().st_size + len(tail)
            connection = http_connection(server.url, REQUEST_TIMEOUT)
            try:
                connection.putrequest("POST", "/shoes/activities")
                connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
                connection.putheader("Content-Length", str(size))
                connection.putheader("Cookie", CSRF["Cookie"])
                connection.endheaders()
                connection.send(head)
                with gpx.open("rb") as stream:
                    while chunk := stream.read(1024 * 1024):
                        connection.send(chunk)
                connection.send(tail)
                upload_answer["sent"] = time.monotonic()
                sent.set()
                answer = connection.getresponse()
                upload_answer["status"] = answer.status
                upload_answer["text"] = answer.read().decode(errors="replace")
            finally:
                upload_answer["done"] = time.monotonic()
                connection.close()
                done.set()

        home_pages: list[tuple[int, float]] = []  # (status, seconds) of each GET /
        with ThreadPoolExecutor(1) as pool:
            uploading = pool.submit(upload)
            assert sent.wait(DEADLINE), "the upload was not sent"
            home = http_connection(server.url, REQUEST_TIMEOUT)
            try:
                while not done.is_set():  # one GET / after another until the upload's answer
                    asked = time.monotonic()
                    home.request("GET", "/")
                    answer = home.getresponse()
                    answer.read()
                    home_pages.append((answer.status, time.monotonic() - asked))
            finally:
                home.close()
            uploading.result(timeout=DEADLINE)
    finally:
        server.stop()
    assert upload_answer["status"] == 200, upload_answer.get("text", "")[-2000:]
    assert "km added to Trail." in upload_answer["text"]
    assert {status for status, _ in home_pages} == {200}
    # Relative, not a clock: while the server read the upload, the home page kept answering.
    # (Read on the event loop, one GET / waited for the whole reading: most of this time.)
    reading = upload_answer["done"] - upload_answer["sent"]
    longest = max(seconds for _, seconds in home_pages)
    assert len(home_pages) >= 2 and longest < reading / 2, (longest, reading, len(home_pages))
