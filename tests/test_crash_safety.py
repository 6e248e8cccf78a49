"""Crash safety, tested: the real `kepu` is killed (SIGKILL) at random moments.

After each kill the database passes SQLite's integrity check and opens
normally, an import is there whole or not at all, an output file is either
absent or whole, and the next run of the same command leaves no temporary
file behind. The kill moments are drawn from a fixed seed over the span the
command really takes on this machine, so every run tries the same spread.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.collection_layout import ACTIVITY_COLUMNS, ACTIVITY_SHEET, FIRST_DATA_ROW
from desktop.db import Database
from desktop.exporting.collection_template import write_template
from desktop.exporting.files import PART_SUFFIX
from desktop.services import Services
from desktop.services.demo import build_demo

KILLS = 3
ROWS = 400
UNIT = "市科协"
COLUMN = {key: i for i, (key, _, _, _) in enumerate(ACTIVITY_COLUMNS, start=1)}


def kepu(*argv: str) -> list[str]:
    return [sys.executable, "-m", "desktop", *argv]


def _env(data: Path) -> dict[str, str]:
    return dict(os.environ, KEPU_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")


def _timed(argv: Sequence[str], env: dict[str, str]) -> float:
    start = time.monotonic()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - start


def _kill_after(argv: Sequence[str], env: dict[str, str], delay: float) -> None:
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


def _scalar(path: Path, sql: str) -> object:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _integrity(path: Path) -> object:
    return _scalar(path, "PRAGMA integrity_check")


def _activities(path: Path) -> object:
    return _scalar(path, "SELECT count(*) FROM activity")


def _opens(path: Path) -> None:
    svc = Services.open(path)
    try:
        assert svc.plans.has_active()
    finally:
        svc.close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(PART_SUFFIX))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crash-demo")
    path = folder / "demo.sqlite3"
    db = Database.open(path)
    try:
        build_demo(db, activities=300)
    finally:
        db.close()
    return path


@pytest.fixture
def county(demo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office" / "county.sqlite3"
    path.parent.mkdir()
    shutil.copy(demo, path)
    return path


def _filled_workbook(county: Path, out: Path, unit: str = UNIT) -> Path:
    """A member unit's collection workbook for 2025Q3, filled with ROWS lectures."""
    svc = Services.open(county)
    try:
        unit_id = next(u.id for u in svc.reference.units() if u.name == unit)
        write_template(svc.imports.template_spec(unit_id, "2025Q3"), out)
    finally:
        svc.close()
    wb = load_workbook(out)
    ws = wb[ACTIVITY_SHEET]
    for i in range(ROWS):
        row = FIRST_DATA_ROW + i
        ws.cell(row, COLUMN["start_date"]).value = date(2025, 7, 1 + i % 30)
        ws.cell(row, COLUMN["title"]).value = f"社区科普讲座第{i + 1}场"
        ws.cell(row, COLUMN["type"]).value = "科普讲座"
        ws.cell(row, COLUMN["participants"]).value = 40 + i % 17
    wb.save(out)
    return out


def test_a_killed_collection_import_is_all_there_or_not_at_all(county: Path, tmp_path: Path):
    env = _env(tmp_path / "data")
    book = _filled_workbook(county, tmp_path / "市科协-2025Q3.xlsx")
    pristine = tmp_path / "pristine.sqlite3"
    shutil.copy(county, pristine)
    before = _activities(county)
    span = _timed(kepu("--db", str(county), "collection", "import", str(book)), env)
    assert _activities(county) == before + ROWS
    rng = random.Random(9)
    outcomes = set()
    for _ in range(KILLS):
        shutil.copy(pristine, county)
        for side in ("-wal", "-shm"):
            Path(f"{county}{side}").unlink(missing_ok=True)
        _kill_after(
            kepu("--db", str(county), "collection", "import", str(book)),
            env,
            rng.uniform(0.2, span),
        )
        assert _integrity(county) == "ok"
        count = _activities(county)
        assert count in (before, before + ROWS)
        outcomes.add(count)
        _opens(county)
    assert outcomes  # each kill left one of the two whole states


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (("export", "return", "--period", "2025"), "2025年报表.xlsx"),
        (("export", "summary", "--year", "2025"), "2025年工作总结.pdf"),
    ],
)
def test_a_killed_export_leaves_no_half_file(county: Path, tmp_path: Path, command, name):
    env = _env(tmp_path / "data")
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    out = out_dir / name
    argv = kepu("--db", str(county), *command, "--out", str(out))
    span = _timed(argv, env)
    out.unlink()
    rng = random.Random(len(name))
    for _ in range(KILLS):
        _kill_after(argv, env, rng.uniform(0.2, span))
        assert _integrity(county) == "ok"
        assert not out.exists() or _whole(out)
        assert set(os.listdir(out_dir)) - {name} <= set(_leftovers(out_dir))
        _opens(county)
    # The next export replaces what a kill left: a whole file and nothing beside it.
    _timed(argv, env)
    assert _whole(out)
    assert os.listdir(out_dir) == [name]


def _whole(path: Path) -> bool:
    if path.suffix == ".pdf":
        return len(PdfReader(path).pages) > 1
    wb = load_workbook(path, read_only=True)
    try:
        return "进展统计表" in wb.sheetnames
    finally:
        wb.close()


def test_a_killed_restore_leaves_the_old_data_or_the_backup(county: Path, tmp_path: Path):
    env = _env(tmp_path / "data")
    backup = tmp_path / "older.sqlite3"
    shutil.copy(county, backup)
    con = sqlite3.connect(backup)
    with con:
        con.execute("DELETE FROM activity_task")
        con.execute("DELETE FROM activity_group")
        con.execute("DELETE FROM activity_cooperator")
        con.execute("DELETE FROM evidence")
        con.execute("DELETE FROM activity WHERE id % 3 = 0")
    con.close()
    states = {_activities(county), _activities(backup)}
    assert len(states) == 2
    pristine = tmp_path / "pristine.sqlite3"
    shutil.copy(county, pristine)
    argv = kepu("--db", str(county), "restore", str(backup), "--yes")
    span = _timed(argv, env)
    assert _activities(county) == _activities(backup)
    rng = random.Random(3)
    for _ in range(KILLS):
        shutil.copy(pristine, county)
        for side in ("-wal", "-shm"):
            Path(f"{county}{side}").unlink(missing_ok=True)
        _kill_after(argv, env, rng.uniform(0.1, span))
        assert _integrity(county) == "ok"
        assert _activities(county) in states
        _opens(county)
