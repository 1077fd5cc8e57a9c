"""Migration 0006 adds the preferences table from any earlier revision, and takes it away."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from kneecoach.storage.migrate import alembic_config

# These tests migrate for themselves: no copy of the session's migrated template.
pytestmark = pytest.mark.fresh_database


def test_upgrade_from_each_earlier_revision_and_back(any_database: str) -> None:
    engine = create_engine(any_database)
    try:
        config = alembic_config(engine)
        script = ScriptDirectory.from_config(config)
        revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
        for earlier in revisions[: revisions.index("0006_preferences")]:
            command.upgrade(config, earlier)
            assert "preferences" not in inspect(engine).get_table_names()
            command.upgrade(config, "0006_preferences")
            columns = {c["name"] for c in inspect(engine).get_columns("preferences")}
            assert columns == {"name", "value", "updated_at"}
            command.downgrade(config, earlier)
        command.downgrade(config, "0005_plans")
        assert "preferences" not in inspect(engine).get_table_names()
        assert "plans" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
