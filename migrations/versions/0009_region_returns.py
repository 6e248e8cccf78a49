"""region returns: the returns lower regions send up, their figures, and the office's mappings

An upper office (a city over its counties, a county over its townships)
imports the returns its regions exported (`kepu returns import`). Each
accepted return is an import batch of its region's unit; its data-sheet
records are kept whole, and the office's answer for a lower indicator that
matches none of its own is kept too. New tables only: nothing stored
changes.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region_return",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("plan_code", sa.String(80), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name="fk_region_return_batch_id_import_batch",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("batch_id", name="pk_region_return"),
    )
    op.create_table(
        "return_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("record", sa.String(20), nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("uom", sa.String(20), nullable=False),
        sa.Column("measure", sa.String(10), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("period_value", sa.Float(), nullable=True),
        sa.Column("cumulative", sa.Float(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["region_return.batch_id"],
            name="fk_return_figure_batch_id_region_return",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_return_figure"),
    )
    op.create_index("ix_return_figure_batch_id", "return_figure", ["batch_id"])
    op.create_table(
        "return_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("source_code", sa.String(80), nullable=False),
        sa.Column("source_name", sa.String(200), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name="fk_return_mapping_plan_id_plan", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name="fk_return_mapping_indicator_id_indicator",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_return_mapping"),
        sa.UniqueConstraint(
            "plan_id", "source_code", "source_name", name="uq_return_mapping_plan_id"
        ),
    )
    op.create_index("ix_return_mapping_plan_id", "return_mapping", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_return_mapping_plan_id", table_name="return_mapping")
    op.drop_table("return_mapping")
    op.drop_index("ix_return_figure_batch_id", table_name="return_figure")
    op.drop_table("return_figure")
    op.drop_table("region_return")
