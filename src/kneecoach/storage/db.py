"""Engines and sessions: one unit of work per user action, schema brought to the newest on first use."""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
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


def leave_no_remains(url: str, schema: str | None = None) -> None:
    """After an erase: nothing deleted may stay readable on disk. SQLite copies the WAL back
    and truncates it, then VACUUM rebuilds the file without free pages; PostgreSQL's VACUUM
    frees the dead rows' space (of one person's schema only, when `schema` names it)."""
    engine = engine_for(url, schema)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("VACUUM")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif schema is None:
            connection.exec_driver_sql("VACUUM")
        else:
            quote = engine.dialect.identifier_preparer.quote
            tables = connection.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = %(schema)s",
                {"schema": schema},
            ).scalars()
            for table in list(tables):
                connection.exec_driver_sql(f"VACUUM {quote(schema)}.{quote(table)}")


def drop_store(url: str, schema: str | None = None) -> None:
    """Remove one person's store for good: on PostgreSQL drop their schema and VACUUM (the
    space of its rows is freed; WAL files and backups keep them until rotated); on SQLite
    delete the store's files, after writing zeros over them so no page stays on the disk's
    free blocks through this file system's view."""
    from kneecoach.storage.stores import Store, sqlite_files

    key = engine_key(url, schema)
    engine = _ENGINES.pop(key, None)
    if engine is not None:
        engine.dispose()
    if make_url(url).get_backend_name() == "sqlite":
        for file in sqlite_files(Store(url, schema)):
            if file.exists():
                size = file.stat().st_size
                with file.open("r+b") as handle:
                    handle.write(b"\0" * size)
                    handle.flush()
                    os.fsync(handle.fileno())
                file.unlink()
        return
    if schema is None:
        raise ValueError("only a person's schema can be dropped, never the whole database")
    plain = engine_for(url)
    with plain.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.exec_driver_sql("VACUUM")


def forget_engine(url: str, schema: str | None = None) -> None:
    """Close one store's engine and forget it; the next use builds (and checks) it again."""
    engine = _ENGINES.pop(engine_key(url, schema), None)
    if engine is not None:
        engine.dispose()


def engine_key(url: str, schema: str | None = None) -> str:
    """Engines are kept per database and, on PostgreSQL, per schema (one per person's store)."""
    return url if schema is None else f"{url}#{schema}"


def engine_for(url: str, schema: str | None = None) -> Engine:
    """One engine per store, migrated to the newest schema; kept for the life of the process
    (a person's PostgreSQL store: while it is among the most recently used)."""
    key = engine_key(url, schema)
    while (engine := _ENGINES.get(key)) is None:
        with _PREPARING:  # one thread of this process at a time makes a store's engine
            if key not in _ENGINES:
                prepare(url, schema)
    if schema is not None:
        _note_use(key)
    return engine


SCHEMA_ENGINES_KEPT: Final = 16
"""How many people's PostgreSQL stores a worker keeps an engine (and one idle connection) for.
A practice with more people than this opens the others again when they come back: the
connections stay well under the server's limit (100 by default) with several workers."""
_RECENT: OrderedDict[str, None] = OrderedDict()


def _note_use(key: str) -> None:
    """Mark a person's store as just used, and let the least recently used ones go."""
    _RECENT[key] = None
    with contextlib.suppress(KeyError):  # another thread may have let it go meanwhile
        _RECENT.move_to_end(key)
    while len(_RECENT) > SCHEMA_ENGINES_KEPT:
        try:
            oldest = next(iter(_RECENT))
            del _RECENT[oldest]
        except (StopIteration, KeyError, RuntimeError):  # changed by another thread: next time
            break
        engine = _ENGINES.pop(oldest, None)
        if engine is not None:  # sessions still using it keep their connection until they end
            engine.dispose()  # closes its idle connection; one in use closes when returned


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


