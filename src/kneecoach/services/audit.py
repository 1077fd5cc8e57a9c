"""The practice's audit log: every look at a person's data by someone else, and admin actions.

Entries live in the practice's database, never in a person's store, so a person's erase does
not erase the record of who looked. Names are copied into each entry, so it still says who it
was after that account is gone. A person reads the entries about them (`entries_about`); an
admin reads them all (`kneecoach admin audit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from sqlalchemy import select

from kneecoach.core.accounts import AccountView
from kneecoach.services.database import Session
from kneecoach.storage.base import utc_now
from kneecoach.storage.models.accounts import AuditEntry

COMMAND_LINE: Final = "admin via command line"
"""Who an entry names when the command line (no signed-in account) acted."""
DETAIL_MAX: Final = 500


@dataclass(frozen=True)
class AuditView:
    at: datetime
    actor_id: str | None
    actor_name: str
    actor_role: str
    person_id: str | None
    action: str
    detail: str


def aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def record(
    actor: AccountView | None,
    person_id: str | None,
    action: str,
    detail: str,
    *,
    session: Session,
) -> None:
    """Write one entry. `actor` None: the command line acted (an admin on the server).
    `person_id`: whose data it was about (None for a sign-in or an account that is no person)."""
    session.add(
        AuditEntry(
            at=utc_now(),
            actor_id=actor.id if actor else None,
            actor_name=(actor.display_name if actor else COMMAND_LINE)[:120],
            actor_role=actor.role if actor else "admin",
            person_id=person_id,
            action=action[:64],
            detail=detail[:DETAIL_MAX],
        )
    )


def _view(row: AuditEntry) -> AuditView:
    return AuditView(
        at=aware(row.at),
        actor_id=row.actor_id,
        actor_name=row.actor_name,
        actor_role=row.actor_role,
        person_id=row.person_id,
        action=row.action,
        detail=row.detail,
    )


def entries_about(person_id: str, *, session: Session, limit: int = 200) -> list[AuditView]:
    """The entries about one person, newest first, for that person to read."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.person_id == person_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [_view(row) for row in rows]


def entries(*, session: Session, limit: int = 50, person_id: str | None = None) -> list[AuditView]:
    """The newest entries (about one person when `person_id` is given), newest first."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if person_id is not None:
        query = query.where(AuditEntry.person_id == person_id)
    return [_view(row) for row in session.scalars(query)]
