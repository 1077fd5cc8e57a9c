"""Shoes: pairs, default pair per activity type, counted activities, wear checks.

Revision ID: 0004_shoes
Revises: 0003_checkins
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_shoes"
down_revision = "0003_checkins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shoe_pairs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("brand", sa.String(length=120), nullable=True),
        sa.Column("model", sa.String(length=120), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("start_km", sa.Float(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoe_pairs")),
    )
    op.create_table(
        "shoe_defaults",
        sa.Column("activity", sa.String(length=16), nullable=False),
        sa.Column("pair_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["shoe_pairs.id"],
            name=op.f("fk_shoe_defaults_pair_id_shoe_pairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity", name=op.f("pk_shoe_defaults")),
    )
    op.create_table(
        "shoe_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("activity_type", sa.String(length=16), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("origin", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["shoe_pairs.id"],
            name=op.f("fk_shoe_activities_pair_id_shoe_pairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoe_activities")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_shoe_activities_fingerprint")),
    )
    op.create_index(op.f("ix_shoe_activities_pair_id"), "shoe_activities", ["pair_id"])
    op.create_index(op.f("ix_shoe_activities_started_at"), "shoe_activities", ["started_at"])
    op.create_table(
        "shoe_wear_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.String(length=64), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["shoe_pairs.id"],
            name=op.f("fk_shoe_wear_checks_pair_id_shoe_pairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoe_wear_checks")),
    )
    op.create_index(op.f("ix_shoe_wear_checks_pair_id"), "shoe_wear_checks", ["pair_id"])


def downgrade() -> None:
    op.drop_table("shoe_wear_checks")
    op.drop_table("shoe_activities")
    op.drop_table("shoe_defaults")
    op.drop_table("shoe_pairs")
