"""What a clinician leaves in a person's store: notes to the person and changes to the plan.

Two new tables in each person's store; nothing that is there changes. In personal mode they
stay empty.

- `clinician_notes`: a note a clinician wrote to the person, with when the person read it.
- `plan_adjustments`: a change a clinician made to the plan (swap, dose, pause) with the
  reason. It stays fixed, whatever progression would do, until the clinician releases it
  (`released_at`, `ended_by` "released") or a new intake arrives. The names are copied in,
  so a note still says who wrote it after that account is gone.

Revision ID: 0013_clinic
Revises: 0011_practice (the lead rechains it onto 0012_jobs at merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_clinic"
down_revision = "0011_practice"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clinician_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinician_id", sa.String(length=32), nullable=False),
        sa.Column("clinician_name", sa.String(length=120), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinician_notes")),
    )
    op.create_index(op.f("ix_clinician_notes_at"), "clinician_notes", ["at"])
    op.create_table(
        "plan_adjustments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinician_id", sa.String(length=32), nullable=False),
        sa.Column("clinician_name", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_adjustments")),
    )


def downgrade() -> None:
    op.drop_table("plan_adjustments")
    op.drop_table("clinician_notes")
