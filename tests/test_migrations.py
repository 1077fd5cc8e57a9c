"""Migrations and models tell the same story, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, create_engine, insert, inspect, select, text

import kneecoach.storage.models  # noqa: F401  (registers every table)
from kneecoach.settings import reset_settings
from kneecoach.storage import db
from kneecoach.storage.base import Base
from kneecoach.storage.migrate import (
    REWIRED,
    UnrepairableSchemaError,
    alembic_config,
    chain,
    current_revisions,
    head_revisions,
    repair_steps,
    upgrade_to_head,
)
from tests.cli_helpers import run_cli

# These tests migrate for themselves: no copy of the session's migrated template.
pytestmark = pytest.mark.fresh_database


def test_one_straight_line_of_migrations() -> None:
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}"
    assert len(script.get_bases()) == 1


def test_migrated_schema_matches_the_models(any_database: str) -> None:
    engine = create_engine(any_database)
    try:
        upgrade_to_head(engine)
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_nothing_and_back(any_database: str) -> None:
    engine = create_engine(any_database)
    try:
        config = alembic_config(engine)
        command.upgrade(config, "heads")
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        command.upgrade(config, "heads")
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_0007_adds_the_versions_keeping_rows_and_takes_them_away(any_database: str) -> None:
    engine = create_engine(any_database)
    try:
        config = alembic_config(engine)
        command.upgrade(config, "0006_preferences")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO checkins (day, pain, factors, recorded_at, updated_at) VALUES "
                    "('2026-03-01', 3, '{}', '2026-03-01 08:00:00', '2026-03-01 08:00:00')"
                )
            )
            for _ in range(2):
                connection.execute(
                    text(
                        "INSERT INTO plans (created_at, start_date, intake_spec, rules_version, "
                        "intake, plan) VALUES ('2026-03-01 08:00:00', '2026-03-01', "
                        "'kneecoach-intake/1', 'r', '{}', '{}')"
                    )
                )
        command.upgrade(config, "0007_versions")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version FROM checkins")).scalars().all() == [1]
            plans = connection.execute(text("SELECT version FROM plans ORDER BY id")).scalars()
            assert plans.all() == [1, 2]
        command.downgrade(config, "0006_preferences")
        for table in ("checkins", "plans"):
            assert "version" not in {c["name"] for c in inspect(engine).get_columns(table)}
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM plans")).scalar_one() == 2
        command.upgrade(config, "head")
    finally:
        engine.dispose()


# --- Upgrades from every release: the fixture databases (tests/fixtures/databases) ----------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "databases"
LISTING = json.loads((FIXTURES / "fixtures.json").read_text())
FUTURE = "0099_from_a_newer_kneecoach"


def schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def every_row(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows (but alembic_version), in primary-key order."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [
                dict(row._mapping)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for name, table in metadata.tables.items()
            if name != "alembic_version"
        }


def use_database(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", url)
    reset_settings()


def copy_fixture(name: str, folder: Path) -> str:
    target = folder / name
    shutil.copyfile(FIXTURES / name, target)
    return f"sqlite:///{target}"


def check_upgraded(url: str, before: dict[str, list[dict[str, Any]]]) -> None:
    """At head, every table of the models there and nothing else differing, and every row kept."""
    engine = create_engine(url)
    try:
        assert current_revisions(engine) == head_revisions(engine)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        assert schema_differences(engine) == []
        after = every_row(engine)
        for table, rows in before.items():
            assert len(after[table]) == len(rows), f"{table} lost or gained rows in the upgrade"
            kept = [
                {key: row[key] for key in old} for row, old in zip(after[table], rows, strict=True)
            ]
            assert kept == rows, f"{table} changed in the upgrade"
            added = {key for row in after[table] for key in row} - {k for r in rows for k in r}
            assert added <= ADDED_COLUMNS.get(table, set()), f"{table} gained {added}"
        checkins, plans = before.get("checkins", []), before.get("plans", [])
        if not any("version" in row for row in checkins):  # a database from before 0007
            assert [row["version"] for row in after.get("checkins", [])] == [1] * len(checkins)
        if not any("version" in row for row in plans):
            numbered = [row["version"] for row in after.get("plans", [])]
            assert numbered == list(range(1, len(plans) + 1))
    finally:
        engine.dispose()


ADDED_COLUMNS = {"checkins": {"version"}, "plans": {"version"}, "session_logs": {"effort"}}
"""Columns a later revision added to a table a fixture already had (0007: version numbers):
existing check-ins are version 1, existing plans are numbered in the order they were saved;
0010: each logged session's effort, NULL (not told) for sessions logged before."""


