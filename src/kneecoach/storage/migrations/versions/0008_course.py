"""The self-management course and the goal: sessions done, goals, and weekly goal reviews.

Three new tables; nothing that is there changes. `course_progress` has one row per session
marked done (with the answer typed); `goals` are numbered 1, 2, 3, … (the newest is in
force, the others are the history); `goal_reviews` has at most one row per goal week.

Revision ID: 0008_course
Revises: 0007_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_course"
down_revision = "0007_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "course_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("course_version", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_progress")),
        sa.UniqueConstraint("session_id", name=op.f("uq_course_progress_session_id")),
    )
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=200), nullable=False),
        sa.Column("how_much", sa.String(length=200), nullable=False),
        sa.Column("by_when", sa.Date(), nullable=False),
        sa.Column("first_step", sa.String(length=200), nullable=False),
        sa.Column("set_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
        sa.UniqueConstraint("number", name=op.f("uq_goals_number")),
    )
    op.create_table(
        "goal_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("next_step", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goals.id"],
            name=op.f("fk_goal_reviews_goal_id_goals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_reviews")),
        sa.UniqueConstraint("goal_id", "week", name=op.f("uq_goal_reviews_goal_id")),
    )
    op.create_index(op.f("ix_goal_reviews_goal_id"), "goal_reviews", ["goal_id"])


def downgrade() -> None:
    op.drop_table("goal_reviews")
    op.drop_table("goals")
    op.drop_table("course_progress")
