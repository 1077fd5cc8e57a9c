"""Alembic environment: uses the engine kneecoach hands over (see storage.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import kneecoach.storage.models  # noqa: F401  (registers every table)
from kneecoach.storage.base import Base

engine = context.config.attributes["engine"]
assert isinstance(engine, Engine)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    context.run_migrations()
