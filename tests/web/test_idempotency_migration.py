"""Migration 0009 adds the idempotency keys table keeping every row there, refuses a second
row with one key, and takes the table away again (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from kneecoach.storage.migrate import alembic_config

# These tests migrate for themselves: no copy of the session's migrated template.
pytestmark = pytest.mark.fresh_database

KEY_ROW = text(
    "INSERT INTO idempotency_keys (key, route, request_hash, response_status, response_body, "
    "created_at) VALUES ('k-0000-0001', 'POST /api/v1/checkins', 'abc', 201, '{}', "
    "'2026-03-01 08:00:00')"
)


def test_0009_adds_the_keys_table_and_takes_it_away(any_database: str) -> None:
    engine = create_engine(any_database)
    try:
        config = alembic_config(engine)
        command.upgrade(config, "0008_course")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO checkins (day, pain, factors, recorded_at, updated_at, version) "
                    "VALUES ('2026-03-01', 3, '{}', '2026-03-01 08:00:00', "
                    "'2026-03-01 08:00:00', 1)"
                )
            )
        command.upgrade(config, "0009_idempotency")
        assert "idempotency_keys" in inspect(engine).get_table_names()
        with engine.begin() as connection:
            connection.execute(KEY_ROW)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(KEY_ROW)  # one row per key
        command.downgrade(config, "0008_course")
        assert "idempotency_keys" not in inspect(engine).get_table_names()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM checkins")).scalar_one() == 1
        command.upgrade(config, "head")
    finally:
        engine.dispose()
