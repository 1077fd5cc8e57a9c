"""Server mode keeps each person's health data in a store of their own (storage/stores.py):
a PostgreSQL schema or an SQLite file beside the practice's database. What one person writes
is not in another's store, and dropping a store leaves none of its rows."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import inspect, select, text

from kneecoach.services.database import Store, transaction
from kneecoach.storage import db
from kneecoach.storage.models.preferences import Preference
from kneecoach.storage.stores import person_store, sqlite_files

pytestmark = pytest.mark.fresh_database


def _write_country(store: Store, value: str) -> None:
    with db.session_scope(store.url, store.schema) as session:
        session.add(Preference(name="country", value=value))


def _countries(store: Store) -> list[str]:
    with db.session_scope(store.url, store.schema) as session:
        return list(session.scalars(select(Preference.value)))


def test_each_person_has_a_store_the_others_cannot_see(any_database: str) -> None:
    anna, ben = uuid.uuid4().hex, uuid.uuid4().hex
    first, second = person_store(any_database, anna), person_store(any_database, ben)
    _write_country(first, "GB")
    _write_country(second, "IE")
    assert _countries(first) == ["GB"]
    assert _countries(second) == ["IE"]
    with transaction(Store(any_database)) as practice:  # the practice's own tables hold none
        assert list(practice.scalars(select(Preference.value))) == []
    engine = db.engine_for(first.url, first.schema)
    assert "accounts" in inspect(engine).get_table_names()  # same migrations, to the newest


def test_dropping_a_store_leaves_nothing(any_database: str) -> None:
    gone, kept = (
        person_store(any_database, uuid.uuid4().hex),
        person_store(any_database, uuid.uuid4().hex),
    )
    _write_country(gone, "GB")
    _write_country(kept, "IE")
    db.drop_store(gone.url, gone.schema)
    if gone.schema is None:
        assert not any(file.exists() for file in sqlite_files(gone))
    else:
        with db.engine_for(any_database).connect() as connection:
            schemas = connection.execute(
                text("SELECT schema_name FROM information_schema.schemata")
            ).scalars()
            assert gone.schema not in set(schemas)
    assert _countries(kept) == ["IE"]


def test_a_store_name_never_comes_from_input() -> None:
    with pytest.raises(ValueError, match="not an account id"):
        person_store("postgresql+psycopg://x@127.0.0.1/db", 'x"; DROP SCHEMA public; --')
    with pytest.raises(ValueError, match="not an account id"):
        person_store("sqlite:////tmp/k/kneecoach.db", "../../etc/passwd")


def test_sqlite_people_live_beside_the_practice_file() -> None:
    store = person_store("sqlite:////srv/kc/kneecoach.db", "a" * 32)
    assert store == Store(f"sqlite:////srv/kc/people/{'a' * 32}.db")
