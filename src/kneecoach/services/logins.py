"""Signed-in browsers and password-reset codes (server mode).

A session is a 256-bit random token in the browser's cookie; the database keeps only its
SHA-256, so a copy of the database opens no session. A session ends `ABSOLUTE` after sign-in
whatever happens, and sooner when unused for `IDLE`. Each sign-in makes a new token (any the
browser had is deleted: no session fixation), and so does a password change.

A reset code is printed by `kneecoach admin reset-code USER` for the admin to hand over (no
mail server needed): `CODE_LENGTH` characters of an alphabet with no look-alikes, kept as its
SHA-256, good for `CODE_LIFETIME` and once. A new code replaces the old one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import delete, select

from kneecoach.core.accounts import AccountView, SignInRefused
from kneecoach.services import audit, throttle
from kneecoach.services.accounts import set_password, view_of
from kneecoach.services.database import Session
from kneecoach.storage.base import utc_now
from kneecoach.storage.models.accounts import Account, LoginSession, OneTimeCode

ABSOLUTE: Final = timedelta(hours=12)
IDLE: Final = timedelta(hours=2)
SEEN_EVERY: Final = timedelta(minutes=1)
"""`last_seen_at` is written at most this often: one write a minute, not one per request."""
TOKEN_BYTES: Final = 32  # 256 bits
CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH: Final = 10
CODE_LIFETIME: Final = timedelta(hours=24)
RESET: Final = "reset"
BAD_CODE: Final = "That name and code do not match, or the code is used or too old."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_login_session(
    account_id: str,
    *,
    session: Session,
    replacing: str | None = None,
    now: datetime | None = None,
) -> str:
    """A new session for this account; returns the token for the cookie. `replacing`: the
    token the browser sent before signing in, deleted so it can never become this session."""
    moment = now or utc_now()
    if replacing:
        end_login_session(replacing, session=session)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        LoginSession(
            token_hash=token_hash(token),
            account_id=account_id,
            created_at=moment,
            last_seen_at=moment,
            expires_at=moment + ABSOLUTE,
        )
    )
    session.flush()
    return token


def account_for_token(
    token: str | None, *, session: Session, now: datetime | None = None
) -> AccountView | None:
    """The account signed in with this token, or None (unknown, expired, idle too long, or the
    account is disabled). An expired session's row is deleted on the way."""
    if not token or len(token) > 200:
        return None
    moment = now or utc_now()
    found = session.execute(
        select(LoginSession, Account)
        .join(Account, Account.id == LoginSession.account_id)
        .where(LoginSession.token_hash == token_hash(token))
    ).first()
    if found is None:
        return None
    row, account = found
    last_seen = audit.aware(row.last_seen_at)
    if (
        audit.aware(row.expires_at) <= moment
        or last_seen + IDLE <= moment
        or account.disabled_at is not None
    ):
        session.delete(row)
        return None
    if moment - last_seen >= SEEN_EVERY:
        row.last_seen_at = moment
    return view_of(account)


def end_login_session(token: str | None, *, session: Session) -> None:
    """Sign out: the session's row is deleted, so the cookie opens nothing any more."""
    if token and len(token) <= 200:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))


def end_all_login_sessions(account_id: str, *, session: Session) -> int:
    """Sign out everywhere; returns how many sessions ended."""
    result = session.execute(delete(LoginSession).where(LoginSession.account_id == account_id))
    return int(getattr(result, "rowcount", 0) or 0)


def open_sessions(account_id: str, *, session: Session) -> int:
    return len(
        session.scalars(
            select(LoginSession.token_hash).where(LoginSession.account_id == account_id)
        ).all()
    )


def _normal_code(code: str) -> str:
    return "".join(char for char in code.upper() if char.isalnum())


def make_reset_code(
    username: str, *, session: Session, actor: AccountView | None = None
) -> tuple[AccountView, str, datetime]:
    """A new reset code for this account (any older one stops working): the account, the code
    to hand over, and when it expires."""
    name = username.strip().lower()
    row = session.scalar(select(Account).where(Account.username == name))
    if row is None:
        from kneecoach.core.errors import NotFoundError

        raise NotFoundError(f"no account is called {name!r}", field="username")
    session.execute(
        delete(OneTimeCode).where(OneTimeCode.account_id == row.id, OneTimeCode.purpose == RESET)
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    moment = utc_now()
    expires = moment + CODE_LIFETIME
    session.add(
        OneTimeCode(
            code_hash=token_hash(code),
            purpose=RESET,
            account_id=row.id,
            created_at=moment,
            expires_at=expires,
        )
    )
    audit.record(
        actor,
        row.id if row.role == "person" else None,
        "reset_code_made",
        f"reset code for {row.username}",
        session=session,
    )
    return view_of(row), code, expires


def reset_password(
    username: str,
    code: str,
    new_password: str,
    *,
    address: str | None,
    session: Session,
    now: datetime | None = None,
) -> AccountView | None:
    """Set a new password with a reset code. None when the name and code do not match (or the
    code is used or old): counted by the same throttle as sign-in, and the same answer whether
    the name exists or not. Raises `TooManyTries` while waiting, InputError for a weak password
    (only once the code matched, so a bad password tells nothing about the name)."""
    keys = (throttle.account_key(username), throttle.address_key(address))
    throttle.check(keys, session=session, now=now)
    moment = now or utc_now()
    name = username.strip().lower()
    found = session.execute(
        select(OneTimeCode, Account)
        .join(Account, Account.id == OneTimeCode.account_id)
        .where(
            OneTimeCode.code_hash == token_hash(_normal_code(code)[:64]),
            OneTimeCode.purpose == RESET,
            Account.username == name,
        )
    ).first()
    if (
        found is None
        or found[0].used_at is not None
        or audit.aware(found[0].expires_at) <= moment
        or found[1].disabled_at is not None
    ):
        throttle.failed(keys, session=session, now=now)
        return None
    entry, account = found
    set_password(account.id, new_password, session=session)
    entry.used_at = moment
    throttle.succeeded(keys[0], session=session)
    audit.record(
        view_of(account),
        account.id if account.role == "person" else None,
        "password_reset",
        "password set with a reset code",
        session=session,
    )
    return view_of(account)


__all__ = [
    "ABSOLUTE",
    "IDLE",
    "SignInRefused",
    "account_for_token",
    "end_all_login_sessions",
    "end_login_session",
    "make_reset_code",
    "reset_password",
    "start_login_session",
]