def _schema_engine(url: str, schema: str) -> Engine:
    """An engine whose connections see one PostgreSQL schema (a person's store) first.

    A small pool (one idle connection), and only for the most recently used stores
    (`SCHEMA_ENGINES_KEPT`): a practice has many people and each would otherwise keep idle
    connections open in every worker, soon past the server's limit, while opening a new
    connection for every request cost a person's writes about a third of their speed under
    load. `prepare` makes the schema when it is new.

    The schema goes into the engine's URL (`?options=-csearch_path=…`, which psycopg passes to
    the server), so each store's engine has a URL of its own: what a worker keeps per database
    URL (services/safety_stop.py, services/signal_walks.py) is then kept per person."""
    return create_engine(
        schema_url(url, schema), pool_size=1, max_overflow=8, pool_recycle=600, hide_parameters=True
    )


def schema_url(url: str, schema: str) -> URL:
    """`url` with connections that see `schema` first (a person's store on PostgreSQL)."""
    return make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})


MIGRATE_LOCK = ".kneecoach-migrate.lock"
"""An empty file beside SQLite databases: whoever holds its lock is migrating one of them."""


@contextmanager
def _one_migrator(engine: Engine, key: str) -> Iterator[None]:
    """Several app processes (or threads) starting together against one new database migrate
    one at a time: the others wait, then find the schema up to date.

    On PostgreSQL an advisory lock per store. On SQLite the database's own write lock is not
    enough (Alembic reads the schema before its first write, so two migrators both see an empty
    file and the second fails on a table the first made): an exclusive `flock` on an empty file
    beside the databases, one per folder. It never touches the database file itself, whose
    POSIX locks SQLite keeps and closing another handle on it would drop."""
    if engine.dialect.name == "sqlite":
        with _folder_lock(engine.url.database):
            yield
        return
    if engine.dialect.name != "postgresql":
        yield
        return
    import zlib

    lock = zlib.crc32(f"kneecoach-migrate:{key}".encode())
    with engine.connect() as connection:
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({lock})")
        try:
            yield
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({lock})")


@contextmanager
def _folder_lock(database: str | None) -> Iterator[None]:
    """Hold the migration lock of the folder of an SQLite file (none for memory)."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: one process at a time is up to the person
        yield
        return
    if not database or database == ":memory:":
        yield
        return
    descriptor = os.open(Path(database).parent / MIGRATE_LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing lets the lock go


def prepare(url: str, schema: str | None = None) -> bool:
    """Create the engine for `url` (and `schema`, a person's store on PostgreSQL) and migrate
    it; True when a migration ran."""
    key = engine_key(url, schema)
    if key in _ENGINES:
        return False
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if schema is not None:
                raise ValueError("an SQLite database has no schemas: a store is a file of its own")
            if parsed.database and parsed.database != ":memory:":
                create_private_file(Path(parsed.database))
            engine = create_engine(
                url, connect_args={"check_same_thread": False}, hide_parameters=True
            )
            event.listen(engine, "connect", _enable_sqlite_wal)
        elif schema is not None:
            engine = _schema_engine(url, schema)
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
        with _one_migrator(engine, key):
            if key in _ENGINES:  # another thread of this process made it while this one waited
                engine.dispose()
                return False
            if schema is not None:  # its name comes from storage/stores.py, never from input
                with engine.begin() as connection:
                    connection.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            applied = upgrade_to_head(engine)
            _ENGINES[key] = engine  # before the lock goes: a thread waiting on it uses this one
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
    _RECENT.clear()


class _LazySession(Session):
    """A session that opens (and on first use creates and migrates) its database only when it
    first runs a statement: a command that never reads or writes creates no database file."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        super().__init__(expire_on_commit=False)
        self._url = url
        self._schema = schema

    def get_bind(self, *args: Any, **kwargs: Any) -> Engine:
        return engine_for(self._url, self._schema)


@contextmanager
def session_scope(url: str, schema: str | None = None) -> Iterator[Session]:
    """One unit of work: everything done in the session commits together or not at all."""
    session = _LazySession(url, schema)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
