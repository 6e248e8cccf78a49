"""flag confirmation: 疑似异常 flags the office has checked, with its comment

A flag is computed from the figures every time (desktop/services/flags.py);
only the office's answer to it is stored: the flag's key, the value that was
checked and the comment (说明：全县集中培训).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "flag_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("confirmed_by", sa.String(60), nullable=False),
        sa.Column(
            "confirmed_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_flag_confirmation"),
        sa.UniqueConstraint("key", name="uq_flag_confirmation_key"),
    )


def downgrade() -> None:
    op.drop_table("flag_confirmation")
