"""Shoes: the pairs, the default pair per activity type, counted activities and wear checks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kneecoach.storage.base import Base, utc_now


class ShoePair(Base):
    __tablename__ = "shoe_pairs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    brand: Mapped[str | None] = mapped_column(String(120))
    model: Mapped[str | None] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date | None] = mapped_column(Date)
    start_km: Mapped[float] = mapped_column(Float, default=0.0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ShoeDefault(Base):
    """The pair an activity type counts on when the person does not choose one."""

    __tablename__ = "shoe_defaults"

    activity: Mapped[str] = mapped_column(String(16), primary_key=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("shoe_pairs.id", ondelete="CASCADE"))


class ShoeActivity(Base):
    """One counted outing; the unique fingerprint keeps a re-import from counting twice."""

    __tablename__ = "shoe_activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[str] = mapped_column(
        ForeignKey("shoe_pairs.id", ondelete="CASCADE"), index=True
    )
    fingerprint: Mapped[str] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(String(8))
    activity_type: Mapped[str | None] = mapped_column(String(16))
    on_date: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    distance_km: Mapped[float] = mapped_column(Float)
    origin: Mapped[str] = mapped_column(String(500))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ShoeWearCheck(Base):
    """A dated wear check: each sign asked and its yes/no answer."""

    __tablename__ = "shoe_wear_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[str] = mapped_column(
        ForeignKey("shoe_pairs.id", ondelete="CASCADE"), index=True
    )
    checked_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
