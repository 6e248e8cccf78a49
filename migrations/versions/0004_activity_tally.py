"""activity tally: monthly totals per activity profile, kept in step by triggers

`activity_tally` holds, per month and profile (type, organising unit, the
sorted ids of the activity's target groups and of its tasks), the number of
activities and the sums of sessions, participants, volunteers, volunteer
hours and funding. Triggers on `activity`, `activity_task` and
`activity_group` record the month of every change in `tally_stale`; the
program recounts those months before the transaction commits, and counts a
month that is still stale from the ledger, so no writer can leave the
figures wrong. The totals of the rows already there are counted here, with
the aggregate copied in (a migration must not change when the program's
code does). SQLite and PostgreSQL.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MEASURES = "activities, sessions, participants, volunteers, volunteer_hours, funding_fen"
COLUMNS = f"month, type_id, unit_id, groups, tasks, {MEASURES}"
SUMS = (
    "count(*), coalesce(sum(a.sessions), 0), coalesce(sum(a.participants), 0), "
    "coalesce(sum(a.volunteers), 0), coalesce(sum(a.volunteer_hours), 0), "
    "coalesce(sum(a.funding_fen), 0)"
)
WATCHED = (
    "start_date, type_id, unit_id, sessions, participants, volunteers, volunteer_hours, funding_fen"
)

SQLITE_MONTH = "date({}, 'start of month')"
SQLITE_FILL = (
    f"INSERT INTO activity_tally ({COLUMNS}) "
    f"SELECT {SQLITE_MONTH.format('a.start_date')}, a.type_id, a.unit_id, "
    "coalesce((SELECT group_concat(group_id) FROM activity_group WHERE activity_id = a.id), ''), "
    "coalesce((SELECT group_concat(task_id) FROM activity_task WHERE activity_id = a.id), ''), "
    f"{SUMS} FROM activity a GROUP BY 1, 2, 3, 4, 5"
)


def _sqlite_triggers() -> list[str]:
    mark = "INSERT OR IGNORE INTO tally_stale (month) VALUES ({});"
    new, old = SQLITE_MONTH.format("new.start_date"), SQLITE_MONTH.format("old.start_date")
    statements = [
        f"CREATE TRIGGER tally_activity_insert AFTER INSERT ON activity BEGIN {mark.format(new)} END",
        f"CREATE TRIGGER tally_activity_delete AFTER DELETE ON activity BEGIN {mark.format(old)} END",
        f"CREATE TRIGGER tally_activity_update AFTER UPDATE OF {WATCHED} ON activity "
        f"BEGIN {mark.format(old)} {mark.format(new)} END",
    ]
    for table in ("activity_task", "activity_group"):
        for event, row in (("insert", "new"), ("delete", "old")):
            statements.append(
                f"CREATE TRIGGER tally_{table}_{event} AFTER {event.upper()} ON {table} BEGIN "
                "INSERT OR IGNORE INTO tally_stale (month) "
                f"SELECT {SQLITE_MONTH.format('start_date')} FROM activity "
                f"WHERE id = {row}.activity_id; END"
            )
    return statements


PG_MONTH = "date_trunc('month', {})::date"
PG_FILL = (
    f"INSERT INTO activity_tally ({COLUMNS}) "
    f"SELECT {PG_MONTH.format('a.start_date')}, a.type_id, a.unit_id, "
    "coalesce((SELECT string_agg(group_id::text, ',' ORDER BY group_id) FROM activity_group "
    "WHERE activity_id = a.id), ''), "
    "coalesce((SELECT string_agg(task_id::text, ',' ORDER BY task_id) FROM activity_task "
    "WHERE activity_id = a.id), ''), "
    f"{SUMS} FROM activity a GROUP BY 1, 2, 3, 4, 5"
)
PG_MARK = "INSERT INTO tally_stale (month) VALUES ({}) ON CONFLICT DO NOTHING;"
PG_STATEMENTS = [
    "CREATE FUNCTION tally_mark_activity() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'INSERT' THEN {PG_MARK.format(PG_MONTH.format('OLD.start_date'))} END IF; "
    f"IF TG_OP <> 'DELETE' THEN {PG_MARK.format(PG_MONTH.format('NEW.start_date'))} END IF; "
    "RETURN NULL; END $$",
    "CREATE FUNCTION tally_mark_link() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE linked integer; BEGIN "
    "IF TG_OP = 'DELETE' THEN linked := OLD.activity_id; ELSE linked := NEW.activity_id; END IF; "
    f"INSERT INTO tally_stale (month) SELECT {PG_MONTH.format('start_date')} FROM activity "
    "WHERE id = linked ON CONFLICT DO NOTHING; RETURN NULL; END $$",
    "CREATE TRIGGER tally_activity_insert_delete AFTER INSERT OR DELETE ON activity "
    "FOR EACH ROW EXECUTE FUNCTION tally_mark_activity()",
    f"CREATE TRIGGER tally_activity_update AFTER UPDATE OF {WATCHED} ON activity "
    "FOR EACH ROW EXECUTE FUNCTION tally_mark_activity()",
    "CREATE TRIGGER tally_activity_task AFTER INSERT OR DELETE ON activity_task "
    "FOR EACH ROW EXECUTE FUNCTION tally_mark_link()",
    "CREATE TRIGGER tally_activity_group AFTER INSERT OR DELETE ON activity_group "
    "FOR EACH ROW EXECUTE FUNCTION tally_mark_link()",
]


def upgrade() -> None:
    op.create_table(
        "activity_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("groups", sa.String(length=200), nullable=False),
        sa.Column("tasks", sa.String(length=400), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("volunteers", sa.Integer(), nullable=False),
        sa.Column("volunteer_hours", sa.Float(), nullable=False),
        sa.Column("funding_fen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_tally")),
    )
    op.create_index("ix_activity_tally_month", "activity_tally", ["month"])
    op.create_table(
        "tally_stale",
        sa.Column("month", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_tally_stale")),
    )
    if op.get_bind().dialect.name == "postgresql":
        statements = [*PG_STATEMENTS, PG_FILL]
    else:
        statements = [*_sqlite_triggers(), SQLITE_FILL]
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tally_activity_insert_delete ON activity")
        op.execute("DROP TRIGGER IF EXISTS tally_activity_update ON activity")
        op.execute("DROP TRIGGER IF EXISTS tally_activity_task ON activity_task")
        op.execute("DROP TRIGGER IF EXISTS tally_activity_group ON activity_group")
        op.execute("DROP FUNCTION IF EXISTS tally_mark_activity()")
        op.execute("DROP FUNCTION IF EXISTS tally_mark_link()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS tally_activity_{name}")
        for table in ("activity_task", "activity_group"):
            for event in ("insert", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS tally_{table}_{event}")
    op.drop_table("tally_stale")
    op.drop_index("ix_activity_tally_month", table_name="activity_tally")
    op.drop_table("activity_tally")
