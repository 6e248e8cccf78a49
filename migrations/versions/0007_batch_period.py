"""batch period: the collection period each import batch was made for

Who has reported (报送情况) asks, for one period, which member units' workbooks
arrived. A batch did not record its period, so it is added, and filled in for
batches already stored: from the period code of the entries the batch wrote,
else from the period label its import audit record names (“导入采集表 f.xlsx
（县科协 2024年第3季度）：…”). A batch whose period cannot be recovered keeps
none and simply counts for no period.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_LABEL = re.compile(r" (\d{4})年(?:第([1-4])季度|(\d{1,2})月)?）：")


def _code(summary: str) -> str | None:
    found = list(_LABEL.finditer(summary))
    if not found:
        return None
    year, quarter, month = found[-1].groups()
    if quarter:
        return f"{year}Q{quarter}"
    if month:
        return f"{year}{int(month):02d}"
    return year


def upgrade() -> None:
    # Plain ALTER TABLE, not a batch copy: dropping the old table under foreign keys
    # would set every activity's and entry's batch to NULL.
    op.add_column("import_batch", sa.Column("period", sa.String(10), nullable=True))
    op.create_index("ix_import_batch_period", "import_batch", ["period"])
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE import_batch SET period = (SELECT min(e.period) FROM entry e"
            " WHERE e.batch_id = import_batch.id) WHERE period IS NULL"
        )
    )
    audits = conn.execute(
        sa.text(
            "SELECT b.id, a.summary FROM import_batch b JOIN audit_record a"
            " ON a.entity = 'import_batch' AND a.entity_id = b.id AND a.action = 'import'"
            " WHERE b.period IS NULL"
        )
    )
    for batch_id, summary in audits.all():
        code = _code(summary or "")
        if code is not None:
            conn.execute(
                sa.text("UPDATE import_batch SET period = :p WHERE id = :i"),
                {"p": code, "i": batch_id},
            )


def downgrade() -> None:
    op.drop_index("ix_import_batch_period", table_name="import_batch")
    op.drop_column("import_batch", "period")
