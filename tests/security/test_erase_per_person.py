"""Export and delete-everything in server mode work on one person's store: the export holds
their data and nobody else's; after they erase, their store has no rows in any table, and the
other people's stores and the practice's own tables are as they were. On PostgreSQL the erase
vacuums the person's tables; on SQLite their file keeps none of the erased words."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from kneecoach.core.accounts import AccountView
from kneecoach.services.database import Store, store_of, transaction
from kneecoach.storage import db
from kneecoach.storage.models.accounts import Share
from kneecoach.storage.stores import sqlite_files
from tests.practice import make_clinician, make_person, practice_app, sign_in
from tests.security.owner_data import Stored, store_everything
from tests.security.stores import non_empty, row_counts
from tests.web_client import BrowserClient

STATS_DEADLINE = 10.0
"""Seconds to wait for PostgreSQL's statistics to show the VACUUM (they are written a moment
after the command returns)."""


@dataclass
class Two:
    database: str
    anna: AccountView
    ben: AccountView
    anna_data: Stored
    ben_data: Stored
    anna_client: TestClient
    ben_client: TestClient


@pytest.fixture
def two(database: str, monkeypatch: pytest.MonkeyPatch) -> Two:
    app = practice_app(database, monkeypatch)
    anna, ben = make_person("anna"), make_person("ben")
    clinician = make_clinician("dr.cole")
    with transaction() as session:
        session.add(Share(person_id=anna.id, clinician_id=clinician.id))
    anna_data = store_everything(store_of(anna.id), "anna-erase-3e1f")
    ben_data = store_everything(store_of(ben.id), "ben-keep-77c0", shoe="Road shoe")
    clients = []
    for name in ("anna", "ben"):
        client = BrowserClient(app, follow_redirects=False)
        assert sign_in(client, name).status_code == 303
        clients.append(client)
    return Two(database, anna, ben, anna_data, ben_data, *clients)


def test_each_person_exports_their_own_data_only(two: Two) -> None:
    for path in ("/settings/export.json", "/settings/backup.json"):
        mine = two.anna_client.get(path)
        assert mine.status_code == 200
        assert two.anna_data.leaks(mine.content) == list(two.anna_data.markers)
        assert two.ben_data.leaks(mine.content) == []
        theirs = two.ben_client.get(path).content
        assert two.ben_data.leaks(theirs) == list(two.ben_data.markers)
        assert two.anna_data.leaks(theirs) == []
    exported = json.loads(two.anna_client.get("/settings/export.json").content)
    assert [pair["name"] for pair in exported["shoes"]] == ["Trail runner"]


def test_erase_empties_one_store_and_touches_nothing_else(two: Two) -> None:
    anna_store, ben_store = store_of(two.anna.id), store_of(two.ben.id)
    practice = Store(two.database)
    assert non_empty(anna_store), "the person had data before the erase"
    ben_before, practice_before = row_counts(ben_store), row_counts(practice)

    answer = two.anna_client.post("/settings/delete", data={"confirm": "DELETE"})

    assert (answer.status_code, answer.headers["location"]) == (303, "/settings?deleted=1")
    assert non_empty(anna_store) == {}, "every table of the person's store is empty"
    assert row_counts(ben_store) == ben_before
    assert row_counts(practice) == practice_before
    assert two.anna_data.leaks(two.anna_client.get("/settings/export.json").content) == []
    assert two.ben_client.get("/today").status_code == 200
    if anna_store.schema is None:
        for file in sqlite_files(anna_store):
            if file.exists():
                held = [m for m in two.anna_data.markers if m.encode() in file.read_bytes()]
                assert held == [], f"{file.name} still holds {held}"
    else:
        assert_vacuumed(two.database, anna_store.schema)


def assert_vacuumed(url: str, schema: str) -> None:
    """Every table of the schema was vacuumed and holds no dead rows."""
    deadline = time.monotonic() + STATS_DEADLINE
    query = text(
        "SELECT relname, last_vacuum IS NOT NULL, n_dead_tup FROM pg_stat_user_tables "
        "WHERE schemaname = :schema"
    )
    while True:
        with db.engine_for(url).connect() as connection:
            connection.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
            rows = connection.execute(query, {"schema": schema}).all()
        unvacuumed = sorted(name for name, vacuumed, dead in rows if not vacuumed or dead)
        if rows and not unvacuumed:
            return
        assert time.monotonic() < deadline, f"not vacuumed in {schema}: {unvacuumed}"
        time.sleep(0.1)  # polling PostgreSQL's statistics until they show the VACUUM


def test_the_command_line_erase_cleans_up_the_person_s_store(two: Two) -> None:
    """`kneecoach --person anna erase --yes` (an admin, server mode) empties and vacuums
    anna's store, not the practice's database, and leaves ben's alone."""
    from tests.cli_helpers import run_cli

    anna_store, ben_store = store_of(two.anna.id), store_of(two.ben.id)
    ben_before = row_counts(ben_store)
    result = run_cli("--person", "anna", "erase", "--yes")
    assert result.exit_code == 0, result.stderr
    assert non_empty(anna_store) == {}
    assert row_counts(ben_store) == ben_before
    if anna_store.schema is None:
        held = [
            marker
            for file in sqlite_files(anna_store)
            if file.exists()
            for marker in two.anna_data.markers
            if marker.encode() in file.read_bytes()
        ]
        assert held == []
    else:
        assert_vacuumed(two.database, anna_store.schema)


def test_erase_takes_the_person_s_movement_checks_and_no_one_else_s(
    two: Two, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Movement checks live in the practice's queue, with their videos in the data folder:
    erasing one person's data takes their checks and files, and leaves the other's."""
    from sqlalchemy import select

    from kneecoach.services import jobs
    from kneecoach.services.movement_check import job_folder
    from kneecoach.storage.models.jobs import Job

    monkeypatch.setenv("KNEECOACH_WORKER", "off")
    params = {"test": "single_leg_squat", "side": "left"}
    made = {}
    for person in (two.anna, two.ben):
        with transaction() as practice:
            job_id = jobs.enqueue("movement_analysis", params, person.id, session=practice)
        folder = job_folder(job_id)
        folder.mkdir(parents=True)
        (folder / "video.mp4").write_bytes(b"not really a video")
        made[person.id] = job_id

    assert two.anna_client.post("/settings/delete", data={"confirm": "DELETE"}).status_code == 303

    with transaction() as practice:
        left = set(practice.scalars(select(Job.id)))
    assert left == {made[two.ben.id]}
    assert not job_folder(made[two.anna.id]).exists()
    assert (job_folder(made[two.ben.id]) / "video.mp4").exists()
