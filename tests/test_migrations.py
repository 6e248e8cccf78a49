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
from desktop.plan.document import PlanDocument
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


def _downgrade(path: Path, revision: str) -> None:
    """Take a database back to an earlier revision with the migrations' own downgrades."""
    engine = make_engine(sqlite_url(path))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
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
    """The FTS table, its shadow tables and its term list are all the models do not describe."""
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
        "activity_fts_vocab",
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


def test_0003_cleans_text_an_earlier_version_stored_so_exports_work(tmp_path: Path):
    """Text stored before cleaning existed (bell, Word's line break, zero-width) is cleaned on upgrade."""
    from desktop.exporting.return_workbook import export_return
    from desktop.services.periods import parse_period
    from tests.conftest import SMALL_PLAN

    path = tmp_path / "old.sqlite3"
    svc = Services.open(path)
    svc.plans.create(PlanDocument.from_dict(SMALL_PLAN))
    svc.close()
    _downgrade(path, "0002")
    con = sqlite3.connect(path)
    with con:
        unit = con.execute("SELECT id FROM unit WHERE name = '县科协'").fetchone()[0]
        lecture = con.execute("SELECT id FROM activity_type WHERE code = 'lecture'").fetchone()[0]
        con.execute(
            "INSERT INTO activity (start_date, title, type_id, unit_id, participants, female, rural,"
            " sessions, volunteers, volunteer_hours, funding_fen, media, summary, created_at, updated_at)"
            " VALUES ('2024-05-01', ?, ?, ?, 10, NULL, NULL, 1, 0, 0, 0, ?, ?, '2024-05-01', '2024-05-01')",
            ("讲座\x07A\u200b", lecture, unit, "县\x0b融媒", "第一段\x0c第二段\x00"),
        )
        con.execute("UPDATE section SET title = '青少年\x0b科学素质提升行动' WHERE code = 'A1'")
        for name in ("县 人社局\u200b", "县 气象局\x07"):
            con.execute(
                "INSERT INTO unit (name, kind, sort_order, active) VALUES (?, 'department', 99, 1)",
                (name,),
            )
    con.close()

    db = Database.open(path)
    svc = Services(db)
    try:
        assert db.last_backup is not None and "pre-migrate-0002" in db.last_backup.name
        con = sqlite3.connect(path)
        title, media, summary = con.execute(
            "SELECT title, media, summary FROM activity WHERE title LIKE '讲座%'"
        ).fetchone()
        assert (title, media, summary) == ("讲座A", "县 融媒", "第一段\n第二段")
        assert (
            con.execute("SELECT title FROM section WHERE code = 'A1'").fetchone()[0]
            == "青少年 科学素质提升行动"
        )
        names = {r[0] for r in con.execute("SELECT name FROM unit")}
        assert "县气象局" in names and "县 气象局\x07" not in names
        assert (
            "县 人社局\u200b" in names
        )  # would collide with the plan's 县人社局: left, not merged
        con.close()
        out = export_return(svc, parse_period("2024"), tmp_path / "2024.xlsx")
        assert out.is_file()
    finally:
        svc.close()
