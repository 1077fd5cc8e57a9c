"""The practice's own tables (server mode): who may sign in, their sessions, the shares between
a person and a clinician, and the audit of every look at someone else's data.

These live in the practice's database (`KNEECOACH_DATABASE_URL`). Health data never does in
server mode: each person's diary is a store of its own (a PostgreSQL schema or an SQLite file,
`storage/stores.py`), so a query that forgot a filter still cannot reach another person. The
same migrations make every store, so a person's store has these tables too, and they stay empty.

Secrets are kept only as hashes: a password as argon2id, a session token or a one-time code as
SHA-256 (they are long and random, so a fast hash is enough and lets a lookup use the index).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kneecoach.storage.base import Base, utc_now

ROLES = ("person", "clinician", "admin")


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex, names the store
    username: Mapped[str] = mapped_column(String(64), unique=True)  # stored in lower case
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))  # one of ROLES
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    password_changed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is kept here, so
    a copy of the database opens no session. Living in the database (not in a worker's memory)
    is what lets several app processes serve one practice."""

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed sign-ins per key (`account:NAME` or `address:IP`): each failure makes the next
    try wait longer. A wait, never a lock: an attacker cannot shut a clinician out for good."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    next_try_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class OneTimeCode(Base):
    """A code used once: a password reset an admin printed, or a share code a person made."""

    __tablename__ = "one_time_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "reset" or "share"
    account_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Share(Base):
    """A person let a clinician see their data. Revoking sets `revoked_at`; every request
    checks it, so the clinician loses access on the next one."""

    __tablename__ = "shares"
    __table_args__ = (Index("ix_shares_person_clinician", "person_id", "clinician_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("accounts.id", ondelete="CASCADE")
    )
    clinician_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEntry(Base):
    """One look at (or change to) a person's data by someone else, or one admin action. The
    person reads the entries about them. Names are copied in, so an entry still says who it
    was after that account is gone."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    actor_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(500), default="")
