"""Saved plans and the session log: the target of each exercise stored next to what was done.

A plan is kept as the JSON the person saw, with the intake it came from and the versions of
the rules, so a clinician can see exactly what was asked. Each log row is one exercise on one
day: the prescribed variant and dose, the done variant and dose, the worst pain during it,
and (answered the next morning) whether pain or stiffness was worse than usual.

A plan is never changed, only followed by a newer one: its `version` is its place in that line
(1, 2, 3, …) and unique, so two saves that saw the same plan cannot both become the next.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kneecoach.storage.base import Base, utc_now


class SavedPlan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    intake_spec: Mapped[str] = mapped_column(String(32))
    intake_version: Mapped[int | None] = mapped_column(Integer)
    rules_version: Mapped[str] = mapped_column(String(500))
    intake: Mapped[dict[str, Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"), index=True, unique=True)


class SessionLog(Base):
    """One exercise done on one day under one plan (`slot` is the plan's exercise id)."""

    __tablename__ = "session_logs"
    __table_args__ = (UniqueConstraint("plan_id", "session_date", "slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    session_date: Mapped[date] = mapped_column(Date, index=True)
    slot: Mapped[str] = mapped_column(String(64))
    prescribed_variant: Mapped[str] = mapped_column(String(64))
    prescribed_sets: Mapped[int] = mapped_column(Integer)
    prescribed_reps: Mapped[int | None] = mapped_column(Integer)
    prescribed_hold_s: Mapped[int | None] = mapped_column(Integer)
    prescribed_minutes: Mapped[int | None] = mapped_column(Integer)
    done_variant: Mapped[str] = mapped_column(String(64))
    done_sets: Mapped[int] = mapped_column(Integer)
    done_reps: Mapped[int | None] = mapped_column(Integer)
    done_hold_s: Mapped[int | None] = mapped_column(Integer)
    done_minutes: Mapped[int | None] = mapped_column(Integer)
    pain_during: Mapped[int] = mapped_column(Integer)
    effort: Mapped[int | None] = mapped_column(Integer)
    """How hard it felt, 0–10 (Borg CR10), if the person said; read by the progression rules."""
    next_morning_worse: Mapped[bool | None] = mapped_column(Boolean)
    warning_signs: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
