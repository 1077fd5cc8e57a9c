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

Writers in one process (a server's threads) queue on a lock of their own before asking SQLite:
SQLite's busy handler waits in growing sleeps, so under ten writers some waited a second while
the lock had long been free. The queue lets the next writer in as soon as one commits. It
waits at most as long as SQLite would, then leaves the waiting to SQLite, so it can never hang.
"""

from __future__ import annotations

import threading
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

WAIT_SECONDS: Final = 15.0  # as SQLite's busy timeout (storage/db.py)
_WRITERS = threading.Lock()
_HOLDS = "kneecoach.holds_write_queue"


def lock_for_write(session: Session) -> None:
    """Make this unit of work SQLite's one writer from now on (no-op on PostgreSQL)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        # Nothing written yet in this unit of work (so no write lock held): take it now.
        if not session.info.get(_HOLDS) and _WRITERS.acquire(timeout=WAIT_SECONDS):
            session.info[_HOLDS] = True
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(Session, "after_transaction_end")
def _let_the_next_writer_in(session: Session, transaction: SessionTransaction, *_: Any) -> None:
    """The unit of work ended (committed, rolled back or closed): free the queue."""
    if transaction.parent is None and session.info.pop(_HOLDS, False):
        _WRITERS.release()
