"""assessment: rubrics of the annual assessment (年度考核), their items, and units' scores

New tables only: nothing stored changes.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rubric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("audience_value", sa.JSON(), nullable=True),
        sa.Column("grades", sa.JSON(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name="fk_rubric_plan_id_plan", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rubric"),
    )
    op.create_index("ix_rubric_plan_id", "rubric", ["plan_id"])
    op.create_table(
        "rubric_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("group", sa.String(100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("standard", sa.Text(), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rubric_id"], ["rubric.id"], name="fk_rubric_item_rubric_id_rubric", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rubric_item"),
        sa.UniqueConstraint("rubric_id", "code", name="uq_rubric_item_rubric_id"),
    )
    op.create_index("ix_rubric_item_rubric_id", "rubric_item", ["rubric_id"])
    op.create_table(
        "assessment_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("self_score", sa.Float(), nullable=True),
        sa.Column("review_score", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["rubric_item.id"],
            name="fk_assessment_score_item_id_rubric_item",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name="fk_assessment_score_unit_id_unit", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assessment_score"),
        sa.UniqueConstraint("item_id", "unit_id", "year", name="uq_assessment_score_item_id"),
    )
    op.create_index("ix_assessment_score_item_id", "assessment_score", ["item_id"])
    op.create_index("ix_assessment_score_unit_id", "assessment_score", ["unit_id"])


def downgrade() -> None:
    op.drop_table("assessment_score")
    op.drop_table("rubric_item")
    op.drop_table("rubric")
