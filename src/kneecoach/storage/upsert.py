"""Adding a row only if its key is free, in one statement on SQLite and PostgreSQL.

`INSERT … ON CONFLICT DO NOTHING` says in one round trip whether the row went in: no
savepoint to roll back to and no ORM object to build, which is what a first check-in of a
day needs (most writes are one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kneecoach.storage.base import Base


def insert_if_absent(
    session: Session, model: type[Base], values: Mapping[str, Any], key: Sequence[str]
) -> bool:
    """Insert the row unless one with the same `key` columns is there; True if it went in."""
    table: Table = model.__table__  # type: ignore[assignment]
    if session.get_bind().dialect.name == "postgresql":
        statement = postgresql.insert(table).values(dict(values))
        added = statement.on_conflict_do_nothing(index_elements=list(key)).returning(literal(1))
        return session.execute(added).first() is not None
    plain = (
        sqlite.insert(table).values(dict(values)).on_conflict_do_nothing(index_elements=list(key))
    )
    return bool(getattr(session.execute(plain), "rowcount", 0))
