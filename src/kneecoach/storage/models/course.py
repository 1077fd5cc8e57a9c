"""The self-management course and the person's goal: which sessions are done (with the answer
the person typed), their goals, and each goal's weekly reviews.

A session is done once (`session_id` is unique): marking it again keeps the first day and
only changes the answer. Goals are never changed, only followed by a newer one: `number` is
a goal's place in that line (1, 2, 3, …), unique, and the newest is the goal in force, so an
old goal stays in the history. A goal has at most one review per goal week
(`goal_id, week` unique): a second review that week updates it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kneecoach.storage.base import Base, utc_now


class CourseProgress(Base):
    """One session of the course marked done."""

    __tablename__ = "course_progress"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), unique=True)
    done_on: Mapped[date] = mapped_column(Date)
    answer: Mapped[str | None] = mapped_column(Text)
    course_version: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Goal(Base):
    """A SMART goal: what, how much, by when, and the first weekly step."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    what: Mapped[str] = mapped_column(String(200))
    how_much: Mapped[str] = mapped_column(String(200))
    by_when: Mapped[date] = mapped_column(Date)
    first_step: Mapped[str] = mapped_column(String(200))
    set_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class GoalReview(Base):
    """A goal week looked back on: the step it had, how it went, and the next step."""

    __tablename__ = "goal_reviews"
    __table_args__ = (UniqueConstraint("goal_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    week: Mapped[int] = mapped_column(Integer)
    reviewed_on: Mapped[date] = mapped_column(Date)
    step: Mapped[str] = mapped_column(String(200))
    rating: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
