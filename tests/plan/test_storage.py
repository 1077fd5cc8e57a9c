"""The 0005_plans migration creates exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from kneecoach.storage import db
from kneecoach.storage.base import Base
from kneecoach.storage.models import plans as _plans  # noqa: F401

OURS = {"plans", "session_logs"}


def test_migration_matches_the_models(any_database: str) -> None:
    db.prepare(any_database)
    engine = create_engine(any_database)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    ours = [d for d in diff if OURS & {getattr(x, "name", None) for x in _tables_in(d)}]
    assert ours == []


def _tables_in(change: object) -> list[object]:
    found = []
    items = change if isinstance(change, list) else [change]
    for item in items:
        for part in item if isinstance(item, tuple) else (item,):
            table = getattr(part, "table", None)
            if table is not None:
                found.append(table)
            if getattr(part, "name", None) in OURS:
                found.append(part)
    return found
