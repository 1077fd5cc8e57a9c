"""What docs/deploy.md promises about an erased person's data in PostgreSQL's WAL files, on a
real server: with `wal_recycle = off` and the nightly `pg_switch_wal()` and `CHECKPOINT` it
shows, no WAL file holds the person's data afterwards. Before that run, one does: the guide's
"within a day" is the time until the nightly run, not "at once"."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from kneecoach.storage import db
from kneecoach.storage.models.preferences import Preference
from kneecoach.storage.stores import person_store

pytestmark = pytest.mark.fresh_database


def wal_files_holding(folder: Path, marker: bytes) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and marker in p.read_bytes())


def test_the_nightly_wal_switch_leaves_no_erased_data_in_wal_files(postgres_url: str) -> None:
    practice = db.engine_for(postgres_url)
    with practice.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ALTER SYSTEM SET wal_recycle = off")  # the guide's setting
        connection.exec_driver_sql("SELECT pg_reload_conf()")
        folder = Path(str(connection.execute(text("SHOW data_directory")).scalar())) / "pg_wal"

    store = person_store(postgres_url, uuid.uuid4().hex)
    marker = f"erased-{uuid.uuid4().hex}"
    with db.session_scope(store.url, store.schema) as session:
        session.add(Preference(name="country", value=marker))
    assert wal_files_holding(folder, marker.encode()), "the write went through no WAL file?"

    db.drop_store(store.url, store.schema)  # what erasing a person does
    assert wal_files_holding(folder, marker.encode()), "until the nightly run, the WAL has it"

    with practice.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("SELECT pg_switch_wal()")  # the guide's nightly cron line
        connection.exec_driver_sql("CHECKPOINT")
    assert wal_files_holding(folder, marker.encode()) == []
