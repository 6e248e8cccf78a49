"""One window per database: a second is refused with who holds it; a crashed holder's lock is taken over."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from desktop.plan.document import PlanDocument
from desktop.ui.app import run_gui
from desktop.ui.window_lock import WindowLock
from tests.conftest import SMALL_PLAN

HOLDER = """
import os, sys, signal
from pathlib import Path
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from desktop.ui.window_lock import WindowLock
lock = WindowLock(Path(sys.argv[1]))
assert lock.acquire() is None
print("locked", flush=True)
if sys.argv[2] == "crash":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdin.readline()
lock.release()
"""


def _holder(db: Path, mode: str) -> subprocess.Popen[str]:
    env = dict(os.environ, KEPU_USER="王科员", QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_window_is_refused_naming_who_holds_it(qapp, services, modals):
    services.plans.create(PlanDocument.from_dict(SMALL_PLAN))
    db = services.db.path
    holder = _holder(db, "hold")
    try:
        refusal = WindowLock(db).acquire()
        assert refusal is not None
        assert "王科员" in refusal and socket.gethostname() in refusal
        assert f"进程 {holder.pid}" in refusal and "同时只能在一个窗口中打开" in refusal
        modals.reply(None)
        assert run_gui(str(db)) == 1
        assert "王科员" in modals.shown[0]
    finally:
        holder.communicate("\n", timeout=30)
    # Once the first window has closed, the next one opens.
    second = WindowLock(db)
    assert second.acquire() is None
    second.release()


def test_the_lock_of_a_crashed_program_is_taken_over(qapp, data_dir: Path):
    db = data_dir / "county.sqlite3"
    holder = _holder(db, "crash")
    assert holder.wait(timeout=30) == -signal.SIGKILL
    assert (data_dir / "county.sqlite3.lock").exists()  # left behind by the crash
    lock = WindowLock(db)
    assert lock.acquire() is None
    lock.release()
    assert not (data_dir / "county.sqlite3.lock").exists()


def test_a_command_line_write_shows_in_the_open_window(qtbot, main_window, demo_services, settled):
    """`kepu activity add` while the window is open: the next look refreshes the page on screen."""
    ledger = main_window.show_page("活动台账")
    settled(ledger)
    before = ledger.totals.activities
    assert not main_window.check_outside_changes()  # nothing new yet

    code = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--db",
            str(demo_services.db.path),
            "activity",
            "add",
            "--date",
            "2025-06-01",
            "--title",
            "命令行补录的科普讲座",
            "--type",
            "lecture",
            "--unit",
            "市科协",
            "--participants",
            "45",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )
    assert code.returncode == 0, code.stderr
    assert main_window.check_outside_changes()
    settled(ledger)
    assert ledger.totals.activities == before + 1
    assert "其他程序修改了数据库" in main_window.statusBar().currentMessage()


def test_the_windows_own_writes_are_not_taken_for_outside_changes(
    main_window, demo_services, add_activity
):
    from datetime import date

    main_window.check_outside_changes()
    add_activity(demo_services, date(2025, 6, 2), "窗口里新增的活动", "科普讲座", "市科协")
    assert not main_window.check_outside_changes()