def test_the_fixture_listing_names_every_file() -> None:
    assert sorted(e["file"] for e in LISTING) == sorted(p.name for p in FIXTURES.glob("*.db"))


@pytest.mark.parametrize("fixture", [e["file"] for e in LISTING])
def test_db_upgrade_brings_every_release_to_head_keeping_the_data(
    fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_fixture(fixture, tmp_path)
    engine = create_engine(url)
    before = every_row(engine)
    engine.dispose()
    assert sum(len(rows) for rows in before.values()) > 0
    use_database(url, monkeypatch)
    result = run_cli("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    db.dispose_engines()
    check_upgraded(url, before)
    again = run_cli("db", "upgrade")
    assert again.exit_code == 0 and "(updated)" not in again.stdout
    exported = run_cli("export")
    assert exported.exit_code == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert len(document["checkins"]) == len(before.get("checkins", []))
    assert len(document["intakes"]) == len(before.get("intakes", []))


def test_plans_saved_before_versions_are_numbered_in_the_order_they_were_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_fixture("0006-preferences.db", tmp_path)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for _ in range(2):  # two later plans, copies of the first but for the id
                connection.exec_driver_sql(
                    "INSERT INTO plans (created_at, start_date, intake_spec, intake_version, "
                    "rules_version, intake, plan) SELECT created_at, start_date, intake_spec, "
                    "intake_version, rules_version, intake, plan FROM plans WHERE id = 1"
                )
    finally:
        engine.dispose()
    use_database(url, monkeypatch)
    assert run_cli("db", "upgrade").exit_code == 0
    db.dispose_engines()
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, version FROM plans ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(1, 1), (2, 2), (3, 3)]
    shown = json.loads(run_cli("plan", "show", "--format", "json").stdout)
    assert shown["version"] == 3


@pytest.mark.parametrize("fixture", ["0002-0004-branched.db", "after-broken-upgrade.db"])
def test_first_use_repairs_too(
    fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_database(copy_fixture(fixture, tmp_path), monkeypatch)
    result = run_cli("checkins", "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert run_cli("checkins", "factors", "add", "stairs").exit_code == 0


REPAIRS = {
    # alembic_version rows, tables of the rewired revisions present -> steps (None: no repair)
    "chained 0004, all there": ({"0004_shoes"}, {"0002", "0003", "0004"}, None),
    "head, all there": ({"0006_preferences"}, {"0002", "0003", "0004"}, None),
    "0001 only": ({"0001_outcomes"}, set(), None),
    "lone branched 0004": (
        {"0004_shoes"},
        {"0004"},
        ["s:0001", "u:0002", "u:0003", "s:0004"],
    ),
    "two heads": (
        {"0002_intakes", "0004_shoes"},
        {"0002", "0004"},
        ["s:0001", "s:0002", "u:0003", "s:0004"],
    ),
    "three heads": (
        {"0002_intakes", "0003_checkins", "0004_shoes"},
        {"0002", "0003", "0004"},
        ["s:0001", "s:0002", "s:0003", "s:0004"],
    ),
    "head after the broken upgrade": (
        {"0006_preferences"},
        {"0004"},
        ["s:0001", "u:0002", "u:0003", "s:0004", "s:0005", "s:0006"],
    ),
    "a repair cut short after 0002": (
        {"0002_intakes"},
        {"0002", "0004"},
        ["s:0001", "s:0002", "u:0003", "s:0004"],
    ),
}


@pytest.mark.parametrize("case", list(REPAIRS))
def test_the_repair_rule(case: str) -> None:
    order = [
        "0001_outcomes",
        "0002_intakes",
        "0003_checkins",
        "0004_shoes",
        "0005_plans",
        "0006_preferences",
    ]
    recorded, present, expected = REPAIRS[case]
    tables = {"questionnaire_responses"}
    for revision, made in REWIRED.items():
        if revision[:4] in present:
            tables |= made
    steps = [f"{a[0]}:{r[:4]}" for a, r in repair_steps(order, recorded, tables)]
    assert steps == (expected or [])


def test_half_a_revision_is_refused() -> None:
    tables = {"questionnaire_responses", "checkins"}
    with pytest.raises(UnrepairableSchemaError, match="0003_checkins"):
        repair_steps(["0001_outcomes", "0002_intakes", "0003_checkins"], {"0003_checkins"}, tables)


def test_the_rewired_revisions_create_exactly_the_tables_listed(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'steps.db'}")
    try:
        config = alembic_config(engine)
        seen: set[str] = set()
        for revision in chain(ScriptDirectory.from_config(config)):
            command.upgrade(config, revision)
            now = set(inspect(engine).get_table_names()) - {"alembic_version"}
            if revision in REWIRED:
                assert now - seen == REWIRED[revision]
            seen = now
    finally:
        engine.dispose()


def from_the_future(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
    finally:
        engine.dispose()


def test_a_newer_database_stops_every_command_in_one_line_but_export_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_fixture("0006-preferences.db", tmp_path)
    from_the_future(url)
    use_database(url, monkeypatch)
    for command_line in (("checkins", "list"), ("db", "upgrade"), ("plan", "show")):
        result = run_cli(*command_line)
        assert result.exit_code == 2, (command_line, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: KNEECOACH_DATABASE_URL: ")
        assert "newer kneecoach" in lines[0] and FUTURE in lines[0]
        assert "kneecoach export" in lines[0]
        assert "Traceback" not in result.stderr + result.stdout
    out = tmp_path / "everything.json"
    exported = run_cli("export", "--out", str(out))
    assert exported.exit_code == 0, exported.stderr
    document = json.loads(out.read_text())
    assert document["format"] == "kneecoach-tables/1"
    assert document["schema_revisions"] == [FUTURE]
    assert [row["day"] for row in document["tables"]["checkins"]] == [
        "2026-03-01",
        "2026-03-02",
        "2026-03-03",
    ]
    assert document["tables"]["intakes"][0]["answers"]["knee"]
    assert document["tables"]["preferences"][0]["value"] == "GB"
    engine = create_engine(url)
    try:
        assert current_revisions(engine) == {FUTURE}, "nothing was migrated"
    finally:
        engine.dispose()


def test_the_server_refuses_a_newer_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_fixture("0006-preferences.db", tmp_path)
    from_the_future(url)
    use_database(url, monkeypatch)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_cli("serve", "--port", str(port))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: KNEECOACH_DATABASE_URL: "), lines
    assert "newer kneecoach" in lines[0]
    assert "kneecoach is running" not in result.stdout


# --- The same graphs on PostgreSQL --------------------------------------------------------


def rebuild_on_postgres(fixture: dict[str, Any], url: str) -> None:
    """The fixture's schema, record and rows on PostgreSQL: today's migration files up to its
    newest revision (the old ones ran the same operations), minus the rewired revisions it
    never had, its own alembic_version rows, and its rows copied."""
    source = create_engine(f"sqlite:///{FIXTURES / fixture['file']}")
    engine = create_engine(url)
    try:
        config = alembic_config(engine)
        order = chain(ScriptDirectory.from_config(config))
        recorded = fixture["alembic_version"]
        command.upgrade(config, max(recorded, key=order.index))
        kept = set(inspect(source).get_table_names())
        with engine.begin() as connection:
            for made in REWIRED.values():
                for table in made - kept:
                    connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')
            connection.exec_driver_sql("DELETE FROM alembic_version")
            for revision in recorded:
                connection.execute(
                    text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision}
                )
            target = MetaData()
            target.reflect(connection)
            rows = every_row(source)
            for table in target.sorted_tables:
                if rows.get(table.name):
                    connection.execute(insert(table), rows[table.name])
    finally:
        source.dispose()
        engine.dispose()


@pytest.mark.parametrize(
    "fixture",
    [e for e in LISTING if e["file"] != "0001-outcomes.db"],
    ids=lambda e: e["file"],
)
def test_db_upgrade_on_postgres(
    fixture: dict[str, Any], postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuild_on_postgres(fixture, postgres_url)
    engine = create_engine(postgres_url)
    before = every_row(engine)
    assert set(inspect(engine).get_table_names()) - {"alembic_version"} == set(fixture["rows"])
    engine.dispose()
    result = run_cli("db", "upgrade")
    assert result.exit_code == 0, result.stderr
    db.dispose_engines()
    check_upgraded(postgres_url, before)


def test_a_newer_postgres_database_is_refused_and_exported(
    postgres_url: str, tmp_path: Path
) -> None:
    rebuild_on_postgres(
        next(e for e in LISTING if e["file"] == "0006-preferences.db"), postgres_url
    )
    from_the_future(postgres_url)
    result = run_cli("checkins", "list")
    assert result.exit_code == 2 and "newer kneecoach" in result.stderr
    out = tmp_path / "all.json"
    assert run_cli("export", "--out", str(out)).exit_code == 0
    document = json.loads(out.read_text())
    assert len(document["tables"]["checkins"]) == 3
    assert document["tables"]["intakes"][0]["answers"]["knee"]
