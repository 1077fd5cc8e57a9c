"""Engines and sessions: one unit of work per user action, schema brought to the newest on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from kneecoach.core.errors import InputError

URL_SETTING = "KNEECOACH_DATABASE_URL"

_ENGINES: dict[str, Engine] = {}


def _enable_sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def engine_for(url: str) -> Engine:
    """One engine per URL for the life of the process, migrated to the newest schema."""
    if url not in _ENGINES:
        prepare(url)
    return _ENGINES[url]


def prepare(url: str) -> bool:
    """Create the engine for `url` and migrate it; True when a migration ran."""
    if url in _ENGINES:
        return False
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _enable_sqlite_wal)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise InputError(
            URL_SETTING, f"is not a database URL kneecoach can use ({error})"
        ) from None
    except OSError as error:
        raise InputError(URL_SETTING, f"cannot create the database folder ({error})") from None
    from kneecoach.storage.migrate import upgrade_to_head

    try:
        applied = upgrade_to_head(engine)
    except OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        where = parsed.render_as_string(hide_password=True)
        raise InputError(URL_SETTING, f"cannot open the database {where}: {reason}") from None
    _ENGINES[url] = engine
    return applied


def dispose_engines() -> None:
    """Close every pooled connection (tests and servers call this on shutdown)."""
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
