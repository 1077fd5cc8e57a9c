"""Idempotency keys for writes replayed from a phone that was offline.

One new table; nothing that is there changes. `idempotency_keys` has one row per keyed API
write (`key` unique): the route, a hash of the request, and the answer it got, so a replay of
the same request gets the same answer and writes nothing.

Revision ID: 0009_idempotency
Revises: 0008_course
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_idempotency"
down_revision = "0008_course"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("route", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("key", name=op.f("uq_idempotency_keys_key")),
    )
    op.create_index(op.f("ix_idempotency_keys_created_at"), "idempotency_keys", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotency_keys_created_at"), table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
