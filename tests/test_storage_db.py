"""The schema migrates from nothing on SQLite and PostgreSQL, and migrating again is a no-op."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import inspect

from kneecoach.storage import db
from kneecoach.storage.migrate import current_revisions, head_revisions

# These tests migrate for themselves: no copy of the session's migrated template.
pytestmark = pytest.mark.fresh_database


def test_schema_migrates_to_head_and_is_idempotent(any_database: str) -> None:
    assert db.prepare(any_database) is True
    engine = db.engine_for(any_database)
    assert current_revisions(engine) == head_revisions(engine)
    assert "questionnaire_responses" in inspect(engine).get_table_names()
    db.dispose_engines()
    assert db.prepare(any_database) is False


def test_sqlite_default_uses_wal(data_dir) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{data_dir / 'wal.db'}"
    with db.engine_for(url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_new_data_folder_and_database_are_private(tmp_path: Path) -> None:
    """Other accounts on the machine cannot read the knee diary."""
    folder = tmp_path / "private" / "kneecoach"
    url = f"sqlite:///{folder / 'kneecoach.db'}"
    db.prepare(url)
    try:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / "kneecoach.db").stat().st_mode) == 0o600
    finally:
        db.dispose_engines()
