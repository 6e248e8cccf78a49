"""two-character text search through the trigram index

A two-character query (most Chinese words: 讲座, 培训) cannot be matched by
the trigram index directly, so it scanned every row with LIKE. Each place
two characters occur in a text is either the start of one of its trigrams
or the text's last two characters. `activity_fts_vocab` (an fts5vocab table
over `activity_fts`, no storage of its own) lists the trigrams that start
with the query, and a MATCH of those finds the rows; two expression indexes
on the last two characters of the title and of the summary find the rest
(a text shorter than three characters that holds the query is the query).
SQLite only, as 0002.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The same expressions appear in the search's WHERE (desktop/services/search.py),
# which is how SQLite knows these indexes serve it.
ENDINGS = {
    "activity_fts_title_end": "lower(substr(title, -2))",
    "activity_fts_summary_end": "lower(substr(summary, -2))",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE VIRTUAL TABLE activity_fts_vocab USING fts5vocab(activity_fts, 'row')")
    for name, expression in ENDINGS.items():
        op.execute(f"CREATE INDEX {name} ON activity ({expression})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ENDINGS:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS activity_fts_vocab")
