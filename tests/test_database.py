"""The schema comes from Alembic and equals the models; opening migrates after a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from desktop.db import (
    BACKUPS_KEPT,
    BUSY_SLICE_MS,
    Database,
    backup_sqlite,
    head_revision,
    is_model_table,
)
from desktop.models import Base
from desktop.services import Services
from desktop.services.activities import ActivityFilter


def test_migrated_schema_equals_models(tmp_path: Path):
    db = Database.open(tmp_path / "a.sqlite3")
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"include_name": is_model_table}), Base.metadata
        )
    assert diff == []
    db.close()


def test_sqlite_runs_with_foreign_keys_wal_and_timeout(tmp_path: Path):
    db = Database.open(tmp_path / "a.sqlite3")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        # SQLite waits in slices; between them the writer's waiter is asked (see test_writers_wait).
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_SLICE_MS
    db.close()


def test_opening_stamps_head_and_backup_copies_data(tmp_path: Path):
    path = tmp_path / "county.sqlite3"
    svc = Services.open(path)
    with svc.db.engine.connect() as conn:
        rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert rev == head_revision()
    copy = backup_sqlite(path, tmp_path / "bk")
    svc.close()
    con = sqlite3.connect(copy)
    assert con.execute("SELECT count(*) FROM activity_type").fetchone()[0] == 12
    con.close()


def test_reopening_makes_a_daily_backup(tmp_path: Path):
    path = tmp_path / "county.sqlite3"
    Services.open(path).close()  # new file: nothing to back up yet
    assert not (tmp_path / "backups").exists()
    db = Database.open(path)
    assert db.last_backup is not None and db.last_backup.exists()
    db.close()
    again = Database.open(path)  # within the day: no second copy
    assert again.last_backup is None
    again.close()
    assert len(list((tmp_path / "backups").glob("*.sqlite3"))) == 1


def test_old_automatic_copies_are_pruned_but_never_a_manual_backup(tmp_path: Path):
    path = tmp_path / "county.sqlite3"
    Services.open(path).close()
    folder = tmp_path / "backups"
    mine = backup_sqlite(path, folder, label="manual")
    before_import = [backup_sqlite(path, folder, label="pre-import") for _ in range(3)]
    daily = [backup_sqlite(path, folder, label="auto") for _ in range(BACKUPS_KEPT + 5)]
    left = set(folder.glob("*.sqlite3"))
    assert mine in left and set(before_import) <= left  # other kinds are not crowded out
    assert {p for p in left if "-auto-" in p.name} == set(daily[-BACKUPS_KEPT:])
    assert len(left) == 1 + 3 + BACKUPS_KEPT


def test_postgres_runs_the_same_schema_and_figures(postgres: str, tmp_path: Path, monkeypatch):
    """The demo county built on PostgreSQL reports exactly what it reports on SQLite."""
    from desktop.services.demo import build_demo
    from tests.postgres_server import create_database

    monkeypatch.setenv("KEPU_DATA_DIR", str(tmp_path / "data"))
    pg = Services.open(create_database(postgres))
    with pg.db.engine.connect() as conn:
        assert (
            compare_metadata(
                MigrationContext.configure(conn, opts={"include_name": is_model_table}),
                Base.metadata,
            )
            == []
        )
    lite = Services.open(tmp_path / "demo.sqlite3")
    for svc in (pg, lite):
        build_demo(svc.db, activities=400)
    pg_report, lite_report = pg.progress.report(), lite.progress.report()
    assert [(p.code, p.actual, p.status) for p in pg_report.indicators] == [
        (p.code, p.actual, p.status) for p in lite_report.indicators
    ]
    assert pg.activities.count(ActivityFilter()) == 400
    pg.close()
    lite.close()
