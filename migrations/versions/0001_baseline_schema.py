"""baseline schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 17:57:49.587587
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_type")),
        sa.UniqueConstraint("code", name=op.f("uq_activity_type_code")),
        sa.UniqueConstraint("name", name=op.f("uq_activity_type_name")),
    )
    op.create_table(
        "audit_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("user", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_record")),
    )
    with op.batch_alter_table("audit_record", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_record_at"), ["at"], unique=False)

    op.create_table(
        "period_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column(
            "locked_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("locked_by", sa.String(length=60), nullable=False),
        sa.Column("unlocked_at", sa.DateTime(), nullable=True),
        sa.Column("unlocked_by", sa.String(length=60), nullable=True),
        sa.Column("unlock_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_lock")),
    )
    with op.batch_alter_table("period_lock", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_period_lock_period"), ["period"], unique=False)

    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["place.id"], name=op.f("fk_place_parent_id_place")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
    )
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_place_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=50), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("doc_number", sa.String(length=60), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("literacy_baseline", sa.Float(), nullable=True),
        sa.Column("literacy_baseline_year", sa.Integer(), nullable=True),
        sa.Column("literacy_target", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        sa.UniqueConstraint("code", name=op.f("uq_plan_code")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("operator", sa.String(length=60), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
    )
    op.create_table(
        "target_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_group")),
        sa.UniqueConstraint("name", name=op.f("uq_target_group_name")),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_name")),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=60), nullable=False),
        sa.Column(
            "imported_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_import_batch_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batch_sha256"), ["sha256"], unique=False)

    op.create_table(
        "section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("target_group_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_section_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_group_id"],
            ["target_group.id"],
            name=op.f("fk_section_target_group_id_target_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_section")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_section_plan_id")),
    )
    with op.batch_alter_table("section", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_section_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "unit_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_unit_alias_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_alias")),
        sa.UniqueConstraint("alias", name=op.f("uq_unit_alias_alias")),
    )
    with op.batch_alter_table("unit_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_alias_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "volunteer_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("founded", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["place.id"], name=op.f("fk_volunteer_team_place_id_place")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_volunteer_team_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_team")),
        sa.UniqueConstraint("name", name=op.f("uq_volunteer_team_name")),
    )
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("female", sa.Integer(), nullable=True),
        sa.Column("rural", sa.Integer(), nullable=True),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("volunteers", sa.Integer(), nullable=False),
        sa.Column("volunteer_hours", sa.Float(), nullable=False),
        sa.Column("funding_fen", sa.Integer(), nullable=False),
        sa.Column("media", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("import_key", sa.String(length=64), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_activity_batch_id_import_batch"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["place.id"], name=op.f("fk_activity_place_id_place")
        ),
        sa.ForeignKeyConstraint(
            ["type_id"], ["activity_type.id"], name=op.f("fk_activity_type_id_activity_type")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_activity_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
        sa.UniqueConstraint("import_key", name=op.f("uq_activity_import_key")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_start_date"), ["start_date"], unique=False)
        batch_op.create_index("ix_activity_start_type", ["start_date", "type_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_type_id"), ["type_id"], unique=False)
        batch_op.create_index("ix_activity_unit_start", ["unit_id", "start_date"], unique=False)

    op.create_table(
        "section_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["section.id"],
            name=op.f("fk_section_unit_section_id_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_section_unit_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_section_unit")),
        sa.UniqueConstraint("section_id", "unit_id", name=op.f("uq_section_unit_section_id")),
    )
    with op.batch_alter_table("section_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_section_unit_section_id"), ["section_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_section_unit_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["section.id"],
            name=op.f("fk_task_section_id_section"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
        sa.UniqueConstraint("section_id", "code", name=op.f("uq_task_section_id")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_section_id"), ["section_id"], unique=False)

    op.create_table(
        "team_headcount",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["volunteer_team.id"],
            name=op.f("fk_team_headcount_team_id_volunteer_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_headcount")),
    )
    with op.batch_alter_table("team_headcount", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_headcount_team_id"), ["team_id"], unique=False)

    op.create_table(
        "activity_cooperator",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_cooperator_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_activity_cooperator_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("activity_id", "unit_id", name=op.f("pk_activity_cooperator")),
    )
    with op.batch_alter_table("activity_cooperator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_cooperator_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "activity_group",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_group_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["target_group.id"], name=op.f("fk_activity_group_group_id_target_group")
        ),
        sa.PrimaryKeyConstraint("activity_id", "group_id", name=op.f("pk_activity_group")),
    )
    with op.batch_alter_table("activity_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_group_group_id"), ["group_id"], unique=False)

    op.create_table(
        "activity_task",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_task_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_activity_task_task_id_task"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("activity_id", "task_id", name=op.f("pk_activity_task")),
    )
    with op.batch_alter_table("activity_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_task_task_id"), ["task_id"], unique=False)

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=260), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_evidence_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_activity_id"), ["activity_id"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uom", sa.String(length=20), nullable=False),
        sa.Column("measure", sa.String(length=10), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("target_mode", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("comparator", sa.String(length=2), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=True),
        sa.Column("numerator_id", sa.Integer(), nullable=True),
        sa.Column("denominator_id", sa.Integer(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["denominator_id"], ["indicator.id"], name=op.f("fk_indicator_denominator_id_indicator")
        ),
        sa.ForeignKeyConstraint(
            ["numerator_id"], ["indicator.id"], name=op.f("fk_indicator_numerator_id_indicator")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_indicator_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_indicator_task_id_task"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_indicator_plan_id")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "task_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_task_unit_task_id_task"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_task_unit_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_unit")),
        sa.UniqueConstraint("task_id", "unit_id", name=op.f("uq_task_unit_task_id")),
    )
    with op.batch_alter_table("task_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_unit_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_unit_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_entry_batch_id_import_batch"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_entry_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], name=op.f("fk_entry_place_id_place")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_entry_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry")),
    )
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_entry_indicator_end", ["indicator_id", "period_end"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_entry_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "indicator_year_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_year_target_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_year_target")),
        sa.UniqueConstraint(
            "indicator_id", "year", name=op.f("uq_indicator_year_target_indicator_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("indicator_year_target")
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_unit_id"))
        batch_op.drop_index("ix_entry_indicator_end")
        batch_op.drop_index(batch_op.f("ix_entry_batch_id"))

    op.drop_table("entry")
    with op.batch_alter_table("task_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_unit_unit_id"))
        batch_op.drop_index(batch_op.f("ix_task_unit_task_id"))

    op.drop_table("task_unit")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_plan_id"))

    op.drop_table("indicator")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_activity_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("activity_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_task_task_id"))

    op.drop_table("activity_task")
    with op.batch_alter_table("activity_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_group_group_id"))

    op.drop_table("activity_group")
    with op.batch_alter_table("activity_cooperator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_cooperator_unit_id"))

    op.drop_table("activity_cooperator")
    with op.batch_alter_table("team_headcount", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_headcount_team_id"))

    op.drop_table("team_headcount")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_section_id"))

    op.drop_table("task")
    with op.batch_alter_table("section_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_unit_unit_id"))
        batch_op.drop_index(batch_op.f("ix_section_unit_section_id"))

    op.drop_table("section_unit")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_unit_start")
        batch_op.drop_index(batch_op.f("ix_activity_type_id"))
        batch_op.drop_index("ix_activity_start_type")
        batch_op.drop_index(batch_op.f("ix_activity_start_date"))
        batch_op.drop_index(batch_op.f("ix_activity_place_id"))
        batch_op.drop_index(batch_op.f("ix_activity_batch_id"))

    op.drop_table("activity")
    op.drop_table("volunteer_team")
    with op.batch_alter_table("unit_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_alias_unit_id"))

    op.drop_table("unit_alias")
    with op.batch_alter_table("section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_plan_id"))

    op.drop_table("section")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_sha256"))

    op.drop_table("import_batch")
    op.drop_table("unit")
    op.drop_table("target_group")
    op.drop_table("submission")
    op.drop_table("setting")
    op.drop_table("plan")
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_place_parent_id"))

    op.drop_table("place")
    with op.batch_alter_table("period_lock", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_lock_period"))

    op.drop_table("period_lock")
    with op.batch_alter_table("audit_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_record_at"))
        batch_op.drop_index("ix_audit_entity")

    op.drop_table("audit_record")
    op.drop_table("activity_type")
