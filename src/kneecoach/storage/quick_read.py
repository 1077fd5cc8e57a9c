"""One stored preference read straight from an SQLite file, without the ORM or a migration check.

Commands that only check an answers file (`kneecoach triage --answers F`) need one value from
the database: the person's country. Loading SQLAlchemy and Alembic for that would make them
several times slower to start than `--help`. The file is opened read-only, so nothing is
created, locked for writing or upgraded; any problem (no table yet, a locked or broken file)
reads as "no value", and the full commands deal with it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote


def sqlite_preference(database: Path, name: str) -> str | None:
    if not database.is_file():
        return None
    uri = f"file:{quote(str(database.resolve()))}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        row = connection.execute("SELECT value FROM preferences WHERE name = ?", (name,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return str(row[0]) if row else None
