"""plan periods: an indicator remembers the one it continues; an ended plan is read-only

At a plan period's turn (2021–2025 → 2026–2030) the new plan's indicators
carry on the old ones, so reports can show both periods; the link is
stored on the new indicator as a plain id (no foreign key: on SQLite that
means copying `indicator`, and dropping the old table under its foreign
keys would take every entry with it). The old plan is kept whole and
read-only, editable again only when unlocked with a reason, kept on the
plan. Plain columns (ALTER TABLE ADD COLUMN) only.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plan", sa.Column("edit_unlocked_at", sa.DateTime(), nullable=True))
    op.add_column("plan", sa.Column("edit_unlock_reason", sa.Text(), nullable=True))
    op.add_column("indicator", sa.Column("continues_id", sa.Integer(), nullable=True))
    op.create_index("ix_indicator_continues_id", "indicator", ["continues_id"])


def downgrade() -> None:
    op.drop_index("ix_indicator_continues_id", table_name="indicator")
    op.drop_column("indicator", "continues_id")
    op.drop_column("plan", "edit_unlock_reason")
    op.drop_column("plan", "edit_unlocked_at")
