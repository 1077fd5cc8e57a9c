"""Sharing with a clinician: a person makes a one-time code, a clinician types it to link,
the person lists and revokes their clinicians. All of it lives in the practice's own database
(`transaction()` with no store): `one_time_codes` and `shares`.

A code is kept only as its SHA-256, for `lifetime_hours` (24) unless used first, and works
once. A wrong, unknown, used or expired code all get the same answer, so a clinician learns
nothing about whose it was; wrong codes make the next try wait longer (`code_tries`).

Whether a clinician may read a person is asked of the database on every request
(`may_read`): a revoked share stops working on the very next one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from kneecoach.core.clinic import format_code, normalise_code
from kneecoach.core.errors import InputError, NotFoundError
from kneecoach.data.clinic import load_clinic
from kneecoach.services import throttle
from kneecoach.services.audit import aware
from kneecoach.services.logins import token_hash
from kneecoach.storage.models.accounts import Account, OneTimeCode, Share
from kneecoach.storage.stores import ACCOUNT_ID

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SHARE = "share"


@dataclass(frozen=True)
class ShareCode:
    """A code just made: shown once, never stored as it is."""

    code: str
    expires_at: datetime


@dataclass(frozen=True)
class Link:
    """One active share: a person and a clinician, since when."""

    person_id: str
    person_name: str
    clinician_id: str
    clinician_name: str
    since: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def code_hash(code: str) -> str:
    """A code is stored as its SHA-256, like a session token (services/logins)."""
    return token_hash(code)


def is_account_id(text: str) -> bool:
    """Whether a path's text has the shape of an account id (so it can name a store)."""
    return ACCOUNT_ID.match(text) is not None


def _account(account_id: str, role: str, *, session: Session) -> Account:
    account = session.get(Account, account_id)
    if account is None or account.role != role or account.disabled_at is not None:
        raise NotFoundError(f"no such {role}", field="account")
    return account


def make_share_code(person_id: str, *, session: Session, now: datetime | None = None) -> ShareCode:
    """A new one-time share code for this person, good for `lifetime_hours` unless used."""
    _account(person_id, "person", session=session)
    shape = load_clinic().share_code
    raw = "".join(secrets.choice(shape.alphabet) for _ in range(shape.groups * shape.group_length))
    made = now or _now()
    expires = made + timedelta(hours=shape.lifetime_hours)
    session.add(
        OneTimeCode(
            code_hash=code_hash(raw),
            purpose=SHARE,
            account_id=person_id,
            created_at=made,
            expires_at=expires,
        )
    )
    session.flush()
    return ShareCode(format_code(raw, shape.group_length), expires)


def _throttle_key(clinician_id: str) -> str:
    """Wrong share codes are counted per clinician, in sign-in's table (services/throttle)."""
    return f"share:{clinician_id}"


def link_with_code(
    clinician_id: str, typed: str, *, session: Session, now: datetime | None = None
) -> Link:
    """Link this clinician to the person whose unused, unexpired code this is, and use it up.

    Any code that does not work raises the same InputError (field `code`); too many in a row
    raise TooManyTries (core/accounts). A wrong try is counted even though the caller's unit of work then rolls
    back: the interfaces count it in a unit of their own (`count_wrong_code`)."""
    when = now or _now()
    clinician = _account(clinician_id, "clinician", session=session)
    throttle.check((_throttle_key(clinician_id),), session=session, now=when)
    shape = load_clinic().share_code
    plain = normalise_code(typed, shape.alphabet, shape.groups * shape.group_length)
    record = None
    if plain is not None:
        record = session.scalar(
            select(OneTimeCode)
            .where(OneTimeCode.code_hash == code_hash(plain), OneTimeCode.purpose == SHARE)
            .with_for_update()
        )
    person = None if record is None else session.get(Account, record.account_id)
    if (
        record is None
        or person is None
        or person.role != "person"
        or person.disabled_at is not None
        or record.used_at is not None
        or aware(record.expires_at) <= when
    ):
        raise InputError("code", load_clinic().words.wrong_code.text)
    record.used_at = when
    throttle.succeeded(_throttle_key(clinician_id), session=session)
    existing = _active_share(person.id, clinician_id, session=session)
    if existing is None:
        existing = Share(person_id=person.id, clinician_id=clinician_id, created_at=when)
        session.add(existing)
        session.flush()
    return Link(
        person.id,
        person.display_name,
        clinician.id,
        clinician.display_name,
        aware(existing.created_at),
    )


def count_wrong_code(clinician_id: str, *, session: Session, now: datetime | None = None) -> None:
    """Count one wrong code for this clinician (its own unit of work, so it survives the
    rollback of the try that failed)."""
    throttle.failed((_throttle_key(clinician_id),), session=session, now=now or _now())


def _active_share(person_id: str, clinician_id: str, *, session: Session) -> Share | None:
    return session.scalar(
        select(Share)
        .where(
            Share.person_id == person_id,
            Share.clinician_id == clinician_id,
            Share.revoked_at.is_(None),
        )
        .limit(1)
    )


def may_read(clinician_id: str, person_id: str, *, session: Session) -> bool:
    """Whether this clinician has an active share from this person, asked now (no cache):
    both accounts enabled, the share not revoked."""
    row = session.execute(
        select(Share.id)
        .join(Account, Account.id == Share.person_id)
        .where(
            Share.person_id == person_id,
            Share.clinician_id == clinician_id,
            Share.revoked_at.is_(None),
            Account.role == "person",
            Account.disabled_at.is_(None),
        )
        .limit(1)
    ).first()
    if row is None:
        return False
    clinician = session.get(Account, clinician_id)
    return clinician is not None and clinician.role == "clinician" and not clinician.disabled_at


def _links(where: list[object], *, session: Session) -> list[Link]:
    from sqlalchemy.orm import aliased

    person, clinician = aliased(Account), aliased(Account)
    rows = session.execute(
        select(Share, person.display_name, clinician.display_name)
        .join(person, person.id == Share.person_id)
        .join(clinician, clinician.id == Share.clinician_id)
        .where(Share.revoked_at.is_(None), *where)  # type: ignore[arg-type]
        .order_by(Share.created_at, Share.id)
    )
    seen: dict[tuple[str, str], Link] = {}
    for share, person_name, clinician_name in rows:
        seen.setdefault(
            (share.person_id, share.clinician_id),
            Link(
                share.person_id,
                person_name,
                share.clinician_id,
                clinician_name,
                aware(share.created_at),
            ),
        )
    return list(seen.values())


def clinicians_of(person_id: str, *, session: Session) -> list[Link]:
    """The clinicians this person shares with now, first shared first."""
    return _links([Share.person_id == person_id], session=session)


def people_of(clinician_id: str, *, session: Session) -> list[Link]:
    """The people who share with this clinician now (enabled accounts only)."""
    return [
        link
        for link in _links([Share.clinician_id == clinician_id], session=session)
        if may_read(clinician_id, link.person_id, session=session)
    ]


def revoke(
    person_id: str, clinician_id: str, *, session: Session, now: datetime | None = None
) -> Link:
    """Stop sharing with this clinician from now on; NotFoundError when there is no share."""
    found = next(
        (
            link
            for link in clinicians_of(person_id, session=session)
            if link.clinician_id == clinician_id
        ),
        None,
    )
    if found is None:
        raise NotFoundError("you do not share with this clinician", field="clinician")
    when = now or _now()
    for share in session.scalars(
        select(Share).where(
            Share.person_id == person_id,
            Share.clinician_id == clinician_id,
            Share.revoked_at.is_(None),
        )
    ):
        share.revoked_at = when
    session.flush()
    return found
