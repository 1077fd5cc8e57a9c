"""A version number on each check-in and on each saved plan, against lost updates.

A check-in's `version` starts at 1 and grows by one with every change, so a writer can say
which version it saw and be refused when someone changed the day since. Plans are never
changed, only replaced: a plan's `version` is its place in the line of the person's plans
(1, 2, 3, …), unique, so two saves that both saw the same plan cannot both become the next.

Existing check-ins get version 1; existing plans are numbered in the order they were saved.
Columns are added and an index made in place (no table is rebuilt: `session_logs` and
`checkin_revisions` point at these tables and delete with them).

Revision ID: 0007_versions
Revises: 0006_preferences
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_versions"
down_revision = "0006_preferences"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "checkins",
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )
    op.add_column(
        "plans",
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )
    op.execute(
        "UPDATE plans SET version = "
        "(SELECT COUNT(*) FROM plans AS earlier WHERE earlier.id <= plans.id)"
    )
    op.create_index(op.f("ix_plans_version"), "plans", ["version"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_plans_version"), table_name="plans")
    op.drop_column("plans", "version")
    op.drop_column("checkins", "version")
