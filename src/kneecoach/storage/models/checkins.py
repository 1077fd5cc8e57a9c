"""Daily check-ins (one per date), the history of their edits, and the person's own factors.

A second check-in for a date updates the row and first copies the old answers into
`checkin_revisions` with the time they were replaced: nothing a person logged is lost.
A check-in's `version` grows by one with each change, in the UPDATE itself (SQLAlchemy's
`version_id_col`: `… SET version = N + 1 WHERE id = ? AND version = N`), so a writer can say
which version it saw (services.checkins).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kneecoach.storage.base import Base, utc_now


class CheckInRow(Base):
    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    pain: Mapped[float] = mapped_column(Float)
    pain_worst: Mapped[float | None] = mapped_column(Float)
    swelling: Mapped[int | None] = mapped_column(Integer)
    stiffness_min: Mapped[float | None] = mapped_column(Float)
    clicking: Mapped[bool | None] = mapped_column(Boolean)
    catching: Mapped[bool | None] = mapped_column(Boolean)
    locking: Mapped[bool | None] = mapped_column(Boolean)
    giving_way: Mapped[bool | None] = mapped_column(Boolean)
    weakness: Mapped[bool | None] = mapped_column(Boolean)
    warm: Mapped[bool | None] = mapped_column(Boolean)
    fever: Mapped[bool | None] = mapped_column(Boolean)
    calf_pain: Mapped[bool | None] = mapped_column(Boolean)
    steps: Mapped[int | None] = mapped_column(Integer)
    exercise_pain: Mapped[float | None] = mapped_column(Float)
    next_morning_worse: Mapped[bool | None] = mapped_column(Boolean)
    shoe: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    factors: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by SQLAlchemy)


class CheckInRevision(Base):
    """The answers a check-in held before an edit replaced them."""

    __tablename__ = "checkin_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)
    replaced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    source: Mapped[str] = mapped_column(String(32))
    old_values: Mapped[dict[str, Any]] = mapped_column(JSON)


class TrackedFactor(Base):
    """One of the person's own daily yes/no questions (a habit or a trigger)."""

    __tablename__ = "tracked_factors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    question: Mapped[str] = mapped_column(String(300))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
