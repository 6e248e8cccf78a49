"""A database from a newer version is refused untouched; a restore checks the backup first."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from desktop.db import head_revision
from desktop.errors import ServiceError
from desktop.plan.document import PlanDocument
from desktop.services import Services
from tests.cli_run import run
from tests.conftest import SMALL_PLAN
from tests.test_migrations import _database_at_0001


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _county(path: Path) -> Path:
    svc = Services.open(path)
    svc.plans.create(PlanDocument.from_dict(SMALL_PLAN))
    svc.close()
    return path


def _stamp(path: Path, revision: str) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    con.close()


@pytest.fixture
def newer(data_dir: Path) -> Path:
    """A county database as a future version left it: schema revision 0099_future."""
    folder = data_dir / "office"
    folder.mkdir()
    path = _county(folder / "county.sqlite3")
    _stamp(path, "0099_future")
    return path


def test_command_line_refuses_a_newer_database_and_leaves_it_byte_for_byte(capsys, newer: Path):
    before, files = _digest(newer), _files(newer.parent)
    for argv in (["progress"], ["check"], ["submissions"], ["lock", "--period", "2024"]):
        code, out, err = run(capsys, "--db", str(newer), *argv)
        assert code == 1, argv
        assert "更新版本的科普台账" in err and "0099_future" in err
        assert "请安装该版本或更新版本" in err
        assert "Traceback" not in err + out
    assert _digest(newer) == before
    assert _files(newer.parent) == files  # no backup copy, no side file


def test_opening_a_newer_database_makes_no_copy(newer: Path):
    before, files = _digest(newer), _files(newer.parent)
    with pytest.raises(ServiceError, match="更新版本"):
        Services.open(newer)
    assert _digest(newer) == before
    assert _files(newer.parent) == files


def test_the_window_refuses_a_newer_database_in_chinese(qapp, newer: Path, modals):
    from desktop.ui.app import run_gui

    before = _digest(newer)
    modals.reply(None)  # the critical message box, answered 确定
    assert run_gui(str(newer)) == 1
    assert len(modals.shown) == 1 and "更新版本的科普台账" in modals.shown[0]
    assert _digest(newer) == before


def test_restore_refuses_what_is_not_a_whole_database_of_ours(capsys, data_dir: Path):
    current = _county(data_dir / "county.sqlite3")
    only_version = data_dir / "only-version.sqlite3"
    con = sqlite3.connect(only_version)
    with con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        con.execute("INSERT INTO alembic_version VALUES (?)", (head_revision(),))
    con.close()
    future = data_dir / "future.sqlite3"
    _stamp(_county(future), "0099_future")
    damaged = data_dir / "damaged.sqlite3"
    raw = bytearray((data_dir / "future.sqlite3").read_bytes())
    raw[4096 * 2 : 4096 * 2 + 512] = b"\xff" * 512  # a page of the table data overwritten
    damaged.write_bytes(bytes(raw))

    before = _digest(current)
    expected = {
        only_version: "不是科普台账的数据库",
        future: "更新版本的科普台账",
        damaged: "已损坏",
    }
    for backup, reason in expected.items():
        code, out, err = run(capsys, "--db", str(current), "restore", str(backup), "--yes")
        assert code == 1, backup.name
        assert reason in err, (backup.name, err)
        assert "Traceback" not in err + out
        assert _digest(current) == before
    assert not (data_dir / "backups").exists() or not list(
        (data_dir / "backups").glob("*pre-restore*")
    )


def test_restore_of_an_older_backup_upgrades_it_at_once(capsys, data_dir: Path):
    current = _county(data_dir / "county.sqlite3")
    old = data_dir / "old.sqlite3"
    _database_at_0001(old)
    code, out, err = run(capsys, "--db", str(current), "restore", str(old), "--yes")
    assert code == 0, err
    con = sqlite3.connect(current)
    try:
        assert (
            con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
        )
        assert con.execute("SELECT count(*) FROM activity").fetchone()[0] == 3
    finally:
        con.close()
    backups = {p.name for p in (data_dir / "backups").iterdir()}
    assert any("pre-restore" in name for name in backups)
    assert any("pre-migrate-0001" in name for name in backups)
    # The backup itself stays as it was made.
    assert (
        sqlite3.connect(old).execute("SELECT version_num FROM alembic_version").fetchone()[0]
        == "0001"
    )
