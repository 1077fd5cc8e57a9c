"""`kneecoach db upgrade` and `kneecoach db status` in server mode: the practice's database, then
every person's store (storage/stores.py), each from any earlier release, with its rows kept.

A person's store is made by the same migrations as any kneecoach database, so every release's
fixture database (tests/fixtures/databases) is also a store some person could have: in SQLite
server mode the stores are files, and the whole listing is upgraded in one run here."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from kneecoach.services.database import store_of, transaction
from kneecoach.settings import reset_settings
from kneecoach.storage import db
from kneecoach.storage.migrate import alembic_config
from kneecoach.storage.models.accounts import Account
from kneecoach.storage.models.preferences import Preference
from kneecoach.storage.store_status import newest_revision, revision_of
from tests.cli_helpers import run_cli
from tests.test_migrations import FIXTURES, LISTING, check_upgraded, every_row

pytestmark = pytest.mark.fresh_database


@pytest.fixture
def practice(database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A practice in server mode on `any_database`, its own database made and migrated."""
    monkeypatch.setenv("KNEECOACH_MODE", "server")
    reset_settings()
    assert run_cli("db", "upgrade").exit_code == 0
    return database


def add_people(count: int, role: str = "person") -> list[str]:
    """Accounts written straight into the practice's table (no passwords: none sign in here)."""
    ids = [uuid.uuid4().hex for _ in range(count)]
    with transaction() as session:
        for number, account_id in enumerate(ids):
            name = f"{role}{number}-{account_id[:6]}"
            session.add(Account(id=account_id, username=name, display_name=name, role=role))
    return ids


def lines_of(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip()]


def test_upgrade_makes_every_persons_store_and_counts_them(practice: str) -> None:
    people = add_people(3)
    add_people(1, role="clinician")  # a clinician has no health data, so no store
    first = run_cli("db", "upgrade")
    assert first.exit_code == 0, first.stderr
    assert "People's stores: 3 in all, 3 updated, 0 already up to date, 0 failed." in first.stdout
    for account_id in people:
        store = store_of(account_id)
        assert revision_of(store.url, store.schema).state == "newest"
    again = run_cli("db", "upgrade")
    assert "3 in all, 0 updated, 3 already up to date, 0 failed." in again.stdout
    status = run_cli("db", "status")
    assert status.exit_code == 0, status.stderr
    assert lines_of(status.stdout)[1:] == [
        f"Revision: {newest_revision()} (newest: {newest_revision()})",
        "People's stores: 3 of 3 at the newest revision (0 older, 0 newer, 0 not made yet).",
    ]


def make_old_store(account_id: str, revision: str) -> None:
    """A person's store left at an earlier revision, holding one row, as an older kneecoach
    would have left it."""
    store = store_of(account_id)
    if store.schema is None:
        file = Path(store.url.removeprefix("sqlite:///"))
        file.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(store.url, poolclass=NullPool)
    else:
        plain = create_engine(store.url, poolclass=NullPool)
        with plain.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{store.schema}"')
        plain.dispose()
        engine = create_engine(db.schema_url(store.url, store.schema), poolclass=NullPool)
    try:
        command.upgrade(alembic_config(engine), revision)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO preferences (name, value, updated_at) "
                    "VALUES ('country', 'NZ', CURRENT_TIMESTAMP)"
                )
            )
    finally:
        engine.dispose()


def test_status_counts_older_and_missing_stores_and_upgrade_keeps_their_rows(
    practice: str,
) -> None:
    older, missing = add_people(2)
    make_old_store(older, "0010_session_effort")
    status = run_cli("db", "status")
    assert (
        "People's stores: 0 of 2 at the newest revision (1 older, 0 newer, 1 not made yet)."
        in status.stdout
    )
    assert revision_of(store_of(missing).url, store_of(missing).schema).state == "missing"

    result = run_cli("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    assert "2 in all, 2 updated, 0 already up to date, 0 failed." in result.stdout
    store = store_of(older)
    with db.session_scope(store.url, store.schema) as session:
        assert [(p.name, p.value) for p in session.query(Preference)] == [("country", "NZ")]
    assert "2 of 2 at the newest revision" in run_cli("db", "status").stdout


def test_a_store_from_a_newer_kneecoach_is_named_and_the_others_still_upgrade(
    practice: str,
) -> None:
    newer, fine = add_people(2)
    make_old_store(newer, newest_revision())
    store = store_of(newer)
    engine = create_engine(
        store.url if store.schema is None else db.schema_url(store.url, store.schema),
        poolclass=NullPool,
    )
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    result = run_cli("db", "upgrade")
    assert result.exit_code == 2
    assert "2 in all, 1 updated, 0 already up to date, 1 failed." in result.stdout
    assert f"error: store of account {newer}: the database" in result.stderr
    assert "newer kneecoach" in result.stderr and "Traceback" not in result.stderr
    assert revision_of(store_of(fine).url, store_of(fine).schema).state == "newest"
    assert "(0 older, 1 newer, 0 not made yet)" in run_cli("db", "status").stdout


def test_every_release_as_a_persons_sqlite_store_is_upgraded_keeping_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice_file = tmp_path / "practice" / "kneecoach.db"
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", f"sqlite:///{practice_file}")
    monkeypatch.setenv("KNEECOACH_MODE", "server")
    reset_settings()
    assert run_cli("db", "upgrade").exit_code == 0
    people = add_people(len(LISTING))
    before: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for account_id, entry in zip(people, LISTING, strict=True):
        file = Path(store_of(account_id).url.removeprefix("sqlite:///"))
        file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / entry["file"], file)
        engine = create_engine(f"sqlite:///{file}")
        before[account_id] = every_row(engine)
        engine.dispose()

    from alembic.script import ScriptDirectory

    from kneecoach.storage.migrate import alembic_config

    heads = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://"))).get_heads()
    newest = sum(entry["alembic_version"] == heads for entry in LISTING)  # the newest release's
    result = run_cli("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    updated = len(people) - newest
    assert f"{len(people)} in all, {updated} updated, {newest} already" in result.stdout
    db.dispose_engines()
    for account_id in people:
        check_upgraded(store_of(account_id).url, before[account_id])
    copies = sorted((practice_file.parent / "people" / "backups").glob("*-before-upgrade-*.db"))
    assert len(copies) == updated  # each file copied before it changed


def test_personal_mode_status_has_no_stores() -> None:
    assert run_cli("db", "upgrade").exit_code == 0
    status = run_cli("db", "status")
    assert status.exit_code == 0
    assert "People's stores" not in status.stdout
    assert f"Revision: {newest_revision()}" in status.stdout
