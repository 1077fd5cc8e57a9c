"""Several app processes starting at once against one new database: one migrates, the others
wait for it and then find the schema at the newest revision (storage/db.py's advisory lock on
PostgreSQL; SQLite's own write lock on a file). A worker of `kneecoach serve --workers N`, a
second server, and `kneecoach db upgrade` run by hand all meet here."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.pool import NullPool

from kneecoach.storage import db
from kneecoach.storage.base import Base
from kneecoach.storage.store_status import newest_revision, revision_of
from kneecoach.storage.stores import person_store

pytestmark = [pytest.mark.fresh_database, pytest.mark.server]

PROCESSES = 2
THREADS = 4
DEADLINE = 120

# Each process loads everything first, says "ready", and migrates only when told "go": the
# parent lets them all go at the same moment, so the migrations truly overlap.
MIGRATOR = """
import sys
from kneecoach.storage import db, migrate
import kneecoach.storage.models
print("ready", flush=True)
sys.stdin.readline()
applied = db.prepare(sys.argv[1], sys.argv[2] or None)
print("applied" if applied else "current", flush=True)
"""


def migrate_at_once(url: str, schema: str | None) -> list[str]:
    """Start PROCESSES migrators on one store, let them go together; what each one did."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATOR, url, schema or ""],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    said = []
    for process in processes:
        out, err = process.communicate(timeout=DEADLINE)
        assert process.returncode == 0, err
        assert "Traceback" not in err
        said.append(out.strip())
    return said


def check_at_head(url: str, schema: str | None) -> None:
    assert revision_of(url, schema).state == "newest"
    engine = create_engine(
        url if schema is None else db.schema_url(url, schema), poolclass=NullPool
    )
    try:
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_processes_migrating_one_new_database_at_once_all_succeed(any_database: str) -> None:
    said = migrate_at_once(any_database, None)
    assert sorted(said) == ["applied"] + ["current"] * (PROCESSES - 1)
    check_at_head(any_database, None)


def test_processes_making_one_persons_store_at_once_all_succeed(any_database: str) -> None:
    store = person_store(any_database, uuid.uuid4().hex)
    if store.schema is None:
        Path(store.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    said = migrate_at_once(store.url, store.schema)
    assert sorted(said) == ["applied"] + ["current"] * (PROCESSES - 1)
    check_at_head(store.url, store.schema)
    assert newest_revision() in revision_of(store.url, store.schema).revisions


def test_each_store_has_an_engine_url_of_its_own(any_database: str) -> None:
    """What a worker keeps per engine URL (safety_stop's baselines, signal_walks' stops) must
    never be shared between two people's stores in one PostgreSQL database."""
    anna = person_store(any_database, uuid.uuid4().hex)
    ben = person_store(any_database, uuid.uuid4().hex)
    if anna.schema is None:
        Path(anna.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    urls = {
        str(db.engine_for(store.url, store.schema).url)
        for store in (anna, ben, person_store(any_database, uuid.uuid4().hex))
    }
    urls.add(str(db.engine_for(any_database).url))
    assert len(urls) == 4


def test_threads_opening_a_new_store_at_once_share_one_engine(any_database: str) -> None:
    """A worker's threads answering a person's first requests together: one makes and
    migrates the store, the others wait and then use the same engine."""
    store = person_store(any_database, uuid.uuid4().hex)
    if store.schema is None:
        Path(store.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    together = threading.Barrier(THREADS, timeout=DEADLINE)

    def open_store() -> Engine:
        together.wait()
        return db.engine_for(store.url, store.schema)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(open_store) for _ in range(THREADS)]
        engines = [future.result(timeout=DEADLINE) for future in futures]
    assert len({id(engine) for engine in engines}) == 1
    check_at_head(store.url, store.schema)
