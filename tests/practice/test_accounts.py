"""The account rules and the password hashes: argon2id with the library's parameters, a hash
made with weaker ones replaced at the next sign-in, and the audit a person reads."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from kneecoach.core.accounts import (
    check_display_name,
    check_password,
    check_username,
)
from kneecoach.core.errors import InputError
from kneecoach.services import accounts, audit
from kneecoach.services.database import store_of, transaction
from kneecoach.storage.models.accounts import Account
from tests.practice import PASSWORD, make_admin, make_clinician, make_person


@pytest.mark.parametrize(
    ("raw", "stored"), [(" Anna.Smith ", "anna.smith"), ("dr_cole-2", "dr_cole-2"), ("abc", "abc")]
)
def test_user_names_are_kept_in_lower_case(raw: str, stored: str) -> None:
    assert check_username(raw) == stored


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "is empty"),
        ("ab", "must be 3 to 64 characters long, not 2"),
        ("a" * 65, "must be 3 to 64 characters long, not 65"),
        ("anna smith", "may hold only letters"),
        ("anna@example.org", "may hold only letters"),
        ("ånna", "may hold only letters"),
    ],
)
def test_bad_user_names_say_why(raw: str, problem: str) -> None:
    with pytest.raises(InputError) as error:
        check_username(raw)
    assert error.value.field == "username"
    assert problem in error.value.problem


def test_display_names_and_passwords() -> None:
    assert check_display_name("  Dr Sam Cole ") == "Dr Sam Cole"
    for bad in ("", "x" * 121, "Anna\nSmith"):
        with pytest.raises(InputError) as error:
            check_display_name(bad)
        assert error.value.field == "display_name"
    assert check_password("no rules about capitals", "anna") == "no rules about capitals"
    for bad in ("eleven char", "............", "Anna.Smith.1", "x" * 1025):
        with pytest.raises(InputError) as error:
            check_password(bad, "anna.smith.1")
        assert error.value.field == "password"


def test_passwords_are_argon2id_hashes_with_the_recommended_parameters(database: str) -> None:
    anna = make_person("anna")
    with transaction() as session:
        row = session.get(Account, anna.id)
        assert row is not None and row.password_hash is not None
        assert row.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert PASSWORD not in row.password_hash


def test_a_weaker_hash_is_made_again_at_the_next_sign_in(database: str) -> None:
    anna = make_person("anna")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with transaction() as session:
        row = session.get(Account, anna.id)
        assert row is not None
        row.password_hash = weak
    with transaction() as session:
        assert accounts.authenticate("anna", PASSWORD, address="x", session=session) == anna
    with transaction() as session:
        row = session.get(Account, anna.id)
        assert row is not None and row.password_hash != weak
        assert not accounts.hasher().check_needs_rehash(row.password_hash or "")


def test_a_person_gets_a_store_at_once_and_others_do_not(database: str) -> None:
    from sqlalchemy import inspect

    from kneecoach.storage import db

    anna = make_person("anna")
    store = store_of(anna.id)
    # made and migrated when the account was, before anyone opened it
    assert db.engine_key(store.url, store.schema) in db._ENGINES
    assert "checkins" in inspect(db.engine_for(store.url, store.schema)).get_table_names()
    assert make_clinician().role == "clinician"
    assert make_admin().role == "admin"


def test_a_person_reads_who_looked_at_their_data(database: str) -> None:
    anna = make_person("anna")
    cole = make_clinician("dr.cole")
    with transaction() as session:
        audit.record(cole, anna.id, "read_report", "opened the report", session=session)
        audit.record(cole, None, "signed_in", "signed in", session=session)
    with transaction() as session:
        about = audit.entries_about(anna.id, session=session)
        newest = audit.entries(session=session, limit=1)
    assert [(e.actor_name, e.action) for e in about] == [
        ("Dr.Cole", "read_report"),
        ("admin via command line", "account_created"),
    ]
    assert newest[0].action == "signed_in"
