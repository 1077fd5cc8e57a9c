"""Engines and sessions: one unit of work per user action, schema brought to the newest on first use."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from kneecoach.core.errors import EXPORT_DATA, InputError

URL_SETTING = "KNEECOACH_DATABASE_URL"

_ENGINES: dict[str, Engine] = {}
_PREPARING = threading.RLock()
"""Two threads using a new URL at once (a request and the web app's job worker) must not both
migrate it: the second waits, then finds the engine made."""


class NewerDatabaseError(InputError):
    """The database records schema revisions this code does not know: a newer kneecoach made
    it. Nothing was migrated; reading its tables without migrating still works (the export)."""

    def __init__(self, where: str, revisions: tuple[str, ...]) -> None:
        super().__init__(
            URL_SETTING,
            f"the database {where} was made by a newer kneecoach (schema revision "
            f"{', '.join(revisions)}, unknown to this version); nothing was changed. Install "
            "that version or newer",
            hint=EXPORT_DATA,
        )
        self.revisions = revisions


def _enable_sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    """WAL for readers beside a writer; a busy timeout so a second writer waits its turn
    instead of failing with "database is locked"; secure_delete so deleted rows are
    overwritten, not left readable in free pages."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def leave_no_remains(url: str) -> None:
    """After an erase: nothing deleted may stay readable on disk. SQLite copies the WAL back
    and truncates it, then VACUUM rebuilds the file without free pages; PostgreSQL's VACUUM
    frees the dead rows' space."""
    engine = engine_for(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("VACUUM")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            connection.exec_driver_sql("VACUUM")


def engine_for(url: str) -> Engine:
    """One engine per URL for the life of the process, migrated to the newest schema."""
    if url not in _ENGINES:
        with _PREPARING:
            if url not in _ENGINES:
                prepare(url)
    return _ENGINES[url]


def create_private_file(database: Path) -> None:
    """A new data folder is the person's alone (0700), and a new database file too (0600):
    other accounts on the machine cannot read a knee diary. SQLite gives its WAL and shared
    memory files the database file's permissions. Existing files keep theirs."""
    folder = database.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
        database.chmod(0o600)


def prepare(url: str) -> bool:
    """Create the engine for `url` and migrate it; True when a migration ran."""
    if url in _ENGINES:
        return False
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                create_private_file(Path(parsed.database))
            engine = create_engine(
                url, connect_args={"check_same_thread": False}, hide_parameters=True
            )
            event.listen(engine, "connect", _enable_sqlite_wal)
        else:
            engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise InputError(
            URL_SETTING, f"is not a database URL kneecoach can use ({error})"
        ) from None
    except OSError as error:
        raise InputError(URL_SETTING, f"cannot create the database folder ({error})") from None
    from kneecoach.storage.migrate import (
        UnknownRevisionsError,
        UnrepairableSchemaError,
        upgrade_to_head,
    )

    where = parsed.render_as_string(hide_password=True)
    try:
        applied = upgrade_to_head(engine)
    except OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise InputError(URL_SETTING, f"cannot open the database {where}: {reason}") from None
    except UnknownRevisionsError as error:
        engine.dispose()
        raise NewerDatabaseError(where, error.revisions) from None
    except UnrepairableSchemaError as error:
        engine.dispose()
        raise InputError(
            URL_SETTING,
            f"the database {where} matches no kneecoach release: revision {error.revision} "
            f"has only some of its tables (missing {', '.join(error.missing)}); nothing was "
            "changed. Your data can still be exported",
            hint=EXPORT_DATA,
        ) from None
    _ENGINES[url] = engine
    return applied


def unmigrated_engine(url: str) -> Engine:
    """An engine that reads the database as it is: no migration, no schema check, no new file,
    no pragmas.
    For the export of a database this code cannot migrate (`NewerDatabaseError`). The caller
    disposes of it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            if not Path(parsed.database).exists():
                raise InputError(URL_SETTING, f"there is no database at {parsed.database}")
            return create_engine(
                url, connect_args={"check_same_thread": False}, hide_parameters=True
            )
        return create_engine(url, hide_parameters=True)
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def dispose_engines() -> None:
    """Dispose of every engine made so far (closing its pooled connections) and forget them all.

    The next `engine_for(url)` builds a new engine and checks the migrations again. Only the
    tests call this, to start from a fresh database; the CLI and the server never do.
    """
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


class _LazySession(Session):
    """A session that opens (and on first use creates and migrates) its database only when it
    first runs a statement: a command that never reads or writes creates no database file."""

    def __init__(self, url: str) -> None:
        super().__init__(expire_on_commit=False)
        self._url = url

    def get_bind(self, *args: Any, **kwargs: Any) -> Engine:
        return engine_for(self._url)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """One unit of work: everything done in the session commits together or not at all."""
    session = _LazySession(url)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
