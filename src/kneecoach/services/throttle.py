"""The growing wait after failed sign-ins, per account name and per address.

The first `FREE_TRIES` failures cost nothing; after that each failure makes the next try wait
twice as long as the one before (1 s, 2 s, 4 s … at most `MAX_WAIT`). A key with no failure
for `FORGET_AFTER` starts over, and a correct password clears its account's count. It is a
wait, never a lock: once the wait is over the correct password works, so guessing at a
clinician's name cannot shut them out for good.

The counts live in the practice's database (`login_throttle`), so every app process sees the
same ones; each failure is one atomic upsert, so two processes failing at once count twice.

A browser that signed in to an account before carries a device token for it (OWASP's "device
cookie"): its tries skip that account name's wait and count against the device instead. So
someone guessing at a clinician's name from elsewhere makes only the guessers wait, never the
clinician on their own computer; the address's wait still applies to everyone.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kneecoach.core.accounts import TooManyTries
from kneecoach.services.database import Session
from kneecoach.storage.base import utc_now
from kneecoach.storage.models.accounts import Account, LoginThrottle, OneTimeCode

FREE_TRIES: Final = 5
FIRST_WAIT: Final = timedelta(seconds=1)
MAX_WAIT: Final = timedelta(minutes=15)
FORGET_AFTER: Final = timedelta(hours=1)
DEVICE: Final = "device"
"""The `one_time_codes.purpose` of a device token (kept, like every token, as its SHA-256)."""
DEVICE_LIFETIME: Final = timedelta(days=90)


def account_key(username: str) -> str:
    return f"account:{username.strip().lower()[:190]}"


def address_key(address: str | None) -> str:
    return f"address:{(address or 'unknown')[:190]}"


def device_key(token: str) -> str:
    return f"device:{_digest(token)[:32]}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def keys_for(
    username: str, address: str | None, device: str | None, *, session: Session
) -> tuple[str, ...]:
    """The counts a try is checked and charged against: the name's and the address's, or for a
    device that signed in to this name before, the device's and the address's."""
    if device and is_trusted_device(device, username, session=session):
        return (device_key(device), address_key(address))
    return (account_key(username), address_key(address))


def remember_device(account_id: str, *, session: Session, now: datetime | None = None) -> str:
    """A new device token for a browser that just signed in to this account."""
    moment = now or utc_now()
    token = secrets.token_urlsafe(32)
    session.add(
        OneTimeCode(
            code_hash=_digest(token),
            purpose=DEVICE,
            account_id=account_id,
            created_at=moment,
            expires_at=moment + DEVICE_LIFETIME,
        )
    )
    return token


def is_trusted_device(
    token: str | None, username: str, *, session: Session, now: datetime | None = None
) -> bool:
    """Whether this device token was given to a browser that signed in as `username`."""
    if not token or len(token) > 200:
        return False
    expires = session.scalar(
        select(OneTimeCode.expires_at)
        .join(Account, Account.id == OneTimeCode.account_id)
        .where(
            OneTimeCode.code_hash == _digest(token),
            OneTimeCode.purpose == DEVICE,
            Account.username == username.strip().lower(),
        )
    )
    return expires is not None and _aware(expires) > (now or utc_now())


def wait_after(failures: int) -> timedelta:
    """How long the next try waits after this many failures in a row."""
    if failures < FREE_TRIES:
        return timedelta(0)
    steps = failures - FREE_TRIES
    if steps >= 20:  # 2**20 s is far past the cap: no huge numbers
        return MAX_WAIT
    wait: timedelta = FIRST_WAIT * (2**steps)
    return min(wait, MAX_WAIT)


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check(keys: tuple[str, ...], *, session: Session, now: datetime | None = None) -> None:
    """Raise `TooManyTries` when any key must still wait."""
    moment = now or utc_now()
    waits = session.scalars(select(LoginThrottle.next_try_at).where(LoginThrottle.key.in_(keys)))
    longest = max((_aware(when) - moment for when in waits), default=timedelta(0))
    if longest > timedelta(0):
        raise TooManyTries(math.ceil(longest.total_seconds()))


def failed(keys: tuple[str, ...], *, session: Session, now: datetime | None = None) -> None:
    """Count one failure against each key and set its next allowed try."""
    moment = now or utc_now()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for key in keys:
        stale = LoginThrottle.last_failure_at < moment - FORGET_AFTER
        first = insert(LoginThrottle).values(
            key=key, failures=1, last_failure_at=moment, next_try_at=moment
        )
        upsert = first.on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={
                "failures": case((stale, 1), else_=LoginThrottle.failures + 1),
                "last_failure_at": moment,
            },
        ).returning(LoginThrottle.failures)
        failures = session.execute(upsert).scalar_one()
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key)
            .values(next_try_at=moment + wait_after(failures))
        )


def succeeded(key: str, *, session: Session) -> None:
    """A correct password clears the count of its account name."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
