"""`kneecoach backup` and `restore`: everything out and back, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from sqlalchemy import select

import kneecoach.storage.models  # noqa: F401  (every table is known)
from kneecoach.core.errors import ConflictError, InputError
from kneecoach.services.backup import (
    BACKED_UP,
    EXCLUDED,
    FORMAT_VERSION,
    checksum,
    make_backup,
    read_backup,
    restore_backup,
    stored_record_count,
    write_backup,
)
from kneecoach.settings import reset_settings
from kneecoach.storage import db
from kneecoach.storage.base import Base
from kneecoach.storage.models.checkins import CheckInRow
from tests.cli_helpers import run_cli
from tests.db import in_session
from tests.exchange.histories import History, histories, store
from tests.exchange.seed import seed_month


def test_every_table_is_in_the_backup_or_excluded_with_a_reason() -> None:
    """A new table must be added to BACKED_UP or EXCLUDED (with why), or this fails."""
    tables = set(Base.metadata.tables)
    assert not set(BACKED_UP) & set(EXCLUDED), "a table cannot be both backed up and excluded"
    missing = sorted(tables - set(BACKED_UP) - set(EXCLUDED))
    assert not missing, f"tables neither backed up nor excluded: {missing}"
    assert not set(BACKED_UP) - tables, "BACKED_UP names a table that does not exist"
    for name, reason in EXCLUDED.items():
        assert len(reason.split()) >= 3, f"{name}: say why it is left out"


def test_the_stale_check_would_catch_a_new_table() -> None:
    from sqlalchemy import Column, Integer, MetaData, Table

    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("new_personal_things", metadata, Column("id", Integer, primary_key=True))
    assert set(metadata.tables) - set(BACKED_UP) - set(EXCLUDED) == {"new_personal_things"}


def sqlite_url(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'kneecoach.db'}"


def backup_of(url: str) -> dict[str, Any]:
    with db.session_scope(url) as session:
        return make_backup(session=session)


def restore_into(url: str, document: dict[str, Any], replace: bool = False) -> None:
    with db.session_scope(url) as session:
        restore_backup(document, replace=replace, session=session)


def _a_clinicians_note_and_plan_change() -> None:
    """In server mode a clinician's notes and plan changes live in the person's store."""
    from kneecoach.core.clinic import ChangeRequest
    from kneecoach.services import adjustments, clinic
    from kneecoach.services.plan import current_plan

    plan = in_session(current_plan)
    assert plan is not None
    slot = next(e["id"] for e in plan.session_on_day(1) if e["kind"] == "strength" and e["reps"])
    in_session(clinic.leave_note, "c" * 32, "Dr Lee", "Keep going with the walks.")
    in_session(
        adjustments.adjust_plan,
        "c" * 32,
        "Dr Lee",
        "a lighter week",
        [ChangeRequest(slot, "pause")],
    )


def test_a_month_round_trips_sqlite_to_sqlite_with_nothing_lost(
    data_dir: Path, tmp_path: Path
) -> None:
    seed_month()
    _a_clinicians_note_and_plan_change()
    source = f"sqlite:///{data_dir / 'kneecoach.db'}"
    document = backup_of(source)
    assert all(document["counts"][name] > 0 for name in BACKED_UP), document["counts"]
    file = tmp_path / "backup.json"
    write_backup(document, file)
    assert file.stat().st_mode & 0o077 == 0, "a backup holds health notes: owner only"
    target = sqlite_url(tmp_path / "other")
    restore_into(target, read_backup(file))
    assert backup_of(target)["tables"] == document["tables"]
    # the versions and the edit history came along
    with db.session_scope(target) as session:
        versions = sorted(session.scalars(select(CheckInRow.version)))
    assert versions.count(2) == 3


def test_a_month_round_trips_sqlite_to_postgresql(
    data_dir: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KNEECOACH_DATABASE_URL")
    reset_settings()
    seed_month()
    document = backup_of(f"sqlite:///{data_dir / 'kneecoach.db'}")
    restore_into(postgres_url, json.loads(json.dumps(document)))
    assert backup_of(postgres_url)["tables"] == document["tables"]
    # new rows after a restore get fresh ids (the id sequences moved past the restored ones)
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", postgres_url)
    reset_settings()
    result = run_cli("checkin", "--date", "2020-01-01", "--pain", "2")
    assert result.exit_code == 0, result.stderr


@settings(max_examples=15)
@given(history=histories)
def test_generated_histories_round_trip_sqlite_to_sqlite(
    history: History, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("history")
    source, target = sqlite_url(folder / "a"), sqlite_url(folder / "b")
    try:
        store(history, source)
        document = backup_of(source)
        restore_into(target, json.loads(json.dumps(document)))
        assert backup_of(target)["tables"] == document["tables"]
    finally:
        db.dispose_engines()


@settings(max_examples=10)
@given(history=histories)
def test_generated_histories_round_trip_sqlite_to_postgresql(
    history: History, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    source = sqlite_url(tmp_path_factory.mktemp("history"))
    try:
        store(history, source)
        document = backup_of(source)
        restore_into(postgres_url, json.loads(json.dumps(document)), replace=True)
        assert backup_of(postgres_url)["tables"] == document["tables"]
    finally:
        db.engine_for(source).dispose()


def test_restore_refuses_an_install_that_holds_data(data_dir: Path, tmp_path: Path) -> None:
    seed_month()
    url = f"sqlite:///{data_dir / 'kneecoach.db'}"
    before = backup_of(url)
    other = tmp_path / "other"
    store(History([], [], [(3, 2)], ["red pair"], [False] * 6, None, "IE"), sqlite_url(other))
    foreign = backup_of(sqlite_url(other))
    with pytest.raises(ConflictError):
        restore_into(url, foreign)
    assert backup_of(url)["tables"] == before["tables"], "nothing changed"
    restore_into(url, foreign, replace=True)
    assert backup_of(url)["tables"] == foreign["tables"]


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_damaged_and_newer_files_get_one_line_and_change_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    seed_month()
    url = f"sqlite:///{data_dir / 'kneecoach.db'}"
    good = backup_of(url)
    edited = json.loads(json.dumps(good))
    edited["tables"]["checkins"]["rows"][0][2] = 9.0  # a changed pain, checksum not updated
    newer = {**good, "format_version": FORMAT_VERSION + 1}
    unknown_revision = {**good, "schema_revision": "0099_future"}
    extra_table = json.loads(json.dumps(good))
    extra_table["tables"]["future_things"] = {"columns": ["id"], "rows": [[1]]}
    extra_table["checksum"] = checksum(extra_table["tables"])
    cut = tmp_path / "cut.json"
    cut.write_text(json.dumps(good)[:5000], encoding="utf-8")
    cases = {
        "cut.json": (cut, "not a kneecoach backup"),
        "edited.json": (write_json(tmp_path / "edited.json", edited), "checksum"),
        "newer.json": (write_json(tmp_path / "newer.json", newer), "newer kneecoach"),
        "revision.json": (write_json(tmp_path / "revision.json", unknown_revision), "0099_future"),
        "table.json": (write_json(tmp_path / "table.json", extra_table), "future_things"),
        "other.json": (write_json(tmp_path / "other.json", {"hello": 1}), "not a kneecoach backup"),
    }
    for name, (path, words) in cases.items():
        result = run_cli("restore", str(path), "--replace")
        assert result.exit_code == 2, name
        assert words in result.stderr, (name, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, name
        assert "nothing was changed" in result.stderr.lower(), name
    assert backup_of(url)["tables"] == good["tables"]


def test_a_clash_half_way_rolls_everything_back(data_dir: Path, tmp_path: Path) -> None:
    """Rows that cannot go together fail the one transaction: the old data is all still there."""
    seed_month()
    url = f"sqlite:///{data_dir / 'kneecoach.db'}"
    good = backup_of(url)
    clash = json.loads(json.dumps(good))
    rows = clash["tables"]["session_logs"]["rows"]
    rows.append(list(rows[0]))  # the same id twice
    clash["checksum"] = checksum(clash["tables"])
    result = run_cli("restore", str(write_json(tmp_path / "clash.json", clash)), "--replace")
    assert result.exit_code == 2 and "clash" in result.stderr, result.stderr
    assert backup_of(url)["tables"] == good["tables"]


def test_backup_and_restore_commands(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_month()
    stored = in_session(stored_record_count)
    assert stored > 100  # a month of use: intake, plan, sessions, check-ins, scores, shoes
    file = tmp_path / "kneecoach-backup.json"
    made = run_cli("backup", str(file))
    assert made.exit_code == 0, made.stderr
    assert f"Saved {stored} records from 17 tables" in made.stdout
    refused = run_cli("restore", str(file))
    assert refused.exit_code == 2
    assert f"already holds {stored} records" in refused.stderr and "--replace" in refused.stderr
    monkeypatch.setenv("KNEECOACH_DATA_DIR", str(tmp_path / "new-install"))
    reset_settings()
    restored = run_cli("restore", str(file))
    assert restored.exit_code == 0, restored.stderr
    assert f"Restored {stored} records" in restored.stdout
    missing = run_cli("restore", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


@pytest.mark.fresh_database
def test_db_upgrade_copies_an_sqlite_database_before_migrating_it(data_dir: Path) -> None:
    old_database(data_dir)
    result = run_cli("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    (copy,) = (data_dir / "backups").glob("kneecoach-before-upgrade-*.db")
    assert str(copy) in result.stdout
    assert copy.stat().st_mode & 0o077 == 0
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0007_versions",)
        ]
        assert connection.execute("SELECT pain FROM checkins").fetchall() == [(3.0,)]
    db.dispose_engines()
    again = run_cli("db", "upgrade")
    assert "copy" not in again.stdout, "nothing to migrate: no copy"
    assert len(list((data_dir / "backups").glob("*.db"))) == 1


@pytest.mark.fresh_database
def test_no_copy_for_a_new_database(data_dir: Path) -> None:
    result = run_cli("db", "upgrade")
    assert result.exit_code == 0
    assert not (data_dir / "backups").exists()


def old_database(data_dir: Path) -> Path:
    """An SQLite file at revision 0007 with one check-in: something to migrate."""
    from alembic import command
    from sqlalchemy import create_engine

    from kneecoach.storage.migrate import alembic_config

    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / "kneecoach.db"
    engine = create_engine(f"sqlite:///{database}")
    command.upgrade(alembic_config(engine), "0007_versions")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO checkins (day, pain, factors, recorded_at, updated_at, version) VALUES "
            "('2026-03-01', 3, '{}', '2026-03-01 08:00:00', '2026-03-01 08:00:00', 1)"
        )
    engine.dispose()
    return database


@pytest.mark.server
@pytest.mark.fresh_database
def test_serve_copies_an_sqlite_database_before_migrating_it(tmp_path: Path) -> None:
    from tests.servers import start_server

    data = tmp_path / "served"
    old_database(data)
    server = start_server(data)
    assert server.stop() == 0
    (copy,) = (data / "backups").glob("kneecoach-before-upgrade-*.db")
    out = server.process.stdout.read() if server.process.stdout else ""
    assert "Saved a copy of the database before the update" in out and str(copy) in out
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0007_versions",)
        ]


def test_a_backup_from_before_a_table_existed_still_restores(
    data_dir: Path, tmp_path: Path
) -> None:
    """A table added later (a new migration) is simply empty after restoring an older backup."""
    seed_month()
    older = backup_of(f"sqlite:///{data_dir / 'kneecoach.db'}")
    del older["tables"]["goal_reviews"], older["tables"]["goals"]
    older["schema_revision"] = "0007_versions"
    older["checksum"] = checksum(older["tables"])
    target = sqlite_url(tmp_path / "new")
    restore_into(target, older)
    restored = backup_of(target)["tables"]
    assert restored["goals"]["rows"] == [] and restored["checkins"] == older["tables"]["checkins"]


def test_a_value_of_the_wrong_kind_is_named(data_dir: Path, tmp_path: Path) -> None:
    seed_month()
    document = backup_of(f"sqlite:///{data_dir / 'kneecoach.db'}")
    columns = document["tables"]["checkins"]["columns"]
    document["tables"]["checkins"]["rows"][0][columns.index("day")] = "last Tuesday"
    document["checksum"] = checksum(document["tables"])
    with pytest.raises(InputError) as caught:
        restore_into(sqlite_url(tmp_path / "new"), document)
    assert "table checkins, row 1" in caught.value.problem and "day" in caught.value.problem


def test_the_export_leaves_out_nothing_the_backup_holds(data_dir: Path) -> None:
    """`kneecoach export` is the person's copy of everything: each table the backup carries
    is in a section of its own or, row for row as stored, under `records`."""
    from kneecoach.services.personal_data import AS_STORED, EXPORTED_AS, export_everything

    assert set(EXPORTED_AS) | set(AS_STORED) == set(BACKED_UP)
    seed_month()
    _a_clinicians_note_and_plan_change()
    document = json.loads(json.dumps(in_session(export_everything)))  # plain JSON all through
    counts = backup_of(f"sqlite:///{data_dir / 'kneecoach.db'}")["counts"]
    for table, section in EXPORTED_AS.items():
        assert document[section], f"{table}: its section {section!r} is empty"
    for table in AS_STORED:
        assert len(document["records"][table]) == counts[table] > 0, table
    (note,) = document["records"]["clinician_notes"]
    assert note["clinician_name"] == "Dr Lee" and note["text"] == "Keep going with the walks."
    (change,) = document["records"]["plan_adjustments"]
    assert change["reason"] == "a lighter week"
