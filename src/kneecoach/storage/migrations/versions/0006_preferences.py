"""The person's preferences (the country for emergency numbers and service names).

Revision ID: 0006_preferences
Revises: 0005_plans
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_preferences"
down_revision = "0005_plans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "preferences",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_preferences")),
    )


def downgrade() -> None:
    op.drop_table("preferences")
