"""A practice's accounts (server mode): making them, checking a password, turning them off.

Passwords are kept as argon2id hashes with argon2-cffi's recommended parameters (RFC 9106's
second choice: 64 MiB, 3 passes, 4 lanes); a hash made with older parameters is made again at
the next correct sign-in. A person's store (their health data, `storage/stores.py`) is made and
migrated when their account is made, so their first page opens at once.

Checking a password never says whether the name exists: an unknown name is checked against a
dummy hash, so it costs the same work and gets the same answer as a wrong password.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from kneecoach.core.accounts import (
    AccountSummary,
    AccountView,
    SignInRefused,
    TooManyTries,
    check_display_name,
    check_password,
    check_role,
    check_username,
)
from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.services import audit, throttle
from kneecoach.services.database import Session, database_url
from kneecoach.storage.base import utc_now
from kneecoach.storage.models.accounts import Account, AuditEntry, LoginSession

if TYPE_CHECKING:
    from argon2 import PasswordHasher

__all__ = [
    "AccountSummary",
    "AccountView",
    "SignInRefused",
    "TooManyTries",
    "account_by_id",
    "account_named",
    "authenticate",
    "change_password",
    "create_account",
    "disable",
    "enable",
    "list_accounts",
    "set_password",
    "upgrade_person_stores",
]

SIGNED_IN = "signed_in"
"""The audit action written at each sign-in (no person's data: `person_id` stays empty)."""


@cache
def hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, the library's recommended (RFC 9106) parameters


@cache
def _dummy_hash() -> str:
    """A hash no password matches in practice: an unknown name is checked against it."""
    return hasher().hash(uuid.uuid4().hex)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def _verify(stored: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return hasher().verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def view_of(row: Account) -> AccountView:
    return AccountView(
        id=row.id, username=row.username, display_name=row.display_name, role=check_role(row.role)
    )


def make_store(account_id: str) -> None:
    """Make (and migrate) a person's store now, so their first request finds it ready."""
    from kneecoach.storage import db
    from kneecoach.storage.stores import person_store

    store = person_store(database_url(), account_id)
    db.prepare(store.url, store.schema)


def upgrade_person_stores(*, session: Session) -> int:
    """Migrate every person's store to the newest schema now (else each is migrated the first
    time it is opened); returns how many stores there are."""
    ids = list(session.scalars(select(Account.id).where(Account.role == "person")))
    for account_id in ids:
        make_store(account_id)
    return len(ids)


def create_account(
    username: str,
    display_name: str,
    role: str,
    password: str | None,
    *,
    session: Session,
    actor: AccountView | None = None,
) -> AccountView:
    """A new account; a person's store is made at once. No password: the account can only be
    entered with a reset code (`logins.make_reset_code`)."""
    name = check_username(username)
    shown = check_display_name(display_name)
    kind = check_role(role)
    if password is not None:
        check_password(password, name)
    if session.scalar(select(Account.id).where(Account.username == name)) is not None:
        raise InputError("username", f"{name} is taken; choose another user name")
    row = Account(
        id=uuid.uuid4().hex,
        username=name,
        display_name=shown,
        role=kind,
        password_hash=hash_password(password) if password is not None else None,
        created_at=utc_now(),
        password_changed_at=utc_now() if password is not None else None,
    )
    session.add(row)
    session.flush()
    if kind == "person":
        make_store(row.id)
    audit.record(
        actor,
        row.id if kind == "person" else None,
        "account_created",
        f"{kind} {name} made",
        session=session,
    )
    return view_of(row)


def account_named(username: str, *, session: Session) -> AccountView:
    """The account with this user name (any letter case), or NotFoundError naming it."""
    row = session.scalar(select(Account).where(Account.username == username.strip().lower()))
    if row is None:
        raise NotFoundError(f"no account is called {username.strip().lower()!r}", field="username")
    return view_of(row)


def account_by_id(account_id: str, *, session: Session) -> AccountView | None:
    row = session.get(Account, account_id)
    return None if row is None else view_of(row)


def authenticate(
    username: str,
    password: str,
    *,
    address: str | None,
    session: Session,
    device: str | None = None,
    now: datetime | None = None,
) -> AccountView | None:
    """The account whose name and password these are, or None (a wrong name, a wrong password
    or a disabled account: the same work and the same None for each).

    Raises `TooManyTries` while this name (or, for a `device` token this browser got at an
    earlier sign-in to this name, the device) or this address must wait. A failure is counted
    in `session`, so the caller lets the unit of work commit on None (it does not raise)."""
    keys = throttle.keys_for(username, address, device, session=session)
    throttle.check(keys, session=session, now=now)
    name = username.strip().lower()
    row = session.scalar(select(Account).where(Account.username == name)) if name else None
    matched = _verify(row.password_hash if row is not None else None, password[:1024])
    if row is None or not matched or row.disabled_at is not None:
        throttle.failed(keys, session=session, now=now)
        return None
    if row.password_hash and hasher().check_needs_rehash(row.password_hash):
        row.password_hash = hash_password(password)
    for key in {throttle.account_key(username), keys[0]}:
        throttle.succeeded(key, session=session)
    account = view_of(row)
    audit.record(account, None, SIGNED_IN, "signed in", session=session)
    return account


def set_password(account_id: str, password: str, *, session: Session) -> None:
    """A new password (after a reset code or a change): every open session of the account ends,
    so whoever knew the old one is signed out everywhere."""
    row = session.get(Account, account_id)
    if row is None:
        raise NotFoundError("that account no longer exists")
    check_password(password, row.username)
    row.password_hash = hash_password(password)
    row.password_changed_at = utc_now()
    session.execute(delete(LoginSession).where(LoginSession.account_id == account_id))


def change_password(account_id: str, current: str, new: str, *, session: Session) -> None:
    """Change a password, knowing the current one."""
    row = session.get(Account, account_id)
    if row is None:
        raise NotFoundError("that account no longer exists")
    if not _verify(row.password_hash, current):
        raise InputError("current_password", "is not your current password")
    set_password(account_id, new, session=session)


def _set_disabled(
    username: str, disabled: bool, actor: AccountView | None, session: Session
) -> AccountView:
    name = username.strip().lower()
    row = session.scalar(select(Account).where(Account.username == name))
    if row is None:
        raise NotFoundError(f"no account is called {name!r}", field="username")
    row.disabled_at = utc_now() if disabled else None
    if disabled:
        session.execute(delete(LoginSession).where(LoginSession.account_id == row.id))
    audit.record(
        actor,
        row.id if row.role == "person" else None,
        "account_disabled" if disabled else "account_enabled",
        f"{row.role} {row.username} {'disabled' if disabled else 'enabled'}",
        session=session,
    )
    return view_of(row)


def disable(username: str, *, session: Session, actor: AccountView | None = None) -> AccountView:
    """Turn an account off: it cannot sign in, and every session it has ends now."""
    return _set_disabled(username, True, actor, session)


def enable(username: str, *, session: Session, actor: AccountView | None = None) -> AccountView:
    return _set_disabled(username, False, actor, session)


def list_accounts(*, session: Session) -> list[AccountSummary]:
    """Every account, by user name, with when it last signed in (from the audit)."""
    last = (
        select(AuditEntry.actor_id, func.max(AuditEntry.at).label("at"))
        .where(AuditEntry.action == SIGNED_IN)
        .group_by(AuditEntry.actor_id)
        .subquery()
    )
    rows = session.execute(
        select(Account, last.c.at)
        .outerjoin(last, last.c.actor_id == Account.id)
        .order_by(Account.username)
    )
    return [
        AccountSummary(
            account=view_of(row),
            created_at=audit.aware(row.created_at),
            disabled_at=audit.aware(row.disabled_at) if row.disabled_at else None,
            last_sign_in_at=audit.aware(at) if at else None,
        )
        for row, at in rows
    ]
