"""A copy of an SQLite database file taken before a migration changes it.

`db upgrade` and `serve` migrate the database; when there is something to migrate, the file as
it was is copied first (SQLite's online backup, so a copy taken beside a running writer is
still whole), and the copy is the person's alone (0600).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from kneecoach.storage.migrate import alembic_config, chain, current_revisions


def needs_upgrade(database: Path) -> bool:
    """True when the SQLite file at `database` holds a schema this code would migrate: an older
    revision, or tables from before the record began. False for a missing or empty file, one
    already at the newest revision, and one made by a newer kneecoach (nothing will change)."""
    if not database.is_file() or database.stat().st_size == 0:
        return False
    engine = create_engine(f"sqlite:///{database}")
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables:
            return False
        order = chain(ScriptDirectory.from_config(alembic_config(engine)))
        current = current_revisions(engine)
        if current - set(order):
            return False
        return current != {order[-1]}
    finally:
        engine.dispose()


def copy_database(database: Path, target: Path) -> None:
    """Copy the SQLite file with SQLite's own backup (whole even beside a writer)."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(descriptor)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    target.chmod(0o600)
