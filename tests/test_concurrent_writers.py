"""Writers wait their turn: two imports and an export started together all succeed.

Before, one import and the export died with "database is locked" tracebacks
after the ten-second busy wait, and the exported file was never recorded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.db import Database
from desktop.errors import DatabaseBusy
from desktop.services import Services
from tests.test_crash_safety import _activities, _filled_workbook, demo, kepu  # noqa: F401

ROWS = 400


@pytest.fixture
def county(demo: Path, tmp_path: Path) -> Path:  # noqa: F811
    path = tmp_path / "county.sqlite3"
    path.write_bytes(demo.read_bytes())
    return path


def test_two_imports_and_an_export_started_together_all_succeed(county: Path, tmp_path: Path):
    env = dict(os.environ, KEPU_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    first = _filled_workbook(county, tmp_path / "first.xlsx")
    second = _filled_workbook(county, tmp_path / "second.xlsx", unit="市教体局")
    before = _activities(county)
    out = tmp_path / "2025年报表.xlsx"
    commands = [
        kepu("--db", str(county), "collection", "import", str(first)),
        kepu("--db", str(county), "collection", "import", str(second)),
        kepu("--db", str(county), "export", "return", "--period", "2025", "--out", str(out)),
    ]
    procs = [
        subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    results = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "locked" not in err
    assert _activities(county) == before + 2 * ROWS
    svc = Services.open(county)
    try:
        assert [s.kind for s in svc.submissions.identify(out)] == ["return"]
    finally:
        svc.close()


def test_a_writer_that_gives_up_says_so_and_writes_nothing(county: Path, tmp_path: Path):
    """Another program holds the write lock; the user stops waiting: nothing half-done."""
    holder = hold_write_lock(county)
    try:
        db = Database.open(county)  # opening needs no write lock: it does not wait
        asked: list[float] = []

        class GiveUpAfterASecond:
            def waiting(self, seconds: float) -> bool:
                asked.append(seconds)
                return seconds < 1.0

            def done(self) -> None:
                asked.append(-1.0)

        svc = Services(db)
        db.waiter = GiveUpAfterASecond()
        before = (_activities(county), svc.settings.get("office_name"))
        with pytest.raises(DatabaseBusy, match="已停止等待，本次操作没有执行"):
            svc.settings.update({"office_name": "安丘市科学技术协会"})
        # Asked between slices until it gave up past a second, then told the wait was over.
        assert len(asked) >= 3 and asked[-2] >= 1.0 and all(s < 1.0 for s in asked[:-2])
        assert asked[-1] == -1.0  # told the wait is over, so the window closes its notice
        assert (_activities(county), svc.settings.get("office_name")) == before
        svc.close()
    finally:
        holder.communicate("\n", timeout=30)


def hold_write_lock(db: Path) -> subprocess.Popen[str]:
    """Another program that holds the database's write lock until it reads a line."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


HOLD_LOCK = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.readline()
con.execute("ROLLBACK")
"""
