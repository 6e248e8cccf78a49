"""flag range indexes: each unit's money and volunteer hours in order, for 疑似异常

The range rule compares an activity's money (or hours) with the median of
its unit's earlier activities. Read by window functions over the ledger, a
year's check sorted the whole earlier ledger: five seconds at a million
activities, twice (money, hours) for every year of the plan. With an index
on (unit, value, date) over the rows that have a value, a unit's median is
found by counting and stepping into its index range, and the activities
above a bound by a range read: a quarter of a second for both. Indexes
only: nothing stored changes.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_activity_unit_funding": "funding_fen",
    "ix_activity_unit_hours": "volunteer_hours",
}


def upgrade() -> None:
    for name, column in INDEXES.items():
        where = sa.text(f"{column} > 0")
        op.create_index(
            name,
            "activity",
            ["unit_id", column, "start_date"],
            sqlite_where=where,
            postgresql_where=where,
        )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="activity")
