"""Which schema revision each store is at, and bringing one store up to date on its own.

In server mode `kneecoach db upgrade` walks every person's store (storage/stores.py) after the
practice's database, and `kneecoach db status` counts how many are at the newest revision. A
store is read here without migrating it and without creating it: a person who never opened
kneecoach has no store yet, and asking about it makes none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from kneecoach.storage import db
from kneecoach.storage.migrate import alembic_config, chain, current_revisions

StoreState = Literal["newest", "older", "newer", "missing"]


@dataclass(frozen=True)
class Revision:
    """Where one store stands: its recorded revisions and what that means for this code."""

    revisions: frozenset[str]
    state: StoreState


def newest_revision() -> str:
    """The head of this code's one straight line of migrations."""
    engine = create_engine("sqlite://")
    try:
        return chain(ScriptDirectory.from_config(alembic_config(engine)))[-1]
    finally:
        engine.dispose()


def _reader(url: str, schema: str | None) -> Engine | None:
    """An engine that reads the store as it is, or None when the store does not exist yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or not Path(parsed.database).is_file():
            return None
        return create_engine(url, poolclass=NullPool)
    engine = create_engine(url, poolclass=NullPool, hide_parameters=True)
    if schema is None:
        return engine
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :name"),
            {"name": schema},
        ).first()
    engine.dispose()
    if found is None:
        return None
    return create_engine(db.schema_url(url, schema), poolclass=NullPool, hide_parameters=True)


def revision_of(url: str, schema: str | None = None) -> Revision:
    """The revision a store is at, read without migrating or creating anything."""
    engine = _reader(url, schema)
    if engine is None:
        return Revision(frozenset(), "missing")
    try:
        recorded = current_revisions(engine)
        order = chain(ScriptDirectory.from_config(alembic_config(engine)))
    finally:
        engine.dispose()
    if not recorded:
        return Revision(recorded, "missing")
    if recorded - set(order):
        return Revision(recorded, "newer")
    return Revision(recorded, "newest" if recorded == {order[-1]} else "older")


def upgrade_store(url: str, schema: str | None = None) -> bool:
    """Create or migrate one store, then let its engine go (a practice may have thousands of
    people: an upgrade run keeps no connection or file open per person). True when a migration
    ran. Raises `InputError` as `db.prepare` does (a newer or damaged store)."""
    applied = db.prepare(url, schema)
    db.forget_engine(url, schema)
    return applied
