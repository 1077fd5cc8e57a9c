"""Questionnaire responses (KOOS, KOOS-12, KOOS JR).

Revision ID: 0001_outcomes
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_outcomes"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questionnaire_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("instrument_version", sa.String(length=64), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_responses")),
    )
    op.create_index(
        op.f("ix_questionnaire_responses_instrument"), "questionnaire_responses", ["instrument"]
    )
    op.create_index(
        op.f("ix_questionnaire_responses_answered_on"), "questionnaire_responses", ["answered_on"]
    )


def downgrade() -> None:
    op.drop_table("questionnaire_responses")
