"""Saved plans and the exercise session log.

Revision ID: 0005_plans
Revises: 0004_shoes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_plans"
down_revision = "0004_shoes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("intake_spec", sa.String(length=32), nullable=False),
        sa.Column("intake_version", sa.Integer(), nullable=True),
        sa.Column("rules_version", sa.String(length=500), nullable=False),
        sa.Column("intake", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_index(op.f("ix_plans_start_date"), "plans", ["start_date"])
    op.create_table(
        "session_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=64), nullable=False),
        sa.Column("prescribed_variant", sa.String(length=64), nullable=False),
        sa.Column("prescribed_sets", sa.Integer(), nullable=False),
        sa.Column("prescribed_reps", sa.Integer(), nullable=True),
        sa.Column("prescribed_hold_s", sa.Integer(), nullable=True),
        sa.Column("prescribed_minutes", sa.Integer(), nullable=True),
        sa.Column("done_variant", sa.String(length=64), nullable=False),
        sa.Column("done_sets", sa.Integer(), nullable=False),
        sa.Column("done_reps", sa.Integer(), nullable=True),
        sa.Column("done_hold_s", sa.Integer(), nullable=True),
        sa.Column("done_minutes", sa.Integer(), nullable=True),
        sa.Column("pain_during", sa.Integer(), nullable=False),
        sa.Column("next_morning_worse", sa.Boolean(), nullable=True),
        sa.Column("warning_signs", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_session_logs_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_logs")),
        sa.UniqueConstraint(
            "plan_id", "session_date", "slot", name=op.f("uq_session_logs_plan_id")
        ),
    )
    op.create_index(op.f("ix_session_logs_plan_id"), "session_logs", ["plan_id"])
    op.create_index(op.f("ix_session_logs_session_date"), "session_logs", ["session_date"])


def downgrade() -> None:
    op.drop_table("session_logs")
    op.drop_table("plans")
