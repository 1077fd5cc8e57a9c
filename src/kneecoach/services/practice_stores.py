"""Looking after every person's store in server mode: upgrading them all, and counting them.

A practice's database holds the accounts; each person's health data is a store of their own
(storage/stores.py) made by the same migrations. `kneecoach db upgrade` upgrades the practice's
database first, then every person's store, one at a time, so a failure in one store names that
person's account and leaves the others done. Only accounts with the role "person" have a store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kneecoach.core.errors import InputError
from kneecoach.services.database import database_url, store_of, transaction

Outcome = Literal["upgraded", "newest", "failed"]


@dataclass(frozen=True)
class StoreUpgrade:
    """What happened to one person's store."""

    account_id: str
    outcome: Outcome
    copy: Path | None = None  # where an SQLite store was copied before it changed
    problem: str | None = None  # why it failed, in one line


@dataclass(frozen=True)
class StoresCount:
    """How many people's stores are at the newest revision, behind it, newer, or not made."""

    newest: int
    older: int
    newer: int
    missing: int

    @property
    def total(self) -> int:
        return self.newest + self.older + self.newer + self.missing


@dataclass(frozen=True)
class PracticeStatus:
    where: str
    revision: str | None  # None: the database is not made yet
    newest_revision: str
    stores: StoresCount | None  # None in personal mode


def person_ids() -> list[str]:
    """The account ids of every person (whose data has a store), oldest account first."""
    from sqlalchemy import select

    from kneecoach.storage.models.accounts import Account

    with transaction() as session:
        query = select(Account.id).where(Account.role == "person")
        return list(session.scalars(query.order_by(Account.created_at, Account.id)))


def upgrade_stores(account_ids: list[str]) -> Iterator[StoreUpgrade]:
    """Create or upgrade each person's store in turn, yielding each result as it is done."""
    from kneecoach.storage.store_status import upgrade_store

    for account_id in account_ids:
        store = store_of(account_id)
        try:
            copy = _copy_before_upgrade(store.url)
            applied = upgrade_store(store.url, store.schema)
        except InputError as error:
            yield StoreUpgrade(account_id, "failed", problem=error.problem)
            continue
        yield StoreUpgrade(account_id, "upgraded" if applied else "newest", copy)


def _copy_before_upgrade(url: str) -> Path | None:
    """Before a migration changes a person's SQLite file, copy it beside the others' copies
    (`people/backups/`), as `kneecoach db upgrade` does for the practice's own file."""
    from datetime import UTC, datetime

    from sqlalchemy.engine import make_url

    from kneecoach.storage.safety_copy import copy_database, needs_upgrade

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    file = Path(parsed.database)
    if not needs_upgrade(file):
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = file.parent / "backups" / f"{file.stem}-before-upgrade-{stamp}.db"
    copy_database(file, target)
    return target


def practice_status(server_mode: bool) -> PracticeStatus:
    """The practice database's revision and, in server mode, how many stores are up to date.
    Reads only: nothing is created or migrated."""
    from sqlalchemy.engine import make_url

    from kneecoach.storage.store_status import newest_revision, revision_of

    url = database_url()
    where = make_url(url).render_as_string(hide_password=True)
    practice = revision_of(url)
    revision = ", ".join(sorted(practice.revisions)) or None
    if not server_mode:
        return PracticeStatus(where, revision, newest_revision(), None)
    if practice.state != "newest":  # the accounts are read once the practice is up to date
        return PracticeStatus(where, revision, newest_revision(), None)
    counts = {"newest": 0, "older": 0, "newer": 0, "missing": 0}
    for account_id in person_ids():
        store = store_of(account_id)
        counts[revision_of(store.url, store.schema).state] += 1
    return PracticeStatus(where, revision, newest_revision(), StoresCount(**counts))
