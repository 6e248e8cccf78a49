"""`kepu smoke`: the program checks itself — database, main window, every page — and exits 0."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from desktop.ui.main_window import PAGES


def _smoke(*argv: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KEPU_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "desktop", *argv, "smoke"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_smoke_on_a_named_database_shows_every_page(demo_file: Path, tmp_path: Path):
    db = tmp_path / "county.sqlite3"
    shutil.copy(demo_file, db)
    done = _smoke("--db", str(db), data=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "窗口显示用时" in done.stdout
    for label, _module, _cls in PAGES:
        assert f"页面“{label}”正常" in done.stdout
    assert f"自检通过：{len(PAGES)} 个页面均已打开" in done.stdout
    assert not (tmp_path / "county.sqlite3.lock").exists()  # the window's lock is given back


def test_smoke_without_a_database_uses_a_temporary_demo(tmp_path: Path):
    done = _smoke(data=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "临时文件夹中建立演示数据库" in done.stdout and "自检通过" in done.stdout


def test_smoke_refuses_a_missing_database_in_chinese(tmp_path: Path):
    done = _smoke("--db", str(tmp_path / "nowhere.sqlite3"), data=tmp_path / "data")
    assert done.returncode == 1
    assert "数据库文件不存在" in done.stderr and "Traceback" not in done.stderr
