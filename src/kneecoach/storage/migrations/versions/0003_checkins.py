"""Daily check-ins, their edit history, and the person's own tracked factors.

Revision ID: 0003_checkins
Revises: 0002_intakes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_checkins"
down_revision = "0002_intakes"
branch_labels = None
depends_on = None

FLAGS = ("clicking", "catching", "locking", "giving_way", "weakness", "warm", "fever", "calf_pain")


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("pain", sa.Float(), nullable=False),
        sa.Column("pain_worst", sa.Float(), nullable=True),
        sa.Column("swelling", sa.Integer(), nullable=True),
        sa.Column("stiffness_min", sa.Float(), nullable=True),
        *(sa.Column(name, sa.Boolean(), nullable=True) for name in FLAGS),
        sa.Column("steps", sa.Integer(), nullable=True),
        sa.Column("exercise_pain", sa.Float(), nullable=True),
        sa.Column("next_morning_worse", sa.Boolean(), nullable=True),
        sa.Column("shoe", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("factors", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("day", name=op.f("uq_checkins_day")),
    )
    op.create_table(
        "checkin_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("old_values", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_checkin_revisions_checkin_id_checkins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_revisions")),
    )
    op.create_index(op.f("ix_checkin_revisions_checkin_id"), "checkin_revisions", ["checkin_id"])
    op.create_index(op.f("ix_checkin_revisions_day"), "checkin_revisions", ["day"])
    op.create_table(
        "tracked_factors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracked_factors")),
        sa.UniqueConstraint("name", name=op.f("uq_tracked_factors_name")),
    )


def downgrade() -> None:
    op.drop_table("tracked_factors")
    op.drop_table("checkin_revisions")
    op.drop_table("checkins")
