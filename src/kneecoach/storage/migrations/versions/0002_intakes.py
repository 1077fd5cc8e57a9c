"""Intake documents, versioned, with their triage (and later assessment) results.

Revision ID: 0002_intakes
Revises: 0001_outcomes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_intakes"
down_revision = "0001_outcomes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intakes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("spec", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("triage", sa.JSON(), nullable=False),
        sa.Column("assessment", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intakes")),
        sa.UniqueConstraint("version", name=op.f("uq_intakes_version")),
    )


def downgrade() -> None:
    op.drop_table("intakes")
