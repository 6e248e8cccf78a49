"""activity text search: FTS5 trigram index over title and summary

An external-content FTS5 table (it stores only the index, the text stays in
`activity`) kept in step by triggers, and filled from the rows already there.
The trigram tokenizer indexes every run of three characters, so a Chinese
substring of three or more characters is found without word segmentation.
SQLite only: on other databases this revision does nothing and the search
service falls back to LIKE.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE VIRTUAL TABLE activity_fts USING fts5("
    "title, summary, content='activity', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER activity_fts_insert AFTER INSERT ON activity BEGIN "
    "INSERT INTO activity_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); "
    "END",
    "CREATE TRIGGER activity_fts_delete AFTER DELETE ON activity BEGIN "
    "INSERT INTO activity_fts(activity_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); "
    "END",
    "CREATE TRIGGER activity_fts_update AFTER UPDATE OF title, summary ON activity BEGIN "
    "INSERT INTO activity_fts(activity_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); "
    "INSERT INTO activity_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); "
    "END",
    "INSERT INTO activity_fts(activity_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("activity_fts_insert", "activity_fts_delete", "activity_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS activity_fts")
