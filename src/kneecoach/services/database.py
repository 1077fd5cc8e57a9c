"""The database behind every service: from settings, migrated on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kneecoach.settings import get_settings
from kneecoach.storage import db

__all__ = [
    "Session",
    "database_exists",
    "database_url",
    "describe_database",
    "migrate_database",
    "transaction",
]
"""`Session` is re-exported: interfaces name the type of the session they pass down without
importing SQLAlchemy themselves."""


def database_url() -> str:
    return get_settings().resolved_database_url


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work against the configured database: commits when the block ends, rolls
    back when it raises. Only interfaces open one (a CLI command, a web request's dependency);
    services take the session it yields (`*, session: Session`) and never commit."""
    with db.session_scope(database_url()) as session:
        yield session


def database_exists() -> bool:
    """False only for an SQLite file not yet created; a server database is taken as there."""
    url = make_url(database_url())
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return True
    return Path(url.database).exists()


def migrate_database() -> bool:
    """Create or upgrade the schema; True when a migration ran."""
    return db.prepare(database_url())


def describe_database() -> str:
    """The database location without any password, for messages."""
    return make_url(database_url()).render_as_string(hide_password=True)
