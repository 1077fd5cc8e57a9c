"""Reading a store straight from the database: how many rows each table holds."""

from __future__ import annotations

from sqlalchemy import func, select

import kneecoach.storage.models  # noqa: F401  (every table is known)
from kneecoach.services.database import Store
from kneecoach.storage import db
from kneecoach.storage.base import Base


def row_counts(store: Store) -> dict[str, int]:
    """Every kneecoach table of the store and its number of rows."""
    with db.session_scope(store.url, store.schema) as session:
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


def non_empty(store: Store) -> dict[str, int]:
    return {name: count for name, count in row_counts(store).items() if count}
