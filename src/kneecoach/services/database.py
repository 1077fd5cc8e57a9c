"""The database behind every service: from settings, migrated on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kneecoach.settings import get_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kneecoach.storage.stores import Store

__all__ = [
    "Session",
    "Store",
    "backup_before_upgrade",
    "database_exists",
    "database_url",
    "describe_database",
    "migrate_database",
    "transaction",
]
"""`Session` is re-exported: interfaces name the type of the session they pass down without
importing SQLAlchemy themselves."""


def __getattr__(name: str) -> Any:
    """`Session` loads SQLAlchemy only when an interface first asks for it, so a command that
    needs no database (`kneecoach triage --answers F` before any data) never imports it."""
    if name == "Session":
        from sqlalchemy.orm import Session

        return Session
    if name == "Store":
        from kneecoach.storage.stores import Store

        return Store
    raise AttributeError(name)


def database_url() -> str:
    return get_settings().resolved_database_url


@contextmanager
def transaction(store: Store | None = None) -> Iterator[Session]:
    """One unit of work against one store: commits when the block ends, rolls back when it
    raises. Only interfaces open one (a CLI command, a web request's dependency); services take
    the session it yields (`*, session: Session`) and never commit.

    No store: the configured database itself (personal mode's one person, or in server mode
    the practice's accounts). A person's store in server mode comes from `store_of`."""
    from kneecoach.storage import db
    from kneecoach.storage.stores import Store

    target = store or Store(database_url())
    with db.session_scope(target.url, target.schema) as session:
        yield session


def store_of(account_id: str) -> Store:
    """The store that holds this person's health data in server mode."""
    from kneecoach.storage.stores import person_store

    return person_store(database_url(), account_id)


def is_server_mode() -> bool:
    return get_settings().is_server


def sqlite_file() -> Path | None:
    """The SQLite file of the configured database; None for a server database or memory.
    Read from the URL's text, so asking loads no database code."""
    scheme, _, rest = database_url().partition("://")
    if scheme.split("+")[0] != "sqlite":
        return None
    path = rest[1:].split("?")[0] if rest.startswith("/") else ""
    return None if path in ("", ":memory:") else Path(path)


def database_exists() -> bool:
    """False only for an SQLite file not yet created; a server database is taken as there."""
    if not database_url().startswith("sqlite"):
        return True
    file = sqlite_file()
    return file is None or file.exists()


def migrate_database() -> bool:
    """Create or upgrade the schema; True when a migration ran."""
    from kneecoach.storage import db

    return db.prepare(database_url())


def describe_database() -> str:
    """The database location without any password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(database_url()).render_as_string(hide_password=True)


def backup_before_upgrade() -> Path | None:
    """Before a migration changes an SQLite database, copy the file as it is into a `backups`
    folder beside it; returns where the copy went, or None when there is nothing to migrate
    (or the database is not an SQLite file)."""
    from datetime import UTC, datetime

    from kneecoach.storage.safety_copy import copy_database, needs_upgrade

    file = sqlite_file()
    if file is None or not needs_upgrade(file):
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = file.parent / "backups" / f"{file.stem}-before-upgrade-{stamp}.db"
    copy_database(file, target)
    return target
