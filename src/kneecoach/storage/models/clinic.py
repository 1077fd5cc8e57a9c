"""What a clinician leaves in a person's store (migration 0013): notes and plan changes.

They live in the person's own store, beside the diary they are about, so erasing a person
erases them too, and a clinician who lost the share can no longer reach them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kneecoach.storage.base import Base, utc_now


class ClinicianNote(Base):
    __tablename__ = "clinician_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    clinician_id: Mapped[str] = mapped_column(String(32))
    clinician_name: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(String(2000))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PlanAdjustment(Base):
    """A clinician's change to the plan: `changes` is a list of {slot, action, …} (see
    core/clinic.py). Active until released or a newer intake is saved."""

    __tablename__ = "plan_adjustments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    clinician_id: Mapped[str] = mapped_column(String(32))
    clinician_name: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(500))
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ended_by: Mapped[str | None] = mapped_column(String(16), nullable=True)
