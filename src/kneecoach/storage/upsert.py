"""Adding a row only if its key is free, in one statement on SQLite and PostgreSQL.

`INSERT … ON CONFLICT DO NOTHING` says in one round trip whether the row went in: no
savepoint to roll back to and no ORM object to build, which is what a first check-in of a
day needs (most writes are one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Insert, Table, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kneecoach.storage.base import Base


def insert_if_absent(
    session: Session, model: type[Base], values: Mapping[str, Any], key: Sequence[str]
) -> bool:
    """Insert the row unless one with the same `key` columns is there; True if it went in."""
    table: Table = model.__table__  # type: ignore[assignment]
    dialect = session.get_bind().dialect.name
    result = session.execute(_insert_unless_taken(table, dialect, tuple(key)), dict(values))
    if dialect == "postgresql":
        return result.first() is not None
    return bool(getattr(result, "rowcount", 0))


@cache
def _insert_unless_taken(table: Table, dialect: str, key: tuple[str, ...]) -> Insert:
    """The statement, built once per table: the row's values go in as parameters, so a write
    does not build (and key for SQLAlchemy's cache) a statement of every column each time."""
    if dialect == "postgresql":
        added = postgresql.insert(table).on_conflict_do_nothing(index_elements=list(key))
        return added.returning(literal(1))
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(key))
