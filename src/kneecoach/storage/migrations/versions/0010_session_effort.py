"""How hard each logged session felt: the effort the person rated.

One new nullable column; nothing that is there changes. `session_logs.effort` is the effort
the person rated for the exercise, 0–10 on the Borg CR10 scale (reps in reserve R are stored
as 10 − R), or NULL when they did not say. The progression rules read it (`last.effort` in
`progression.yaml`). Rows logged before this have NULL: no effort told, as before.

No column for the load actually used: a session is logged at the load it asked for (worked
out again from the log, `core/progression.replay`), and no rule reads another load, so such
a column would hold a number nothing uses.

Revision ID: 0010_session_effort
Revises: 0009_idempotency
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_session_effort"
down_revision = "0009_idempotency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("session_logs", sa.Column("effort", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session_logs") as batch:
        batch.drop_column("effort")
