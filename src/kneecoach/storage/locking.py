"""Read-modify-write without lost updates, on SQLite and PostgreSQL.

A service that reads a row and writes it back calls `lock_for_write(session)` before reading,
then reads the row with `SELECT … FOR UPDATE` (SQLAlchemy's `with_for_update()`):

- SQLite has one writer at a time. pysqlite runs reads outside a transaction and opens a
  deferred one only at the first write, so two writers could both read the old row and then
  write one after the other, the second losing the first's change. `lock_for_write` starts the
  unit of work with `BEGIN IMMEDIATE` instead: it takes the write lock before the read (waiting
  up to the busy timeout set in storage/db.py), so the read sees the newest row and nobody
  writes until this unit of work commits. `FOR UPDATE` is left out by SQLite's dialect.
- PostgreSQL locks the row read with `FOR UPDATE` until the commit; a writer that reads it
  meanwhile waits and then reads the newer row. `lock_for_write` does nothing there.

A row not there yet cannot be locked: a first insert goes in a savepoint, and the writer that
finds its key taken by one committed meanwhile rolls the savepoint back and reads (and locks)
that row instead (`begin_nested`, `IntegrityError`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def lock_for_write(session: Session) -> None:
    """Make this unit of work SQLite's one writer from now on (no-op on PostgreSQL)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        # Nothing written yet in this unit of work (so no write lock held): take it now.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
