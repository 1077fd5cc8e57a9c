"""Migrations and models tell the same story, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

import kneecoach.storage.models  # noqa: F401  (registers every table)
from kneecoach.storage.base import Base
from kneecoach.storage.migrate import alembic_config, upgrade_to_head

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
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
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
