"""Upgrading a database made by an older version: backup first, every row kept, search works."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop.db import Database, alembic_config, head_revision, make_engine, sqlite_url
from desktop.models import Activity, ActivityType, Base, Unit
from desktop.services import Services
from desktop.services.activities import ActivityFilter
from desktop.services.reference import seed_reference
from desktop.services.search import is_search_index


def _database_at_0001(path: Path) -> None:
    """A database as version 0001 of the program left it, with real rows."""
    engine = make_engine(sqlite_url(path))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with Session(engine) as s, s.begin():
        seed_reference(s)
        unit = Unit(name="县科协", kind="mass_org")
        s.add(unit)
        s.flush()
        lecture = s.scalar(select(ActivityType.id).where(ActivityType.code == "lecture"))
        s.execute(
            insert(Activity),
            [
                {
                    "start_date": date(2022, 3, 1 + i),
                    "title": title,
                    "type_id": lecture,
                    "unit_id": unit.id,
                    "participants": 10 * (i + 1),
                    "summary": summary,
                }
                for i, (title, summary) in enumerate(
                    [
                        ("防范电信诈骗科普讲座", "兴安街道"),
                        ("食品安全科普讲座", "景芝镇中心校"),
                        ("应急避险演练", "讲解防范电信诈骗"),
                    ]
                )
            ],
        )
    engine.dispose()


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def test_open_backs_up_then_upgrades_keeping_every_row(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path)
    assert "activity_fts" not in _tables(path)

    db = Database.open(path)
    svc = Services(db)
    try:
        # The backup was made before the upgrade and holds the old data at 0001.
        assert db.last_backup is not None and db.last_backup.exists()
        assert "pre-migrate-0001" in db.last_backup.name
        con = sqlite3.connect(db.last_backup)
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert con.execute("SELECT count(*) FROM activity").fetchone()[0] == 3
        assert "activity_fts" not in {
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        con.close()

        with db.engine.connect() as conn:
            rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        assert rev == head_revision()
        assert svc.activities.count(ActivityFilter()) == 3
        assert svc.activities.totals(ActivityFilter()).participants == 60
        # Old rows are in the new index: found through FTS (≥ 3 characters).
        rows = svc.activities.rows(ActivityFilter(text="电信诈骗"), 0, 10, "title", False)
        assert [r.title for r in rows] == ["应急避险演练", "防范电信诈骗科普讲座"]
        assert svc.activities.count(ActivityFilter(text="景芝镇")) == 1
    finally:
        svc.close()


def test_schema_equals_models_apart_from_the_search_index(tmp_path: Path):
    """The FTS table and its shadow tables are the only objects the models do not describe."""
    db = Database.open(tmp_path / "a.sqlite3")
    with db.engine.connect() as conn:
        everything = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        ctx = MigrationContext.configure(
            conn, opts={"include_name": lambda name, _type, _parent: not is_search_index(name)}
        )
        filtered = compare_metadata(ctx, Base.metadata)
    db.close()
    assert filtered == []
    assert sorted(d[1].name for d in everything) == [
        "activity_fts",
        "activity_fts_config",
        "activity_fts_data",
        "activity_fts_docsize",
        "activity_fts_idx",
    ]


def test_downgrade_to_0001_removes_the_index_and_keeps_rows(tmp_path: Path):
    path = tmp_path / "c.sqlite3"
    _database_at_0001(path)
    Database.open(path).close()
    assert "activity_fts" in _tables(path)
    engine = make_engine(sqlite_url(path))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    assert not any(t.startswith("activity_fts") for t in _tables(path))
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM activity").fetchone()[0] == 3
    con.close()
