"""Migration 0008 adds the course and goal tables keeping every row there, and takes them away."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from kneecoach.storage.migrate import alembic_config

# These tests migrate for themselves: no copy of the session's migrated template.
pytestmark = pytest.mark.fresh_database

OURS = {"course_progress", "goals", "goal_reviews"}


def test_0008_adds_the_course_tables_and_takes_them_away(any_database: str) -> None:
    engine = create_engine(any_database)
    try:
        config = alembic_config(engine)
        command.upgrade(config, "0007_versions")
        assert not OURS & set(inspect(engine).get_table_names())
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO checkins (day, pain, factors, recorded_at, updated_at, version) "
                    "VALUES ('2026-03-01', 3, '{}', '2026-03-01 08:00:00', "
                    "'2026-03-01 08:00:00', 1)"
                )
            )
        command.upgrade(config, "0008_course")
        assert set(inspect(engine).get_table_names()) >= OURS
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO goals (number, what, how_much, by_when, first_step, set_on, "
                    "created_at) VALUES (1, 'walk', '30 min', '2026-06-01', 'walk 10 min', "
                    "'2026-03-01', '2026-03-01 08:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO goal_reviews (goal_id, week, reviewed_on, step, rating, "
                    "next_step, recorded_at, updated_at) VALUES (1, 2, '2026-03-08', "
                    "'walk 10 min', 4, 'walk 15 min', '2026-03-08 08:00:00', "
                    "'2026-03-08 08:00:00')"
                )
            )
        command.downgrade(config, "0007_versions")
        assert not OURS & set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM checkins")).scalar_one() == 1
        command.upgrade(config, "head")
    finally:
        engine.dispose()
