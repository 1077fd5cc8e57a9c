"""Where one person's health data lives.

In personal mode there is one store: the database itself. In server mode (a practice) every
person has a store of their own beside the practice's database, named by their account id:

- on PostgreSQL, a schema `kc_person_<id>` in the same database;
- on SQLite, a file `people/<id>.db` in the folder of the practice's file.

Each store is made and upgraded by the same migrations. A unit of work opens one store, so
code that reads "all the check-ins" reads one person's, whatever it forgot to filter: keeping
people apart does not rest on every query remembering a `WHERE`. Erasing a person is dropping
their store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy.engine import make_url

ACCOUNT_ID: Final = re.compile(r"^[0-9a-f]{32}$")
SCHEMA_PREFIX: Final = "kc_person_"


@dataclass(frozen=True)
class Store:
    """A database URL and, on PostgreSQL, the schema inside it (None: the database's own)."""

    url: str
    schema: str | None = None


def person_store(practice_url: str, account_id: str) -> Store:
    """The store of the person with this account id, beside the practice's database."""
    if not ACCOUNT_ID.match(account_id):
        raise ValueError(f"not an account id: {account_id!r}")
    parsed = make_url(practice_url)
    if parsed.get_backend_name() != "sqlite":
        return Store(practice_url, f"{SCHEMA_PREFIX}{account_id}")
    if not parsed.database or parsed.database == ":memory:":
        raise ValueError("a practice on SQLite needs a database file, not memory")
    folder = Path(parsed.database).parent / "people"
    return Store(parsed.set(database=str(folder / f"{account_id}.db")).render_as_string(False))


def sqlite_files(store: Store) -> tuple[Path, ...]:
    """The files an SQLite store is made of (the database, its WAL and shared memory)."""
    parsed = make_url(store.url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return ()
    base = Path(parsed.database)
    return (base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm"))
